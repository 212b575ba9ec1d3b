import { readFile } from 'node:fs/promises';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { addHost } from './helpers/editor';
import { exportDoc } from './helpers/file';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/persistence-${name}.png` });

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
  await addHost(page);
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
  await addHost(page);
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
  await addHost(page);
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

/** How many objects of each kind the document has. */
async function counts(page: Page) {
  const doc = (await exportDoc(page)) as Record<string, unknown[]>;
  return { logicalSubnets: doc.logicalSubnets.length, routers: doc.routers.length, hosts: doc.hosts.length };
}

const JOURNAL = 'hnv-lab-session-journal';

/** What the browser does as a tab is hidden and left: visibilitychange to hidden, then pagehide. */
async function leave(page: Page) {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    // The page stays: back to the browser's own visibilityState.
    delete (document as { visibilityState?: unknown }).visibilityState;
  });
}

test('with the lab open in two tabs, only the first saves; the second loads its work when it takes over', async ({
  page,
  context,
}) => {
  await openLab(page);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('empty');
  await saved(page);

  const second = await context.newPage();
  await openLab(second);
  const status = second.getByTestId('save-status');
  await expect(status).toHaveAttribute('data-state', 'other-tab');
  await expect(status).toHaveText('Not saving: open in another tab');
  await expect(second.getByText(/open in another tab, and that tab saves your work/)).toBeVisible();
  await shot(second, '6-second-tab');

  // The first tab works on: 5 logical subnets and a router (the reported case).
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Palette: Logical subnet' }).click();
  await page.getByRole('button', { name: 'Palette: Router' }).click();
  await saved(page);
  const first = await exportDoc(page);
  expect(await counts(page)).toMatchObject({ logicalSubnets: 5, routers: 1 });

  // The second tab, still showing the empty lab, gets edits of its own. They are not saved: not
  // even when it is left, which makes a saving tab write its journal at once.
  for (let i = 0; i < 3; i++) await second.getByRole('button', { name: 'Palette: Router' }).click();
  const mine = await exportDoc(second);
  await leave(second);
  expect(await second.evaluate((key) => localStorage.getItem(key), JOURNAL)).toBeNull();
  await expect(status).toHaveAttribute('data-state', 'other-tab');
  const probe = await context.newPage();
  await openLab(probe);
  expect(await exportDoc(probe)).toEqual(first); // what is saved is still the first tab's work
  await probe.close();

  // The first tab closes: the second loads what it saved before saving anything, and asks.
  await page.close();
  const banner = second.getByRole('alertdialog', { name: /The other tab closed/ });
  await expect(banner).toContainText('shows the work it saved');
  await expect(banner).toContainText('one Undo away');
  await expect(status).not.toHaveAttribute('data-state', 'other-tab');
  await expect(second.getByText(/open in another tab, and that tab saves your work/)).toBeHidden();
  expect(await exportDoc(second)).toEqual(first);
  await shot(second, '7-taken-over');

  // "Use this tab's version" brings this tab's edits back; the other tab's work is one Redo away.
  await banner.getByRole('button', { name: "Use this tab's version" }).click();
  await expect(banner).toBeHidden();
  expect(await exportDoc(second)).toEqual(mine);
  await second.getByRole('button', { name: 'Redo' }).click();
  expect(await exportDoc(second)).toEqual(first);

  // The next edit builds on the first tab's work, and a new tab opens what the second saved.
  await second.getByRole('button', { name: 'Palette: Logical subnet' }).click();
  await saved(second);
  expect(await counts(second)).toMatchObject({ logicalSubnets: 6, routers: 1 });
  const fromSecond = await exportDoc(second);
  await second.close();
  const third = await context.newPage();
  await openLab(third);
  await expect(third.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  expect(await exportDoc(third)).toEqual(fromSecond);
});

test('a tab that made no changes of its own takes over without asking', async ({ page, context }) => {
  await openLab(page); // a fresh lab: nothing saved yet
  const second = await context.newPage();
  await openLab(second);
  await expect(second.getByTestId('save-status')).toHaveAttribute('data-state', 'other-tab');
  await addHost(page);
  await saved(page);
  const first = await exportDoc(page);
  await page.close();
  await expect(second.getByText(/this tab saves your work now, and shows the work it saved/)).toBeVisible();
  await expect(second.getByRole('alertdialog')).toHaveCount(0);
  expect(await exportDoc(second)).toEqual(first);
});

for (const gap of [50, 0]) {
  test(`an edit ${gap} ms before a reload survives it`, async ({ page }) => {
    await openLab(page);
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('empty');
    await saved(page);
    const before = await counts(page);
    // The edit and the reload both from inside the page, `gap` ms apart (0: in the same task).
    const reloaded = page.waitForEvent('load');
    await page.evaluate((ms) => {
      document.querySelector<HTMLButtonElement>('[aria-label="Palette: Router"]')?.click();
      if (ms === 0) location.reload();
      else setTimeout(() => location.reload(), ms);
    }, gap);
    await reloaded;
    await expect(page.getByRole('button', { name: 'File' })).toBeVisible();
    expect(await counts(page)).toEqual({ ...before, routers: before.routers + 1 });
    // The restored page moves the journal into IndexedDB and retires it.
    await saved(page);
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), JOURNAL)).toBeNull();
  });
}

test('a share link opened in a tab where the lab is open is offered, and opening it is undoable', async ({
  page,
}) => {
  await openLab(page);
  await addHost(page);
  const shared = await exportDoc(page);
  await page.getByRole('button', { name: 'Share link' }).click();
  const url = await page.getByRole('textbox', { name: 'Share URL' }).inputValue();
  const hash = url.slice(url.indexOf('#'));
  await page.keyboard.press('Escape');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('empty');
  const mine = await exportDoc(page);
  const openLink = (h: string) => page.evaluate((value) => (location.hash = value), h);

  // "Keep mine": nothing changes, and the link leaves the address bar.
  await openLink(hash);
  const offer = page.getByRole('alertdialog', { name: /Open the shared lab/ });
  await expect(offer).toBeVisible();
  await shot(page, '8-share-offer');
  await offer.getByRole('button', { name: 'Keep mine' }).click();
  await expect(offer).toBeHidden();
  expect(new URL(page.url()).hash).toBe('');
  await expect.poll(() => exportDoc(page)).toEqual(mine);

  // "Open shared lab" opens it; Undo brings back the work it replaced.
  await openLink(hash);
  await offer.getByRole('button', { name: 'Open shared lab' }).click();
  await expect(page.getByText(/from a share link\. Undo brings back your previous document/)).toBeVisible();
  await expect.poll(() => exportDoc(page)).toEqual(shared);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => exportDoc(page)).toEqual(mine);

  // A damaged link explains itself and changes nothing.
  await openLink(hash.slice(0, 30));
  await expect(page.getByRole('dialog', { name: /Could not open the share link/ })).toBeVisible();
  await page.getByRole('button', { name: 'OK' }).click();
  await expect(offer).toBeHidden();
  await expect.poll(() => exportDoc(page)).toEqual(mine);
});
