// Issue 4 §8 as one story, the way a newcomer takes it, on the production build with the
// real worker: build the multi-tenant datacenter from "New (empty)" with the palette and
// drag and drop, ping Contoso Web -> SQL (VXLAN, VNI 5001, the two PAs, the VNI's bytes),
// switch Contoso's subnet to NVGRE (GRE key = VSID 5001), ping in Fabrikam (VNI 6001), add
// a deny ACL (the drop is red and names the rule), and undo it (delivered again).
import { expect, type Page, test } from '@playwright/test';
import { buildMultiTenant } from './helpers/editor';
import { ping, selectStep } from './helpers/trace';

let shotNumber = 0;
const shot = (page: Page, name: string) => {
  shotNumber += 1;
  return page.screenshot({
    path: `artifacts/screenshots/newcomer-${String(shotNumber).padStart(2, '0')}-${name}.png`,
  });
};

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  shotNumber = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

/** The highlighted hex bytes, read as one big-endian number. */
async function highlightedHex(page: Page): Promise<{ count: number; value: number }> {
  const hex = await page
    .locator('[data-testid="hex-dump"] [data-offset][data-highlighted="true"]')
    .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  return { count: hex.length, value: Number.parseInt(hex.join(''), 16) };
}

test('a newcomer builds the datacenter, pings over VXLAN and NVGRE, adds a deny ACL and undoes it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // The lab opens on the multi-tenant scenario; a newcomer starts over from the picker.
  await page.goto('/');
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  await expect(picker).toHaveValue('multi-tenant');
  await picker.selectOption({ label: 'New (empty)' });
  await expect(page.getByText('An empty datacenter')).toBeVisible();
  await shot(page, 'empty');

  // --- a. Build it: palette, drag and drop, and typing in the properties panel.
  await buildMultiTenant(page, (stage) => shot(page, stage));
  await page.getByRole('button', { name: 'Physical', exact: true }).click();

  // --- b. Ping Contoso Web -> SQL: VXLAN with VNI 5001 between the two hosts' PAs.
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  const verdict = page.getByTestId('trace-verdict');
  await expect(verdict).toHaveAttribute('data-outcome', 'delivered');
  await expect(verdict).toContainText('Contoso/SQL');
  await shot(page, 'contoso-delivered');

  await selectStep(page, /encapsulate in VXLAN/);
  const inspector = page.getByTestId('inspector');
  const vni = inspector.locator('[data-field-key="vxlan.vni"]');
  await expect(vni).toContainText('5001');
  await expect(vni).toContainText('Contoso');
  const outerSrc = inspector.locator('[data-field-key="ip.src"]').first();
  const outerDst = inspector.locator('[data-field-key="ip.dst"]').first();
  await expect(outerSrc).toContainText(/192\.168\.2\.\d+/);
  await expect(outerSrc).toContainText('PA of Host 2');
  await expect(outerDst).toContainText(/192\.168\.1\.\d+/);
  await expect(outerDst).toContainText('PA of Host 1');
  // Hovering the VNI lights exactly its three bytes, and they read 5001.
  await vni.hover();
  await expect(vni).toHaveAttribute('data-highlighted', 'true');
  expect(await highlightedHex(page)).toEqual({ count: 3, value: 5001 });
  await shot(page, 'vxlan-vni-5001');

  // --- c. Contoso's subnet switches to NVGRE in the properties panel; the GRE key carries VSID 5001.
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page
    .getByRole('article', { name: 'Virtual subnet Contoso Subnet' })
    .click({ position: { x: 20, y: 10 } });
  const encapsulation = page.getByRole('toolbar', { name: 'Encapsulation' });
  await encapsulation.getByRole('button', { name: 'NVGRE' }).click();
  await expect(encapsulation.getByRole('button', { name: 'NVGRE' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('article', { name: 'Virtual subnet Contoso Subnet' })).toContainText(/nvgre/i);
  // The top bar says how the overlay is carried now: a mix.
  await expect(page.getByText('HNVv2 · VXLAN + NVGRE', { exact: true })).toBeVisible();
  await page.getByTestId('trace-run').click();
  await expect(verdict).toHaveAttribute('data-outcome', 'delivered');
  // The request used Web's cached actions (fast path): every step shows where NVGRE was applied.
  await page.locator('[data-level="detail"]').click();
  await selectStep(page, /encapsulate in NVGRE/);
  const vsid = inspector.locator('[data-field-key="nvgre.vsid"]');
  await expect(vsid).toContainText('5001');
  await expect(inspector.locator('[data-field-key="gre.key"]')).toBeVisible();
  await expect(inspector.locator('[data-field-key="vxlan.vni"]')).toHaveCount(0);
  await vsid.hover();
  expect(await highlightedHex(page)).toEqual({ count: 3, value: 5001 });
  await shot(page, 'nvgre-vsid-5001');

  // --- d. Fabrikam, same CAs, still VXLAN: VNI 6001.
  await ping(page, /^Fabrikam\/Web/, /^Fabrikam\/SQL/);
  await expect(verdict).toHaveAttribute('data-outcome', 'delivered');
  await expect(verdict).toContainText('Fabrikam/SQL');
  await selectStep(page, /encapsulate in VXLAN/);
  const fabrikamVni = inspector.locator('[data-field-key="vxlan.vni"]');
  await expect(fabrikamVni).toContainText('6001');
  await expect(fabrikamVni).toContainText('Fabrikam');
  await expect(inspector.locator('[data-field-key="ip.dst"]').nth(1)).toContainText('10.1.1.11');
  await fabrikamVni.hover();
  expect(await highlightedHex(page)).toEqual({ count: 3, value: 6001 });
  await shot(page, 'fabrikam-vni-6001');

  // --- e. A port ACL on Contoso SQL's adapter that denies inbound ICMP.
  await page.getByRole('article', { name: 'VM SQL in Contoso Subnet' }).click();
  const portAcl = page.getByRole('combobox', { name: 'Port ACL' });
  await portAcl.selectOption({ label: '+ New ACL…' });
  await expect(portAcl).not.toHaveValue('');
  await page.getByRole('textbox', { name: 'ACL name' }).fill('sql-guard');
  await page.getByRole('button', { name: '+ Add rule' }).click();
  const ruleName = page.getByRole('textbox', { name: 'Rule name' });
  await ruleName.fill('deny-ping');
  await page.getByRole('combobox', { name: 'Rule deny-ping protocol' }).selectOption('icmp');
  await expect(page.getByRole('combobox', { name: 'Rule deny-ping action' })).toHaveValue('deny');
  await expect(page.getByRole('combobox', { name: 'Rule deny-ping direction' })).toHaveValue('inbound');
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();
  await shot(page, 'acl-rule');

  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await expect(verdict).toHaveAttribute('data-outcome', 'dropped');
  await expect(verdict).toContainText('deny-ping');
  const drop = page.locator('[data-kind="drop"]').first();
  await expect(drop).toHaveAttribute('data-dropped', 'true');
  await expect(drop).toHaveAttribute('data-selected', 'true');
  await expect(drop).toContainText('deny-ping');
  // Red: the drop's text is drawn in a red tone (read back as sRGB, whatever colour space CSS used).
  const [r, g, b] = await drop
    .locator('div')
    .first()
    .evaluate((el) => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.fillStyle = getComputedStyle(el).color;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
    });
  expect(r, `drop colour rgb(${r}, ${g}, ${b})`).toBeGreaterThan(g + 60);
  expect(r).toBeGreaterThan(b + 60);
  await shot(page, 'acl-drop');

  // --- f. Undo, from the keyboard until the toolbar says the next undo removes the ACL, then the button.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  const undo = page.getByRole('button', { name: 'Undo' });
  for (let i = 0; i < 8 && !/^Undo Add ACL \(/.test((await undo.getAttribute('title')) ?? ''); i++) {
    await page.keyboard.press('Control+Z');
  }
  await expect(undo).toHaveAttribute('title', /^Undo Add ACL \(/);
  await undo.click();
  await page.getByRole('article', { name: 'VM SQL in Contoso Subnet' }).click();
  await expect(page.getByRole('combobox', { name: 'Port ACL' })).toHaveValue('');
  await expect(page.getByRole('textbox', { name: 'ACL name' })).toHaveCount(0);
  // Earlier edits stay: Contoso's subnet is still NVGRE.
  await expect(page.getByRole('article', { name: 'Virtual subnet Contoso Subnet' })).toContainText(/nvgre/i);
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await expect(verdict).toHaveAttribute('data-outcome', 'delivered');
  await selectStep(page, /encapsulate in NVGRE/);
  await expect(inspector.locator('[data-field-key="nvgre.vsid"]')).toContainText('5001');
  await shot(page, 'after-undo');
});
