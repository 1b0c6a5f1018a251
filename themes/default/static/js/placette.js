/* Small progressive enhancements; every feature works without this file. */
(function () {
  "use strict";
  // Ask before destructive buttons (they still work without JavaScript, with no prompt).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.classList.contains("danger") && button.dataset.confirm !== "no") {
      var text = document.documentElement.lang === "fr" ? "Confirmer ?" : "Are you sure?";
      if (!window.confirm(text)) { event.preventDefault(); }
    }
  });
})();
