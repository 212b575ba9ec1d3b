// Issue 13: the southbound view. A peer host's OVSDB rows change while a VM live-migrates:
// the record of the moved VM is pushed with its new locator (PA), and the view marks it.
import { expect, type Page, test } from '@playwright/test';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/southbound-${name}.png`, fullPage: false });

test('migrate SQL: Host 2 gets the new locator in Ucast_Macs_Remote, marked as pushed', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 560, bottom: 300 }));
  });
  await page.goto('/?scenario=live-migration');
  await page.getByRole('tab', { name: 'Host tables' }).click();
  await page.getByTestId('tables-host').selectOption({ label: 'Host 2' });
  await page.getByRole('tab', { name: 'Southbound (OVSDB)' }).click();
  const remote = page.getByTestId('ovsdb-Ucast_Macs_Remote');
  const sqlRow = remote.locator('tr[data-key="Ucast_Macs_Remote/5001/10.1.1.11"]');
  await expect(sqlRow).toContainText('192.168.1.10');
  await expect(sqlRow).toHaveAttribute('data-change', 'same');
  await expect(page.getByTestId('ovsdb-Logical_Switch')).toContainText('5001');
  await expect(page.getByTestId('ovsdb-Physical_Locator')).toContainText('vxlan_over_ipv4');

  // Live-migrate SQL to Host 3 from its properties (the Host dropdown).
  await page.getByRole('article', { name: 'VM SQL on Host 1' }).first().click();
  await page.getByRole('tab', { name: 'Properties' }).click();
  await page.getByLabel('Host', { exact: true }).selectOption('host-3');
  await page.getByRole('tab', { name: 'Host tables' }).click();
  await page.getByTestId('tables-host').selectOption({ label: 'Host 2' });
  await page.getByRole('tab', { name: 'Southbound (OVSDB)' }).click();
  await expect(sqlRow).toContainText('192.168.2.30');
  await expect(sqlRow).toHaveAttribute('data-change', 'updated');
  // Read again: nothing new since, so nothing is marked.
  await page.getByTitle('Read the tables again').click();
  await expect(sqlRow).toHaveAttribute('data-change', 'same');
  await sqlRow.scrollIntoViewIfNeeded();
  await shot(page, '1-migrated');
});
