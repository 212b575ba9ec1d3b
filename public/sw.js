// HNV Lab service worker: after the first visit the lab runs offline.
// Hand-written (no build plugin): it reads the built index.html and follows the /assets/
// files it references (and those they reference: lazy chunks, the engine worker, CSS)
// into the cache, on install and again after every online navigation (so a new build is
// cached whole and the old build's files are dropped). Navigations are network-first
// with the cached page as the fallback; hashed /assets/ files are cache-first.
// It only ever touches this origin: the lab makes no request anywhere else.
const CACHE = 'hnv-lab-v1';
const SCOPE = new URL(self.registration.scope);
const SHELL = [
  './',
  'manifest.webmanifest',
  'favicon.svg',
  'icons/icon.svg',
  'icons/icon-192.png',
  'icons/icon-512.png',
];
const ASSET_REF = /(?:\.\/|\/)?assets\/[\w.-]+\.(?:js|css|wasm|svg|png|woff2?|json)/g;

const url = (path) => new URL(path, SCOPE).href;
const isAsset = (u) => u.origin === SCOPE.origin && u.pathname.startsWith(`${SCOPE.pathname}assets/`);

async function put(cache, href) {
  const response = await fetch(href, { cache: 'no-cache' });
  if (response.ok) await cache.put(href, response.clone());
  return response;
}

/**
 * Make sure every built asset reachable from this index.html is cached (following the
 * references inside JS and CSS: lazy chunks, the engine worker). Returns the reachable
 * set and whether every one of them could be read.
 */
async function crawl(cache, html) {
  const reachable = new Set();
  const queue = [];
  const visit = (text) => {
    for (const match of text.matchAll(ASSET_REF)) {
      const href = url(match[0].replace(/^\.?\//, ''));
      if (!reachable.has(href)) {
        reachable.add(href);
        queue.push(href);
      }
    }
  };
  visit(html);
  let complete = true;
  while (queue.length) {
    const href = queue.shift();
    try {
      const response = (await cache.match(href)) ?? (await put(cache, href));
      if (!response.ok) complete = false;
      else if (/\.(js|css)$/.test(href)) visit(await response.clone().text());
    } catch {
      complete = false; // Offline: it is fetched (and cached) on first use instead.
    }
  }
  return { reachable, complete };
}

/** Forget the assets of older builds, once the current one is fully cached. */
async function prune(cache, reachable) {
  for (const request of await cache.keys()) {
    if (isAsset(new URL(request.url)) && !reachable.has(request.url)) await cache.delete(request);
  }
}

async function precache() {
  const cache = await caches.open(CACHE);
  for (const path of SHELL) {
    try {
      const response = await put(cache, url(path));
      if (path === './' && response.ok) await crawl(cache, await response.clone().text());
    } catch {
      // Offline during install: what is cached stays.
    }
  }
}

async function refresh(html) {
  const cache = await caches.open(CACHE);
  const { reachable, complete } = await crawl(cache, html);
  if (complete) await prune(cache, reachable);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

// The page may name resources it loaded before this worker controlled it.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (data?.type !== 'hnv-precache' || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const href of data.urls) {
        const u = new URL(href, SCOPE);
        if (u.origin !== SCOPE.origin || !isAsset(u) || (await cache.match(u.href))) continue;
        try {
          await put(cache, u.href);
        } catch {
          // Ignore: offline or gone.
        }
      }
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const u = new URL(request.url);
  if (u.origin !== SCOPE.origin) return;

  if (request.mode === 'navigate') {
    // Network first, so a new build is picked up; the cached shell when offline.
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const response = await fetch(request);
          if (response.ok) {
            await cache.put(url('./'), response.clone());
            // A new build brings new hashed assets: cache them now, drop the old ones.
            event.waitUntil(response.clone().text().then(refresh));
          }
          return response;
        } catch {
          return (await cache.match(url('./'))) ?? Response.error();
        }
      })(),
    );
    return;
  }

  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const key = u.href.split('#')[0];
      if (isAsset(u)) {
        const hit = await cache.match(key);
        if (hit) return hit;
      }
      try {
        const response = await fetch(request);
        if (response.ok && response.type === 'basic') await cache.put(key, response.clone());
        return response;
      } catch {
        return (await cache.match(key, { ignoreSearch: true })) ?? Response.error();
      }
    })(),
  );
});
