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

  // WeChat Pay JSAPI (inside WeChat's browser): the signed parameters come from the server.
  var wx = document.getElementById("wxpay");
  if (wx && wx.dataset.params) {
    var params = JSON.parse(wx.dataset.params);
    var start = function () {
      if (typeof window.WeixinJSBridge === "undefined") { return; }
      window.WeixinJSBridge.invoke("getBrandWCPayRequest", params, function (res) {
        // The answer is only a hint: the bill is paid when WeChat's notification arrives.
        if (res && res.err_msg === "get_brand_wcpay_request:ok") {
          window.setTimeout(function () { window.location.reload(); }, 2000);
        }
      });
    };
    wx.querySelector("button").addEventListener("click", start);
  }

  // A QR code or H5 link is on screen: look again now and then to show the receipt.
  if (document.getElementById("wxpay-qr") || document.getElementById("wxpay-h5")) {
    window.setTimeout(function () { window.location.reload(); }, 5000);
  }
}());
