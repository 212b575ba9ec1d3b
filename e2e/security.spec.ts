// Security posture: the strict Content-Security-Policy of the built app, and a service worker
// that caches only the app shell of its own build.
import { expect, type Page, test } from '@playwright/test';
import { ping } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/security-${name}.png` });

/** Every CSP violation the page reports (its securitypolicyviolation events and console). */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as { __csp?: string[] }).__csp = list;
    document.addEventListener('securitypolicyviolation', (e) =>
      list.push(`${e.effectiveDirective}: ${e.blockedURI}`),
    );
  });
  return async () => [...seen, ...(await page.evaluate(() => (window as { __csp?: string[] }).__csp ?? []))];
}

async function openLab(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'File' })).toBeVisible();
}

test('the lab runs under a strict CSP: no inline script, no eval, the engine worker answers', async ({
  page,
}) => {
  const violations = await recordViolations(page);
  const response = await page.goto('/');
  const header = (await response?.allHeaders())?.['content-security-policy'] ?? '';
  expect(header).toContain("script-src 'self'");
  expect(header).toContain("object-src 'none'");
  expect(header).toContain("frame-ancestors 'none'");
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toContain("script-src 'self'");
  expect(meta).toContain("connect-src 'self'");
  expect(meta).toContain("worker-src 'self'");
  expect(meta).toContain("base-uri 'none'");
  expect(meta).not.toContain('unsafe-eval');
  // The build emits no inline script for the policy to have to allow.
  expect(await page.locator('script:not([src])').count()).toBe(0);

  await expect(page.getByRole('button', { name: 'File' })).toBeVisible();
  await ping(page, /Contoso\/Web/, /Contoso\/SQL/);
  await expect(page.getByTestId('trace-verdict')).toContainText('Delivered');
  await expect(page.getByRole('button', { name: /valid|problem/ })).toBeVisible();
  // The worker script itself is served under the policy (a meta tag does not reach workers).
  const worker = await page.request.get(
    await page.evaluate(
      () =>
        performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .find((n) => /engine\.worker-.*\.js$/.test(n)) ?? '',
    ),
  );
  expect(worker.headers()['content-security-policy']).toContain("script-src 'self'");
  await shot(page, 'trace-under-csp');
  expect(await violations()).toEqual([]);
});

test('an injected inline script and eval are blocked and reported', async ({ page }) => {
  await openLab(page);
  const outcome = await page.evaluate(async () => {
    const reported = new Promise<string>((resolve) =>
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), {
        once: true,
      }),
    );
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.append(script);
    const directive = await reported;
    let evalResult = 'ran';
    try {
      new Function('return 1 + 1')();
    } catch (e) {
      evalResult = (e as Error).name;
    }
    return { ran: (window as { __injected?: boolean }).__injected === true, directive, evalResult };
  });
  expect(outcome.ran).toBe(false);
  expect(outcome.directive).toBe('script-src-elem');
  expect(outcome.evalResult).toBe('EvalError');
});

test('opening /favicon.svg or the manifest directly does not replace the offline shell', async ({
  page,
  context,
}) => {
  await openLab(page);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 30_000,
  });
  const cached = () =>
    page.evaluate(async () => {
      const keys = await caches.keys();
      const entries: string[] = [];
      for (const key of keys) {
        for (const r of await (await caches.open(key)).keys()) entries.push(new URL(r.url).pathname);
      }
      const shell = await (await caches.match('/'))?.text();
      return { keys, entries: entries.sort(), shellIsThePage: shell?.includes('<div id="root">') ?? false };
    });
  const before = await cached();
  expect(before.keys).toHaveLength(1);
  expect(before.keys[0]).toMatch(/^hnv-lab-[0-9a-f]{16}$/);
  expect(before.entries).toContain('/');
  expect(before.entries.some((p) => /\/assets\/engine\.worker-.*\.js$/.test(p))).toBe(true);

  await page.goto('/favicon.svg');
  await page.goto('/manifest.webmanifest');
  // Nothing was added, replaced or dropped: the cache holds exactly the build's precache list.
  expect(before.shellIsThePage).toBe(true);
  expect(await cached()).toEqual(before);

  await context.setOffline(true);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'HNV Lab' })).toBeVisible();
  await ping(page, /Contoso\/Web/, /Contoso\/SQL/);
  await expect(page.getByTestId('trace-verdict')).toContainText('Delivered');
  // Offline, a precached file opened directly is still itself, and any other page is the lab.
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'HNV Lab' })).toBeVisible();
  await shot(page, 'offline-after-favicon');
  await context.setOffline(false);
});
