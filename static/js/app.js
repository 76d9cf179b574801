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

// Show assessment times in the visitor's own zone: detected once, then remembered.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("[data-tz-form] select[name=tz]");
    if (!select || document.cookie.indexOf("tz=") !== -1 || !window.Intl) {
      return;
    }
    var detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!detected || detected === select.value) {
      return;
    }
    if (!Array.prototype.some.call(select.options, function (o) { return o.value === detected; })) {
      select.add(new Option(detected.replace(/_/g, " "), detected), 0);
    }
    select.value = detected;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
