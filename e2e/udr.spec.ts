// Issue 12: user-defined routes, a firewall appliance and VNet peering, as a newcomer meets
// them in the udr-peering scenario: the ping from Web to App goes through the firewall and the
// trace names the route that won; changing the route's next hop to None in the properties drops
// it; host tables list the effective routes; a one-way peering shows as Initiated.
import { expect, type Page, test } from '@playwright/test';
import { ping } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/udr-${name}.png`, fullPage: false });

test('Web -> App through the firewall; the route decision named; None drops; effective routes; peering state', async ({
  page,
}) => {
  await page.goto('/?scenario=udr-peering');
  await page.getByRole('tab', { name: 'Trace', exact: true }).click();
  await ping(page, /Contoso\/Web/, /Contoso\/App/);
  const verdict = page.getByTestId('trace-verdict');
  await expect(verdict).toHaveAttribute('data-outcome', 'delivered');
  const steps = page.getByTestId('trace-steps');
  await expect(steps).toContainText(
    "route in 'Spoke Net' for 10.1.2.10: 10.1.2.0/24 (/24, udr) next hop virtual appliance 10.0.1.4 wins",
  );
  await expect(steps).toContainText('Contoso/FW is a virtual appliance (IP forwarding on)');
  await expect(steps).toContainText('across peering Hub Net<->Spoke Net');
  await shot(page, '1-through-firewall');

  // The route's next hop becomes None in the properties of the Web subnet: the same ping is dropped.
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('button', { name: /fit view/i }).click();
  await page
    .getByRole('article', { name: 'Virtual subnet Web' })
    .first()
    .click({ position: { x: 20, y: 10 } });
  await page.getByRole('tab', { name: 'Properties' }).click();
  await expect(page.getByLabel('Route table', { exact: true })).toHaveValue('web-routes');
  const routes = page.getByRole('list', { name: 'Routes of Web routes' });
  await expect(routes).toBeVisible();
  await routes.getByLabel('Route to App via FW next hop type').selectOption('None');
  await expect(routes.getByLabel('Route to App via FW next hop address')).toHaveCount(0);
  await routes.scrollIntoViewIfNeeded();
  await shot(page, '2-route-table');
  await page.getByRole('tab', { name: 'Trace', exact: true }).click();
  await page.getByTestId('trace-run').click();
  await expect(verdict).toHaveAttribute('data-outcome', 'dropped');
  await expect(verdict).toContainText(
    "route table 'Web routes' route 'to App via FW' (10.1.2.0/24) next hop None",
  );

  // Host tables: Web's effective routes on Host 2, the overridden system route Invalid.
  await page.getByRole('tab', { name: 'Host tables' }).click();
  await page.getByTestId('tables-host').selectOption({ label: 'Host 2' });
  await page.getByRole('tab', { name: 'PAs & routes' }).click();
  const web = page.getByRole('region', { name: 'Effective routes of Web' });
  await expect(web.locator('tr[data-state="Invalid"]').first()).toContainText('10.1.2.0/24');
  await expect(web).toContainText('None');
  await web.scrollIntoViewIfNeeded();
  await shot(page, '3-effective-routes');

  // Peerings: Sales Net peers to Spoke one way only.
  await page
    .getByRole('article', { name: 'VM network Sales Net' })
    .first()
    .click({ position: { x: 20, y: 10 } });
  await page.getByRole('tab', { name: 'Properties' }).click();
  const peerings = page.getByRole('list', { name: 'Peerings of Sales Net' });
  await expect(peerings.getByTestId('peering-state')).toHaveText('Initiated');
  await page
    .getByRole('article', { name: 'VM network Spoke Net' })
    .first()
    .click({ position: { x: 20, y: 10 } });
  await expect(
    page.getByRole('list', { name: 'Peerings of Spoke Net' }).getByTestId('peering-state'),
  ).toHaveText('Connected');
  // Peer Spoke back with Sales: both become Connected.
  await page.getByLabel('Peer with', { exact: true }).selectOption({ label: 'Sales Net' });
  await expect(
    page.getByRole('list', { name: 'Peerings of Spoke Net' }).getByTestId('peering-state'),
  ).toHaveText(['Connected', 'Connected']);
  await shot(page, '4-peerings');

  // The palette's Route table, clicked with the DMZ subnet selected: a new table on DMZ, one route added.
  await page
    .getByRole('article', { name: 'Virtual subnet DMZ' })
    .first()
    .click({ position: { x: 20, y: 10 } });
  await page.getByRole('button', { name: 'Palette: Route table' }).click();
  await expect(page.getByLabel('Route table', { exact: true })).not.toHaveValue('');
  await page.getByRole('button', { name: 'Add a route to Route table 1' }).click();
  const fresh = page.getByRole('list', { name: 'Routes of Route table 1' });
  await expect(fresh.getByLabel('Route route 1 prefix')).toHaveValue('0.0.0.0/0');
  await expect(fresh.getByLabel('Route route 1 next hop type')).toHaveValue('None');
  await page.setViewportSize({ width: 1280, height: 800 });
  await fresh.scrollIntoViewIfNeeded();
  await shot(page, '5-palette-route-table-1280');
});
