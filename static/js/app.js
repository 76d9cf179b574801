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
