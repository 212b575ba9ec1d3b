// A newcomer builds the multi-tenant datacenter (the docs' figure 8) from an empty
// canvas with the palette and drag and drop only, plus typing in the properties panel;
// then live-migrates a VM by dragging it onto the other host, and undo restores it.
import { expect, type Page, test } from '@playwright/test';
import { buildMultiTenant, fitView } from './helpers/editor';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/editor-${name}.png` });

test('a newcomer builds the multi-tenant datacenter from an empty canvas, migrates a VM, and undo restores it', async ({
  page,
}) => {
  await page.goto('/?scenario=empty');
  await expect(page.getByText('An empty datacenter')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('empty');
  await shot(page, '01-empty');

  const numbers = {
    'subnets-and-router': '02',
    hosts: '03',
    tenants: '04',
    'physical-complete': '05',
    'virtual-complete': '06',
  } as const;
  const { host1 } = await buildMultiTenant(page, (stage) => shot(page, `${numbers[stage]}-${stage}`));

  // --- A validation message shows next to the field it names, and typing never blocks.
  await page
    .getByRole('article', { name: 'Virtual subnet Fabrikam Subnet' })
    .click({ position: { x: 20, y: 10 } });
  await page.getByRole('textbox', { name: 'VSID' }).fill('5001');
  await expect(page.getByRole('alert').filter({ hasText: /5001/ }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /validation problem/ })).toBeVisible();
  await shot(page, '07-inline-validation');
  await page.getByRole('textbox', { name: 'VSID' }).fill('6001');
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();

  // --- Live migration: drag Contoso Web from Host 2 onto Host 1.
  await page.getByRole('button', { name: 'Physical', exact: true }).click();
  await fitView(page);
  const contosoWeb = page.getByRole('article', { name: 'VM Web on Host 2' }).first();
  await contosoWeb.click();
  await expect(page.getByRole('combobox', { name: 'Host' })).toContainText('Host 2');
  const before = await page.getByRole('article', { name: 'VM Web on Host 2' }).count();
  const from = (await contosoWeb.boundingBox())!;
  const to = (await host1.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x - 40, from.y, { steps: 6 });
  await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 12 });
  await page.mouse.up();
  await expect(page.getByRole('article', { name: 'VM Web on Host 2' })).toHaveCount(before - 1);
  await expect(page.getByRole('article', { name: 'VM Web on Host 1' })).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: 'Live migration' })).toBeVisible();
  await shot(page, '08-live-migration');

  // --- Undo restores the document: Web is back on Host 2.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('article', { name: 'VM Web on Host 1' })).toHaveCount(0);
  await expect(page.getByRole('article', { name: 'VM Web on Host 2' })).toHaveCount(2);
  await page.keyboard.press('Control+Shift+Z');
  await expect(page.getByRole('article', { name: 'VM Web on Host 1' })).toHaveCount(1);
  await page.keyboard.press('Control+Z');
  await expect(page.getByRole('article', { name: 'VM Web on Host 2' })).toHaveCount(2);
  await shot(page, '09-after-undo');

  // --- Help overlay and dark theme.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await shot(page, '10-help');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await shot(page, '11-dark');
});

test('delete, copy and paste from the keyboard', async ({ page }) => {
  await page.goto('/?scenario=multi-tenant');
  const host1 = page.getByRole('article', { name: 'Host Host 1' });
  await expect(page.getByRole('article', { name: 'VM SQL on Host 1' })).toHaveCount(2);
  await page.getByRole('article', { name: 'VM SQL on Host 1' }).first().click();
  await page.keyboard.press('Control+C');
  await page.keyboard.press('Control+V');
  await expect(page.getByRole('article', { name: 'VM SQL copy on Host 1' })).toHaveCount(1);
  await expect(page.getByRole('textbox', { name: 'Customer address' })).not.toHaveValue('10.1.1.11');
  await page.keyboard.press('Delete');
  await expect(page.getByRole('article', { name: 'VM SQL copy on Host 1' })).toHaveCount(0);
  // Shift-click picks several; Delete removes them all in one undoable step.
  await page.getByRole('article', { name: 'VM SQL on Host 1' }).first().click();
  await page
    .getByRole('article', { name: 'VM Web on Host 2' })
    .first()
    .click({ modifiers: ['Shift'] });
  await expect(page.getByText('2 objects selected')).toBeVisible();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('article', { name: 'VM SQL on Host 1' })).toHaveCount(1);
  await expect(page.getByRole('article', { name: 'VM Web on Host 2' })).toHaveCount(1);
  await page.keyboard.press('Control+Z');
  await expect(page.getByRole('article', { name: 'VM SQL on Host 1' })).toHaveCount(2);
  await expect(page.getByRole('article', { name: 'VM Web on Host 2' })).toHaveCount(2);
  // A host that still runs VMs is refused, with the reason.
  await host1.click({ position: { x: 30, y: 12 } });
  await page.keyboard.press('Delete');
  await expect(page.getByRole('alert').filter({ hasText: 'still runs' })).toBeVisible();
  await expect(host1).toBeVisible();
});

test('quick repeated clicks: each new host, team NIC and adapter gets addresses of its own', async ({
  page,
}) => {
  await page.goto('/?scenario=multi-tenant');
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();
  // Each of these asks the engine for free values; three clicks land before the first answer.
  const clickThrice = (name: string) =>
    page.evaluate((label) => {
      const button = [...document.querySelectorAll('button')].find(
        (b) => b.getAttribute('aria-label') === label || b.textContent?.trim() === label,
      );
      for (let i = 0; i < 3; i++) button?.click();
    }, name);
  await clickThrice('Palette: Hyper-V host');
  await expect(page.getByRole('article', { name: /^Host / })).toHaveCount(5);
  await page.getByRole('article', { name: 'Host Host 1' }).click({ position: { x: 30, y: 12 } });
  // HNVv2: each team member brings a MAC and a PA of its own.
  await clickThrice('+ NIC');
  await expect(page.getByRole('textbox', { name: /^Provider address / })).toHaveCount(5);
  await page.getByRole('article', { name: 'VM SQL on Host 1' }).first().click();
  await clickThrice('+ Add adapter');
  await expect(page.getByRole('textbox', { name: 'Customer address' })).toHaveCount(4);
  const cas = await page
    .getByRole('textbox', { name: 'Customer address' })
    .evaluateAll((fields) => fields.map((f) => (f as HTMLInputElement).value));
  expect(new Set(cas).size).toBe(4);
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();
});

test('the canvas marks where the traced packet is, in both views', async ({ page }) => {
  await page.goto('/?scenario=multi-tenant');
  await expect(page.getByRole('article', { name: 'Host Host 2' })).toBeVisible();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const marked = page.locator('.react-flow__node [data-trace="here"]');
  await expect(marked.first()).toBeVisible();
  // Step through the timeline: the mark moves from node to node along the physical path.
  const places = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('ArrowRight');
    const names = await marked.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    for (const n of names) places.add(n);
  }
  expect([...places].some((n) => n.startsWith('Host Host 2'))).toBe(true);
  expect([...places].some((n) => n.startsWith('Host Host 1') || n.startsWith('Router'))).toBe(true);
  await shot(page, '12-trace-physical');
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await expect(page.locator('.react-flow__node [data-trace]').first()).toBeVisible();
  await shot(page, '13-trace-virtual');
});

test('panels resize with their handles', async ({ page }) => {
  await page.goto('/?scenario=multi-tenant');
  const side = page.getByRole('tabpanel');
  const before = (await side.boundingBox())!.width;
  const handle = (await page.getByRole('separator', { name: 'Resize side panel' }).boundingBox())!;
  await page.mouse.move(handle.x + 1, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x - 120, handle.y + handle.height / 2, { steps: 6 });
  await page.mouse.up();
  expect((await side.boundingBox())!.width).toBeGreaterThan(before + 100);
});
