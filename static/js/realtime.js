// Zhitong realtime client: the bell, toasts and live moderation queues.
// Connects to /ws/notifications/ with the session cookie, resumes from the
// last notification id it has seen, and reconnects with exponential backoff
// and jitter. Pages work without it.
(function () {
  "use strict";
  var bell = document.querySelector("[data-bell]");
  if (!bell || !window.WebSocket) return;
  var countNode = bell.querySelector("[data-bell-count]");
  var toasts = document.querySelector("[data-toasts]");
  var storageKey = "zhitong.lastNotificationId";
  var lastId = Math.max(
    parseInt(bell.getAttribute("data-last-id") || "0", 10) || 0,
    parseInt(sessionStorage.getItem(storageKey) || "0", 10) || 0
  );
  var attempt = 0;
  // Queue events missed while the socket was down are not replayed: after a
  // reconnect the page asks again (moderation.js listens).
  var hasOpened = false;
  var socket = null;
  var labelsNode = document.getElementById("notification-labels");
  var labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};

  function setCount(count) {
    countNode.textContent = String(count);
    countNode.classList.toggle("is-zero", count <= 0);
  }

  function toast(frame) {
    if (!toasts) return;
    var item = document.createElement("div");
    item.className = "toast";
    var label = document.createElement("strong");
    // The page's labels, then the server's, then a neutral one: never the
    // raw kind in English.
    label.textContent =
      labels[frame.kind] ||
      frame.label ||
      (window.gettext ? window.gettext("New notification") : "New notification");
    item.appendChild(label);
    if (frame.url) {
      item.appendChild(document.createElement("br"));
      var link = document.createElement("a");
      link.href = frame.url;
      link.textContent = frame.title;
      item.appendChild(link);
    }
    toasts.appendChild(item);
    window.setTimeout(function () { item.remove(); }, 8000);
  }

  function remember(id) {
    if (id > lastId) {
      lastId = id;
      sessionStorage.setItem(storageKey, String(lastId));
    }
  }

  function handle(frame) {
    if (frame.type === "notification") {
      if (frame.id <= lastId) return; // seen on another page already
      remember(frame.id);
      setCount((parseInt(countNode.textContent, 10) || 0) + 1);
      toast(frame);
      document.dispatchEvent(new CustomEvent("zhitong:notification", { detail: frame }));
    } else if (frame.type === "unread") {
      setCount(frame.count);
    } else if (frame.type === "queue") {
      document.dispatchEvent(new CustomEvent("zhitong:queue", { detail: frame }));
    } else if (frame.type === "ping") {
      socket.send(JSON.stringify({ type: "pong" }));
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () {
      attempt = 0;
      socket.send(JSON.stringify({ type: "resume", after: lastId }));
      if (hasOpened) document.dispatchEvent(new CustomEvent("zhitong:resumed"));
      hasOpened = true;
    };
    socket.onmessage = function (event) {
      try { handle(JSON.parse(event.data)); } catch (error) { /* ignore bad frame */ }
    };
    socket.onclose = function (event) {
      // 4401: not signed in (any more); 4403: logged out or password changed.
      if (event.code === 4401 || event.code === 4403) return;
      attempt += 1;
      var base = Math.min(30000, 500 * Math.pow(2, attempt));
      window.setTimeout(connect, base / 2 + Math.random() * base / 2);
    };
  }
  connect();
})();
