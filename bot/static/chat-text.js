// 物业管家 web chat: pure helpers (no DOM state): language, links and phone numbers, times.
(function (global) {
  "use strict";

  var TEXTS = {
    zh: {
      title: "物业管家",
      welcome: "您好！我是物业管家。请直接输入您的问题，例如“物业费还欠多少”“卫生间漏水了”，也可以点左下角的相机发照片，或发送“菜单”。",
      placeholder: "请输入消息…", send: "发送", attach: "发送图片", online: "在线",
      earlier: "以上是之前的消息", earlierPushes: "之前的通知",
      photoFailed: "图片没有发出去，请稍后再试。", photoTooBig: "图片太大了，请换一张小一点的。",
      notImage: "只能发送图片（JPG、PNG、WebP、HEIC）。", photo: "[图片]",
      errors: { 400: "消息格式有误，请重新输入。", 401: "请使用物业发给您的专属链接打开本页面。",
        413: "消息太长了，请简要描述或分几条发送。" },
      unavailable: "服务暂时不可用，请稍后再试。", offline: "网络连接异常，请稍后再试。"
    },
    en: {
      title: "物业管家 · Property assistant",
      welcome: "Hello! I'm your property assistant. Ask me anything, e.g. \"how much do I owe\" or \"my bathroom is leaking\"; tap the camera to send a photo, or type \"menu\".",
      placeholder: "Type a message…", send: "Send", attach: "Send a photo", online: "online",
      earlier: "Earlier messages", earlierPushes: "Earlier notices",
      photoFailed: "The photo was not sent, please try again later.",
      photoTooBig: "That photo is too large, please pick a smaller one.",
      notImage: "Only images can be sent (JPG, PNG, WebP, HEIC).", photo: "[photo]",
      errors: { 400: "That message could not be read, please type it again.",
        401: "Please open this page with the link your property office sent you.",
        413: "That message is too long, please split it up." },
      unavailable: "The service is unavailable right now, please try again later.",
      offline: "No connection, please try again later."
    }
  };

  function pickLanguage(search, languages, stored) {
    // ?lang= wins, then what this browser chose before, then the browser's own languages.
    var forced = new URLSearchParams(search || "").get("lang");
    if (forced === "en" || forced === "zh") { return forced; }
    if (stored === "en" || stored === "zh") { return stored; }
    for (var i = 0; i < (languages || []).length; i++) {
      var tag = String(languages[i]).toLowerCase();
      if (tag.indexOf("zh") === 0) { return "zh"; }
      if (tag.indexOf("en") === 0) { return "en"; }
    }
    return "zh";
  }

  function languageOf(text) {
    // What the owner typed decides the language from then on; Latin-only noise does not.
    if (/[\u3400-\u9fff]/.test(text)) { return "zh"; }
    var words = (text.match(/[A-Za-z]{2,}/g) || []);
    return words.length >= 2 ? "en" : null;
  }

  // http(s) links; mobiles (138 1234 5678 written any way), Beijing landlines, 400/800 lines,
  // and short service numbers only where a word says they are numbers to call.
  var URL_RE = /https?:\/\/[^\s<>"'，。！？、；：）】」]+[^\s<>"'，。！？、；：）】」.,;:!?)]/;
  var MOBILE_RE = /(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}/;
  var LANDLINE_RE = /(?:010|0\d{2,3})[\s-]?\d{7,8}|[48]00[\s-]?\d{3}[\s-]?\d{4}/;
  var SHORT_RE = /(?:拨打|请打|打|电话|热线|致电|急救|报警|火警|call|dial|phone)[^\d\n，。,.;；]{0,8}?(?:1[12][0-9]|12345|96\d{3})/i;
  var ANY_RE = new RegExp([URL_RE.source, MOBILE_RE.source, LANDLINE_RE.source,
    SHORT_RE.source].join("|"), "gi");

  function tokens(text) {
    // [{text}] pieces and [{text, href}] links, in order; never markup.
    var out = [], last = 0, m;
    ANY_RE.lastIndex = 0;
    while ((m = ANY_RE.exec(text)) !== null) {
      var match = m[0], start = m.index, href = null, shown = match;
      var before = start > 0 ? text.charAt(start - 1) : "";
      var after = text.charAt(start + match.length);
      if (/^https?:/i.test(match)) {
        href = match;
      } else if (/\d/.test(before) || /\d/.test(after) || after === "*" || before === "*") {
        href = null;  // part of a longer number, an amount or a masked phone: leave it
      } else {
        var lead = match.match(/^\D*/)[0];  // 拨打 / call: keep the word as text
        if (lead) { out.push({ text: text.slice(last, start) + lead }); last = start + lead.length;
          start += lead.length; shown = match.slice(lead.length); }
        href = "tel:" + shown.replace(/[^\d+]/g, "");
      }
      if (!href) { continue; }
      if (start > last) { out.push({ text: text.slice(last, start) }); }
      out.push({ text: shown, href: href });
      last = start + shown.length;
    }
    if (last < text.length) { out.push({ text: text.slice(last) }); }
    return out;
  }

  function beijing(date) {
    // Times are the community's (Beijing), whatever zone the browser is set to.
    var parts = {};
    new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", year: "numeric",
      month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false })
      .formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return parts;
  }

  function timeLabel(iso, lang, now) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return ""; }
    var p = beijing(d), today = beijing(now || new Date());
    var hm = p.hour + ":" + p.minute;
    if (p.year === today.year && p.month === today.month && p.day === today.day) { return hm; }
    return lang === "en" ? p.month + "/" + p.day + " " + hm : p.month + "月" + p.day + "日 " + hm;
  }

  global.WuyeText = { TEXTS: TEXTS, pickLanguage: pickLanguage, languageOf: languageOf,
    tokens: tokens, timeLabel: timeLabel };
}(window));
