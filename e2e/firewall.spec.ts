// Issue 10 §2: the stateful datacenter firewall as a newcomer meets it. Contoso Web gets a port
// ACL that denies everything inbound and allows everything outbound; its ping to SQL still gets
// its reply ("allowed by the state of flow ..."), SQL's own ping is denied. Host tables' Firewall
// tab shows the tracked connection and the audit log; letting a minute pass expires the state.
import { expect, type Page, test } from '@playwright/test';
import { ping } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/firewall-${name}.png` });

test('a port ACL is stateful: the reply passes the inbound deny, the Firewall tab shows the state and the audit log', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 520, bottom: 300 }));
  });
  await page.goto('/?scenario=multi-tenant');

  // A port ACL on Contoso Web: default deny, one rule that allows everything outbound.
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('article', { name: 'VM Web in Contoso Subnet' }).click();
  const portAcl = page.getByRole('combobox', { name: 'Port ACL' });
  await portAcl.selectOption({ label: '+ New ACL…' });
  await expect(portAcl).not.toHaveValue('');
  await page.getByRole('textbox', { name: 'ACL name' }).fill('web-fw');
  await page.getByRole('toolbar', { name: 'Default' }).getByRole('button', { name: 'Deny' }).click();
  await page.getByRole('button', { name: '+ Add rule' }).click();
  await page.getByRole('textbox', { name: 'Rule name' }).fill('allow-out');
  await page.getByRole('combobox', { name: 'Rule allow-out action' }).selectOption('allow');
  await page.getByRole('combobox', { name: 'Rule allow-out direction' }).selectOption('outbound');
  await page.getByRole('combobox', { name: 'Rule allow-out protocol' }).selectOption('all');
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();

  // Web pings SQL: the echo reply meets Web's inbound deny, and passes by the state of the request.
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  const verdict = page.getByTestId('trace-verdict');
  await expect(verdict).toHaveAttribute('data-outcome', 'delivered');
  // The reply's way through the firewall is detail: every step, please.
  await page.locator('[data-level="detail"]').click();
  const stateStep = page
    .locator('[data-kind="lookup"]', {
      hasText: /allowed by the state of flow icmp 10\.1\.1\.12 -> 10\.1\.1\.11/,
    })
    .first();
  await stateStep.click();
  await expect(stateStep).toHaveAttribute('data-selected', 'true');
  await shot(page, '1-reply-allowed-by-state');

  // Host tables: Host 2, Firewall: the tracked connection and one audit row.
  await page.getByRole('tab', { name: 'Host tables' }).click();
  await page.getByTestId('tables-host').selectOption({ label: 'Host 2' });
  await page.getByRole('tab', { name: 'Firewall' }).click();
  const fw = page.getByTestId('firewall');
  await expect(fw.getByLabel('Firewall port')).toHaveValue(/./);
  await expect(fw.getByLabel('Firewall port').locator('option:checked')).toHaveText(/^Contoso\/Web/);
  const conn = fw.locator('[data-connection="icmp 10.1.1.12 -> 10.1.1.11 echo request id 1"]');
  await expect(conn).toContainText('REPLIED');
  await expect(conn).toContainText('30 s / 30 s');
  await expect(fw.locator('[data-audit]')).toHaveCount(1);
  await expect(fw.locator('[data-audit]').first()).toHaveAttribute('data-audit', 'out allow allow-out');
  await expect(fw.getByTestId('audit-log')).toContainText(
    "ACL rule 'allow-out' (allow outbound, priority 100) of ACL 'web-fw' on Contoso/Web",
  );
  await shot(page, '2-state-and-audit');

  // SQL's own ping is not a reply: Web's default rule denies it, and the audit log says so.
  await ping(page, /^Contoso\/SQL/, /^Contoso\/Web/);
  await expect(verdict).toHaveAttribute('data-outcome', 'dropped');
  await expect(verdict).toContainText("denied by the default rule (deny) of ACL 'web-fw' on Contoso/Web");
  await expect(fw.locator('[data-audit]')).toHaveCount(2);
  await expect(fw.locator('[data-audit]').nth(1)).toHaveAttribute('data-audit', 'in deny default (deny)');

  // A minute passes: the ICMP state (30 s idle timeout) expires.
  await fw.getByRole('button', { name: '+1 min' }).click();
  await expect(fw.getByTestId('expired-note')).toHaveText('1 connection expired');
  await expect(fw.getByTestId('lab-clock')).toHaveText('60 s');
  await expect(conn).toHaveCount(0);
  await expect(fw).toContainText('No connection tracked.');
  await shot(page, '3-expired');
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(fw.getByTestId('audit-log')).toBeVisible();
  await shot(page, '4-expired-1280');
});
