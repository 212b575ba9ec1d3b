// HNV Lab service worker: after the first visit the lab runs offline.
// Generated for each build by scripts/vite/plugins.ts, which fills in BUILD and PRECACHE:
// the build's id and the exact files of its app shell (the page, every emitted chunk, the
// engine worker, the style sheet, the public files). It caches those files and nothing else,
// in a cache named after the build; activating a new build deletes the caches of older ones.
// - Navigations go to the network first (so a new build's page is seen, and with it a new
//   sw.js) and fall back to the precached page when offline. A navigation is never written
//   to the cache: opening /favicon.svg directly cannot replace the shell.
// - Any other request for a precached file is answered from the cache; everything else goes
//   to the network untouched.
// It only ever touches this origin: the lab makes no request anywhere else.
const BUILD = __BUILD_ID__;
const PRECACHE = __PRECACHE__;
const PREFIX = 'hnv-lab-';
const CACHE = `${PREFIX}${BUILD}`;
const SCOPE = new URL(self.registration.scope);
const SHELL = new URL('./', SCOPE).href;
const precached = new Set(PRECACHE.map((path) => new URL(path, SCOPE).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // All or nothing: a half-cached build must not become the offline shell.
      await cache.addAll([...precached].map((href) => new Request(href, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

/** The cached response for a precached URL (query and fragment ignored), or undefined. */
async function fromCache(u) {
  const href = `${u.origin}${u.pathname}`;
  if (!precached.has(href)) return undefined;
  const cache = await caches.open(CACHE);
  return cache.match(href);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const u = new URL(request.url);
  if (u.origin !== SCOPE.origin) return;

  if (request.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          return await fetch(request);
        } catch {
          // Offline: a precached file opened directly is itself; any other page is the lab.
          const cache = await caches.open(CACHE);
          return (await fromCache(u)) ?? (await cache.match(SHELL)) ?? Response.error();
        }
      })(),
    );
    return;
  }

  const href = `${u.origin}${u.pathname}`;
  if (!precached.has(href)) return;
  event.respondWith(
    (async () => {
      const hit = await fromCache(u);
      return hit ?? fetch(request);
    })(),
  );
});
