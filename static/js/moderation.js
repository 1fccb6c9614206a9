// Progressive enhancement for the moderation queue: a "select all" box for
// the bulk decisions, and the live queue. Without JavaScript every checkbox
// works on its own and the queue is as fresh as its last load.
(function () {
  "use strict";
  var BOXES = 'input[name="messages"][form="bulk-form"]';

  // --- Select all -----------------------------------------------------------
  // Boxes are looked up on each change: live updates add and remove rows.
  function syncSelectAll() {
    var selectAll = document.querySelector("[data-select-all]");
    if (!selectAll) return;
    var master = selectAll.querySelector("input");
    var boxes = document.querySelectorAll(BOXES);
    var checked = Array.prototype.filter.call(boxes, function (box) {
      return box.checked;
    }).length;
    selectAll.hidden = !boxes.length;
    master.checked = boxes.length > 0 && checked === boxes.length;
    master.indeterminate = checked > 0 && checked < boxes.length;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.closest && target.closest("[data-select-all]")) {
      Array.prototype.forEach.call(document.querySelectorAll(BOXES), function (box) {
        box.checked = target.checked;
      });
    } else if (target.matches && target.matches(BOXES)) {
      syncSelectAll();
    }
  });
  syncSelectAll();

  // --- The live queue -------------------------------------------------------
  // realtime.js passes the server's queue events on as "zhitong:queue". The
  // rows themselves come from the server (moderation:queue_rows), rendered
  // by the same template as the page, for this page's tab, filters and page.
  var list = document.querySelector("[data-queue-live]");
  if (!list) return;
  var liveUrl = list.getAttribute("data-queue-live");
  var announcer = document.querySelector("[data-queue-announcer]");
  var waiting = {}; // message id -> the latest event about it, not yet asked
  var newIds = []; // on this page of this list, not shown yet
  var timer = null;
  var busy = false;
  var countsWanted = false; // counts to re-read even if no row is asked

  function say(texts) {
    var text = texts.filter(Boolean).join(" ");
    if (!announcer || !text) return;
    // Emptied first, so that the same words said twice are read twice.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  function rowFor(id) {
    return list.querySelector('[data-queue-rows] [data-message-id="' + id + '"]');
  }

  function rows() {
    return list.querySelectorAll("[data-queue-rows] [data-message-id]");
  }

  function fromHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // The control in ``row`` that stands where ``active`` stood in its row.
  function counterpart(row, active) {
    if (!row) return null;
    if (active && active.matches && active.matches(BOXES)) {
      var box = row.querySelector(BOXES);
      if (box) return box;
    }
    return row.querySelector(".queue-title a");
  }

  function flash(row) {
    row.classList.add("is-fresh");
    window.setTimeout(function () { row.classList.remove("is-fresh"); }, 4000);
  }

  function replaceRow(row, html) {
    var fresh = fromHtml(html);
    if (!fresh) return;
    var oldBox = row.querySelector(BOXES);
    var newBox = fresh.querySelector(BOXES);
    if (oldBox && newBox) newBox.checked = oldBox.checked;
    var active = document.activeElement;
    var hadFocus = row.contains(active);
    row.replaceWith(fresh);
    // Focus stays on the same control: an update never moves the reader.
    if (hadFocus) {
      var target = counterpart(fresh, active);
      if (target) target.focus({ preventScroll: true });
    }
    flash(fresh);
  }

  function removeRow(row) {
    var active = document.activeElement;
    if (row.contains(active)) {
      // The focused row is leaving: the next row (or the one before, or the
      // list's heading) takes the focus instead of the page's top.
      var all = Array.prototype.slice.call(rows());
      var at = all.indexOf(row);
      var target =
        counterpart(all[at + 1], active) ||
        counterpart(all[at - 1], active) ||
        list.querySelector("#queue-heading");
      if (target) target.focus({ preventScroll: true });
    }
    row.remove();
    var left = rows().length;
    var empty = list.querySelector("[data-queue-empty]");
    if (empty) empty.hidden = left > 0;
    // Nothing left to select: the bulk decisions go too.
    var bulk = document.getElementById("bulk-form");
    if (bulk) bulk.hidden = left === 0;
    syncSelectAll();
  }

  function newItemsText() {
    return interpolate(
      ngettext(
        "%(count)s new item for this page.",
        "%(count)s new items for this page.",
        newIds.length
      ),
      { count: newIds.length },
      true
    );
  }

  function showNotice() {
    var notice = list.querySelector("[data-queue-notice]");
    if (!notice) return;
    notice.querySelector("[data-queue-notice-text]").textContent = newItemsText();
    notice.hidden = newIds.length === 0;
  }

  function updateCounts(data) {
    Object.keys(data.counts).forEach(function (name) {
      var count = document.querySelector('.queue-tabs [data-queue="' + name + '"] .count');
      if (count) count.textContent = String(data.counts[name]);
    });
    var note = list.querySelector("[data-queue-count]");
    if (note) note.textContent = data.count_text;
  }

  function apply(data, events) {
    updateCounts(data);
    var said = [];
    var arrived = 0;
    Object.keys(data.items).forEach(function (id) {
      var item = data.items[id];
      var event = events[id] || {};
      var row = rowFor(id);
      var reference = row ? row.getAttribute("data-reference") : "";
      if (row && item.place === "page") {
        replaceRow(row, item.html);
        if (event.op === "claimed" && event.claimed_by) {
          said.push(interpolate(gettext("%(reference)s: %(name)s is working on it."),
            { reference: reference, name: event.claimed_by }, true));
        } else if (event.op === "released") {
          said.push(interpolate(gettext("%(reference)s is free again."),
            { reference: reference }, true));
        }
      } else if (row && item.place === "") {
        removeRow(row);
        said.push(interpolate(
          event.op === "resolved"
            ? gettext("%(reference)s was decided and left this list.")
            : gettext("%(reference)s left this list."),
          { reference: reference }, true));
      } else if (item.place === "page" && newIds.indexOf(id) < 0) {
        newIds.push(id);
        arrived += 1;
      } else if (item.place !== "page" && newIds.indexOf(id) >= 0) {
        // Gone again before it was shown.
        newIds.splice(newIds.indexOf(id), 1);
        showNotice();
      }
    });
    if (arrived) {
      showNotice();
      said.push(newItemsText());
    }
    say(said);
  }

  function liveQuery(ids) {
    var params = new URLSearchParams(window.location.search);
    params.delete("message");
    ids.forEach(function (id) { params.append("message", id); });
    return liveUrl + "?" + params.toString();
  }

  function schedule() {
    if (timer === null) timer = window.setTimeout(flush, 300);
  }

  function flush() {
    timer = null;
    if (busy) return; // asked again when the running request ends
    var events = waiting;
    var ids = Object.keys(events);
    if (!ids.length && !countsWanted) return;
    waiting = {};
    countsWanted = false;
    busy = true;
    var failed = false;
    fetch(liveQuery(ids), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) { apply(data, events); })
      .catch(function () {
        // Not lost, and not retried in a loop: asked again with the next
        // event (a server in trouble is not asked every 300 ms).
        failed = true;
        ids.forEach(function (id) { if (!waiting[id]) waiting[id] = events[id]; });
      })
      .then(function () {
        busy = false;
        if (!failed && (Object.keys(waiting).length || countsWanted)) schedule();
      });
  }

  document.addEventListener("zhitong:queue", function (event) {
    var frame = event.detail || {};
    if (!frame.message_id) return;
    waiting[String(frame.message_id)] = frame;
    schedule();
  });

  // Events sent while the socket was down are not replayed: when realtime.js
  // says it is back, every row on the page is asked about again.
  document.addEventListener("zhitong:resumed", function () {
    Array.prototype.forEach.call(rows(), function (row) {
      var id = row.getAttribute("data-message-id");
      if (!waiting[id]) waiting[id] = { message_id: id, op: "" };
    });
    countsWanted = true;
    schedule();
  });

  // "Show them": this page read again, its list swapped in; the first new
  // row takes the focus, since the reader asked for it.
  list.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-queue-show]");
    if (!button) return;
    button.disabled = true;
    var checked = Array.prototype.filter.call(document.querySelectorAll(BOXES), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
    var shown = newIds;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-queue-live]");
        if (!fresh) throw new Error("no list");
        list.innerHTML = fresh.innerHTML;
        Array.prototype.forEach.call(document.querySelectorAll(BOXES), function (box) {
          box.checked = checked.indexOf(box.value) >= 0;
        });
        var tabs = page.querySelector(".queue-tabs");
        var oldTabs = document.querySelector(".queue-tabs");
        if (tabs && oldTabs) oldTabs.innerHTML = tabs.innerHTML;
        newIds = [];
        syncSelectAll();
        var firstNew = Array.prototype.filter.call(rows(), function (row) {
          return shown.indexOf(row.getAttribute("data-message-id")) >= 0;
        })[0];
        (counterpart(firstNew, null) || list.querySelector("#queue-heading")).focus();
      })
      .catch(function () {
        window.location.reload();
      });
  });
})();
