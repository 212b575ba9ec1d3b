// Issue 12, "Everywhere": the SDN edge is on the canvas and editable. A newcomer opens the
// load-balancer scenario, sees the VIP, takes the DIP that served a client out of the pool and
// sees the next connection go to another web VM; then opens the hybrid scenario and reads
// Contoso's GRE tunnel in its virtual gateway's properties.
import { expect, type Page, test } from '@playwright/test';
import { dropFromPalette } from './helpers/editor';
import { selectByLabel, traceClientToVip } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/edge-objects-${name}.png` });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

async function openScenario(page: Page, label: RegExp) {
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  const value = await picker
    .locator('option')
    .evaluateAll(
      (opts, src) =>
        (opts as HTMLOptionElement[]).find((o) => new RegExp(src).test(o.textContent ?? ''))?.value,
      label.source,
    );
  expect(value, `a scenario matching ${label}`).toBeTruthy();
  await picker.selectOption(value ?? '');
}

test('load balancer: the VIP is on the canvas; a DIP taken out of the pool gets no new connection', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await openScenario(page, /^Software load balancer/);

  // Physical view: the MUXes sit on their hosts, the client under the Internet link.
  await expect(page.getByRole('article', { name: 'SLB MUX SLB MUX 1 on Host 1' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'External endpoint Internet/Client' })).toBeVisible();

  // Which web VM answers the client now?
  const first = await traceClientToVip(page);
  expect(first).toMatch(/^Web[123]$/);

  // Virtual view: the VIP, wired to its three DIPs.
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  const vip = page.getByRole('article', { name: 'Load balancer Web LB VIP 203.0.113.10' });
  await expect(vip).toBeVisible();
  await expect(vip).toContainText('3 DIPs');
  await expect(page.locator('.react-flow__edge[data-id^="dip:web-lb:"]')).toHaveCount(3);
  await vip.click();
  const properties = page.getByRole('region', { name: 'Properties' });
  await expect(properties).toContainText('Load balancer');
  await expect(properties.getByRole('textbox', { name: 'Frontend VIP' })).toHaveValue('203.0.113.10');
  await shot(page, 'lb-selected');

  // A VIP inside a link is refused by validation, named next to the field; put it back.
  const vipField = properties.getByRole('textbox', { name: 'Frontend VIP' });
  await vipField.fill('198.51.100.77');
  await expect(
    properties.getByRole('alert').filter({ hasText: /inside logical subnet 'Internet'/ }),
  ).toBeVisible();
  await vipField.fill('203.0.113.10');
  await expect(properties.getByRole('alert')).toHaveCount(0);

  // The VM that served the client leaves the backend pool.
  const dip = properties.getByRole('checkbox', { name: `DIP Contoso/${first}` });
  await expect(dip).toBeChecked();
  await dip.uncheck();
  await expect(vip).toContainText('2 DIPs');
  await expect(page.locator('.react-flow__edge[data-id^="dip:web-lb:"]')).toHaveCount(2);
  await shot(page, 'dip-removed');

  // The same connection from the client now lands on one of the two that remain.
  const second = await traceClientToVip(page);
  expect(second).toMatch(/^Web[123]$/);
  expect(second).not.toBe(first);

  // Undo puts the DIP back.
  await page.keyboard.press('Control+z');
  await expect(vip).toContainText('3 DIPs');

  // A second load balancer from the palette, dropped on the web tier: its VMs are its DIPs,
  // and it takes the next free VIP.
  await dropFromPalette(
    page,
    'Load balancer',
    page.getByRole('article', { name: 'Virtual subnet Web Tier' }),
    {
      x: 120,
      y: 20,
    },
  );
  const added = page.getByRole('article', { name: 'Load balancer Load balancer 1 VIP 203.0.113.11' });
  await expect(added).toBeVisible();
  await expect(added).toContainText('3 DIPs');
  await expect(properties.getByRole('textbox', { name: 'Frontend VIP' })).toHaveValue('203.0.113.11');
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();
  await shot(page, 'palette-lb');
  await properties.getByRole('button', { name: 'Delete selected object' }).click();
  await expect(added).toHaveCount(0);
  await expect(vip).toBeVisible();
});

test("hybrid gateway: Contoso's virtual gateway shows its GRE connection", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await openScenario(page, /^Hybrid/);
  await expect(page.getByRole('article', { name: 'RAS gateway GW1 on Host 3' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'On-premises site Contoso HQ' })).toBeVisible();

  // GW1's properties show its pool; a pool of type S2sGre cannot carry Fabrikam's IPsec and L3
  // connections (two named problems); back to All, the datacenter is valid again.
  await page.getByRole('article', { name: 'RAS gateway GW1 on Host 3' }).click();
  const gwProperties = page.getByRole('region', { name: 'Properties' });
  await expect(gwProperties).toContainText('Its gateway pool');
  const poolType = gwProperties.getByRole('combobox', { name: 'Pool type' });
  await expect(poolType).toHaveValue('All');
  await poolType.selectOption('S2sGre');
  await expect(page.getByRole('button', { name: '2 validation problems' })).toBeVisible();
  await shot(page, 'pool-type');
  await poolType.selectOption('All');
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();

  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  const gateway = page.getByRole('article', { name: 'Virtual gateway Contoso Gateway' });
  await expect(gateway).toContainText('GRE key 5001 → Contoso HQ');
  await gateway.click();
  const properties = page.getByRole('region', { name: 'Properties' });
  await expect(properties).toContainText('Virtual gateway');
  const gre = properties.getByRole('listitem', { name: 'Connection HQ GRE' });
  await expect(gre).toContainText('GRE');
  await expect(
    gre
      .getByRole('spinbutton', { name: 'HQ GRE GRE key' })
      .or(gre.getByRole('textbox', { name: 'HQ GRE GRE key' })),
  ).toHaveValue('5001');
  await expect(gre.getByRole('combobox', { name: 'HQ GRE site' })).toHaveValue('contoso-hq');
  await expect(properties).toContainText('172.16.0.0/16 via 172.16.0.1');
  await shot(page, 'vgw-selected');

  // A new key shows on the canvas at once, and a trace to HQ carries it.
  await gre.getByRole('textbox', { name: 'HQ GRE GRE key' }).fill('7001');
  await expect(gateway).toContainText('GRE key 7001 → Contoso HQ');
  await selectByLabel(page, 'trace-from', /Contoso\/Web/);
  await page.getByTestId('trace-to').selectOption({ label: 'An IP address…' });
  await page.getByTestId('trace-to-ip').fill('172.16.0.10');
  await page.locator('[data-protocol="icmp"]').click();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await page.locator('[data-level="detail"]').click();
  await expect(page.getByText(/key 7001/).first()).toBeVisible();
});
