// 物业管家 checkout page. Outside demo mode the page needs the owner's web chat token: a
// browser that opened the web chat with its link keeps it (see chat.js), so reload with it.
(function () {
  "use strict";

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  var page = document.getElementById("pay");
  if (page && page.dataset.state === "auth") {
    var params = new URLSearchParams(window.location.search);
    var user = stored("wuye.user");
    var token = stored("wuye.token");
    if (user && token && !params.get("token")) {  // once: a rejected token must not loop
      var order = window.location.pathname.replace(/\/confirm$/, "");  // a refused POST too
      window.location.replace(order + "?user=" + encodeURIComponent(user) +
        "&token=" + encodeURIComponent(token));
    }
  }

  var form = document.getElementById("confirm");
  if (form) {
    form.addEventListener("submit", function () {
      // A second click would be harmless (settling is idempotent), but say it is working.
      var button = form.querySelector("button");
      window.setTimeout(function () { button.disabled = true; button.textContent = "正在支付…"; }, 0);
    });
  }
}());
