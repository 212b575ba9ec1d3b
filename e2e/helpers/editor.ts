// Shared editor steps: what a newcomer does with the palette, the mouse and the properties
// panel. editor.spec.ts and newcomer.spec.ts build the same datacenter with them.
import { expect, type Locator, type Page } from '@playwright/test';

export async function dropFromPalette(
  page: Page,
  item: string,
  target: Locator,
  position?: { x: number; y: number },
) {
  await page
    .getByRole('button', { name: `Palette: ${item}`, exact: true })
    .dragTo(target, position ? { targetPosition: position } : {});
}

export async function rename(page: Page, name: string) {
  const field = page.getByRole('textbox', { name: 'Name', exact: true });
  await field.fill(name);
  await expect(field).toHaveValue(name);
}

/** Draw a link from one handle to another with the mouse, as a user would. */
export async function drawLink(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

export async function fitView(page: Page) {
  await page.getByRole('button', { name: /fit view/i }).click();
  // Wait on state, not time: the viewport's transform is the same over two animation frames.
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const viewport = document.querySelector('.react-flow__viewport') as HTMLElement | null;
        const before = viewport?.style.transform;
        requestAnimationFrame(() =>
          requestAnimationFrame(() => resolve(viewport !== null && viewport.style.transform === before)),
        );
      }),
  );
}

export type BuildStage =
  | 'subnets-and-router'
  | 'hosts'
  | 'tenants'
  | 'physical-complete'
  | 'virtual-complete';

/**
 * From an empty canvas, the docs' multi-tenant datacenter: PA subnets 1 and 2 joined by a
 * router, Host 1 and Host 2, tenants Contoso (VSID 5001) and Fabrikam (VSID 6001), each
 * with SQL 10.1.1.11 on Host 1 and Web 10.1.1.12 on Host 2. `stage` is called after each
 * step (for screenshots). Ends in the virtual view.
 */
export async function buildMultiTenant(page: Page, stage: (name: BuildStage) => Promise<unknown>) {
  const pane = page.locator('.react-flow__pane');
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
  const routerHandle = page.locator('.react-flow__node-router .react-flow__handle[data-handleid="down"]');
  await drawLink(page, routerHandle, bus1.locator('.react-flow__handle[data-handleid="up"]'));
  await expect(router).toContainText('1 interface');
  await drawLink(page, routerHandle, bus2.locator('.react-flow__handle[data-handleid="up"]'));
  await expect(router).toContainText('2 interfaces');
  await stage('subnets-and-router');

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
  await stage('hosts');

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
  await stage('tenants');

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
  await stage('physical-complete');
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
  await stage('virtual-complete');
  return { host1, host2 };
}

/**
 * Click "Hyper-V host" in the palette and wait until the host is drawn: a new host first asks the
 * engine for free MACs and PAs, so it appears a moment after the click, as a user sees it.
 */
export async function addHost(page: Page) {
  const hosts = page.getByRole('article', { name: /^Host / });
  const count = await hosts.count();
  await page.getByRole('button', { name: 'Palette: Hyper-V host' }).click();
  await expect(hosts).toHaveCount(count + 1);
}
