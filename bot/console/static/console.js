// 物业管家 console: small helpers, no framework, no build step.
"use strict";
(function () {
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // Call the console API: JSON in and out, the CSRF header on every change.
  async function api(method, path, body) {
    const headers = { "Accept": "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = csrf();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch("/console/api" + path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (response.status === 401 && !location.pathname.startsWith("/console/login")) {
      location.href = "/console/login?next=" + encodeURIComponent(location.pathname + location.search);
    }
    return { status: response.status, ok: response.ok, data };
  }

  function onLogin(form) {
    const error = form.querySelector(".error");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      error.hidden = true;
      const result = await api("POST", "/login", {
        phone: form.phone.value.trim(), password: form.password.value,
      });
      button.disabled = false;
      if (result.ok) { location.href = form.dataset.next || "/console/"; return; }
      error.textContent = result.data.message || "登录失败";
      error.hidden = false;
    });
  }

  // Finance staff's refund form (the payments page): the API answers the refund's state.
  function onRefund(form) {
    const error = form.querySelector(".error");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.hidden = true;
      const ids = form.bill_ids.value.split(",").map((x) => parseInt(x, 10)).filter((x) => x > 0);
      const result = await api("POST", "/payments/refunds", {
        reference: form.reference.value.trim(), amount: form.amount.value.trim() || null,
        reason: form.reason.value.trim(), bill_ids: ids,
      });
      if (result.ok) { location.reload(); return; }
      error.textContent = result.data.message || "退款失败";
      error.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("login-form");
    if (form) onLogin(form);
    const refund = document.getElementById("refund-form");
    if (refund) onRefund(refund);
    document.querySelectorAll('[data-action="logout"]').forEach((button) => {
      button.addEventListener("click", async () => {
        await api("POST", "/logout");
        location.href = "/console/login";
      });
    });
  });

  window.wuye = { api, csrf };
})();
