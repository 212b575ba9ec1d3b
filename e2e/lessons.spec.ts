import { expect, type Page, test } from '@playwright/test';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/lessons-${name}.png`, fullPage: false });

async function answer(page: Page, label: string | RegExp) {
  await page.getByTestId('lesson-dock').getByRole('radio', { name: label }).check();
  await expect(page.getByTestId('lesson-feedback')).toHaveAttribute('data-correct', 'true');
}

const next = (page: Page) => page.getByTestId('lesson-dock').getByRole('button', { name: 'Next' }).click();

test('a lesson completed end to end by clicking, and its progress survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  await expect(dock.getByRole('list', { name: 'Lessons' }).getByRole('listitem')).toHaveCount(8);
  await shot(page, '1-list');

  await dock.getByRole('button', { name: /Why VLANs don't scale/ }).click();
  await expect(dock.getByRole('heading', { name: /One VLAN per tenant network/ })).toBeVisible();
  // Step 1: open the scenario from the step, then predict the size of the VLAN ID space.
  const tasks = dock.getByTestId('lesson-task');
  await expect(tasks.first()).toHaveAttribute('data-done', 'false');
  await dock.getByRole('button', { name: /Open “VLAN vs overlay/ }).click();
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

  // Steps 3 and 4: predictions.
  await answer(page, '16,773,119');
  await next(page);
  await answer(page, /Its IP address/);
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await shot(page, '4-complete');

  // Progress is saved: after a reload the lesson is still complete and the answers kept.
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await page.reload();
  await expect(page.getByTestId('lesson-dock')).toBeVisible();
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await expect(dock.getByRole('radio', { name: /Its IP address/ })).toBeChecked();
  await dock.getByRole('button', { name: '← All lessons' }).click();
  await expect(dock.getByRole('button', { name: /Why VLANs don't scale/ })).toContainText('Completed');
  await shot(page, '5-after-reload');
});
