import { expect, type Page, test } from '@playwright/test';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/lessons-${name}.png`, fullPage: false });

async function answer(page: Page, label: string | RegExp) {
  await page.getByTestId('lesson-dock').getByRole('radio', { name: label }).check();
  await expect(page.getByTestId('lesson-feedback')).toHaveAttribute('data-correct', 'true');
}

const next = (page: Page) => page.getByTestId('lesson-dock').getByRole('button', { name: 'Next' }).click();

async function ping(page: Page, from: string, to: string) {
  const option = async (select: 'trace-from' | 'trace-to', text: string) =>
    (await page.getByTestId(select).locator('option', { hasText: text }).first().getAttribute('value')) ?? '';
  await page.getByTestId('trace-from').selectOption(await option('trace-from', from));
  await page.getByTestId('trace-to').selectOption(await option('trace-to', to));
  await page.locator('[data-protocol="icmp"]').click();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toBeVisible();
}

/** Live-migrate the first VM whose label starts with `vmLabel` to Host 3, with its properties. */
async function moveToHost3(page: Page, vmLabel: string) {
  await page.locator(`[aria-label^="${vmLabel}"]`).first().click();
  const host = page.getByRole('combobox', { name: 'Host' });
  const host3 = (await host.locator('option', { hasText: 'Host 3' }).first().getAttribute('value')) ?? '';
  await host.selectOption(host3);
  await expect(host).toHaveValue(host3);
}

test('a lesson completed end to end by clicking, and its progress survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  await expect(dock.getByRole('list', { name: 'Lessons' }).getByRole('listitem')).toHaveCount(12);
  await shot(page, '1-list');

  await dock.getByRole('button', { name: /Why VLANs don't scale/ }).click();
  await expect(dock.getByRole('heading', { name: /One VLAN per tenant network/ })).toBeVisible();
  // Step 1: open the scenario from the step, then predict the size of the VLAN ID space.
  const tasks = dock.getByTestId('lesson-task');
  await expect(tasks.first()).toHaveAttribute('data-done', 'false');
  await dock.getByRole('button', { name: 'Open the scenario' }).click();
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  // A wrong answer first: feedback says so, and the step is not done.
  await dock.getByRole('radio', { name: '1,024' }).check();
  await expect(page.getByTestId('lesson-feedback')).toHaveAttribute('data-correct', 'false');
  await answer(page, '4,094');
  await shot(page, '2-step1-answered');
  await next(page);

  // Step 2: select a logical subnet in the physical view; the canvas is highlighted.
  await expect(dock.getByRole('heading', { name: /Where the tag lives/ })).toBeVisible();
  await expect(page.getByTestId('tour-ring-canvas')).toBeVisible();
  await expect(tasks.first()).toHaveAttribute('data-done', 'false');
  await page.getByRole('button', { name: 'Physical' }).click();
  await page.locator('[aria-label^="Logical subnet"]').last().click();
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await shot(page, '3-step2-task-done');
  await next(page);

  // Step 3: trace a VLAN tenant's ping (the 802.1Q tag is on the wire).
  await expect(dock.getByRole('heading', { name: /The tag on the wire/ })).toBeVisible();
  await ping(page, 'Contoso/VLAN Web', 'Contoso/VLAN SQL');
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await next(page);

  // Steps 4 and 5: predictions (the second with the engine's add-tenant dry run).
  await answer(page, '16,773,119');
  await next(page);
  await answer(page, '4,090');
  await next(page);
  await answer(page, /Its IP address/);
  await next(page);

  // Steps 7 and 8: move the VLAN VM to Rack 2 (the trace fails), then the overlay VM (it arrives).
  await moveToHost3(page, 'VM VLAN SQL');
  await ping(page, 'Contoso/VLAN Web', 'Contoso/VLAN SQL');
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'dropped');
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await next(page);
  await moveToHost3(page, 'VM SQL');
  await ping(page, 'Contoso/Web', 'Contoso/SQL');
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await shot(page, '4-complete');

  // Progress is saved: after a reload the lesson is still complete and the answers kept.
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await page.reload();
  await expect(page.getByTestId('lesson-dock')).toBeVisible();
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await dock.getByRole('button', { name: /^Step 6: Moving a VM/ }).click();
  await expect(dock.getByRole('radio', { name: /Its IP address/ })).toBeChecked();
  await dock.getByRole('button', { name: '← All lessons' }).click();
  await expect(dock.getByRole('button', { name: /Why VLANs don't scale/ })).toContainText('Completed');
  await shot(page, '5-after-reload');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await dock.getByRole('button', { name: /CA vs PA/ }).click();
  await shot(page, '6-dark');
});

test('CA vs PA: select, predict, trace a ping and check the outer header', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('empty');
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  await dock.getByRole('button', { name: /CA vs PA/ }).click();
  await dock.getByRole('button', { name: 'Open the scenario' }).click();
  const tasks = dock.getByTestId('lesson-task');
  await expect(tasks.nth(0)).toHaveAttribute('data-done', 'true');
  await expect(tasks.nth(1)).toHaveAttribute('data-done', 'false');
  // Contoso's Web comes first in the document, so its node is the first "VM Web" on the canvas.
  await page.locator('[aria-label^="VM Web"]').first().click();
  await expect(tasks.nth(1)).toHaveAttribute('data-done', 'true');
  await next(page);

  await expect(page.getByTestId('tour-ring-properties')).toBeVisible();
  await answer(page, /10\.1\.1\.12 \(its CA\)/);
  await next(page);
  // Predict before looking: the right answer is derived from the document (SQL's host).
  await dock.getByRole('radio', { name: /SQL's CA/ }).check();
  await expect(page.getByTestId('lesson-feedback')).toHaveAttribute('data-correct', 'false');
  await answer(page, /PA of Host 1/);
  await next(page);

  // The task: trace a ping from Contoso/Web to Contoso/SQL with the trace panel.
  await expect(page.getByTestId('tour-ring-trace-controls')).toBeVisible();
  await expect(tasks.first()).toHaveAttribute('data-done', 'false');
  await shot(page, 'ca-1-before-trace');
  const option = async (select: 'trace-from' | 'trace-to', text: string) =>
    (await page.getByTestId(select).locator('option', { hasText: text }).first().getAttribute('value')) ?? '';
  await page.getByTestId('trace-from').selectOption(await option('trace-from', 'Contoso/Web'));
  await page.getByTestId('trace-to').selectOption(await option('trace-to', 'Contoso/SQL'));
  await page.getByRole('button', { name: 'Ping' }).click();
  await page.getByTestId('trace-run').click();
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await shot(page, 'ca-2-traced');
  await next(page);
  await answer(page, /the hosts' PAs/);
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await shot(page, 'ca-3-complete');
});

test('live migration: move SQL to another PA subnet and see the new outer destination', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  await dock.getByRole('button', { name: /Live migration/ }).click();
  await dock.getByRole('button', { name: 'Open the scenario' }).click();
  await answer(page, /It stays 10\.1\.1\.11/);
  await next(page);

  // Migrate with the properties panel: Contoso's SQL is the first SQL of the document.
  const tasks = dock.getByTestId('lesson-task');
  await expect(tasks.first()).toHaveAttribute('data-done', 'false');
  await page.locator('[aria-label^="VM SQL"]').first().click();
  const host = page.getByRole('combobox', { name: 'Host' });
  const host3 = (await host.locator('option', { hasText: 'Host 3' }).first().getAttribute('value')) ?? '';
  await host.selectOption(host3);
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await next(page);

  await answer(page, /PA of Host 3/);
  await next(page);
  const option = async (select: 'trace-from' | 'trace-to', text: string) =>
    (await page.getByTestId(select).locator('option', { hasText: text }).first().getAttribute('value')) ?? '';
  await page.getByTestId('trace-from').selectOption(await option('trace-from', 'Contoso/Web'));
  await page.getByTestId('trace-to').selectOption(await option('trace-to', 'Contoso/SQL'));
  await page.getByTestId('trace-run').click();
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await shot(page, 'migration-complete');
});

test('every lesson opens its scenario, and every question offers choices there (or names the task it waits for)', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  const titles = await dock.getByTestId('lesson-title').allTextContents();
  expect(titles).toHaveLength(12);
  for (const title of titles) {
    await dock
      .getByRole('button', { name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })
      .click();
    const steps = dock.getByRole('list', { name: 'Steps' }).getByRole('button');
    const count = await steps.count();
    for (let i = 0; i < count; i++) {
      await steps.nth(i).click();
      const open = dock.getByRole('button', { name: 'Open the scenario' });
      if (await open.isVisible()) await open.click();
      const question = dock.getByTestId('lesson-question');
      if (await question.getByTestId('lesson-question-blocked').isVisible()) {
        await expect(question.getByTestId('lesson-question-blocked')).toContainText('first');
      } else if (await question.isVisible()) {
        expect(await question.getByRole('radio').count(), `${title}, step ${i + 1}`).toBeGreaterThanOrEqual(
          2,
        );
      }
    }
    await dock.getByRole('button', { name: '← All lessons' }).click();
  }
});

test('the physical network underneath: ARP for the next hop, then a router says a packet did not fit', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  await dock.getByRole('button', { name: /The physical network underneath/ }).click();
  // The lab opens on the lesson's scenario (multi-tenant): nothing to load. Predict: the racks differ, so Host 2 asks for its gateway (derived from the document).
  await answer(page, /The gateway of its logical subnet, 192\.168\.2\.1/);
  await next(page);

  const tasks = dock.getByTestId('lesson-task');
  await expect(tasks.first()).toHaveAttribute('data-done', 'false');
  await ping(page, 'Contoso/Web', 'Contoso/SQL');
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await answer(page, 'None');
  await next(page);

  // Lower SQL's rack MTU in the properties, then ping with a packet that no longer fits.
  await page.getByRole('button', { name: 'Physical' }).click();
  await page.locator('[aria-label^="Logical subnet PA Subnet 1"]').first().click();
  const mtu = page.getByRole('textbox', { name: 'MTU' });
  await mtu.fill('1400');
  await mtu.press('Enter');
  await expect(tasks.first()).toHaveAttribute('data-done', 'false');
  await page.getByRole('spinbutton', { name: 'Packet size' }).fill('1400');
  await ping(page, 'Contoso/Web', 'Contoso/SQL');
  await expect(page.getByTestId('trace-verdict')).toContainText('does not fit MTU 1400');
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await answer(page, /1400, the MTU of 'PA Subnet 1'/);
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await shot(page, 'physical-complete');
});
