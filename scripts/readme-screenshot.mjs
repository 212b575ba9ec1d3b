// Refreshes docs/screenshot.png, the README's picture: the multi-tenant scenario after a
// Contoso/Web -> Contoso/SQL ping, the VXLAN step selected in the inspector and its VNI
// field lit in the hex dump. 1440×900, light theme, Debian's chromium, the production build.
//
//   node scripts/readme-screenshot.mjs            # builds, serves on 4390, shoots, compresses
//   node scripts/readme-screenshot.mjs --no-build # reuse dist/
//   DIST=/tmp/shot node scripts/readme-screenshot.mjs  # build and serve elsewhere
//
// Compression uses pngquant (apt-get install pngquant) when it is there, else optipng.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'screenshot.png');
const port = Number(process.env.PORT ?? 4390);
// DIST=/tmp/somewhere builds and serves there, leaving dist/ to whoever else uses it.
const dist = process.env.DIST ? ['--outDir', process.env.DIST] : [];
const base = `http://127.0.0.1:${port}`;

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

if (!process.argv.includes('--no-build')) run('npx', ['vite', 'build', ...dist, '--emptyOutDir']);
const server = spawn('npx', ['vite', 'preview', ...dist, '--port', String(port), '--strictPort'], {
  cwd: root,
  stdio: 'ignore',
  detached: true,
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  await waitFor(base, 30_000);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(() => {
    localStorage.setItem('hnv-theme', 'light');
    localStorage.removeItem('hnv-panels');
  });
  await page.goto(`${base}/?scenario=multi-tenant`);
  const pick = async (testId, label) => {
    const select = page.getByTestId(testId);
    await select.locator('option').first().waitFor({ state: 'attached' });
    const value = await select
      .locator('option')
      .evaluateAll(
        (opts, text) => opts.find((o) => (o.textContent ?? '').startsWith(text))?.value ?? '',
        label,
      );
    await select.selectOption(value);
  };
  await pick('trace-from', 'Contoso/Web');
  await pick('trace-to', 'Contoso/SQL');
  await page.locator('[data-protocol="icmp"]').click();
  await page.getByTestId('trace-run').click();
  await page.getByTestId('trace-verdict').waitFor();
  await page
    .locator('[data-kind="action"]', { hasText: /encapsulate in VXLAN/ })
    .first()
    .click();
  const vni = page.getByTestId('inspector').locator('[data-field-key="vxlan.vni"]');
  await vni.scrollIntoViewIfNeeded();
  await vni.hover();
  await page.waitForTimeout(300);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
} finally {
  await browser.close();
  process.kill(-server.pid);
}

if (has('pngquant'))
  run('pngquant', ['--force', '--skip-if-larger', '--quality=70-90', '--output', out, out]);
else if (has('optipng')) run('optipng', ['-quiet', '-o2', out]);
console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} KB)`);
