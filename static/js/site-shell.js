/* The site's header: on narrow screens the search, links and language sit
   in a menu opened by its button (Escape closes it and returns focus); the
   elder-mode switch says which way it will go. */
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = document.querySelector("[data-menu-button]");
  var menu = document.querySelector("[data-site-menu]");
  if (header && button && menu) {
    var setOpen = function (isOpen) {
      button.setAttribute("aria-expanded", isOpen ? "true" : "false");
      header.classList.toggle("menu-open", isOpen);
    };
    button.addEventListener("click", function () {
      // Focus stays on the button (the menu follows it in tab order): a
      // focused search box would bring up a phone's keyboard.
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  // The switch posts "on" or "off" explicitly; without this script the
  // server toggles.
  var isElder = document.documentElement.classList.contains("elder");
  document.querySelectorAll("[data-elder-switch]").forEach(function (form) {
    var mode = document.createElement("input");
    mode.type = "hidden";
    mode.name = "mode";
    mode.value = isElder ? "off" : "on";
    form.appendChild(mode);
  });
})();
