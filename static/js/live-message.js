// Live updates of a public message page: status, replies, timeline and the
// 同问 count change without a reload. The page is complete without this.
(function () {
  "use strict";
  var page = document.querySelector("[data-live-message]");
  if (!page || !window.WebSocket || !window.fetch || !window.DOMParser) return;
  var messageId = page.getAttribute("data-live-message");
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var url = scheme + window.location.host + "/ws/messages/" + messageId + "/";
  var attempt = 0;
  var refreshing = null;
  var stale = false;

  // Re-read the page and swap in the parts marked data-live-part. A change
  // announced while a read is under way may have missed it: read once more.
  function refresh() {
    if (refreshing) { stale = true; return; }
    stale = false;
    refreshing = window.fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-part]").forEach(function (part) {
          var name = part.getAttribute("data-live-part");
          var replacement = fresh.querySelector('[data-live-part="' + name + '"]');
          if (replacement) part.replaceWith(replacement);
        });
      })
      .finally(function () {
        refreshing = null;
        if (stale) refresh();
      });
  }

  // Every viewer of a popular page hears of a reply at the same moment;
  // spreading the re-reads over a second keeps them from arriving at the
  // server as one burst.
  var pending = null;
  function refreshSoon() {
    if (pending) return;
    pending = window.setTimeout(function () {
      pending = null;
      refresh();
    }, Math.random() * 1000);
  }

  var connectedBefore = false;

  function connect() {
    var socket = new WebSocket(url);
    socket.onopen = function () {
      attempt = 0;
      // Changes made while the socket was down were announced to nobody.
      if (connectedBefore) refreshSoon();
      connectedBefore = true;
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (!frame || frame.type !== "message") return;
      if (frame.op === "support") {
        var count = document.querySelector("[data-support-count]");
        if (count) count.textContent = String(frame.support_count);
        return;
      }
      if (frame.status === "hidden") { window.location.reload(); return; }
      refreshSoon();
    };
    socket.onclose = function (event) {
      if (event.code === 4404) return; // not a public message
      attempt += 1;
      var base = Math.min(30000, 1000 * Math.pow(2, attempt));
      window.setTimeout(connect, base / 2 + Math.random() * base / 2);
    };
  }
  connect();
})();
