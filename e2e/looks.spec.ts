// Layout and looks at 1280x800 and 1440x900 (issue 11): the canvas keeps the larger share,
// labels stay readable at the fitted zoom, the inspector's columns all fit, the host tables
// keep their VM column, the lessons leave the canvas room, notices never cover a node, new
// objects come into view, panels remember their size; and a phone gets a read-only layout.
// Screenshots go to artifacts/screenshots (never committed); they were looked at.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { ping, selectByLabel } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/looks-${name}.png` });

type Box = { x: number; y: number; width: number; height: number };
const inside = (inner: Box, outer: Box, slack = 1) =>
  inner.x >= outer.x - slack &&
  inner.y >= outer.y - slack &&
  inner.x + inner.width <= outer.x + outer.width + slack &&
  inner.y + inner.height <= outer.y + outer.height + slack;
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  expect(b, 'an element on screen').not.toBeNull();
  return b as Box;
}

/** The smallest on-screen size of a node label: its computed font size times the canvas zoom. */
function smallestLabelPx(page: Page): Promise<number> {
  return page.evaluate(() => {
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
    const zoom = new DOMMatrix(getComputedStyle(viewport as HTMLElement).transform).a;
    let smallest = Number.POSITIVE_INFINITY;
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node [data-label]')) {
      if (el.offsetParent === null) continue;
      smallest = Math.min(smallest, Number.parseFloat(getComputedStyle(el).fontSize) * zoom);
    }
    return smallest;
  });
}

/** Every node of the canvas lies inside the canvas (the view frames the datacenter). */
async function expectAllNodesInView(page: Page) {
  const canvas = await box(page.getByTestId('canvas'));
  await expect
    .poll(async () => {
      const nodes = await page
        .locator('.react-flow__node')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box));
      return nodes.length > 0 && nodes.every((n) => inside(n, canvas, 2));
    })
    .toBe(true);
}

for (const [width, height] of [
  [1280, 800],
  [1440, 900],
] as const) {
  test.describe(`at ${width}x${height}`, () => {
    test.use({ viewport: { width, height } });

    test('the canvas keeps the larger share and its labels are readable at the fitted zoom', async ({
      page,
    }) => {
      await page.goto('/?scenario=vlan-vs-overlay');
      await expect(page.locator('.react-flow__node').first()).toBeVisible();
      const canvas = await box(page.getByTestId('canvas'));
      expect(canvas.height, 'canvas height').toBeGreaterThanOrEqual(height * 0.55);
      await expectAllNodesInView(page);
      // Before the fix the VLAN badges of this wide datacenter were ~5 px.
      await expect.poll(() => smallestLabelPx(page)).toBeGreaterThanOrEqual(10);
      await expect(page.locator('[data-label]', { hasText: 'trunks 101, 102' })).toBeVisible();
      await shot(page, `${width}-vlan-vs-overlay`);
    });

    test('inspector: bits with their values, and value and meaning columns visible', async ({ page }) => {
      await page.goto('/?scenario=multi-tenant');
      const inspector = page.getByTestId('inspector');
      await page.locator('[data-sample="vxlan"]').click();
      const version = inspector.locator('[data-field-key="ip.version"]').first();
      await expect(version.locator('[data-bits]')).toHaveText('0100 .... =');
      await expect(version.locator(':scope > span').nth(1)).toHaveText('0100 .... = 4');
      await expect(version).toHaveAttribute('title', '0100 .... = Version: 4');
      const hdrLen = inspector.locator('[data-field-key="ip.hdr_len"]').first();
      await expect(hdrLen.locator('[data-bits]')).toHaveText('.... 0101 =');
      const tree = await box(page.getByTestId('header-tree'));
      const type = inspector.locator('[data-field-key="eth.type"]').first();
      const [, value, meaning] = await type.locator(':scope > span').all();
      const meaningBox = await box(meaning);
      expect(meaningBox.width, 'meaning column width').toBeGreaterThanOrEqual(48);
      expect(inside(meaningBox, tree), 'meaning inside the tree pane').toBe(true);
      await expect(meaning).not.toHaveText('');
      // A MAC is never cut: the value column fits it whole.
      const mac = inspector.locator('[data-field-key="eth.dst"]').first().locator(':scope > span').nth(1);
      expect(await mac.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
      expect(await value.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
      await shot(page, `${width}-inspector`);
    });

    test('host tables keep the VM column', async ({ page }) => {
      await page.goto('/?scenario=multi-tenant');
      await page.getByRole('tab', { name: 'Host tables' }).click();
      const table = page.getByTestId('lookup-records');
      await expect(table).toBeVisible();
      const panel = await box(page.getByRole('tabpanel'));
      const vmHeader = await box(table.locator('th', { hasText: /^VM$/ }));
      expect(inside(vmHeader, panel), 'VM column header inside the panel').toBe(true);
      await expect(table.locator('td', { hasText: 'Contoso/SQL' }).first()).toBeVisible();
      const cell = await box(table.locator('td', { hasText: 'Contoso/SQL' }).first());
      expect(inside(cell, panel)).toBe(true);
      await shot(page, `${width}-host-tables`);
    });

    test('the lessons leave the canvas room, refit it, and the column remembers its width', async ({
      page,
    }) => {
      await page.goto('/?scenario=multi-tenant');
      await expect(page.locator('.react-flow__node').first()).toBeVisible();
      await page.getByRole('button', { name: 'Lessons' }).click();
      const dock = page.getByTestId('lesson-dock');
      await expect(dock).toBeVisible();
      const canvas = await box(page.getByTestId('canvas'));
      expect(canvas.width, 'canvas width with the lessons open').toBeGreaterThanOrEqual(width * 0.42);
      await expectAllNodesInView(page);
      await shot(page, `${width}-lessons`);

      const before = (await box(dock)).width;
      const handle = page.getByRole('separator', { name: 'Resize lessons' });
      await handle.focus();
      await page.keyboard.press('Shift+ArrowLeft'); // 40 px narrower
      await expect.poll(async () => (await box(dock)).width).toBe(before - 40);
      const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('hnv-panels') ?? '{}').lessons);
      expect(saved).toBe(before - 40);
      await page.reload();
      await expect(page.getByTestId('lesson-dock')).toBeVisible();
      await expect.poll(async () => (await box(page.getByTestId('lesson-dock'))).width).toBe(before - 40);
    });

    test('a notice never covers a node', async ({ page }) => {
      await page.goto('/?scenario=live-migration');
      await expect(page.locator('.react-flow__node').first()).toBeVisible();
      await expectAllNodesInView(page);
      // Migrating from the properties says so in a notice; it used to sit over the hosts.
      await page.getByRole('article', { name: 'VM SQL on Host 1' }).first().click();
      const hostPicker = page.getByRole('combobox', { name: 'Host', exact: true });
      const host3 = await hostPicker
        .locator('option')
        .evaluateAll(
          (opts) => (opts as HTMLOptionElement[]).find((o) => /^Host 3/.test(o.text))?.value ?? '',
        );
      await hostPicker.selectOption(host3);
      const notice = page.getByRole('status').filter({ hasText: 'Live migration' });
      await expect(notice).toBeVisible();
      await expect(page.getByRole('article', { name: 'VM SQL on Host 3' })).toHaveCount(2);
      const noticeBox = await box(notice);
      const nodes = await page
        .locator('.react-flow__node')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box));
      for (const node of nodes) expect(overlap(noticeBox, node), 'notice over a node').toBe(false);
      // Not over the canvas at all: wherever the user pans, no node goes under a notice.
      expect(overlap(noticeBox, await box(page.getByTestId('canvas'))), 'notice over the canvas').toBe(false);
      await shot(page, `${width}-notice`);
    });

    test('a new object outside the view is brought into view', async ({ page }) => {
      await page.goto('/?scenario=multi-tenant');
      await expect(page.locator('.react-flow__node').first()).toBeVisible();
      for (let i = 0; i < 4; i++) await page.getByRole('button', { name: /zoom in/i }).click();
      const routers = page.getByRole('article', { name: /^Router / });
      await expect(routers).toHaveCount(1);
      await page.getByRole('button', { name: 'Palette: Router' }).click();
      await expect(routers).toHaveCount(2);
      const canvas = await box(page.getByTestId('canvas'));
      await expect.poll(async () => inside(await box(routers.nth(1)), canvas)).toBe(true);
    });

    test('the controller-updates card leaves the properties room and folds', async ({ page }) => {
      await page.goto('/?scenario=live-migration');
      await page.getByRole('article', { name: 'VM SQL on Host 1' }).first().click();
      const hostPicker = page.getByRole('combobox', { name: 'Host', exact: true });
      const host3 = await hostPicker
        .locator('option')
        .evaluateAll(
          (opts) => (opts as HTMLOptionElement[]).find((o) => /^Host 3/.test(o.text))?.value ?? '',
        );
      await hostPicker.selectOption(host3);
      const card = page.getByTestId('controller-updates');
      await expect(card).toBeVisible();
      const side = await box(page.locator('aside', { has: card }));
      const panel = page.getByRole('tabpanel');
      expect((await box(panel)).height, 'properties height').toBeGreaterThanOrEqual(side.height * 0.45);
      await shot(page, `${width}-controller-updates`);
      await page.getByRole('button', { name: 'Fold controller updates' }).click();
      await expect(card).toHaveAttribute('data-folded', 'true');
      expect((await box(card)).height).toBeLessThan(48);
    });

    test('the trace panel remembers its height; a saved height never squeezes the canvas', async ({
      page,
    }) => {
      await page.goto('/?scenario=multi-tenant');
      const section = page.getByRole('region', { name: 'Trace and inspector' });
      const before = (await box(section)).height;
      const handle = page.getByRole('separator', { name: 'Resize trace panel' });
      await handle.focus();
      await page.keyboard.press('Shift+ArrowUp'); // 40 px taller
      await expect.poll(async () => (await box(section)).height).toBe(before + 40);
      await page.reload();
      await expect
        .poll(async () => (await box(page.getByRole('region', { name: 'Trace and inspector' }))).height)
        .toBe(before + 40);
      // A size saved on a taller screen (or dragged far up) is capped: the canvas keeps half.
      await page.evaluate(() =>
        localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 360, bottom: 640 })),
      );
      await page.reload();
      await expect(page.locator('.react-flow__node').first()).toBeVisible();
      expect((await box(page.getByTestId('canvas'))).height).toBeGreaterThanOrEqual(height * 0.45);
    });
  });
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('a read-only layout: the canvas and a trace, and a notice to open a larger screen', async ({
    page,
  }) => {
    await page.goto('/?scenario=multi-tenant');
    await expect(page.getByTestId('phone-layout')).toBeVisible();
    await expect(page.getByTestId('larger-screen-notice')).toContainText('at least 1024 px wide');
    await expect(page.locator('.react-flow__node').first()).toBeVisible();
    await expectAllNodesInView(page);
    // Nothing sticks out sideways: no sliver of a desktop layout.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('.react-flow__node.draggable').count()).toBe(0);
    await shot(page, 'phone-canvas');
    await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
    await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
    await page.getByTestId('trace-verdict').scrollIntoViewIfNeeded();
    await shot(page, 'phone-trace');
    await page.getByRole('button', { name: 'Virtual' }).click();
    await expect(page.getByRole('article', { name: /^VM network / }).first()).toBeVisible();
    await selectByLabel(page, 'trace-from', /^Fabrikam\/Web/);
  });
});

test.describe('colours and samples', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('one colour per routing domain and per VSID, the same in both views', async ({ page }) => {
    await page.goto('/?scenario=multi-tenant');
    // Physical view: the colour stripe of each VM is its VSID's colour.
    const stripe = (name: RegExp) =>
      page
        .getByRole('article', { name })
        .first()
        .locator(':scope > div')
        .first()
        .evaluate((e) => getComputedStyle(e).backgroundColor);
    const contosoSqlPhysical = await stripe(/^VM SQL on Host 1/);
    await page.getByRole('button', { name: 'Virtual', exact: true }).click();
    const border = (name: string) =>
      page.getByRole('article', { name }).evaluate((e) => getComputedStyle(e).borderTopColor);
    const colours = {
      contosoNet: await border('VM network Contoso Net'),
      fabrikamNet: await border('VM network Fabrikam Net'),
      vsid5001: await border('Virtual subnet Contoso Subnet'),
      vsid6001: await border('Virtual subnet Fabrikam Subnet'),
    };
    // Before: Contoso Net and Fabrikam's VSID 6001 were both amber.
    expect(new Set(Object.values(colours)).size, JSON.stringify(colours)).toBe(4);
    expect([colours.vsid5001, colours.vsid6001]).toContain(contosoSqlPhysical);
    await shot(page, '1280-virtual-colours');
  });

  test('the VXLAN sample is what the engine sends: outer TTL 64, to the PA next hop', async ({ page }) => {
    await page.goto('/?scenario=multi-tenant');
    const inspector = page.getByTestId('inspector');
    await inspector.locator('[data-sample="vxlan"]').click();
    await expect(inspector.locator('[data-field-key="ip.ttl"]').first()).toContainText('64');
    // The router's interface on Host 2's PA subnet, not a MAC of Host 2 itself.
    await expect(inspector.locator('[data-field-key="eth.dst"]').first()).toContainText('00:1b:54:00:00:02');
    await expect(inspector).toContainText('TTL 64');
  });
});
