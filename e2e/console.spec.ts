// Issue 13: a newcomer builds a tenant network only by typing in the console (HNVv1's
// NetVirtualization cmdlets), sees it on the canvas, traces a ping through it, and undoes.
import { expect, type Page, test } from '@playwright/test';
import { ping } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/console-${name}.png`, fullPage: false });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

async function type(page: Page, line: string) {
  const before = await page.getByTestId('console-entry').count();
  await page.getByTestId('console-input').fill(line);
  await page.getByTestId('console-input').press('Enter');
  await expect(page.getByTestId('console-entry')).toHaveCount(before + 1);
  return page.getByTestId('console-entry').last();
}

test('build a tenant network by typing cmdlets, see it on the canvas, ping through it, undo', async ({
  page,
}) => {
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 380, bottom: 420 }));
  });
  await page.goto('/?scenario=hnv-v1-vs-v2');
  await page.getByRole('tab', { name: 'Console', exact: true }).click();
  const input = page.getByTestId('console-input');
  await expect(input).toBeVisible();

  // Tab completes a cmdlet name, then a parameter.
  await input.fill('Get-NetVirtualizationLook');
  await input.press('Tab');
  await expect(input).toHaveValue('Get-NetVirtualizationLookupRecord ');
  await input.pressSequentially('-Virt');
  await input.press('Tab');
  await expect(input).toHaveValue('Get-NetVirtualizationLookupRecord -VirtualSubnetID ');
  await input.pressSequentially('5001');
  await input.press('Enter');
  await expect(page.getByTestId('console-entry').last()).toContainText('VirtualSubnetID : 5001');

  // A mistake is answered in the cmdlet's words, naming the parameter, and changes nothing.
  const wrong = await type(
    page,
    'New-NetVirtualizationCustomerRoute -RoutingDomainID nope -VirtualSubnetID 7001',
  );
  await expect(wrong.getByTestId('console-error')).toContainText("parameter 'RoutingDomainID'");
  await expect(wrong.getByTestId('console-changed')).toHaveCount(0);

  const rd = '{3b7a1c2d-0000-4000-8000-00000000a001}';
  const lines = [
    `New-NetVirtualizationCustomerRoute -RoutingDomainID ${rd} -VirtualSubnetID 7001 -DestinationPrefix 10.7.1.0/24 -NextHop 0.0.0.0`,
    "Enter-PSSession 'Host 1'",
    'New-NetVirtualizationProviderAddress -ProviderAddress 192.168.1.7 -InterfaceIndex 1 -PrefixLength 24',
    'Exit-PSSession',
    "New-NetVirtualizationProviderAddress -ProviderAddress 192.168.2.7 -InterfaceIndex 1 -PrefixLength 24 -CimSession 'Host 2'",
    'New-NetVirtualizationLookupRecord -CustomerAddress 10.7.1.10 -VirtualSubnetID 7001 -MACAddress 00155D070110 -ProviderAddress 192.168.1.7 -Rule TranslationMethodEncap -VMName Blue1',
    'New-NetVirtualizationLookupRecord -CustomerAddress 10.7.1.11 -VirtualSubnetID 7001 -MACAddress 00155D070111 -ProviderAddress 192.168.2.7 -Rule TranslationMethodEncap -VMName Blue2',
  ];
  for (const line of lines) {
    const entry = await type(page, line);
    await expect(entry.getByTestId('console-error')).toHaveCount(0);
  }
  await expect(page.getByTestId('console-changed').last()).toContainText(
    'New-NetVirtualizationLookupRecord Blue2 10.7.1.11',
  );
  // In the session the prompt names the host; after Exit-PSSession it is plain again.
  await expect(page.getByTestId('console-entry').nth(4)).toContainText('[Host 1]: PS C:\\>');
  await expect(page.locator('.react-flow__node', { hasText: 'Blue2' }).first()).toBeVisible();
  await shot(page, '1-built');

  await page.getByRole('tab', { name: 'Trace', exact: true }).click();
  await ping(page, /Blue1/, /Blue2/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await expect(page.getByTestId('trace-panel')).toContainText('NVGRE');
  await shot(page, '2-traced');

  // The last record is one undo step: Blue2 leaves the canvas.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node', { hasText: 'Blue2' })).toHaveCount(0);
  await expect(page.locator('.react-flow__node', { hasText: 'Blue1' }).first()).toBeVisible();

  // History: Up brings back the last line typed.
  await page.getByRole('tab', { name: 'Console', exact: true }).click();
  await input.click();
  await input.press('ArrowUp');
  await expect(input).toHaveValue(lines.at(-1) ?? '');
});
