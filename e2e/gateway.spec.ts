// Issue 12 (gateway): a newcomer opens the hybrid scenario and pings an on-premises host and the
// internet from Contoso/Web: delivered beyond the router, with the GRE step and the NAT step.
import { expect, type Page, test } from '@playwright/test';
import { selectByLabel, selectStep } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/gateway-${name}.png`, fullPage: false });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

async function pingIp(page: Page, ip: string, from = /^Contoso\/Web/) {
  await selectByLabel(page, 'trace-from', from);
  await page.getByTestId('trace-to').selectOption({ label: 'An IP address…' });
  await page.getByTestId('trace-to-ip').fill(ip);
  await page.locator('[data-protocol="icmp"]').click();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toBeVisible();
}

test('hybrid: Contoso/Web pings its on-premises host over GRE, and 8.8.8.8 through NAT', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 380, bottom: 440 }));
  });
  await page.goto('/?scenario=hybrid-gateway');
  await expect(page.getByTestId('trace-from').locator('option')).not.toHaveCount(0);
  await shot(page, '0-opened');
  await pingIp(page, '172.16.0.10');
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await expect(page.getByTestId('trace-verdict')).toContainText('172.16.0.10');
  await selectStep(page, /GRE tunnel 'HQ GRE'/);
  // The canvas marks the gateway VM as where the packet is; the site has not had it yet.
  await expect(page.getByTestId('gateway-GW1')).toHaveAttribute('data-trace', 'here');
  await expect(page.getByTestId('site-Contoso HQ')).not.toHaveAttribute('data-trace', /.+/);
  await shot(page, '1-gre');
  // In the virtual view the step is at the tenant's virtual gateway.
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await expect(page.locator('[data-testid^="vgw-"][data-trace="here"]')).toHaveCount(1);
  await shot(page, '1-gre-virtual');
  await page.getByRole('button', { name: 'Physical', exact: true }).click();
  await pingIp(page, '8.8.8.8');
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await selectStep(page, /SNAT/);
  await expect(page.getByTestId('inspector').locator('[data-field-key="ip.src"]').first()).toContainText(
    '131.107.0.10',
  );
  await shot(page, '2-nat');

  // The gateway VM's host: its compartment routes (BGP origin) and the NAT mapping just made.
  await page.getByRole('tab', { name: 'Host tables' }).click();
  await page.getByTestId('tables-host').selectOption({ label: 'Host 3' });
  await page.getByRole('tab', { name: 'RAS gateway' }).click();
  await expect(page.getByTestId('gateway-routes-Contoso')).toContainText('BGP peer 172.16.0.1 (AS 65001)');
  await expect(page.getByTestId('gateway-nat')).toContainText('131.107.0.10:10000');
  await expect(page.getByTestId('gateway-nat')).toContainText('0 s / 60 s');
  await shot(page, '3-tables');

  // Time passes: the ICMP mapping idles past its 60 s and goes.
  const tables = page.getByTestId('gateway-tables');
  await tables.getByRole('button', { name: '+10 s' }).click();
  await expect(page.getByTestId('gateway-nat')).toContainText('10 s / 60 s');
  await tables.getByRole('button', { name: '+1 min' }).click();
  await expect(tables.getByTestId('expired-note')).toHaveText('1 NAT mapping expired');
  await expect(page.getByTestId('gateway-nat')).toBeHidden();
  await expect(tables).toContainText('No mappings yet');
  await shot(page, '3b-nat-expired');
});

test('hybrid: Fabrikam/Web pings its partner 192.168.50.10 over the L3 connection, tagged VLAN 50', async ({
  page,
}) => {
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 380, bottom: 440 }));
  });
  await page.goto('/?scenario=hybrid-gateway');
  await expect(page.getByTestId('trace-from').locator('option')).not.toHaveCount(0);
  await pingIp(page, '192.168.50.10', /^Fabrikam\/Web/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await expect(page.getByTestId('trace-verdict')).toContainText('192.168.50.10');
  // The gateway's output onto VLAN 50 (a step of kind output, not an action).
  const l3Step = page.locator('[data-kind="output"]', {
    hasText: /L3 connection 'Partner L3' forwards it untunnelled on VLAN 50/,
  });
  await l3Step.first().click();
  await expect(l3Step.first()).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId('inspector').locator('[data-field-key="vlan.id"]').first()).toContainText(
    '50',
  );
  await expect(page.getByTestId('inspector').locator('[data-field-key="ip.dst"]').first()).toContainText(
    '192.168.50.10',
  );
  await shot(page, '4-l3');
  await page.getByRole('tab', { name: 'Host tables' }).click();
  await page.getByTestId('tables-host').selectOption({ label: 'Host 3' });
  await page.getByRole('tab', { name: 'RAS gateway' }).click();
  await expect(page.getByTestId('gateway-routes-Fabrikam')).toContainText('192.168.50.0/24');
  await expect(page.getByTestId('gateway-tables')).toContainText(
    "Partner L3 (L3): VLAN 50 on 'Partner VLAN 50', L3 interface 10.50.0.2/24, next hop 10.50.0.1, no tunnel",
  );
  await shot(page, '5-l3-tables');
  // The gateway's flow cache: the ping's flow, then a second ping of it served from the entry.
  await expect(page.getByTestId('gateway-flows')).toContainText('10.1.1.12 -> 192.168.50.10 id 1');
  await page.getByRole('tab', { name: 'Trace', exact: true }).click();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await expect(
    page.locator('[data-kind="flow-cache"]', { hasText: /GW1: flow cache hit/ }).first(),
  ).toBeVisible();
  await shot(page, '6-gateway-flow-hit');
});
