// Issue 5 §1 c: VLAN vs overlay. The same two tenants isolated by 802.1Q VLANs and by the
// overlay, side by side: the tag on the wire, the 4094-ID ceiling, and the move that breaks.
import { expect, type Page, test } from '@playwright/test';
import { ping } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/vlan-${name}.png`, fullPage: false });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

/** Live-migrate a VM with its properties: click it on the canvas, pick the host. */
async function moveVm(page: Page, vmLabel: string, hostName: string) {
  await page.locator(`[aria-label^="${vmLabel}"]`).first().click();
  const host = page.getByRole('combobox', { name: 'Host' });
  const value = (await host.locator('option', { hasText: hostName }).first().getAttribute('value')) ?? '';
  expect(value).not.toBe('');
  await host.selectOption(value);
  await expect(host).toHaveValue(value);
}

test('VLAN vs overlay: the 802.1Q tag, add tenant past 4094, and moving a VM off its VLAN', async ({
  page,
}) => {
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 380, bottom: 420 }));
  });
  await page.goto('/?scenario=vlan-vs-overlay');
  await expect(page.getByTestId('trace-panel')).toBeVisible();
  await expect(page.getByTestId('trace-from').locator('option')).not.toHaveCount(0);
  // The physical view: Rack 1 (trunks VLANs 101 and 102) with Hosts 1 and 2, Rack 2 with Host 3.
  await page.getByRole('button', { name: 'Physical', exact: true }).click();
  await expect(page.locator('[aria-label^="Logical subnet Rack 2"]')).toBeVisible();
  await shot(page, '0-physical');
  // The virtual view badges VLAN subnets with their VLAN, overlay subnets with their VSID.
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await expect(page.getByText('VLAN 101', { exact: true })).toBeVisible();
  await expect(page.getByText('VSID 5001', { exact: true })).toBeVisible();
  await shot(page, '0-opened');

  // Properties: a VLAN-isolated subnet shows its isolation and VLAN; a clash is named inline.
  await page.locator('[aria-label="Virtual subnet Fabrikam VLAN 102"]').click({ position: { x: 60, y: 12 } });
  const properties = page.locator('section[aria-label="Properties"]');
  const vlanField = properties.getByRole('textbox', { name: 'Tenant VLAN ID' });
  await expect(vlanField).toHaveValue('102');
  await vlanField.fill('101');
  await expect(properties.getByRole('alert').first()).toContainText(
    "virtual subnet 'Fabrikam VLAN 102' VLAN 101 is already used by virtual subnet 'Contoso VLAN 101'",
  );
  await shot(page, '0-properties-clash');
  await page.keyboard.press('Control+z');
  await expect(vlanField).toHaveValue('102');
  await expect(page.getByText('✓ valid')).toBeVisible();

  // 1. A VLAN tenant's ping: tagged VLAN 101 on the wire, no encapsulation.
  await ping(page, /^Contoso\/VLAN Web/, /^Contoso\/VLAN SQL/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  // The echo request's wire step (102 bytes: the 98-byte VM frame plus the 4-byte tag).
  const wire = page
    .locator('[data-kind="hop"]', { hasText: /on the wire: 802\.1Q VLAN 101/ })
    .filter({ hasText: '102 B' })
    .first();
  await wire.click();
  await expect(wire).toHaveAttribute('data-selected', 'true');
  const inspector = page.getByTestId('inspector');
  await expect(inspector.locator('[data-field-key="vlan.id"]').first()).toContainText('101');
  await expect(inspector.locator('[data-field-key="vlan.id"]').first()).toContainText('tenant VLAN');
  // Behind the tag comes the VM's own IP header: the CA itself is on the wire, no outer IP.
  await expect(inspector.locator('[data-field-key="ip.src"]')).toHaveCount(1);
  await expect(inspector.locator('[data-field-key="ip.src"]').first()).toContainText('10.1.1.12');
  await expect(inspector.locator('[data-field-key="vxlan.vni"]')).toHaveCount(0);
  await shot(page, '1-tag-on-the-wire');

  // 2. Add tenants: the VLAN fabric runs out at 4094, the overlay does not.
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  await dock.getByRole('button', { name: /Why VLANs don't scale/ }).click();
  await dock.getByRole('button', { name: /^Step \d+: Add tenants until one fails/ }).click();
  await dock.getByRole('radio', { name: '4,090' }).check();
  await expect(page.getByTestId('lesson-feedback')).toHaveAttribute('data-correct', 'true');
  await dock.getByRole('button', { name: 'Add 5,000 tenants with VLANs' }).click();
  const vlanResult = page.getByTestId('add-tenant-vlan');
  await expect(vlanResult).toHaveAttribute('data-ok', 'false');
  await expect(vlanResult).toContainText("cannot add tenant 'Tenant 4093' (after 4,090 tenants were added)");
  await expect(vlanResult).toContainText('all 4,094 VLAN IDs (1..4094) are in use');
  await dock.getByRole('button', { name: 'Add 5,000 tenants on the overlay' }).click();
  const overlayResult = page.getByTestId('add-tenant-overlay');
  await expect(overlayResult).toHaveAttribute('data-ok', 'true');
  await expect(overlayResult).toContainText('5,000 tenants added');
  await shot(page, '2-add-tenant-limit');

  // 3. Move the VLAN VM to Rack 2: its VLAN is not trunked there, the trace breaks in red.
  await dock.getByRole('button', { name: /^Step \d+: Move the VLAN VM/ }).click();
  await moveVm(page, 'VM VLAN SQL', 'Host 3');
  await ping(page, /^Contoso\/VLAN Web/, /^Contoso\/VLAN SQL/);
  const verdict = page.getByTestId('trace-verdict');
  await expect(verdict).toHaveAttribute('data-outcome', 'dropped');
  await expect(verdict).toContainText("VLAN 101 is not carried on logical subnet 'Rack 2'");
  await expect(dock.getByTestId('lesson-task').first()).toHaveAttribute('data-done', 'true');
  await shot(page, '3-vlan-move-breaks');

  // 4. The overlay VM makes the same move and keeps working: only its PA changes.
  await dock.getByRole('button', { name: /^Step \d+: Now the overlay VM/ }).click();
  await moveVm(page, 'VM SQL', 'Host 3');
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await expect(verdict).toHaveAttribute('data-outcome', 'delivered');
  const encap = page
    .locator('[data-kind="action"]', { hasText: /encapsulate in VXLAN.*192\.168\.2\.30/ })
    .first();
  await encap.click();
  await expect(inspector.locator('[data-field-key="ip.dst"]').first()).toContainText('192.168.2.30');
  await expect(dock.getByTestId('lesson-task').first()).toHaveAttribute('data-done', 'true');
  await shot(page, '4-overlay-move-delivers');
});
