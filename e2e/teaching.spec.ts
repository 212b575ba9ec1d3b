// Issue 11, the way a newcomer meets it: the scenario's brief where nothing is selected,
// lessons that grade what is really on screen, building from an empty canvas, and the
// "Send 10 more" counters. Production build, real worker; waits on state, never on time.
import { expect, type Page, test } from '@playwright/test';
import { ping } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/teaching-${name}.png` });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

test('"Send 10 more" twice: each batch says 10 packets, 10 fast path, 10 flow-table hits', async ({
  page,
}) => {
  await page.goto('/');
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  const sendMore = page.getByRole('button', { name: 'Send 10 more' });
  const counters = page.getByTestId('send-counters');
  await sendMore.click();
  await expect(counters).toHaveAttribute('data-batch', '1');
  await expect(counters).toContainText(
    '10 packets: 0 slow path, 10 fast path (10 flow-table hits, 10 delivered)',
  );
  await sendMore.click();
  await expect(counters).toHaveAttribute('data-batch', '2');
  // The old counters added up the flow table's lifetime: "20 flow-table hits" for the same batch.
  await expect(counters).toContainText(
    '10 packets: 0 slow path, 10 fast path (10 flow-table hits, 10 delivered)',
  );
  await shot(page, 'send-more');
});

test('with nothing selected, the properties panel shows the scenario’s brief and things to try', async ({
  page,
}) => {
  await page.goto('/');
  const brief = page.getByRole('region', { name: /About this scenario: Multi-tenant/ });
  await expect(brief).toBeVisible();
  await expect(brief).toContainText('VSIDs 5001 and 6001');
  await expect(page.getByText('Getting started')).toHaveCount(0);

  // MTU trouble says what to type in the size field, and doing it gives what it says.
  await page
    .getByRole('combobox', { name: 'Scenario' })
    .selectOption({ label: 'MTU trouble: no jumbo frames' });
  const mtu = page.getByRole('region', { name: /About this scenario: MTU trouble/ });
  await expect(mtu.getByTestId('try-this').nth(1)).toContainText("Type 1500 in the trace panel's size field");
  await shot(page, 'brief-mtu');
  await page.getByRole('spinbutton', { name: 'Packet size' }).fill('1500');
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'dropped');
  await expect(page.getByTestId('trace-verdict')).toContainText('Host 2');

  // VLAN vs overlay: the PA VLANs the brief names are the racks' own.
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption({ label: 'VLAN vs overlay' });
  const vlan = page.getByRole('region', { name: /About this scenario: VLAN vs overlay/ });
  await expect(vlan).toContainText('Rack 1 is VLAN 10, Rack 2 VLAN 20');
  await expect(vlan).not.toContainText('VLAN 200');
  await page.getByRole('button', { name: 'Physical', exact: true }).click();
  await page.getByRole('article', { name: 'Logical subnet Rack 1' }).click({ position: { x: 30, y: 8 } });
  await expect(page.getByRole('textbox', { name: 'VLAN ID', exact: true })).toHaveValue('10');
  await expect(vlan).toHaveCount(0);
  // A click on the empty canvas brings the brief back.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await expect(vlan).toBeVisible();
  await shot(page, 'brief-vlan');
});

test('building from scratch: the hint names both views, a Tenant dropped in Physical shows up, a lone VM network says why', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption({ label: 'New (empty)' });
  await page.getByRole('button', { name: 'Physical', exact: true }).click();
  const hint = page.getByTestId('empty-hint');
  await expect(hint).toContainText('logical subnet');
  await expect(hint).toContainText('Tenants, VM networks and virtual subnets are drawn in the Virtual view');
  await expect(page.getByTestId('getting-started')).toContainText('Virtual view');
  await shot(page, 'empty-physical');

  // A VM network with no tenant anywhere: a clear reason, nothing created.
  const canvas = page.getByTestId('canvas');
  await page.getByRole('button', { name: 'Palette: VM network', exact: true }).dragTo(canvas);
  await expect(page.getByRole('alert').filter({ hasText: 'A VM network belongs to a tenant' })).toContainText(
    'drop a Tenant first',
  );
  await expect(hint).toBeVisible();

  // A Tenant dropped in the Physical view: the canvas switches to the Virtual view, where it is drawn.
  await page.getByRole('button', { name: 'Palette: Tenant', exact: true }).dragTo(canvas);
  await expect(page.getByRole('button', { name: 'Virtual', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByRole('status').filter({ hasText: 'is drawn in the Virtual view' })).toBeVisible();
  await expect(page.getByRole('article', { name: /^Tenant / })).toBeVisible();
  await shot(page, 'tenant-revealed');
});

test('a bad CA shows its error next to the CA field, not only under “1 problems”', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('article', { name: 'VM SQL in Contoso Subnet' }).click();
  const ca = page.getByRole('textbox', { name: 'Customer address' });
  await ca.fill('10.9.9.9');
  await expect(page.getByRole('button', { name: /outside its subnet/ })).toHaveCount(0); // the list is not on screen
  await expect(ca).toHaveAttribute('aria-invalid', 'true');
  // The message sits in the CA field's own block, right under the input.
  const field = ca.locator('xpath=ancestor::*[.//*[@role="alert"]][1]');
  await expect(field.getByRole('alert')).toContainText('CA 10.9.9.9 is outside its subnet 10.1.1.0/24');
  await shot(page, 'ca-error');
});

test('Lesson 8: skipping the migration is shown, and “outer destination now?” waits for the move', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  await dock.getByRole('button', { name: /Live migration/ }).click();
  await dock.getByRole('button', { name: 'Open the scenario' }).click();
  await dock.getByRole('radio', { name: /It stays 10\.1\.1\.11/ }).check();
  await dock.getByRole('button', { name: 'Next' }).click();

  // Step 2 says what is on screen, and moving on without migrating is a Skip, not a silent Next.
  await expect(dock).toContainText('Host dropdown');
  await expect(dock.getByRole('button', { name: 'Next' })).toHaveCount(0);
  await dock.getByRole('button', { name: 'Skip' }).click();
  await expect(dock.getByRole('button', { name: 'Step 2: Migrate it (skipped)' })).toBeVisible();

  // Step 3 asks about after the move: no choices to pick (the old code took Host 1's PA as "Yes. Right").
  const question = dock.getByTestId('lesson-question');
  await expect(question.getByTestId('lesson-question-blocked')).toContainText(
    'Contoso/SQL is still on Host 1',
  );
  await expect(question.getByRole('radio')).toHaveCount(0);
  await expect(page.getByTestId('lesson-feedback')).toHaveCount(0);
  await shot(page, 'lesson8-blocked');

  // Back to the skipped step; migrate with the Host dropdown the text names.
  await dock.getByRole('button', { name: 'Step 2: Migrate it (skipped)' }).click();
  await expect(dock.getByTestId('lesson-step-skipped')).toBeVisible();
  await page.locator('[aria-label^="VM SQL"]').first().click();
  const host = page.getByRole('combobox', { name: 'Host' });
  await host.selectOption({
    label: (await host.locator('option', { hasText: 'Host 3' }).first().textContent()) ?? '',
  });
  await expect(dock.getByTestId('lesson-task').first()).toHaveAttribute('data-done', 'true');
  await expect(dock.getByTestId('lesson-step-skipped')).toHaveCount(0);
  await dock.getByRole('button', { name: 'Next' }).click();

  // Now the question is open, and graded on the document: only Host 3's PA is right.
  await question.getByRole('radio', { name: /PA of Host 1/ }).check();
  await expect(page.getByTestId('lesson-feedback')).toHaveAttribute('data-correct', 'false');
  await question.getByRole('radio', { name: /192\.168\.2\.30.*PA of Host 3/ }).check();
  await expect(page.getByTestId('lesson-feedback')).toHaveAttribute('data-correct', 'true');
  await expect(dock.getByRole('button', { name: 'Step 2: Migrate it (done)' })).toBeVisible();
});
