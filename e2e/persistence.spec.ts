import { readFile } from 'node:fs/promises';
import { type Browser, expect, type Page, test } from '@playwright/test';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/persistence-${name}.png` });

/** The document as the lab exports it (File > Export lab JSON). */
async function exportDoc(page: Page): Promise<unknown> {
  await page.getByRole('button', { name: 'File' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Export lab JSON' }).click(),
  ]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

async function saved(page: Page) {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
}

async function openLab(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'File' })).toBeVisible();
}

test('a reload restores a half-built topology, the view and the theme', async ({ page }) => {
  await openLab(page);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('empty');
  await page.getByRole('button', { name: 'Palette: Logical subnet' }).click();
  await page.getByRole('button', { name: 'Palette: Hyper-V host' }).click();
  await page.getByRole('button', { name: 'Palette: Router' }).click();
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('button', { name: 'Palette: Tenant' }).click();
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await saved(page);
  const before = await exportDoc(page);
  expect((before as { hosts: unknown[] }).hosts).toHaveLength(1);
  await shot(page, '1-half-built');

  await page.reload();
  await expect(page.getByRole('button', { name: 'Virtual', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  await expect(page.locator('[aria-label^="Tenant "]')).toHaveCount(1);
  expect(await exportDoc(page)).toEqual(before);
  await shot(page, '2-after-reload');

  // Start over clears it.
  await page.getByRole('button', { name: 'File' }).click();
  await page.getByRole('menuitem', { name: 'Start over…' }).click();
  await page.getByRole('menuitem', { name: 'Start over' }).click();
  await saved(page);
  expect(await exportDoc(page)).not.toEqual(before);
});

test('a bad import shows its error and changes nothing', async ({ page }) => {
  await openLab(page);
  await page.getByRole('button', { name: 'Palette: Hyper-V host' }).click();
  const before = await exportDoc(page);

  // A lab document that breaks two rules.
  const bad = structuredClone(before) as {
    virtualSubnets: { vsid: number }[];
    vms: { nics: { mac: string }[] }[];
  };
  bad.virtualSubnets[0].vsid = 4095;
  bad.vms[1].nics[0].mac = bad.vms[0].nics[0].mac;
  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bad)),
  });
  const dialog = page.getByRole('dialog', { name: /Could not open “broken.json”/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('import-errors')).toContainText('4095');
  await expect(dialog.getByTestId('import-errors')).toContainText('virtual subnet');
  await expect(dialog).toContainText('Nothing was changed');
  await shot(page, '3-bad-import');
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expect(dialog).toBeHidden();
  expect(await exportDoc(page)).toEqual(before);

  // Not JSON at all.
  await page.getByTestId('import-file').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('this is not { json'),
  });
  await expect(page.getByRole('dialog', { name: /Could not open “notes.json”/ })).toContainText('not JSON');
  await page.getByRole('button', { name: 'OK' }).click();
  expect(await exportDoc(page)).toEqual(before);
});

test('an exported Network Controller REST file imports back', async ({ page }) => {
  await openLab(page);
  const before = (await exportDoc(page)) as { name: string };
  await page.getByRole('button', { name: 'File' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Export Network Controller REST JSON' }).click(),
  ]);
  const rest = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(rest).toHaveProperty('virtualNetworks');
  expect(rest).toHaveProperty('networkInterfaces');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('empty');
  await page.getByTestId('import-file').setInputFiles({
    name: 'nc.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(rest)),
  });
  await expect.poll(async () => ((await exportDoc(page)) as { name: string }).name).toBe(before.name);
});

async function freshPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return { context, page: await context.newPage() };
}

test('a share link opens the same topology in a fresh browser context', async ({ page, browser }) => {
  await openLab(page);
  await page.getByRole('button', { name: 'Palette: Hyper-V host' }).click();
  const original = await exportDoc(page);
  await page.getByRole('button', { name: 'Share link' }).click();
  const url = await page.getByRole('textbox', { name: 'Share URL' }).inputValue();
  expect(url).toMatch(/#doc=d1\.[A-Za-z0-9_-]+$/);
  await shot(page, '4-share');

  const fresh = await freshPage(browser);
  await fresh.page.goto(url);
  await expect(fresh.page.getByText(/from a share link/)).toBeVisible();
  expect(await exportDoc(fresh.page)).toEqual(original);
  expect(new URL(fresh.page.url()).hash).toBe('');
  await shot(fresh.page, '5-shared-opened');

  // A damaged link is refused with an explanation; the fresh lab keeps its own document.
  const other = await freshPage(browser);
  await other.page.goto(url.slice(0, url.indexOf('#doc=') + 30));
  await expect(other.page.getByRole('dialog', { name: /Could not open the share link/ })).toBeVisible();
  await other.page.getByRole('button', { name: 'OK' }).click();
  expect(await exportDoc(other.page)).not.toEqual(original);
  await fresh.context.close();
  await other.context.close();
});

test('after the first visit the lab loads offline, and it never calls another origin', async ({
  page,
  context,
}) => {
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['blob:', 'data:'].includes(u.protocol)) {
      foreign.push(r.url());
    }
  });
  await openLab(page);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 15_000,
  });
  await expect(page.locator('link[rel="manifest"]')).toHaveCount(1);
  await saved(page).catch(() => undefined);
  const before = await exportDoc(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'HNV Lab' })).toBeVisible();
  await expect(page.getByRole('button', { name: /valid|problem/ })).toBeVisible();
  expect(await exportDoc(page)).toEqual(before);
  // The engine worker came from the cache too: a trace runs offline.
  const option = async (select: string, text: string) =>
    (await page.getByTestId(select).locator('option', { hasText: text }).first().getAttribute('value')) ?? '';
  await page.getByTestId('trace-from').selectOption(await option('trace-from', 'Contoso/Web'));
  await page.getByTestId('trace-to').selectOption(await option('trace-to', 'Contoso/SQL'));
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toContainText('Delivered');
  await shot(page, '6-offline');
  await context.setOffline(false);
  expect(foreign).toEqual([]);
});

test('with the lab open in two tabs, only the first saves; the second takes over when it closes', async ({
  page,
  context,
}) => {
  await openLab(page);
  await page.getByRole('button', { name: 'Palette: Hyper-V host' }).click();
  await saved(page);
  const first = await exportDoc(page);

  const second = await context.newPage();
  await openLab(second);
  const status = second.getByTestId('save-status');
  await expect(status).toHaveAttribute('data-state', 'other-tab');
  await expect(status).toHaveText('Not saving: open in another tab');
  await expect(second.getByText(/open in another tab, and that tab saves your work/)).toBeVisible();
  await shot(second, '6-second-tab');
  // Work in the second tab does not replace the first tab's saved session.
  await second.getByRole('button', { name: 'Palette: Router' }).click();
  await second.waitForTimeout(1500);
  await expect(status).toHaveAttribute('data-state', 'other-tab');
  const probe = await context.newPage();
  await openLab(probe);
  expect(await exportDoc(probe)).toEqual(first); // what is saved is still the first tab's work
  await probe.close();

  // The first tab closes: the second saves from now on, and a new tab opens what it saved.
  await page.close();
  await expect(second.getByText(/The other tab closed: this tab saves your work now/)).toBeVisible();
  await second.getByRole('button', { name: 'Palette: Logical subnet' }).click();
  await saved(second);
  const fromSecond = await exportDoc(second);
  expect(fromSecond).not.toEqual(first);
  await second.close();
  const third = await context.newPage();
  await openLab(third);
  await expect(third.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  expect(await exportDoc(third)).toEqual(fromSecond);
});
