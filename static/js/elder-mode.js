/* 长辈模式 (elder mode) before the first paint: loaded in <head>, not
   deferred. Anonymous pages are cached, one copy for every reader, so the
   mode comes from this browser's cookie; a signed-in reader's page says the
   account's setting (data-elder-account), which wins and is copied into the
   cookie, so the mode follows the account to a new browser and stays after
   signing out. Also marks <html> "js" for the collapsing header menu. */
(function () {
  "use strict";
  var COOKIE = "zhitong_elder";
  var root = document.documentElement;
  var match = document.cookie.match(/(?:^|;\s*)zhitong_elder=([01])/);
  var stored = match ? match[1] : null;
  var account = root.getAttribute("data-elder-account");
  var isOn = account ? account === "on" : stored === "1";
  if (account && stored !== (isOn ? "1" : "0")) {
    document.cookie = COOKIE + "=" + (isOn ? "1" : "0") +
      "; path=/; max-age=31536000; samesite=lax" +
      (location.protocol === "https:" ? "; secure" : "");
  }
  root.classList.add("js");
  root.classList.toggle("elder", isOn);
})();
