// A newcomer builds the multi-tenant datacenter (the docs' figure 8) from an empty
// canvas with the palette and drag and drop only, plus typing in the properties panel;
// then live-migrates a VM by dragging it onto the other host, and undo restores it.
import { expect, type Locator, type Page, test } from '@playwright/test';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/editor-${name}.png` });

async function dropFromPalette(
  page: Page,
  item: string,
  target: Locator,
  position?: { x: number; y: number },
) {
  await page
    .getByRole('button', { name: `Palette: ${item}`, exact: true })
    .dragTo(target, position ? { targetPosition: position } : {});
}

async function rename(page: Page, name: string) {
  const field = page.getByRole('textbox', { name: 'Name', exact: true });
  await field.fill(name);
  await expect(field).toHaveValue(name);
}

/** Draw a link from one handle to another with the mouse, as a user would. */
async function drawLink(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

async function fitView(page: Page) {
  await page.getByRole('button', { name: /fit view/i }).click();
  await page.waitForTimeout(150);
}

test('a newcomer builds the multi-tenant datacenter from an empty canvas, migrates a VM, and undo restores it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/?scenario=empty');
  const pane = page.locator('.react-flow__pane');
  await expect(page.getByText('An empty datacenter')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('empty');
  await shot(page, '01-empty');

  // --- Physical: two PA subnets, a router joining them, two hosts.
  await dropFromPalette(page, 'Logical subnet', pane, { x: 150, y: 200 });
  await expect(page.getByRole('article', { name: 'Logical subnet PA subnet 1' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Prefix' })).toHaveValue('192.168.1.0/24');
  await dropFromPalette(page, 'Logical subnet', pane, { x: 600, y: 200 });
  const bus1 = page.getByRole('article', { name: 'Logical subnet PA subnet 1' });
  const bus2 = page.getByRole('article', { name: 'Logical subnet PA subnet 2' });
  await expect(bus2).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Prefix' })).toHaveValue('192.168.2.0/24');

  await dropFromPalette(page, 'Router', pane, { x: 300, y: 60 });
  const router = page.getByRole('article', { name: 'Router Router 1' });
  await expect(router).toBeVisible();
  await fitView(page);
  const routerHandle = page.locator('.react-flow__node-router .react-flow__handle');
  await drawLink(page, routerHandle, bus1.locator('.react-flow__handle[data-handleid="up"]'));
  await expect(router).toContainText('1 interface');
  await drawLink(page, routerHandle, bus2.locator('.react-flow__handle[data-handleid="up"]'));
  await expect(router).toContainText('2 interfaces');
  await shot(page, '02-subnets-and-router');

  await dropFromPalette(page, 'Hyper-V host', bus1);
  const host1 = page.getByRole('article', { name: 'Host Host 1' });
  await expect(host1).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Logical subnet' })).toHaveValue(/.+/);
  await expect(page.getByRole('textbox', { name: 'Provider address 1' })).toHaveValue(/^192\.168\.1\./);
  await fitView(page);
  await dropFromPalette(page, 'Hyper-V host', bus2);
  const host2 = page.getByRole('article', { name: 'Host Host 2' });
  await expect(host2).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Provider address 1' })).toHaveValue(/^192\.168\.2\./);
  await fitView(page);
  await shot(page, '03-hosts');

  // --- Virtual: Contoso and Fabrikam, each with a VM network and a virtual subnet.
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await expect(page.getByLabel('Virtual view canvas')).toBeVisible();
  const tenants = [
    { name: 'Contoso', vsid: '5001', at: { x: 120, y: 80 } },
    { name: 'Fabrikam', vsid: '6001', at: { x: 560, y: 80 } },
  ];
  for (const t of tenants) {
    await dropFromPalette(page, 'Tenant', pane, t.at);
    await rename(page, t.name);
    const tenant = page.getByRole('article', { name: `Tenant ${t.name}` });
    await expect(tenant).toBeVisible();
    await dropFromPalette(page, 'VM network', tenant);
    await rename(page, `${t.name} Net`);
    const net = page.getByRole('article', { name: `VM network ${t.name} Net` });
    await expect(net).toBeVisible();
    await dropFromPalette(page, 'Virtual subnet', net);
    await rename(page, `${t.name} Subnet`);
    const vsid = page.getByRole('textbox', { name: 'VSID' });
    await vsid.fill(t.vsid);
    await expect(page.getByRole('textbox', { name: 'Prefix' })).toHaveValue('10.1.1.0/24');
    await expect(page.getByRole('article', { name: `Virtual subnet ${t.name} Subnet` })).toContainText(
      `VSID ${t.vsid}`,
    );
    await fitView(page);
  }
  await shot(page, '04-tenants');

  // --- VMs: SQL on Host 1 and Web on Host 2, with the same CAs in both tenants.
  for (const t of tenants) {
    await page.getByRole('button', { name: 'Virtual', exact: true }).click();
    await page
      .getByRole('article', { name: `Virtual subnet ${t.name} Subnet` })
      .click({ position: { x: 20, y: 10 } });
    await expect(page.getByRole('textbox', { name: 'VSID' })).toHaveValue(t.vsid);
    await page.getByRole('button', { name: 'Physical', exact: true }).click();
    for (const vm of [
      { name: 'SQL', ca: '10.1.1.11', host: host1 },
      { name: 'Web', ca: '10.1.1.12', host: host2 },
    ]) {
      await fitView(page);
      await dropFromPalette(page, 'VM', vm.host);
      await expect(page.getByRole('textbox', { name: 'Customer address' })).toHaveValue(/^10\.1\.1\./);
      await rename(page, vm.name);
      await page.getByRole('textbox', { name: 'Customer address' }).fill(vm.ca);
      await expect(page.getByRole('combobox', { name: 'Virtual subnet' })).toContainText(
        `${t.name} / ${t.name} Subnet`,
      );
    }
  }
  await fitView(page);
  await expect(page.getByRole('article', { name: 'VM SQL on Host 1' })).toHaveCount(2);
  await expect(page.getByRole('article', { name: 'VM Web on Host 2' })).toHaveCount(2);
  await shot(page, '05-physical-complete');
  // The engine (in the worker) accepts the datacenter: no validation problem left.
  await page.getByRole('button', { name: /validation problem/ }).click();
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await fitView(page);
  for (const tenant of ['Contoso', 'Fabrikam']) {
    await expect(page.getByRole('article', { name: `VM SQL in ${tenant} Subnet` })).toContainText(
      '10.1.1.11',
    );
    await expect(page.getByRole('article', { name: `VM Web in ${tenant} Subnet` })).toContainText(
      '10.1.1.12',
    );
  }
  await shot(page, '06-virtual-complete');

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
