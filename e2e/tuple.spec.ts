// Issue 13: the tuple tester (Test-SdnVfpPortTuple) in the host tables.
import { expect, test } from '@playwright/test';

test('test a 5-tuple at Contoso/SQL: each VFP group and its hit rule, then a mistyped address', async ({
  page,
}) => {
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 560, bottom: 280 }));
  });
  await page.goto('/?scenario=multi-tenant');
  await page.getByRole('tab', { name: 'Host tables' }).click();
  await page.getByTestId('tables-host').selectOption({ label: 'Host 1' });
  await page.getByRole('tab', { name: 'Tuple test' }).click();
  const tester = page.getByTestId('tuple-tester');
  await tester.getByLabel('Port', { exact: true }).selectOption({ label: 'Contoso/SQL · 10.1.1.11' });
  await tester.getByLabel('IN (to the VM)').check();
  await tester.getByLabel('Source IP', { exact: true }).fill('10.1.1.12');
  await tester.getByLabel('Destination port', { exact: true }).fill('1433');
  await tester.getByTestId('tuple-run').click();
  const result = tester.getByTestId('tuple-result');
  await expect(result).toHaveAttribute('data-verdict', 'allow');
  await expect(result).toContainText('IN 10.1.1.12:50000 -> 10.1.1.11:1433 TCP at Contoso/SQL: allowed');
  await expect(result.locator('tr[data-group="acl_port_in"]')).toContainText('acl_port_in-default (default)');
  await expect(result.locator('tr[data-group="vnet_in"]')).toBeVisible();
  await result.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'artifacts/screenshots/tuple-1-allowed.png' });

  await tester.getByLabel('Source IP', { exact: true }).fill('10.1.1');
  await tester.getByTestId('tuple-run').click();
  await expect(tester.getByRole('alert')).toContainText("source IP '10.1.1' is not an IPv4 address");
});
