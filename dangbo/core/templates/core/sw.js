/* Đảng bộ số service worker (served at /sw.js by core.views_notifications.service_worker).
   It shows the Web Push messages the server sends (core.push) and opens their link when tapped.
   It caches nothing: every page is read from the server, so nobody sees another user's data offline. */
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data.text() }; }
  const url = new URL(data.url || "/", self.location.origin);
  const link = url.origin === self.location.origin ? url.href : self.location.origin + "/";
  event.waitUntil(self.registration.showNotification(data.title || "Đảng bộ số", {
    body: data.body || "",
    icon: "{% load static %}{% static 'core/favicon.svg' %}",
    lang: "vi",
    data: { url: link },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((wins) => {
    for (const w of wins) {
      if (w.url === url && "focus" in w) return w.focus();
    }
    return self.clients.openWindow(url);
  }));
});
