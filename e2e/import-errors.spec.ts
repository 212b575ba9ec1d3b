import { expect, type Page, test } from '@playwright/test';
import { exportJson } from './helpers/file';

// Bad imports get short, named errors: a broken NC REST export says which resource and
// field (no TypeError), and a 5 MB name is quoted as 60 characters and its length.

async function importFile(page: Page, name: string, content: unknown) {
  await page.getByTestId('import-file').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(content)),
  });
  return page.getByRole('dialog', { name: new RegExp(`Could not open “${name}”`) });
}

test('a broken NC REST export and a 5 MB name give short named errors and change nothing', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'File' })).toBeVisible();
  const before = await exportJson(page, 'Export lab JSON');
  const rest = await exportJson(page, 'Export Network Controller REST JSON');

  (rest.hnvLab as { routers: unknown[] }).routers = [null];
  const restDialog = await importFile(page, 'nc.json', rest);
  await expect(restDialog.getByTestId('import-errors')).toContainText(
    'REST export hnvLab.routers[0] null is not an object',
  );
  await expect(restDialog).not.toContainText('TypeError');
  await page.screenshot({ path: 'artifacts/screenshots/import-errors-1-rest.png' });
  await restDialog.getByRole('button', { name: 'OK' }).click();
  await expect(restDialog).toBeHidden();

  const huge = structuredClone(before) as { vms: { name: string }[] };
  huge.vms[0].name = 'n'.repeat(5_000_000);
  const nameDialog = await importFile(page, 'huge.json', huge);
  const errors = nameDialog.getByTestId('import-errors');
  await expect(errors).toContainText(
    `'${'n'.repeat(60)}… (5000000 characters)' name is longer than 64 characters`,
  );
  expect(((await errors.textContent()) ?? '').length).toBeLessThan(1000);
  await page.screenshot({ path: 'artifacts/screenshots/import-errors-2-huge-name.png' });
  await nameDialog.getByRole('button', { name: 'OK' }).click();
  await expect(nameDialog).toBeHidden();

  expect(await exportJson(page, 'Export lab JSON')).toEqual(before);
});
