// 物业管家 web chat: sends each message to POST /api/chat and renders the replies.
// Identity: ?user=ID&token=T from the link the property office sent (kept in localStorage);
// in demo mode a random id is made up for this browser.
(function () {
  "use strict";

  var STORE_USER = "wuye.user";
  var STORE_TOKEN = "wuye.token";
  var ERRORS = {
    400: "消息格式有误，请重新输入。",
    401: "请使用物业发给您的专属链接打开本页面。",
    413: "消息太长了，请简要描述或分几条发送。"
  };

  var messages = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("input");
  var sendButton = document.getElementById("send");
  var queue = [];
  var busy = false;
  var identity = loadIdentity();

  function storageGet(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function storageSet(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: fine */ }
  }

  function userFromToken(token) {
    // The token's first part is base64url("user|expiry"); the server checks the signature.
    try {
      var part = token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
      var text = window.atob(part + "===".slice((part.length + 3) % 4));
      return text.slice(0, text.lastIndexOf("|")) || null;
    } catch (e) { return null; }
  }

  function loadIdentity() {
    var params = new URLSearchParams(window.location.search);
    var token = params.get("token") || storageGet(STORE_TOKEN) || "";
    var user = params.get("user") || (params.get("token") && userFromToken(token)) ||
      storageGet(STORE_USER);
    if (!user) {
      user = "web-" + Math.random().toString(36).slice(2, 12);
    }
    storageSet(STORE_USER, user);
    if (token) { storageSet(STORE_TOKEN, token); }
    return { user: user, token: token };
  }

  function scrollToEnd() {
    messages.scrollTop = messages.scrollHeight;
  }

  function addRow(kind, text) {
    var row = document.createElement("div");
    row.className = "row " + kind;
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.textContent = text;  // never innerHTML: replies are data, not markup
    row.appendChild(bubble);
    messages.appendChild(row);
    scrollToEnd();
    return row;
  }

  function addReply(reply) {
    var row = addRow("bot", reply.text || "");
    if (reply.image && /^(https?:\/\/|\/)/.test(reply.image)) {
      var img = document.createElement("img");
      img.src = reply.image;
      img.alt = "";
      row.firstChild.appendChild(img);
    }
    var buttons = reply.buttons || [];
    if (buttons.length) {
      var chips = document.createElement("div");
      chips.className = "chips";
      buttons.forEach(function (button) {
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip";
        chip.textContent = button.title;
        chip.dataset.payload = button.payload;
        chip.addEventListener("click", function () {
          send(button.title, button.payload);
        });
        chips.appendChild(chip);
      });
      row.appendChild(chips);
    }
    scrollToEnd();
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
  }

  function send(text, payload) {
    addRow("user", text);
    queue.push({ text: text, button: payload || null });
    drain();
  }

  function drain() {
    // One request at a time, in order: the dialogue state depends on the previous answer.
    if (busy || !queue.length) { return; }
    var item = queue.shift();
    var typing = addRow("bot typing", "…");
    setBusy(true);
    var body = { user: identity.user, text: item.text };
    if (item.button) { body.button = item.button; }
    if (identity.token) { body.token = identity.token; }
    fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) {
        var failure = new Error("HTTP " + response.status);
        failure.friendly = ERRORS[response.status] || "服务暂时不可用，请稍后再试。";
        throw failure;
      }
      return response.json();
    }).then(function (data) {
      typing.remove();
      (data.replies || []).forEach(addReply);
    }).catch(function (error) {
      typing.remove();
      addRow("system", (error && error.friendly) || "网络连接异常，请稍后再试。");
    }).then(function () {
      setBusy(false);
      drain();
    });
  }

  function submit() {
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    autosize();
    send(text, null);
  }

  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 120) + "px";
    input.style.overflowY = input.scrollHeight > 120 ? "auto" : "hidden";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  input.addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter is a new line; Enter that confirms a pinyin IME candidate
    // (isComposing / keyCode 229) must not send the half-typed text.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });

  input.addEventListener("input", autosize);
  // Pushes (notices, ticket updates) wait in the user's inbox: GET /api/updates, every few
  // seconds and when the tab comes back; `after` is the last sequence number shown.
  var POLL_MS = 5000;
  var STORE_SEEN = "wuye.seen." + identity.user;
  var seen = parseInt(storageGet(STORE_SEEN) || "0", 10) || 0;
  var polling = false;

  function poll() {
    if (polling || document.hidden) { return; }
    polling = true;
    var query = "user=" + encodeURIComponent(identity.user) + "&after=" + seen;
    if (identity.token) { query += "&token=" + encodeURIComponent(identity.token); }
    fetch("/api/updates?" + query, { cache: "no-store" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) { return; }
      (data.updates || []).forEach(function (update) {
        addReply(update);
        seen = Math.max(seen, update.seq);
      });
      if (data.last < seen) { seen = data.last; }  // the inbox expired and started over
      storageSet(STORE_SEEN, String(seen));
    }).catch(function () { /* offline: the next round tries again */ }).then(function () {
      polling = false;
    });
  }

  poll();
  window.setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", poll);
  // A binding letter's QR code opens /?user=…&token=…&bind=CODE: bind at once, and drop the
  // code from the address bar so a reload or a shared link does not send it again.
  var bindParams = new URLSearchParams(window.location.search);
  var bindCode = bindParams.get("bind");
  if (bindCode && /^[A-Za-z0-9]{4,16}$/.test(bindCode)) {
    bindParams.delete("bind");
    var rest = bindParams.toString();
    window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : ""));
    send("绑定 " + bindCode, null);
  }
  window.wuyeChat = { identity: identity };  // for the browser test and debugging
}());
