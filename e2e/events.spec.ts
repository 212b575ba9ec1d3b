// Issue 11, the trace as Packet Tracer's simulation mode shows it: an event list with columns,
// a summary level, filters, packets that fold and open to every step, play walking the rows
// shown, a what-if before/after an edit, and a trace pane that keeps its size. In the words
// of a newcomer. Screenshots go to artifacts/screenshots (never committed); they were looked at.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { ping } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/events-${name}.png` });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

async function openLab(page: Page) {
  await page.goto('/?scenario=multi-tenant');
  await expect(page.getByTestId('trace-from').locator('option')).not.toHaveCount(0);
}

const list = (page: Page) => page.getByTestId('trace-steps');
/** The event rows (not the packets' header rows). */
const eventRows = (page: Page) => list(page).locator('li:not([data-kind="packet"])');
const packetRow = (page: Page, label: RegExp) =>
  list(page).locator('li[data-kind="packet"]', { hasText: label });

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  expect(b, 'on screen').not.toBeNull();
  return b as { x: number; y: number; width: number; height: number };
}

for (const [width, height] of [
  [1280, 800],
  [1440, 900],
] as const) {
  test(`at ${width}x${height} the summary shows about a dozen steps, with room to read them`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height });
    await openLab(page);
    await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
    await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');

    // The columns, as Packet Tracer's event list has them.
    const header = page.getByTestId('event-list').locator('div').first();
    for (const column of ['Step', 'From', 'At', 'What', 'Layer']) await expect(header).toContainText(column);
    await expect(page.locator('[data-level="summary"]')).toHaveAttribute('aria-pressed', 'true');

    // About a dozen steps: the VM's ARP answered by the host agent, then the request end to end.
    const count = await eventRows(page).count();
    expect(count).toBeGreaterThanOrEqual(10);
    expect(count).toBeLessThanOrEqual(14);
    for (const what of [
      /host agent: 10\.1\.1\.11 @ VSID 5001/,
      /UFT miss on port Contoso\/Web: slow path/,
      /lookup record 10\.1\.1\.11 @ VSID 5001 -> PA 192\.168\.1\.10/,
      /encapsulate in VXLAN VNI 5001/,
      /PA next hop 192\.168\.2\.1/,
      /L3 Router routes/,
      /Host 1 receives on its uplink/,
      /decapsulate/,
      /delivered to Contoso\/SQL/,
    ])
      await expect(eventRows(page).filter({ hasText: what })).toHaveCount(1);
    // The router's row says where the packet came from and where it is.
    const routed = eventRows(page).filter({ hasText: /L3 Router routes/ });
    await expect(routed).toContainText('PA Subnet 2');
    await expect(routed).toContainText('PA network');
    // The reply is there, folded to its header row.
    const reply = packetRow(page, /ICMP echo reply/);
    await expect(reply).toHaveAttribute('data-mode', 'collapsed');
    const backToWeb = eventRows(page).filter({ hasText: /delivered to Contoso\/Web on Host 2/ });
    await expect(backToWeb).toHaveCount(1); // the ARP answer
    await reply.getByRole('button', { name: /^Open ICMP echo reply/ }).click();
    await expect(backToWeb).toHaveCount(2); // and the reply
    await reply.getByRole('button', { name: /^Fold ICMP echo reply/ }).click();

    // Readable: the canvas keeps more than half the height, and at least six rows show at once.
    const canvas = await box(page.getByTestId('canvas'));
    expect(canvas.height).toBeGreaterThanOrEqual(height * 0.5);
    const listBox = await box(list(page));
    const inView = await list(page)
      .locator('li')
      .evaluateAll(
        (rows, b) =>
          rows.filter((r) => {
            const rect = r.getBoundingClientRect();
            return rect.top >= b.y - 1 && rect.bottom <= b.y + b.height + 1;
          }).length,
        listBox,
      );
    expect(inView).toBeGreaterThanOrEqual(6);
    await eventRows(page)
      .filter({ hasText: /encapsulate in VXLAN/ })
      .click();
    await shot(page, `${width}-summary`);
  });
}

test('filter to ARP shows only ARP', async ({ page }) => {
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await page.getByTestId('event-filters').click();
  await page.locator('[data-filter="icmp"]').click();
  await expect(page.locator('[data-filter="icmp"]')).toHaveAttribute('aria-pressed', 'false');
  const headers = list(page).locator('li[data-kind="packet"]');
  await expect(headers).toHaveCount(2);
  for (const text of await headers.allTextContents()) expect(text).toMatch(/^.?ARP who-has/);
  await expect(list(page)).not.toContainText('ICMP echo');
  await expect(list(page)).not.toContainText('encapsulate');
  await expect(page.getByTestId('event-filters')).toContainText('1 off');
  await shot(page, 'arp-only');
  await page.getByRole('button', { name: 'show all' }).click();
  await expect(list(page)).toContainText('ICMP echo request');
});

test('expand the packet to see VFP detail; the inspector follows the row; play walks the rows shown', async ({
  page,
}) => {
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  const request = packetRow(page, /ICMP echo request/);
  await expect(list(page).locator('[data-kind="rule"]')).toHaveCount(0);
  await request.getByTestId('packet-detail').click();
  await expect(request).toHaveAttribute('data-mode', 'detail');
  const rule = list(page).locator('[data-kind="rule"]', { hasText: /rule ca-pa-5001 .* matches/ });
  await expect(rule).toHaveCount(1);
  await expect(
    list(page).locator('[data-kind="stage"]', { hasText: 'VFP layer vnet / group vnet_out' }),
  ).toHaveCount(1);
  // PA ARP of the request shows too, and its own filter hides it.
  const paArp = list(page).locator('[data-category="pa-arp"]');
  await expect(paArp.first()).toContainText('asks who has 192.168.2.1');
  await rule.click();
  await expect(rule).toHaveAttribute('data-selected', 'true');
  await expect(rule).toContainText('CA-PA mapping space');
  await expect(page.getByTestId('inspector')).toContainText('ICMP echo request');
  await shot(page, 'vfp-detail');

  // The VFP detail filter hides the layers and rules again; the packet's other steps stay.
  await page.getByTestId('event-filters').click();
  await page.locator('[data-filter="vfp"]').click();
  await expect(list(page).locator('[data-kind="rule"], [data-kind="stage"]')).toHaveCount(0);
  await expect(list(page).locator('[data-category="pa-arp"]').first()).toBeVisible();
  await page.locator('[data-filter="pa-arp"]').click();
  await expect(list(page).locator('[data-category="pa-arp"]')).toHaveCount(0);
  await page.getByRole('button', { name: 'show all' }).click();

  // Back to the summary: play walks only the rows the list shows, one at a time.
  await request.getByTestId('packet-detail').click();
  await expect(list(page).locator('[data-kind="rule"]')).toHaveCount(0);
  const first = list(page).locator('li').first();
  await first.click();
  const position = page.getByTestId('trace-position');
  const shown = await list(page).locator('li').count();
  await expect(position).toHaveText(`1/${shown}`);
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(position).toHaveText(`2/${shown}`);
  await expect(list(page).locator('li').nth(1)).toHaveAttribute('data-selected', 'true');
  await page.locator('select[aria-label="Playback speed"]').selectOption('8');
  await page.getByTestId('trace-play').click();
  await expect(position).toHaveText(`${shown}/${shown}`, { timeout: 30_000 });
  await expect(page.getByTestId('trace-play')).toHaveAttribute('aria-label', 'Play');
  await expect(list(page).locator('li').last()).toHaveAttribute('data-selected', 'true');
});

test('change VSID, what-if shows before 5001 and after 7777 side by side', async ({ page }) => {
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('article', { name: 'Virtual subnet Contoso Subnet' }).click();
  await page.getByRole('textbox', { name: 'VSID' }).fill('7777');
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-stale', 'true');

  await page.getByTestId('trace-what-if').click();
  const whatIf = page.getByTestId('what-if');
  await expect(whatIf).toBeVisible();
  const before = whatIf.getByTestId('what-if-before');
  const after = whatIf.getByTestId('what-if-after');
  await expect(before).toContainText('Delivered to Contoso/SQL');
  await expect(after).toContainText('Delivered to Contoso/SQL');
  await expect(before).toContainText('encapsulate in VXLAN VNI 5001');
  await expect(after).toContainText('encapsulate in VXLAN VNI 7777');
  await expect(before).not.toContainText('7777');
  await expect(after).not.toContainText('VNI 5001');
  // Side by side: the same height on the page, after to the right of before.
  const b = await box(before);
  const a = await box(after);
  expect(Math.abs(a.y - b.y)).toBeLessThan(2);
  expect(a.x).toBeGreaterThanOrEqual(b.x + b.width);
  // The first step that differs is marked on both sides, on the same row: the VSID.
  const firstBefore = before.locator('[data-first-diff="true"]');
  const firstAfter = after.locator('[data-first-diff="true"]');
  await expect(firstBefore).toHaveCount(1);
  await expect(firstAfter).toHaveCount(1);
  await expect(firstBefore).toContainText('5001');
  await expect(firstAfter).toContainText('7777');
  expect(Math.abs((await box(firstBefore)).y - (await box(firstAfter)).y)).toBeLessThan(2);
  // The verdict is current again, and a row of the new trace opens in the inspector.
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-stale', 'false');
  await after.locator('li', { hasText: 'encapsulate in VXLAN VNI 7777' }).first().click();
  await expect(page.getByTestId('inspector').locator('[data-field-key="vxlan.vni"]')).toContainText('7777');
  await shot(page, 'what-if');
  await whatIf.getByTestId('what-if-close').click();
  await expect(whatIf).toHaveCount(0);
  await expect(eventRows(page).filter({ hasText: 'encapsulate in VXLAN VNI 7777' })).toHaveCount(1);
  await expect(eventRows(page).filter({ hasText: 'encapsulate in VXLAN VNI 7777' })).toHaveAttribute(
    'data-selected',
    'true',
  );
});

test('the trace pane keeps the width it was given', async ({ page }) => {
  await openLab(page);
  const pane = page.getByTestId('trace-panel');
  const handle = page.getByRole('separator', { name: 'Resize trace and inspector' });
  const start = (await box(pane)).width;
  await handle.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(async () => (await box(pane)).width).toBeGreaterThan(start + 100);
  const widened = (await box(pane)).width;
  await page.reload();
  await expect(page.getByTestId('trace-from').locator('option')).not.toHaveCount(0);
  await expect.poll(async () => Math.round((await box(pane)).width)).toBe(Math.round(widened));
});

test('on a phone the event list keeps the step, where it is and what happened', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  const header = page.getByTestId('event-list').locator('div').first();
  await expect(header.getByText('What', { exact: true })).toBeVisible();
  await expect(header.getByText('At', { exact: true })).toBeVisible();
  await expect(header.getByText('Layer', { exact: true })).toBeHidden();
  const encap = eventRows(page).filter({ hasText: /encapsulate in VXLAN VNI 5001/ });
  await encap.scrollIntoViewIfNeeded();
  await encap.click();
  await expect(encap).toHaveAttribute('data-selected', 'true');
  // The sentence gets the room: wider than half the screen.
  const what = await box(encap.locator('div').first());
  expect(what.width).toBeGreaterThan(390 / 2);
  await shot(page, 'phone');
});
