// The login cards' "Print the cards" button (a button that only works with this script, so it
// is shown only with it: ".js-only"). Without it, the browser's own Print does the same.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
