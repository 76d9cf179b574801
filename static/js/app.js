// Move focus to the "There is a problem" summary when a page or an htmx swap shows one,
// so keyboard and screen-reader users hear the errors first (GOV.UK error pattern).
(function () {
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.detail.target);
  });
})();
