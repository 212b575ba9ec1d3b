// Issue 4 §8 (trace parts) and issue 5 §4 (worker crash), on the production build with the
// real worker, in the multi-tenant scenario the lab opens on.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { ping, selectByLabel, selectStep } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/trace-${name}.png`, fullPage: false });

const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { stdio: 'ignore' }).status === 0;

// No uncaught errors on the page, ever (the worker's simulated crash is the worker's, not the page's).
const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

async function openLab(page: Page, query = '') {
  // A taller bottom panel, as a user would drag it, so the timeline and inspector breathe.
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 380, bottom: 440 }));
  });
  await page.goto(`/?scenario=multi-tenant${query}`);
  await expect(page.getByTestId('trace-panel')).toBeVisible();
  await expect(page.getByTestId('trace-from').locator('option')).not.toHaveCount(0);
}

test('ping Contoso Web -> SQL: VXLAN step shows VNI 5001, the two PAs, and the VNI bytes highlight', async ({
  page,
}) => {
  await openLab(page);
  await shot(page, '0-opened');
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await shot(page, '1-contoso-delivered');

  await selectStep(page, /encapsulate in VXLAN/);
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByRole('tab', { name: 'Trace step' })).toHaveAttribute('aria-selected', 'true');
  const vni = inspector.locator('[data-field-key="vxlan.vni"]');
  await expect(vni).toContainText('5001');
  await expect(vni).toContainText('Contoso');
  const outerSrc = inspector.locator('[data-field-key="ip.src"]').first();
  const outerDst = inspector.locator('[data-field-key="ip.dst"]').first();
  await expect(outerSrc).toContainText('192.168.2.20');
  await expect(outerSrc).toContainText('PA of Host 2');
  await expect(outerDst).toContainText('192.168.1.10');
  await expect(outerDst).toContainText('PA of Host 1');

  await vni.hover();
  const offsets = await page
    .locator('[data-testid="hex-dump"] [data-highlighted="true"]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-offset'))));
  expect(offsets).toHaveLength(3);
  const hex = await page
    .locator('[data-testid="hex-dump"] [data-highlighted="true"]')
    .evaluateAll((els) => els.map((e) => e.textContent).join(''));
  expect(Number.parseInt(hex, 16)).toBe(5001);
  await shot(page, '2-contoso-vni');

  // A clicked field stays selected while stepping on (page-wide arrow keys).
  await vni.click();
  await expect(vni).toHaveAttribute('data-selected', 'true');
  await page.mouse.move(5, 5);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(inspector.locator('[data-field-key="vxlan.vni"][data-selected="true"]')).toBeVisible();
  await expect(page.locator('[data-testid="hex-dump"] [data-highlighted="true"]')).toHaveCount(3);

  // Keyboard: arrows step, space plays and pauses.
  const panel = page.getByTestId('trace-panel');
  const position = page.getByTestId('trace-position');
  const before = await position.textContent();
  await panel.locator('[data-selected="true"]').click();
  await page.keyboard.press('ArrowRight');
  await expect(position).not.toHaveText(before ?? '');
  await page.keyboard.press('ArrowLeft');
  await expect(position).toHaveText(before ?? '');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('trace-play')).toHaveAttribute('aria-label', 'Pause');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('trace-play')).toHaveAttribute('aria-label', 'Play');
});

test("Fabrikam's ping shows VNI 6001, with the same CAs", async ({ page }) => {
  await openLab(page);
  await ping(page, /^Fabrikam\/Web/, /^Fabrikam\/SQL/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await selectStep(page, /encapsulate in VXLAN/);
  const inspector = page.getByTestId('inspector');
  const vni = inspector.locator('[data-field-key="vxlan.vni"]');
  await expect(vni).toContainText('6001');
  await expect(vni).toContainText('Fabrikam');
  await expect(inspector.locator('[data-field-key="ip.dst"]').nth(1)).toContainText('10.1.1.11');
  await vni.hover();
  await shot(page, '3-fabrikam-vni');
});

test('export the trace as a pcap that tshark reads', async ({ page }, testInfo) => {
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('export-pcap').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('hnv-trace.pcap');
  const path = testInfo.outputPath('hnv-trace.pcap');
  await download.saveAs(path);
  const bytes = readFileSync(path);
  expect(bytes.readUInt32LE(0)).toBe(0xa1b2c3d4);
  if (hasTshark) {
    const out = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'vxlan.vni', '-e', 'ip.dst'], {
      encoding: 'utf8',
    });
    const vnis = out
      .split('\n')
      .map((l) => l.split('\t')[0])
      .filter(Boolean);
    expect(vnis).toContain('5001');
    expect(out).toContain('192.168.1.10');
  }
  await shot(page, '4-exported');
});

test('a worker crash restarts the engine, re-seeded: a notice, and nothing lost', async ({ page }) => {
  await openLab(page, '&testHooks');
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');

  await page.evaluate(() => window.__hnvEngine?.crash());
  const notice = page.getByTestId('engine-notice');
  await expect(notice).toContainText('The engine restarted; nothing was lost');
  await shot(page, '5-crash-notice');

  // The new worker holds the document: the same trace runs again, to the same result.
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await selectStep(page, /encapsulate in VXLAN/);
  await expect(page.getByTestId('inspector').locator('[data-field-key="vxlan.vni"]')).toContainText('5001');

  // A silent kill (no error event) is caught by the watchdog on the next call.
  // (The notice steps aside by itself after a while; dismiss it if it is still there.)
  const dismiss = notice.getByRole('button', { name: 'Dismiss' });
  if (await dismiss.isVisible()) await dismiss.click();
  await expect(notice).toHaveCount(0);
  await page.evaluate(() => window.__hnvEngine?.terminate());
  await selectByLabel(page, 'trace-from', /^Fabrikam\/Web/);
  await selectByLabel(page, 'trace-to', /^Fabrikam\/SQL/);
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toContainText('Delivered to Fabrikam/SQL', {
    timeout: 30_000,
  });
  await expect(notice).toContainText('nothing was lost', { timeout: 20_000 });
  expect(await page.evaluate(() => window.__hnvEngine?.status().restarts)).toBe(2);
  await shot(page, '6-recovered');
});

test('a ping to an IP nobody has is dropped, in red, with the reason', async ({ page }) => {
  await openLab(page);
  await selectByLabel(page, 'trace-from', /^Contoso\/Web/);
  await page.getByTestId('trace-to').selectOption('__ip__');
  await page.getByTestId('trace-to-ip').fill('10.1.1.99');
  await page.locator('[data-protocol="icmp"]').click();
  await page.getByTestId('trace-run').click();
  const verdict = page.getByTestId('trace-verdict');
  await expect(verdict).toHaveAttribute('data-outcome', 'dropped');
  await expect(verdict).toContainText('no lookup record for 10.1.1.99');
  const drop = page.locator('[data-kind="drop"]').first();
  await expect(drop).toHaveAttribute('data-dropped', 'true');
  await expect(drop).toHaveAttribute('data-selected', 'true');
  await expect(drop).toContainText('host agent');
  await shot(page, '7-dropped');
});

test("host tables: the policy store, VFP rules with origins, and the flow table's hits", async ({ page }) => {
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  // Slow path, then fast path: 10 more packets of the flow all hit the unified flow table.
  await page.getByTestId('send-more').click();
  await expect(page.getByTestId('send-counters')).toContainText('10 packets: 0 slow path, 10 fast path');
  await page.getByRole('tab', { name: 'Host tables' }).click();
  const tables = page.getByTestId('host-tables');
  await tables.getByTestId('tables-host').selectOption({ label: 'Host 2' });
  const records = tables.getByTestId('lookup-records');
  await expect(records).toContainText('10.1.1.11');
  await expect(records).toContainText('192.168.1.10');
  await expect(records).toContainText('5001');
  await expect(records).toContainText('6001');
  await shot(page, '8-tables-lookup');
  await tables.getByRole('tab', { name: 'VFP rules' }).click();
  await expect(tables.locator('[data-vfp-layer]').first()).toBeVisible();
  await expect(tables).toContainText('ca-pa-5001');
  await shot(page, '9-tables-vfp');
  await tables.getByRole('tab', { name: 'Flow tables' }).click();
  const flows = tables.getByTestId('flow-table');
  await expect(flows).toBeVisible();
  await expect(flows).toContainText(/(1[0-9]|[2-9][0-9]) hits/);
  await shot(page, '10-tables-flows');
  await tables.getByRole('tab', { name: 'ARP caches' }).click();
  await expect(tables).toContainText('10.1.1.11');
  // Host 2's PA compartment learnt its gateway by ARP on the physical link.
  await expect(tables.getByTestId('pa-arp-cache')).toContainText('192.168.2.1');
  await shot(page, '10b-tables-arp');
  // Traced again, the echo request takes the fast path, and the timeline says so.
  await page.getByTestId('trace-run').click();
  await expect(page.locator('[data-kind="packet"] [data-path="fast"]').first()).toBeVisible();
  await shot(page, '12-fast-path');
});

test('the first tunnel packet ARPs for its PA next hop on the physical link', async ({ page }) => {
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  // The PA ARP exchange is detail: open the echo request to all its steps.
  await page
    .locator('li[data-kind="packet"]', { hasText: /ICMP echo request/ })
    .getByTestId('packet-detail')
    .click();
  const who = page.locator('[data-kind="hop"]', {
    hasText: /ARP on 'PA Subnet 2': Host 2 asks who has 192\.168\.2\.1/,
  });
  await who.first().click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.locator('[data-field-key="vlan.id"]').first()).toContainText('20');
  await expect(inspector.locator('[data-field-key="arp.src.proto_ipv4"]').first()).toContainText(
    '192.168.2.20',
  );
  await expect(inspector).toContainText('No envelope: a frame of the physical network itself');
  await shot(page, '13-pa-arp');
  // The next step of the packet shows the tunnel packet again, not the ARP answer.
  await page
    .locator('[data-kind="lookup"]', { hasText: /PA next hop 192\.168\.2\.1 .*resolved by ARP/ })
    .first()
    .click();
  await expect(inspector.locator('[data-field-key="vxlan.vni"]').first()).toBeVisible();
});

test('dark theme: the trace and the inspector stay readable', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('hnv-theme', 'dark'));
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  // The router step: outer TTL and MACs change, the inspector diff says so.
  const routed = page.locator('[data-kind="action"]', { hasText: /routes: outer TTL/ }).first();
  await routed.click();
  const diff = page.getByTestId('diff');
  await expect(diff).toContainText('TTL');
  await expect(diff).toContainText('64 → 63');
  await page.getByTestId('inspector').locator('[data-field-key="ip.ttl"]').first().hover();
  await shot(page, '11-dark-router-diff');
});

test('a scenario switch starts clean: the first trace has no control-plane steps from the last scenario', async ({
  page,
}) => {
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('routing-domains');
  await expect(page.getByTestId('trace-from').locator('option', { hasText: 'Contoso/Dev1' })).not.toHaveCount(
    0,
  );
  await ping(page, /^Contoso\/Dev1/, /^Contoso\/Build/);
  await expect(page.getByTestId('trace-verdict')).toContainText('Delivered');
  await expect(page.locator('[data-kind="control-plane"]')).toHaveCount(0);
  await expect(page.getByTestId('trace-panel')).not.toContainText('6001');
  // Switching back starts clean too.
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('multi-tenant');
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await expect(page.locator('[data-kind="control-plane"]')).toHaveCount(0);
});

test('after an edit the old verdict is marked outdated, and one click runs the same packet again', async ({
  page,
}) => {
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  const verdict = page.getByTestId('trace-verdict');
  await expect(verdict).toHaveAttribute('data-stale', 'false');
  await selectStep(page, /encapsulate in VXLAN/);
  await expect(page.locator('[data-field-key="vxlan.vni"]')).toContainText('5001');

  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('article', { name: 'Virtual subnet Contoso Subnet' }).click();
  await page.getByRole('textbox', { name: 'VSID' }).fill('7777');
  await expect(verdict).toHaveAttribute('data-stale', 'true');
  await expect(page.getByTestId('trace-stale')).toContainText('Outdated');
  await shot(page, 'stale-verdict');

  await page.getByTestId('trace-rerun').click();
  await expect(verdict).toHaveAttribute('data-stale', 'false');
  await expect(page.getByTestId('trace-stale')).toHaveCount(0);
  await selectStep(page, /encapsulate in VXLAN/);
  await expect(page.locator('[data-field-key="vxlan.vni"]')).toContainText('7777');
});
