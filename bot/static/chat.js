// 物业管家 web chat: sends each message to POST /api/chat (photos to POST /api/photo) and
// renders the replies. Identity: ?user=ID&token=T from the link the property office sent
// (kept in localStorage); in demo mode a random id is made up for this browser.
// The conversation is kept in localStorage per user, so a reload shows it again; buttons of
// earlier messages are shown disabled (pressing a stale "confirm" must not act twice).
(function () {
  "use strict";

  var T = window.WuyeText;
  var STORE_USER = "wuye.user";
  var STORE_TOKEN = "wuye.token";
  var STORE_LANG = "wuye.lang";
  var HISTORY_MAX = 200;
  var PHOTO_MAX_SIDE = 1600;
  var THUMB_SIDE = 240;

  var messages = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("input");
  var sendButton = document.getElementById("send");
  var attachButton = document.getElementById("attach");
  var photoInput = document.getElementById("photo-input");
  var queue = [];
  var busy = false;
  var sink = null;  // where new rows go: the message list, or a fragment put in place later
  var identity = loadIdentity();
  var STORE_HISTORY = "wuye.history." + identity.user;
  var STORE_SEEN = "wuye.seen." + identity.user;
  var lang = T.pickLanguage(window.location.search, navigator.languages || [navigator.language],
    storageGet(STORE_LANG));
  var history = loadHistory();

  function storageGet(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function storageSet(key, value) {
    try { window.localStorage.setItem(key, value); return true; } catch (e) { return false; }
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

  function loadHistory() {
    try {
      var items = JSON.parse(storageGet(STORE_HISTORY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) { return []; }
  }

  function remember(entry, first) {
    if (first) { history.splice(first - 1, 0, entry); } else { history.push(entry); }
    if (history.length > HISTORY_MAX) { history = history.slice(-HISTORY_MAX); }
    // Full storage (many photos): drop the oldest until it fits.
    while (!storageSet(STORE_HISTORY, JSON.stringify(history)) && history.length > 1) {
      history = history.slice(Math.ceil(history.length / 4));
    }
  }

  function applyLanguage() {
    var t = T.TEXTS[lang];
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    document.getElementById("title").textContent = t.title;
    input.placeholder = t.placeholder;
    sendButton.textContent = t.send;
    sendButton.setAttribute("aria-label", t.send);
    attachButton.setAttribute("aria-label", t.attach);
    attachButton.title = t.attach;
    document.getElementById("status").textContent = t.online;
  }

  function scrollToEnd() {
    messages.scrollTop = messages.scrollHeight;
  }

  function fillText(node, text) {
    // Links and phone numbers become <a>; everything else stays text (never innerHTML).
    T.tokens(text || "").forEach(function (piece) {
      if (piece.href) {
        var a = document.createElement("a");
        a.href = piece.href;
        a.textContent = piece.text;
        if (piece.href.indexOf("tel:") !== 0) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
        node.appendChild(a);
      } else {
        node.appendChild(document.createTextNode(piece.text));
      }
    });
  }

  function addRow(kind, text, at) {
    var row = document.createElement("div");
    row.className = "row " + kind;
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    fillText(bubble, text);
    row.appendChild(bubble);
    if (at) {
      var time = document.createElement("div");
      time.className = "time";
      time.textContent = T.timeLabel(at, lang);
      row.appendChild(time);
    }
    (sink || messages).appendChild(row);
    scrollToEnd();
    return row;
  }

  function addDivider(text) {
    var div = document.createElement("div");
    div.className = "divider";
    div.textContent = text;
    (sink || messages).appendChild(div);
  }

  function addPhoto(row, src) {
    var img = document.createElement("img");
    img.src = src;
    img.alt = T.TEXTS[lang].photo;
    img.className = "photo";
    row.firstChild.textContent = "";
    row.firstChild.appendChild(img);
  }

  function addReply(reply, options) {
    var opts = options || {};
    var row = addRow("bot" + (opts.old ? " history" : ""), reply.text || "", opts.at);
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
        chip.disabled = !!opts.old;
        chip.addEventListener("click", function () {
          send(button.title, button.payload);
        });
        chips.appendChild(chip);
      });
      row.insertBefore(chips, row.querySelector(".time"));
    }
    if (!opts.old) {
      remember({ k: "bot", t: reply.text || "", b: buttons, i: reply.image || null,
        at: opts.at || null });
    }
    scrollToEnd();
  }

  function restore() {
    history.forEach(function (entry) {
      if (entry.k === "bot") {
        addReply({ text: entry.t, buttons: entry.b, image: entry.i }, { old: true, at: entry.at });
      } else if (entry.k === "photo") {
        addPhoto(addRow("user history", "", entry.at), entry.t);
      } else {
        addRow(entry.k + " history", entry.t, entry.at);
      }
    });
    if (history.length) { addDivider(T.TEXTS[lang].earlier); }
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    attachButton.disabled = value;
  }

  function send(text, payload) {
    var guess = payload ? null : T.languageOf(text);
    if (guess && guess !== lang) { lang = guess; storageSet(STORE_LANG, lang); applyLanguage(); }
    addRow("user", text);
    remember({ k: "user", t: text });
    queue.push({ text: text, button: payload || null });
    drain();
  }

  function failure(status) {
    var t = T.TEXTS[lang];
    var error = new Error("HTTP " + status);
    error.friendly = t.errors[status] || t.unavailable;
    return error;
  }

  function drain() {
    // One request at a time, in order: the dialogue state depends on the previous answer.
    if (busy || !queue.length) { return; }
    var item = queue.shift();
    var typing = addRow("bot typing", "…");
    setBusy(true);
    var request = item.photo ? photoRequest(item) : chatRequest(item);
    request.then(function (response) {
      if (!response.ok) { throw item.photo ? photoFailure(response.status) : failure(response.status); }
      return response.json();
    }).then(function (data) {
      typing.remove();
      (data.replies || []).forEach(function (reply) { addReply(reply); });
    }).catch(function (error) {
      typing.remove();
      var text = (error && error.friendly) || T.TEXTS[lang].offline;
      addRow("system", text);
      remember({ k: "system", t: text });
    }).then(function () {
      setBusy(false);
      drain();
    });
  }

  function chatRequest(item) {
    var body = { user: identity.user, text: item.text };
    if (item.button) { body.button = item.button; }
    if (identity.token) { body.token = identity.token; }
    return fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function photoRequest(item) {
    var query = "user=" + encodeURIComponent(identity.user);
    if (identity.token) { query += "&token=" + encodeURIComponent(identity.token); }
    return fetch("/api/photo?" + query, {
      method: "POST",
      headers: { "Content-Type": item.photo.type || "application/octet-stream" },
      body: item.photo
    });
  }

  function photoFailure(status) {
    var t = T.TEXTS[lang];
    var error = new Error("HTTP " + status);
    error.friendly = status === 413 ? t.photoTooBig : status === 415 ? t.notImage
      : (status === 401 ? t.errors[401] : t.photoFailed);
    return error;
  }

  function scaled(file, side, quality) {
    // A JPEG no larger than side×side, or the file itself when the browser cannot decode it
    // (HEIC on most desktops): the server accepts either.
    if (!window.createImageBitmap) { return Promise.resolve(file); }
    return window.createImageBitmap(file).then(function (bitmap) {
      var ratio = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      if (ratio === 1 && file.size < 1500000 && side === PHOTO_MAX_SIDE) { return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * ratio);
      canvas.height = Math.round(bitmap.height * ratio);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", quality);
      });
    }).catch(function () { return file; });
  }

  function dataUrl(blob) {
    return new Promise(function (resolve) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result)); };
      reader.onerror = function () { resolve(""); };
      reader.readAsDataURL(blob);
    });
  }

  function sendPhoto(file) {
    var row = addRow("user", T.TEXTS[lang].photo);
    Promise.all([scaled(file, PHOTO_MAX_SIDE, 0.85), scaled(file, THUMB_SIDE, 0.7)])
      .then(function (blobs) {
        return dataUrl(blobs[1]).then(function (thumb) {
          if (thumb.indexOf("data:image/") === 0) { addPhoto(row, thumb); }
          remember({ k: "photo", t: thumb.indexOf("data:image/") === 0 ? thumb : "" });
          queue.push({ photo: blobs[0] });
          drain();
        });
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
  attachButton.addEventListener("click", function () { photoInput.click(); });
  photoInput.addEventListener("change", function () {
    var file = photoInput.files && photoInput.files[0];
    photoInput.value = "";
    if (file) { sendPhoto(file); }
  });

  // Pushes (notices, ticket updates) wait in the user's inbox: GET /api/updates, every few
  // seconds and when the tab comes back; `after` is the last sequence number shown. A
  // browser that never polled before shows what is already there as earlier notices.
  var POLL_MS = 5000;
  var seenText = storageGet(STORE_SEEN);
  var seen = parseInt(seenText || "0", 10) || 0;
  var firstPoll = seenText === null;
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
      var updates = data.updates || [];
      if (firstPoll && updates.length) {
        // Old pushes are history, not news: above the welcome, dated, buttons disabled.
        sink = document.createDocumentFragment();
        addDivider(T.TEXTS[lang].earlierPushes);
        updates.forEach(function (update, index) {
          addReply(update, { old: true, at: update.at });
          remember({ k: "bot", t: update.text || "", b: update.buttons || [],
            i: update.image || null, at: update.at || null }, index + 1);  // before the welcome
        });
        messages.insertBefore(sink, messages.firstChild);
        sink = null;
      } else {
        updates.forEach(function (update) { addReply(update, { at: update.at }); });
      }
      updates.forEach(function (update) { seen = Math.max(seen, update.seq); });
      if (data.last < seen) { seen = data.last; }  // the inbox expired and started over
      firstPoll = false;
      storageSet(STORE_SEEN, String(seen));
    }).catch(function () { /* offline: the next round tries again */ }).then(function () {
      polling = false;
    });
  }

  applyLanguage();
  restore();
  if (!history.length) {
    addRow("bot", T.TEXTS[lang].welcome);
    remember({ k: "bot", t: T.TEXTS[lang].welcome, b: [] });
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
  window.wuyeChat = { identity: identity, language: function () { return lang; } };
}());
