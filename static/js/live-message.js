// Live updates of a public message page: the status badge changes without a
// reload. The page is complete without this script.
(function () {
  "use strict";
  var page = document.querySelector("[data-live-message]");
  if (!page || !window.WebSocket) return;
  var messageId = page.getAttribute("data-live-message");
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var url = scheme + window.location.host + "/ws/messages/" + messageId + "/";
  var attempt = 0;

  function connect() {
    var socket = new WebSocket(url);
    socket.onopen = function () { attempt = 0; };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "message" && frame.op === "status") {
        var badge = page.querySelector("[data-live-status] .badge");
        if (badge) {
          badge.className = "badge status-" + frame.status;
          badge.textContent = frame.status_label;
        }
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4404) return; // not a public message
      attempt += 1;
      // Exponential backoff with jitter, so a restart is not a stampede.
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random());
      window.setTimeout(connect, delay);
    };
  }
  connect();
})();
