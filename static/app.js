// drillbook: small enhancements over pages that work without script.
"use strict";

(function () {
  // Copy-link buttons: shown only when the clipboard can be written.
  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("button.copy-link[data-copy]").forEach(function (button) {
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(
          function () { button.textContent = "Link copied"; },
          function () { button.textContent = "Copy failed: select the link instead"; }
        );
        setTimeout(function () { button.textContent = label; }, 2500);
      });
    });
  }
})();
