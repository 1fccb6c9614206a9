// While a citizen writes: similar published messages and routing
// suggestions, fetched as they type (debounced). Without JavaScript the
// "Check for similar messages" button asks the server for the same list.
// Nothing here chooses for the citizen: a suggestion fills the form only
// when its "Choose" button is pressed.
(function () {
  "use strict";
  var panel = document.getElementById("similar-panel");
  var form = document.getElementById("compose-form");
  if (!panel || !form || !window.fetch) return;
  var title = form.querySelector("[name=title]");
  var body = form.querySelector("[name=body]");
  var list = panel.querySelector("[data-similar-list]");
  var empty = panel.querySelector("[data-similar-empty]");
  var routing = panel.querySelector("[data-routing]");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
  var statuses = JSON.parse(document.getElementById("status-labels").textContent);
  var timer = null;
  var lastText = "";
  var MIN_LENGTH = 4;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showSimilar(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = element("li", "similar-item");
      var link = element("a", "", item.title);
      link.href = item.url;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(element("span", "badge status-" + item.status, statuses[item.status] || item.status));
      if (csrf) {
        var follow = element("form", "inline-form");
        follow.method = "post";
        follow.action = panel.dataset.followUrl.replace("/0/", "/" + item.id + "/");
        var token = element("input");
        token.type = "hidden";
        token.name = "csrfmiddlewaretoken";
        token.value = csrf.value;
        var button = element("button", "small-action", panel.dataset.labelMeToo);
        button.type = "submit";
        button.title = panel.dataset.labelMeTooHelp;
        follow.appendChild(token);
        follow.appendChild(button);
        li.appendChild(follow);
      }
      list.appendChild(li);
    });
    empty.hidden = items.length > 0;
  }

  function choose(fieldName, value) {
    var select = form.querySelector("[name=" + fieldName + "]");
    if (!select) return;
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function showSuggestions(target, items, fieldName, prefix) {
    target.textContent = "";
    // A list with nothing to suggest keeps its heading out of the way.
    target.hidden = items.length === 0;
    target.previousElementSibling.hidden = items.length === 0;
    items.forEach(function (item) {
      var chip = element("span", "suggestion");
      chip.appendChild(document.createTextNode(item.name + " "));
      chip.appendChild(element("small", "", Math.round(item.confidence * 100) + "%"));
      var button = element("button", "small-action", panel.dataset.labelUse);
      button.type = "button";
      button.setAttribute("aria-label", panel.dataset.labelUse + " " + item.name);
      button.addEventListener("click", function () {
        choose(fieldName, prefix + item.id);
      });
      chip.appendChild(button);
      target.appendChild(chip);
    });
  }

  var region = form.querySelector("[name=region]");

  function get(url, text, extra) {
    return fetch(url + "?text=" + encodeURIComponent(text) + (extra || ""), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  function refresh() {
    var text = (title.value + "\n" + body.value).trim();
    if (text.length < MIN_LENGTH || text === lastText) return;
    lastText = text;
    get(panel.dataset.similarUrl, text).then(function (items) {
      if (text === lastText) showSimilar(items);
    }).catch(function () {});
    // Departments serving the chosen region only, once there is one.
    var inRegion = region && region.value ? "&region=" + encodeURIComponent(region.value) : "";
    get(panel.dataset.suggestUrl, text, inRegion).then(function (suggestion) {
      if (text !== lastText) return;
      showSuggestions(routing.querySelector("[data-routing-categories]"), suggestion.categories, "category", "");
      showSuggestions(routing.querySelector("[data-routing-departments]"), suggestion.departments, "addressee", "d:");
      routing.hidden = !(suggestion.categories.length || suggestion.departments.length);
    }).catch(function () {});
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  }

  if (region) region.addEventListener("change", function () { lastText = ""; schedule(); });
  title.addEventListener("input", schedule);
  body.addEventListener("input", schedule);
  if ((title.value + body.value).trim()) schedule();
})();
