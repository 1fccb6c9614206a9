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
