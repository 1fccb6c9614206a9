// Progressive enhancement for the moderation queue: a "select all" box for
// the bulk decisions. Without JavaScript every checkbox works on its own.
(function () {
  "use strict";
  var selectAll = document.querySelector("[data-select-all]");
  if (!selectAll) return;
  var master = selectAll.querySelector("input");
  var boxes = document.querySelectorAll('input[name="messages"][form="bulk-form"]');
  if (!boxes.length) return;
  selectAll.hidden = false;

  function sync() {
    var checked = Array.prototype.filter.call(boxes, function (box) {
      return box.checked;
    }).length;
    master.checked = checked === boxes.length;
    master.indeterminate = checked > 0 && checked < boxes.length;
  }

  master.addEventListener("change", function () {
    Array.prototype.forEach.call(boxes, function (box) {
      box.checked = master.checked;
    });
  });
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("change", sync);
  });
  sync();
})();
