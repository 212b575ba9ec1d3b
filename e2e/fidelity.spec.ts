// Issue 10 §2, as a newcomer meets it: a TCP trace is a three-way handshake; a virtual subnet's
// gateway MAC can be set in the properties panel (and a bad one is refused next to the field);
// an HNVv1 datacenter's trace and host tables speak of the HNV filter, never of VFP.
import { expect, type Page, test } from '@playwright/test';
import { selectByLabel } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/fidelity-${name}.png`, fullPage: false });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

async function openLab(page: Page, scenario: string) {
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 380, bottom: 440 }));
  });
  await page.goto(`/?scenario=${scenario}`);
  await expect(page.getByTestId('trace-panel')).toBeVisible();
  await expect(page.getByTestId('trace-from').locator('option')).not.toHaveCount(0);
}

async function traceTcp(page: Page, from: RegExp, to: RegExp) {
  await selectByLabel(page, 'trace-from', from);
  await selectByLabel(page, 'trace-to', to);
  await page.locator('[data-protocol="tcp"]').click();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toBeVisible();
}

test('a TCP trace is a three-way handshake: SYN, SYN-ACK, then the ACK on the fast path', async ({
  page,
}) => {
  await openLab(page, 'multi-tenant');
  await traceTcp(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  const packets = page.locator('[data-kind="packet"]');
  await expect(packets.filter({ hasText: /^.*TCP SYN Contoso\/Web/ })).toHaveCount(1);
  await expect(packets.filter({ hasText: 'TCP SYN, ACK Contoso/SQL' })).toHaveCount(1);
  const ack = packets.filter({ hasText: 'TCP ACK Contoso/Web' });
  await expect(ack).toHaveCount(1);
  await expect(ack.locator('[data-path="fast"]')).toBeVisible();
  await ack.click();
  await shot(page, '1-handshake');
});

test('gateway MAC of a virtual subnet: set in the properties panel, answered by ARP; a bad one is refused', async ({
  page,
}) => {
  await openLab(page, 'routing-domains');
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('article', { name: 'Virtual subnet R&D 1' }).click({ position: { x: 20, y: 10 } });
  const field = page.getByRole('textbox', { name: 'Gateway MAC' });
  await expect(field).toHaveAttribute('placeholder', '02:dd:01:00:13:89');
  // A multicast MAC: refused next to the field, with the rule.
  await field.fill('01:00:5e:00:00:01');
  await expect(page.getByRole('alert').filter({ hasText: 'is a multicast address' }).first()).toBeVisible();
  await shot(page, '2-gateway-mac-refused');
  // Written the NC way, kept the lab's way.
  await field.fill('00-15-5D-FF-01-01');
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();
  await field.blur();
  await expect(field).toHaveValue('00:15:5d:ff:01:01');
  await selectByLabel(page, 'trace-from', /^Contoso\/Dev1/);
  await selectByLabel(page, 'trace-to', /^Contoso\/Test/);
  await page.locator('[data-protocol="icmp"]').click();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  // The host agent's ARP answer in full is detail: every step, please.
  await page.locator('[data-level="detail"]').click();
  await expect(
    page.locator('[data-kind="action"]', {
      hasText: 'injects the ARP reply 10.1.1.1 is-at 00:15:5d:ff:01:01',
    }),
  ).toBeVisible();
  await shot(page, '3-gateway-mac-traced');
});

test('HNVv1: the trace and the host tables speak of the HNV filter, never of VFP', async ({ page }) => {
  await openLab(page, 'hnv-v1-vs-v2');
  await traceTcp(page, /^Contoso\/Web/, /^Contoso\/App/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  const steps = page.locator('[data-step-index]');
  // The filter's stages are detail: every step, please.
  await page.locator('[data-level="detail"]').click();
  await expect(steps.filter({ hasText: 'HNV filter: network virtualization policy' }).first()).toBeVisible();
  await expect(steps.filter({ hasText: 'flow cache miss on port Contoso/Web' }).first()).toBeVisible();
  await expect(page.getByTestId('trace-panel')).not.toContainText(/VFP|UFT|unified flow/);
  await shot(page, '4-v1-trace');
  await page.getByRole('tab', { name: 'Host tables' }).click();
  const tables = page.getByTestId('host-tables');
  await expect(tables.getByRole('tab', { name: 'Lookup records' })).toBeVisible();
  await expect(tables.getByRole('tab', { name: 'VFP rules' })).toHaveCount(0);
  await expect(tables.getByRole('tab', { name: 'Tuple test' })).toHaveCount(0);
  await tables.getByRole('tab', { name: 'Flow cache' }).click();
  await expect(tables).toContainText('HNV filter flow cache');
  await expect(tables).not.toContainText(/VFP|UFT|unified flow/i);
  await shot(page, '5-v1-tables');
  await expect(page.locator('.react-flow__node').filter({ hasText: 'HNV filter' }).first()).toBeVisible();
  await expect(page.locator('.react-flow__node').filter({ hasText: /\bVFP\b/ })).toHaveCount(0);
});
