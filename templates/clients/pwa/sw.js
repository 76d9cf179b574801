{# The studio's service worker keeps the offline shell and its static files and nothing else: pages someone is logged in to always come from the network. #}const CACHE = "{{ cache }}", SHELL = "{{ shell }}", FILES = {{ assets|safe }};
addEventListener("install", (e) => e.waitUntil(caches.open(CACHE)
  .then((c) => c.addAll(FILES.map((u) => new Request(u, { credentials: "omit" })))).then(() => skipWaiting())));
addEventListener("activate", (e) => e.waitUntil(caches.keys()
  .then((keys) => Promise.all(keys.filter((k) => k != CACHE).map((k) => caches.delete(k)))).then(() => clients.claim())));
addEventListener("fetch", (e) => {
  const r = e.request;
  if (r.method != "GET" || !r.url.startsWith(location.origin)) return;
  if (r.mode == "navigate") e.respondWith(fetch(r).catch(() => caches.match(SHELL)));
  else if (FILES.includes(new URL(r.url).pathname)) e.respondWith(caches.match(r, { ignoreVary: true }).then((hit) => hit || fetch(r)));
});
