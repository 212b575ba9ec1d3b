// Issue 11, the canvas side of the trace, as a newcomer uses it: the packet travels on the
// canvas links (both views), VMs are picked on the canvas, several flows are sent together,
// and new objects / notices never hide the datacenter. Screenshots (mid-animation, at
// 1280x800 and 1440x900) go to artifacts/screenshots (never committed); they were looked at.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { exportJson } from './helpers/file';
import { ping, selectByLabel } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/canvas-trace-${name}.png` });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box, slack = 2) =>
  inner.x >= outer.x - slack &&
  inner.y >= outer.y - slack &&
  inner.x + inner.width <= outer.x + outer.width + slack &&
  inner.y + inner.height <= outer.y + outer.height + slack;

async function openLab(page: Page, scenario = 'multi-tenant') {
  await page.goto(`/?scenario=${scenario}`);
  await expect(page.getByTestId('trace-panel')).toBeVisible();
  await expect(page.getByTestId('trace-from').locator('option')).not.toHaveCount(0);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

/** The innermost drawn object under the envelope's centre (its accessible name), once it stopped. */
async function whereIsThePacket(page: Page, envelope: Locator): Promise<string> {
  await expect(envelope).toHaveAttribute('data-moving', 'false');
  const e = (await envelope.boundingBox()) as Box;
  const cx = e.x + e.width / 2;
  const cy = e.y + e.height / 2;
  return page.locator('.react-flow__node > article').evaluateAll(
    (els, [x, y]) => {
      let best: { name: string; area: number } | null = null;
      for (const el of els) {
        const r = el.getBoundingClientRect();
        if (x < r.left || x > r.right || y < r.top || y > r.bottom) continue;
        const area = r.width * r.height;
        if (!best || area < best.area) best = { name: el.getAttribute('aria-label') ?? '', area };
      }
      return best?.name ?? '(between boxes)';
    },
    [cx, cy],
  );
}

/** Step through the packet now on screen, noting each place the envelope rests at. */
async function followPacket(page: Page, packet: RegExp): Promise<{ places: string[]; encaps: string[] }> {
  const envelope = page.getByTestId('packet-envelope');
  const places: string[] = [];
  const encaps: string[] = [];
  // Every step, so the envelope rests on each link too (the summary glides past them).
  await page.locator('[data-level="detail"]').click();
  // Go to the start of the packet: its segment in the strip.
  await page
    .getByRole('button', { name: new RegExp(`Go to ${packet.source}`) })
    .first()
    .click();
  await expect(envelope).toBeVisible();
  for (let i = 0; i < 80; i++) {
    const label = (await envelope.getAttribute('aria-label')) ?? '';
    if (!packet.test(label)) break;
    const at = await whereIsThePacket(page, envelope);
    if (places.at(-1) !== at) places.push(at);
    const encap = (await envelope.getAttribute('data-encap')) ?? '';
    if (encaps.at(-1) !== encap) encaps.push(encap);
    const step = await envelope.getAttribute('data-step');
    await page.keyboard.press('ArrowRight');
    await expect(envelope).not.toHaveAttribute('data-step', step ?? '');
  }
  return { places, encaps };
}

test.describe('the packet travels on the canvas', () => {
  test('a newcomer pings Web -> SQL and watches the envelope go host, link, router, host, in PA and CA colours', async ({
    page,
  }) => {
    await openLab(page);
    await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const { places, encaps } = await followPacket(page, /ICMP echo request/);
    expect(places).toEqual([
      'VM Web on Host 2',
      'Host Host 2',
      'Logical subnet PA Subnet 2',
      'Router L3 Router',
      'Logical subnet PA Subnet 1',
      'Host Host 1',
      'VM SQL on Host 1',
    ]);
    // Leaves as the VM's frame, travels in VXLAN, arrives unwrapped.
    expect(encaps).toEqual(['none', 'vxlan', 'none']);
  });
});

test('with "reduce motion" set, the envelope jumps from place to place instead of gliding', async ({
  page,
}) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openLab(page);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const envelope = page.getByTestId('packet-envelope');
  // Every step: 25 moves need more rows than the summary has.
  await page.locator('[data-level="detail"]').click();
  await page
    .getByRole('button', { name: /Go to ICMP echo request/ })
    .first()
    .click();
  const seen = new Set<string>();
  for (let i = 0; i < 25; i++) {
    const step = (await envelope.getAttribute('data-step')) ?? '';
    await page.keyboard.press('ArrowRight');
    await expect(envelope).not.toHaveAttribute('data-step', step);
    seen.add((await envelope.getAttribute('data-moving')) ?? '');
    const running = await envelope.evaluate((el) => (el.parentElement as HTMLElement).getAnimations().length);
    expect(running).toBe(0);
  }
  expect([...seen]).toEqual(['false']);
  expect(await whereIsThePacket(page, envelope)).not.toBe('VM Web on Host 2'); // it did go somewhere
});

test('a newcomer picks the source and the destination by clicking VMs on the canvas', async ({ page }) => {
  await openLab(page);
  await page.getByRole('button', { name: 'Pick on canvas' }).click();
  const banner = page.getByTestId('pick-banner');
  await expect(banner).toContainText('Pick the source: click the VM that sends the packet.');
  // Above the canvas, not over it: it never hides the VM to click.
  expect(
    overlap((await banner.boundingBox()) as Box, (await page.getByTestId('canvas').boundingBox()) as Box),
  ).toBe(false);
  // Fabrikam's Web on Host 2, in the physical view.
  await page.getByRole('article', { name: 'VM Web on Host 2' }).filter({ hasText: 'Fabrikam' }).click();
  await expect(banner).toContainText('Source: Web. Now click the destination VM');
  await expect(page.getByTestId('trace-from').locator('option:checked')).toHaveText(/^Fabrikam\/Web/);
  // The destination in the virtual view: the banner is still there after the switch.
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await expect(banner).toBeVisible();
  await page.getByRole('article', { name: 'VM SQL in Fabrikam Subnet' }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('trace-to').locator('option:checked')).toHaveText(/^Fabrikam\/SQL/);
  // Picking did not select anything or move a box: the properties still show the scenario.
  await expect(page.getByTestId('scenario-brief')).toBeVisible();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await expect(page.getByTestId('trace-verdict')).toContainText('Fabrikam/SQL');
  await shot(page, 'picked');

  // Escape (or Cancel) leaves picking without changing the form.
  await page.getByRole('button', { name: 'Pick on canvas' }).click();
  await expect(banner).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('trace-from').locator('option:checked')).toHaveText(/^Fabrikam\/Web/);
});

test('a newcomer sends Contoso’s and Fabrikam’s pings together: both delivered, side by side, each in its own VNI, and the list is kept', async ({
  page,
}) => {
  await openLab(page);
  await selectByLabel(page, 'trace-from', /^Contoso\/Web/);
  await selectByLabel(page, 'trace-to', /^Contoso\/SQL/);
  await page.locator('[data-protocol="icmp"]').click();
  await page.getByRole('button', { name: 'Add to list' }).click();
  await selectByLabel(page, 'trace-from', /^Fabrikam\/Web/);
  await selectByLabel(page, 'trace-to', /^Fabrikam\/SQL/);
  await page.getByRole('button', { name: 'Add to list' }).click();

  const list = page.getByRole('region', { name: 'Flows' });
  await expect(list.getByRole('heading', { name: 'Flows (2)' })).toBeVisible();
  const rows = list.getByTestId('flow-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Contoso ping');
  await expect(rows.nth(0)).toContainText('Contoso/Web → Contoso/SQL · ping');
  await expect(rows.nth(1)).toContainText('Fabrikam ping');
  await expect(rows.nth(0)).toContainText('not sent yet');

  await list.getByRole('button', { name: 'Run all' }).click();
  await expect(rows.nth(0)).toHaveAttribute('data-outcome', 'delivered');
  await expect(rows.nth(1)).toHaveAttribute('data-outcome', 'delivered');
  await expect(rows.nth(0)).toContainText('✔ delivered · VXLAN VNI 5001');
  await expect(rows.nth(1)).toContainText('✔ delivered · VXLAN VNI 6001');
  await shot(page, 'flows');

  // Fabrikam's trace on the timeline and the canvas: its envelope carries VNI 6001 on the wire.
  await list.getByRole('button', { name: 'Show the trace of Fabrikam ping' }).click();
  await expect(page.getByTestId('trace-verdict')).toContainText('Delivered to Fabrikam/SQL');
  await page
    .getByRole('button', { name: /Go to ICMP echo request/ })
    .first()
    .click();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const envelope = page.getByTestId('packet-envelope');
  for (let i = 0; i < 30 && (await envelope.getAttribute('data-encap')) !== 'vxlan'; i++) {
    const step = (await envelope.getAttribute('data-step')) ?? '';
    await page.keyboard.press('ArrowRight');
    await expect(envelope).not.toHaveAttribute('data-step', step);
  }
  await expect(envelope).toHaveAttribute('data-vni', '6001');

  // Kept with the datacenter: in the NC REST export under hnvLab, and after a reload.
  const rest = (await exportJson(page, 'Export Network Controller REST JSON')) as {
    hnvLab: { flows: { name: string; from: string; to: string; protocol: string }[] };
  };
  expect(rest.hnvLab.flows.map((f) => [f.name, f.from, f.to, f.protocol])).toEqual([
    ['Contoso ping', 'contoso-web-nic', 'contoso-sql-nic', 'icmp'],
    ['Fabrikam ping', 'fabrikam-web-nic', 'fabrikam-sql-nic', 'icmp'],
  ]);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Flows' }).getByTestId('flow-row')).toHaveCount(2);

  // Removing one is an edit like any other: one Ctrl+Z brings it back.
  await page
    .getByRole('region', { name: 'Flows' })
    .getByRole('button', { name: 'Remove Contoso ping from the list' })
    .click();
  await expect(page.getByRole('region', { name: 'Flows' }).getByTestId('flow-row')).toHaveCount(1);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('region', { name: 'Flows' }).getByTestId('flow-row')).toHaveCount(2);
});

/** The envelope's tunnel, motion, VNI and accessible name, read at one instant. */
function envelopeNow(envelope: Locator): Promise<string> {
  return envelope.evaluate(
    (e: HTMLElement) =>
      `${e.dataset.encap} ${e.dataset.moving === 'true' ? 'moving' : 'still'} VNI ${e.dataset.vni} ${e.getAttribute('aria-label')}`,
  );
}

for (const [width, height] of [
  [1280, 800],
  [1440, 900],
] as const) {
  test(`at ${width}x${height}: playing, the envelope glides between the boxes in both views`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height });
    await openLab(page);
    await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
    const envelope = page.getByTestId('packet-envelope');
    await page
      .getByRole('button', { name: /Go to ICMP echo request/ })
      .first()
      .click();
    await page.getByRole('combobox', { name: 'Playback speed' }).selectOption('1');
    await page.getByTestId('trace-play').click();
    // Caught in the middle of a move while it is in the tunnel: dark PA outside, Contoso inside.
    // Read in one go: playback moves on while the test looks, so separate checks could see two steps.
    await expect
      .poll(() => envelopeNow(envelope), { timeout: 60_000, intervals: [50] })
      .toMatch(
        /^vxlan moving VNI 5001 .*VXLAN VNI 5001: outer PA 192\.168\.2\.20 → 192\.168\.1\.10, inner CA 10\.1\.1\.12 → 10\.1\.1\.11/,
      );
    await shot(page, `${width}-physical-moving`);
    await page.getByTestId('trace-play').click();

    await page.getByRole('button', { name: 'Virtual', exact: true }).click();
    await page
      .getByRole('button', { name: /Go to ICMP echo request/ })
      .first()
      .click();
    await page.getByTestId('trace-play').click();
    await expect
      .poll(() => envelopeNow(envelope), { timeout: 60_000, intervals: [50] })
      .toMatch(/^vxlan moving /);
    await shot(page, `${width}-virtual-moving`);
    await page.getByTestId('trace-play').click();
  });
}

test('a newcomer adds hosts one after another: each new one comes into view, and the notice stays off the canvas', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openLab(page);
  const canvas = page.getByTestId('canvas');
  // Looking closely at one corner first, as one does.
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: /zoom in/i }).click();
  const hosts = page.getByRole('article', { name: /^Host Host / });
  await expect(hosts).toHaveCount(2);
  for (const n of [3, 4, 5]) {
    await page.getByRole('button', { name: 'Palette: Hyper-V host' }).click();
    const added = page.getByRole('article', { name: `Host Host ${n}`, exact: true });
    await expect(added).toBeVisible();
    await expect
      .poll(async () => inside((await added.boundingBox()) as Box, (await canvas.boundingBox()) as Box))
      .toBe(true);
  }
  // A tenant dropped in the physical view: the canvas switches to the virtual view and says so
  // in a notice that sits above the canvas, over no box.
  await page.getByRole('button', { name: 'Palette: Tenant' }).click();
  const notice = page.getByRole('status').filter({ hasText: 'switched to it' });
  await expect(notice).toBeVisible();
  const noticeBox = (await notice.boundingBox()) as Box;
  expect(overlap(noticeBox, (await canvas.boundingBox()) as Box)).toBe(false);
  const boxes = await page
    .locator('.react-flow__node')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box));
  for (const b of boxes) expect(overlap(noticeBox, b)).toBe(false);
  await shot(page, '1280-new-objects');
});
