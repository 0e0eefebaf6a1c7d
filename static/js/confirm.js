// Asks before an irreversible submit: a form with data-confirm="question" (or the submit
// button that was pressed, when only that button needs it) is sent only if the user
// agrees. It replaces inline onsubmit/onclick handlers, which the Content-Security-Policy
// refuses (config/settings/csp.py). Without JavaScript the form is sent as it is.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
