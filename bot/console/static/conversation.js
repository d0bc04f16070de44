// One conversation, live: Server-Sent Events say "it moved", the API gives the lines.
"use strict";
(function () {
  const root = document.querySelector("[data-conversation]");
  if (!root) return;
  const id = Number(root.dataset.conversation);
  const list = document.getElementById("messages");
  const form = document.getElementById("reply-form");
  const STATUS = { waiting: "待接待", open: "接待中", closed: "已结束" };
  const DELIVERY = { received: "已收到", pending: "待发送", sending: "发送中", sent: "已送达",
                     failed: "发送失败", blocked: "对方不可达", skipped: "未发送", none: "" };

  function line(m) {
    const li = document.createElement("li");
    li.className = "msg from-" + m.from;
    li.dataset.id = m.id;
    const bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.textContent = m.text;
    if (m.media) {
      const img = document.createElement("img");
      img.src = m.media.url; img.alt = "图片"; img.className = "thumb";
      bubble.appendChild(document.createElement("br"));
      bubble.appendChild(img);
    }
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = m.at.slice(11, 16) + " · " + (DELIVERY[m.delivery] ?? m.delivery);
    li.append(bubble, meta);
    return li;
  }

  async function refresh() {
    const result = await window.wuye.api("GET", "/conversations/" + id);
    if (!result.ok) return;
    const c = result.data;
    list.replaceChildren(...c.messages.map(line));
    list.scrollTop = list.scrollHeight;
    document.getElementById("status-badge").textContent = STATUS[c.status];
    document.getElementById("status-badge").className = "badge " + c.status;
    document.getElementById("assignee").textContent = c.assignee ? c.assignee.name : "未分配";
    root.dataset.status = c.status;
    form.hidden = c.status === "closed";
    document.getElementById("close-conversation").hidden = c.status === "closed";
  }

  async function send(text) {
    const result = await window.wuye.api("POST", "/conversations/" + id + "/messages", { text });
    if (!result.ok) { alert(result.data.message || "发送失败"); return false; }
    await refresh();
    return true;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = form.text.value.trim();
    if (text && await send(text)) form.text.value = "";
  });
  form.text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.getElementById("close-conversation").addEventListener("click", async () => {
    if (!confirm("结束会话？业主将回到智能助手。")) return;
    await window.wuye.api("POST", "/conversations/" + id + "/close");
    await refresh();
  });

  async function helpers() {
    const result = await window.wuye.api("GET", "/conversations/helpers");
    if (!result.ok) return;
    const canned = document.getElementById("canned");
    for (const item of result.data.canned_replies) canned.add(new Option(item.title, item.text));
    canned.addEventListener("change", () => {
      if (canned.value) form.text.value = canned.value;
      canned.selectedIndex = 0;
      form.text.focus();
    });
    const assign = document.getElementById("assign-to");
    for (const s of result.data.colleagues) assign.add(new Option(s.name, s.id));
    assign.addEventListener("change", async () => {
      if (!assign.value) return;
      await window.wuye.api("POST", "/conversations/" + id + "/assign", { staff_id: Number(assign.value) });
      assign.selectedIndex = 0;
      await refresh();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    list.scrollTop = list.scrollHeight;
    helpers();
    const events = new EventSource("/console/events");
    events.addEventListener("conversation", (event) => {
      if (JSON.parse(event.data).conversation_id === id) refresh();
    });
    events.addEventListener("tick", refresh);
    window.wuyeLive = events;
  });
})();
