/* The site as a phone app: registers the service worker (/sw.js) on every page, and on the notifications
   page lets the user turn Web Push on or off for this device (the card [data-push]). */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  const registered = navigator.serviceWorker.register("/sw.js", { scope: "/" });

  function csrf() {
    // base.html gives HTMX the token on <body hx-headers>; the same token serves these two posts.
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function keyBytes(b64) {
    const s = atob((b64 + "=".repeat((4 - b64.length % 4) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  }
  function b64(buf) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(buf))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function post(url, sub) {
    const body = new FormData();
    body.append("endpoint", sub.endpoint);
    if (sub.getKey) {
      body.append("p256dh", b64(sub.getKey("p256dh")));
      body.append("auth", b64(sub.getKey("auth")));
    }
    return fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then((r) => r.json());
  }

  document.addEventListener("DOMContentLoaded", function () {
    const card = document.querySelector("[data-push]");
    if (!card) return;
    const on = card.querySelector("[data-push-on]");
    const off = card.querySelector("[data-push-off]");
    const status = card.querySelector("[data-push-status]");
    function say(text) { status.textContent = text; }
    if (!("PushManager" in window) || !("Notification" in window)) {
      say(card.dataset.unsupported);
      on.disabled = true;
      return;
    }
    registered.then((reg) => reg.pushManager.getSubscription()).then((sub) => {
      on.hidden = !!sub;
      off.hidden = !sub;
    }).catch(() => {});
    on.addEventListener("click", function () {
      Notification.requestPermission().then((perm) => {
        if (perm !== "granted") { say(card.dataset.denied); return null; }
        return registered.then((reg) => reg.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(card.dataset.key),
        })).then((sub) => post(card.dataset.subscribe, sub)).then((res) => {
          say(res.message || res.error || "");
          on.hidden = !!res.ok;
          off.hidden = !res.ok;
        });
      }).catch(() => say(card.dataset.failed));
    });
    off.addEventListener("click", function () {
      registered.then((reg) => reg.pushManager.getSubscription()).then((sub) => {
        if (!sub) return null;
        return post(card.dataset.unsubscribe, sub).then((res) => sub.unsubscribe().then(() => {
          say(res.message || "");
          on.hidden = false;
          off.hidden = true;
        }));
      }).catch(() => say(card.dataset.failed));
    });
  });
})();
