// Move focus to the "There is a problem" summary when a page or an htmx swap shows one,
// so keyboard and screen-reader users hear the errors first (GOV.UK error pattern).
(function () {
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  // After an outerHTML swap the event's target is the detached old element,
  // so look in the document once htmx has settled the new content.
  document.addEventListener("htmx:afterSettle", focusErrorSummary);
})();

// A client's time zone comes from their browser the first time they arrive: the page
// carries a small form only while the zone is unknown, and the server keeps a zone once set.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-browser-zone]");
    if (!form || !window.Intl || !window.fetch) {
      return;
    }
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) {
      return;
    }
    form.elements.time_zone.value = zone;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
  });
})();

// A confirm step (or any section marked data-autofocus) takes focus when it appears,
// so keyboard and screen-reader users land on the question they are asked.
(function () {
  function focusMarked() {
    var marked = document.querySelector("[data-autofocus]");
    if (marked && !document.querySelector("[data-error-summary]")) {
      marked.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", focusMarked);
  document.addEventListener("htmx:afterSettle", focusMarked);
})();

// The stage sheet's print button.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
