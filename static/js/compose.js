// Offer only the officials and departments that serve the chosen region, and
// let people search the list. Without JavaScript the full list is shown and
// the server checks the choice.
(function () {
  "use strict";
  var region = document.getElementById("id_region");
  var addressee = document.getElementById("id_addressee");
  var search = document.getElementById("addressee-search");
  var parentsNode = document.getElementById("region-parents");
  var regionsNode = document.getElementById("addressee-regions");
  if (!region || !addressee || !parentsNode || !regionsNode) return;
  var parents = JSON.parse(parentsNode.textContent);
  var addresseeRegions = JSON.parse(regionsNode.textContent);
  search.hidden = false;

  function ancestors(regionId) {
    var chain = {};
    var current = regionId;
    while (current !== null && current !== undefined && !chain[current]) {
      chain[current] = true;
      current = parents[current];
    }
    return chain;
  }

  function refresh() {
    var chain = region.value ? ancestors(region.value) : null;
    var needle = search.value.trim().toLowerCase();
    Array.prototype.forEach.call(addressee.options, function (option) {
      if (!option.value) return;
      var servesRegion = !chain || chain[addresseeRegions[option.value]];
      var matches = !needle || option.text.toLowerCase().indexOf(needle) !== -1;
      option.hidden = !(servesRegion && matches);
      option.disabled = option.hidden;
    });
    var selected = addressee.options[addressee.selectedIndex];
    if (selected && selected.hidden) addressee.value = "";
  }

  region.addEventListener("change", refresh);
  search.addEventListener("input", refresh);
  refresh();
})();

// Character counters on the title and the body: a live "12/60" under each
// (described-by, so a screen reader hears it on focus), and, for screen
// readers, a polite word only when a field comes near its limit or reaches
// it; not at every key. The browser's maxlength counts as value.length
// does, and so does the server once line breaks are one character.
(function () {
  "use strict";
  var announcer = document.querySelector("[data-counter-announcer]");
  var counters = document.querySelectorAll("[data-counter-for]");
  var translate = window.gettext || function (text) { return text; };
  var format = window.interpolate || function (text, values) {
    return text.replace(/%\(\w+\)s/g, function (name) {
      return values[name.slice(2, -2)];
    });
  };

  function stateOf(length, max) {
    if (length >= max) return "full";
    return max - length <= Math.max(10, Math.round(max / 10)) ? "near" : "ok";
  }

  Array.prototype.forEach.call(counters, function (counter) {
    var field = document.getElementById(counter.dataset.counterFor);
    var max = parseInt(counter.dataset.max, 10);
    if (!field || !max) return;
    var described = field.getAttribute("aria-describedby");
    field.setAttribute(
      "aria-describedby", (described ? described + " " : "") + counter.id
    );
    var last = null;

    function update() {
      var length = field.value.length;
      var state = stateOf(length, max);
      counter.textContent = length + "/" + max;
      counter.classList.toggle("is-near", state === "near");
      counter.classList.toggle("is-full", state === "full");
      if (announcer && last !== null && state !== last && state !== "ok") {
        var label = field.labels && field.labels[0] ? field.labels[0].textContent.trim() : "";
        announcer.textContent = state === "full"
          ? format(translate("%(field)s: the limit of %(max)s characters is reached."), { field: label, max: max }, true)
          : format(translate("%(field)s: %(left)s characters left."), { field: label, left: max - length }, true);
      }
      last = state;
    }

    field.addEventListener("input", update);
    update();
  });
})();

// After the server answers: the preview, or the first field it refused,
// gets the focus, so keyboard and screen-reader users start there.
(function () {
  "use strict";
  var preview = document.querySelector("[data-compose-preview]");
  if (preview) {
    preview.focus();
    return;
  }
  var refused = document.querySelector(
    "#compose-form .has-error input:not([type=hidden]), #compose-form .has-error select, #compose-form .has-error textarea"
  );
  if (refused) refused.focus();
})();
