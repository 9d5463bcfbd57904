// The live game's countdowns (issue 22): each <time class="live-countdown" datetime="PT45S">
// counts down from the seconds the server gave when it sent it, so a phone whose clock is
// wrong shows the right time left. The server keeps the time: this only shows it.
(function () {
  "use strict";
  function start(element) {
    if (element.liveCountdown) { return; }
    var match = /^PT(\d+)S$/.exec(element.getAttribute("datetime") || "");
    if (!match) { return; }
    var end = Date.now() + Number(match[1]) * 1000;
    function tick() {
      if (!document.body.contains(element)) { clearInterval(element.liveCountdown); return; }
      var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      element.textContent = left > 0 ? left + (left === 1 ? " second left" : " seconds left") : "Time is up";
      if (!left) { clearInterval(element.liveCountdown); }
    }
    element.liveCountdown = setInterval(tick, 1000);
    tick();
  }
  function startAll() {
    Array.prototype.forEach.call(document.querySelectorAll("time.live-countdown"), start);
  }
  document.addEventListener("DOMContentLoaded", startAll);
  document.addEventListener("htmx:afterSettle", startAll);
  document.addEventListener("htmx:sseMessage", startAll);
  startAll();
})();
