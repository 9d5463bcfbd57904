// The one script of ours. It tells the student when an HTMX request fails, because a failed
// swap is otherwise silent, and keeps focus and scrolling sensible when the quiz panel is
// swapped; the page keeps working with ordinary links and forms.
(function () {
  "use strict";
  // Text that is only true with this script running (".js-only": "This board updates by
  // itself") is hidden by the stylesheet until this class says it runs.
  document.documentElement.classList.add("js");

  // On paper every folded answer is shown (results, My mistakes), then folded again.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(
      document.querySelectorAll("details:not([open])"), function (d) { d.open = true; return true; });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });
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

  // Whether the student last used the keyboard or a pointer (mouse, finger, pen).
  var usingKeyboard = false;
  document.addEventListener("keydown", function () { usingKeyboard = true; }, true);
  document.addEventListener("pointerdown", function () { usingKeyboard = false; }, true);

  function startHidden(element) {
    var top = element.getBoundingClientRect().top;
    return top < 0 || top > window.innerHeight;
  }
  function partlyHidden(element) {
    var box = element.getBoundingClientRect();
    return box.top < 0 || box.bottom > window.innerHeight;
  }

  // After the quiz panel is swapped (feedback, the next question, a form error), the button
  // that was pressed is gone and focus would fall back to <body>. htmx has already focused any
  // [autofocus] element (the Next question button, a typed answer); otherwise focus the first
  // field of the question. Then show the start of what changed (the verdict or the question,
  // or the form error) rather than wherever the page happened to be scrolled, while keeping a
  // keyboard user's focused control on screen.
  document.addEventListener("htmx:afterSettle", function (event) {
    // A new page's content swapped into <main> (See results): start where a page load would,
    // at its heading, rather than on <body> with the button that was pressed gone.
    if (event.target.id === "main" && !event.target.contains(document.activeElement)) {
      var heading = event.target.querySelector("h1");
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
      return;
    }
    var panel = document.getElementById("quiz-panel");
    if (!panel || event.target !== panel) { return; }
    var card = panel.firstElementChild;
    if (!card) { return; }
    var focused = document.activeElement;
    if (!focused || !panel.contains(focused)) {
      focused = card.querySelector("input:not([type=hidden]), select, textarea, button");
      if (focused) { focused.focus({ preventScroll: true }); }
    }
    var errors = card.querySelector("[role=alert]");
    if (errors && partlyHidden(errors)) {
      errors.scrollIntoView({ block: "nearest" });
    } else if (!errors && startHidden(card)) {
      card.scrollIntoView({ block: "start" });
    }
    if (focused && usingKeyboard && partlyHidden(focused)) {
      focused.scrollIntoView({ block: "nearest" });
    }
  });

  // An answer's feedback comes with the next question's card in a <template> (one request per
  // answer, templates/quizzes/attempt.html): "Next question" shows it from there instead of
  // asking the server. htmx swaps it in as it would a response (its title, its form made live,
  // then the focus handling above), the live region says where the student is, and the
  // question's address goes into history as hx-push-url would put it (back and forward
  // reload a step from the server: hx-history="false"). Without the template, or without
  // htmx, the button asks for the card as before.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var next = form.dataset && form.dataset.nextStep && document.getElementById(form.dataset.nextStep);
    if (!next || !window.htmx) { return; }
    event.preventDefault();
    event.stopPropagation();  // before htmx's own handler on the form, which would ask
    var url = form.getAttribute("action");
    window.htmx.swap("#quiz-panel", next.innerHTML, { swapStyle: "innerHTML" });
    var status = document.getElementById("quiz-status");
    if (status) { status.textContent = next.dataset.status; }
    window.history.pushState({ htmx: true }, "", url);
  }, true);

  // The live game's event streams (quizzes/live/streams.py). A phone that slept, or lost its
  // network, may hold a stream that died without a word, and wait for minutes. A stream sends
  // a "heartbeat" event after 15 s without another; one silent for 40 s is reopened, and so is
  // every stream when the page is shown again after 5 s hidden (a phone waking) or the network
  // comes back. htmx's SSE extension reconnects a closed stream half a second later, and the
  // stream's snapshot brings the page up to date.
  var streams = [];
  function reopen(watched) {
    var source = watched.source;
    if (source.readyState === EventSource.CLOSED) { return; }
    source.close();
    if (source.onerror) { source.onerror(new Event("error")); }  // the extension reconnects
  }
  function reopenAll() { streams.forEach(reopen); }
  document.addEventListener("htmx:sseOpen", function (event) {
    var watched = { source: event.detail.source, last: Date.now() };
    streams = streams.filter(function (w) { return w.source.readyState !== EventSource.CLOSED; });
    streams.push(watched);
    watched.source.addEventListener("heartbeat", function () { watched.last = Date.now(); });
  });
  document.addEventListener("htmx:sseMessage", function () {
    var now = Date.now();
    streams.forEach(function (w) { w.last = now; });
  });
  window.setInterval(function () {
    var now = Date.now();
    streams.forEach(function (w) { if (now - w.last > 40000) { reopen(w); } });
  }, 5000);
  var hiddenAt = 0;
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      hiddenAt = Date.now();
    } else if (hiddenAt && Date.now() - hiddenAt > 5000) {
      reopenAll();
    }
  });
  window.addEventListener("online", reopenAll);
})();
