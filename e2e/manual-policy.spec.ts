// Issue 13: HNVv1 manual policy mode, as Lesson 10 walks a newcomer through it. With the policy
// set by PowerShell a live migration leaves the peer's record stale (the ping is dropped at the
// old host) until the admin updates it in the Console.
import { expect, type Page, test } from '@playwright/test';
import { ping } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/manual-policy-${name}.png`, fullPage: false });

test('Lesson 10: PowerShell policy, a migration, a stale record, the fix typed in the Console', async ({
  page,
}) => {
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 380, bottom: 380 }));
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  await dock.getByRole('button', { name: /HNVv1 without a controller/ }).click();
  await dock.getByRole('button', { name: 'Open the scenario' }).click();

  // Step 1: hand the policy to PowerShell in the datacenter's properties.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  const policy = page.getByRole('toolbar', { name: 'Policy set by' });
  await policy.getByRole('button', { name: 'PowerShell' }).click();
  await expect(policy.getByRole('button', { name: 'PowerShell' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('policy-source-note')).toContainText('5 lookup records');
  await expect(dock.getByTestId('lesson-task').first()).toHaveAttribute('data-done', 'true');
  await dock.getByRole('button', { name: 'Next' }).click();

  // Step 2: migrate Fabrikam/Web to Host 1 with the Host dropdown.
  await page.getByRole('article', { name: 'VM Web on Host 2' }).last().click();
  const host = page.getByRole('combobox', { name: 'Host' });
  await host.selectOption({
    label: (await host.locator('option', { hasText: 'Host 1' }).first().textContent()) ?? '',
  });
  await expect(dock.getByTestId('lesson-task').first()).toHaveAttribute('data-done', 'true');
  await dock.getByRole('button', { name: 'Next' }).click();

  // Step 3: predict.
  await dock.getByRole('radio', { name: /tunnelled to the old host/ }).check();
  await expect(page.getByTestId('lesson-feedback')).toHaveAttribute('data-correct', 'true');
  await dock.getByRole('button', { name: 'Next' }).click();

  // Step 4: the ping is dropped at the old host.
  await ping(page, /^Fabrikam\/SQL/, /^Fabrikam\/Web/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'dropped');
  await expect(page.getByTestId('trace-verdict')).toContainText('Host 2');
  await expect(dock.getByTestId('lesson-task').first()).toHaveAttribute('data-done', 'true');
  await shot(page, '1-stale');
  await dock.getByRole('button', { name: 'Next' }).click();

  // Step 5: fix the record in the Console.
  await page.getByRole('tab', { name: 'Console', exact: true }).click();
  const input = page.getByTestId('console-input');
  await input.fill('Get-NetVirtualizationProviderAddress -CimSession "Host 1"');
  await input.press('Enter');
  await expect(page.getByTestId('console-entry').last()).toContainText('ProviderAddress  : 192.168.1.4');
  await input.fill(
    'Set-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.12 -VirtualSubnetID 6001 -ProviderAddress 192.168.1.4',
  );
  await input.press('Enter');
  await expect(page.getByTestId('console-changed').last()).toContainText('Set-NetVirtualizationLookupRecord');
  await expect(dock.getByTestId('lesson-task').first()).toHaveAttribute('data-done', 'true');
  await shot(page, '2-fixed');
  await dock.getByRole('button', { name: 'Next' }).click();

  // Step 6: delivered.
  await page.getByRole('tab', { name: 'Trace', exact: true }).click();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await expect(dock.getByTestId('lesson-task').first()).toHaveAttribute('data-done', 'true');
});
