// The one script of ours. It only tells the student when an HTMX request fails, because a
// failed swap is otherwise silent; the page keeps working with ordinary links and forms.
(function () {
  "use strict";
  function showError() {
    var box = document.getElementById("connection-error");
    if (box) { box.hidden = false; }
  }
  function hideError() {
    var box = document.getElementById("connection-error");
    if (box) { box.hidden = true; }
  }
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
  document.addEventListener("htmx:afterSwap", hideError);
})();
