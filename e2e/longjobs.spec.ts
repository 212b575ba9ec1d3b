// Long jobs are not crashes: importing a big Network Controller export shows a progress bar,
// can be cancelled (the document stays as it was), and an import that takes many seconds is
// not mistaken for a dead engine by the watchdog.
import { writeFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { plainNcExport } from '../src/engine/model/testNcRest.ts';
import { exportDoc } from './helpers/file';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/longjobs-${name}.png` });

const engineStatus = (page: Page) =>
  page.evaluate(() => {
    const status = window.__hnvEngine?.status();
    return { state: status?.state, restarts: status?.restarts, crash: status?.lastCrash?.reason };
  });

/** A plain NC export of `networks` networks, written to a file (too big to pass as a buffer). */
async function bigExport(name: string, networks: number, interfaceEvery: number): Promise<string> {
  const path = test.info().outputPath(name);
  await writeFile(path, JSON.stringify(plainNcExport(networks, { interfaceEvery })));
  return path;
}

test('a big import shows its progress, and Cancel leaves the document as it was', async ({ page }) => {
  const file = await bigExport('nc-160k-networks.json', 160_000, 0);
  await page.goto('/?testHooks');
  await expect(page.getByRole('button', { name: 'File' })).toBeVisible();
  await expect.poll(async () => (await engineStatus(page)).state).toBe('ready');
  const before = await exportDoc(page);

  await page.getByTestId('import-file').setInputFiles(file);
  const bar = page.getByRole('progressbar', { name: 'Importing “nc-160k-networks.json”' });
  await expect(bar).toBeVisible();
  // The engine reports how far it is: the bar moves off zero while it reads the networks.
  await expect
    .poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0), { intervals: [50] })
    .toBeGreaterThan(0);
  await expect(page.getByTestId('job-phase')).toContainText('Reading');
  await shot(page, '1-import-progress');
  await page.getByTestId('job-progress').getByRole('button', { name: 'Cancel' }).click();

  await expect(page.getByTestId('job-progress')).toBeHidden();
  await expect(page.getByText('Import of “nc-160k-networks.json” cancelled')).toBeVisible();
  await shot(page, '2-import-cancelled');
  // A fresh engine took the previous document; a cancel is not a crash.
  await expect.poll(async () => (await engineStatus(page)).state).toBe('ready');
  expect(await engineStatus(page)).toMatchObject({ restarts: 0, crash: undefined });
  await expect(page.getByTestId('engine-notice')).toBeHidden();
  expect(await exportDoc(page)).toEqual(before);
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();
});

test('an import that keeps the engine busy for many watchdog periods completes: busy is not dead', async ({
  page,
}) => {
  const file = await bigExport('nc-40k-networks.json', 40_000, 4);
  // A strict watchdog: 500 ms of silence and an unanswered ping (250 ms) would mean "dead".
  // The import and the compile keep the worker's thread for seconds: only their progress
  // reports tell the watchdog the engine is busy.
  await page.goto('/?testHooks&watchdog=500');
  await expect(page.getByRole('button', { name: 'File' })).toBeVisible();
  await expect.poll(async () => (await engineStatus(page)).state).toBe('ready');

  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByRole('progressbar', { name: 'Importing “nc-40k-networks.json”' })).toBeVisible();
  await expect(page.getByText(/Imported “Imported from Network Controller”/)).toBeVisible({
    timeout: 120_000,
  });
  await shot(page, '3-imported');
  await expect(page.getByTestId('job-progress')).toBeHidden({ timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible({
    timeout: 120_000,
  });
  expect(await engineStatus(page)).toMatchObject({ state: 'ready', restarts: 0, crash: undefined });
  await expect(page.getByTestId('engine-notice')).toBeHidden();
});
