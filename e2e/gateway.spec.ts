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

async function pingIp(page: Page, ip: string) {
  await selectByLabel(page, 'trace-from', /^Contoso\/Web/);
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
  await shot(page, '1-gre');
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
  await shot(page, '3-tables');
});
