// Installable and offline: the web manifest and the hand-written service worker in
// public/sw.js. Registered only in production builds (a dev server's modules would be
// cached and go stale).

function ensureManifestLink(): void {
  if (document.querySelector('link[rel="manifest"]')) return;
  const link = document.createElement('link');
  link.rel = 'manifest';
  link.href = `${import.meta.env.BASE_URL}manifest.webmanifest`;
  document.head.append(link);
  if (!document.querySelector('meta[name="theme-color"]')) {
    const meta = document.createElement('meta');
    meta.name = 'theme-color';
    meta.content = '#0f172a';
    document.head.append(meta);
  }
}

/** The same-origin files this page loaded before the service worker controlled it. */
function loadedAssets(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((name) => name.startsWith(location.origin));
}

export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (typeof window === 'undefined') return null;
  ensureManifestLink();
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return null;
  try {
    const registration = await navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, {
      scope: import.meta.env.BASE_URL,
    });
    const ready = await navigator.serviceWorker.ready;
    ready.active?.postMessage({ type: 'hnv-precache', urls: loadedAssets() });
    return registration;
  } catch {
    // No service worker (private mode, file://): the lab still works online.
    return null;
  }
}
