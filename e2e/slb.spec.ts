// Issue 12, SLB: a newcomer picks the load-balancer scenario; the brief says what the VIP, the
// MUXes and the DIPs are, and the canvas draws the fabric without errors.
import { expect, type Page, test } from '@playwright/test';
import { traceClientToVip } from './helpers/trace';

const shot = (page: Page, name: string) => page.screenshot({ path: `artifacts/screenshots/slb-${name}.png` });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

for (const size of [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
])
  test(`the load-balancer scenario loads and explains itself (${size.width}x${size.height})`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await page.goto('/');
    await page
      .getByRole('combobox', { name: 'Scenario' })
      .selectOption({ label: 'Software load balancer: a web tier behind a VIP' });
    const brief = page.getByRole('region', { name: /About this scenario: Software load balancer/ });
    await expect(brief).toContainText('VIP 203.0.113.10');
    await expect(brief).toContainText('direct server return');
    await shot(page, `brief-${size.width}`);
  });

test('from Internet/Client to the VIP over TCP 80: delivered at a web VM, the SYN-ACK back at the client', async ({
  page,
}) => {
  await page.goto('/');
  await page
    .getByRole('combobox', { name: 'Scenario' })
    .selectOption({ label: 'Software load balancer: a web tier behind a VIP' });
  await traceClientToVip(page);
  const verdict = page.getByTestId('trace-verdict');
  await expect(page.getByTestId('send-more')).toHaveCount(0);
  // The SYN-ACK's way back is folded in the summary: every step, please.
  await page.locator('[data-level="detail"]').click();
  await expect(
    page.getByText(/SLB MUX \d: 198\.51\.100\.10:\d+ -> 203\.0\.113\.10:80 TCP/).first(),
  ).toBeVisible();
  await expect(
    page.getByText(/direct server return: not encapsulated, not through the MUX/).first(),
  ).toBeVisible();
  await shot(page, 'trace-client');
  // The MUX that took the flow lists it, with the DIP it gave it.
  const mux = (
    await page
      .getByText(/SLB MUX (\d): 198\.51\.100\.10/)
      .first()
      .textContent()
  )?.match(/SLB MUX (\d)/)?.[1];
  await page.getByRole('tab', { name: 'Host tables' }).click();
  await page.getByTestId('tables-host').selectOption({ label: `Host ${mux}` });
  await page.getByRole('tab', { name: 'Flow tables' }).click();
  const flows = page.getByTestId('mux-flow-table');
  await expect(flows).toContainText('198.51.100.10:49232 -> 203.0.113.10:80 TCP');
  await expect(flows).toContainText(/10\.1\.1\.1[123] Contoso\/Web[123]/);
  await shot(page, 'mux-flows');

  // The DIP's probe stops answering: the same flow stays on it (flow affinity).
  const dip = (await verdict.textContent())?.match(/Web[123]/)?.[0] ?? '';
  await page.getByRole('tab', { name: 'Properties' }).click();
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('article', { name: `VM ${dip} in Web Tier` }).click();
  const probe = page.getByRole('checkbox', { name: 'Health probe of Web LB answers' });
  await expect(probe).toBeChecked();
  await probe.uncheck();
  await page.getByTestId('trace-rerun').click();
  await expect(verdict).toContainText(`Contoso/${dip}`);
  await expect(page.getByText(/is a known flow \(flow affinity\): stays on DIP/).first()).toBeVisible();
  await shot(page, 'probe-down');
});

test('Lesson 12 walked as a newcomer: predict the DIP, see DSR, fail its probe, the flow stays', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons' }).click();
  const dock = page.getByTestId('lesson-dock');
  await dock.getByRole('button', { name: /The software load balancer/ }).click();
  await expect(dock.getByRole('heading', { name: /Which DIP gets the flow\?/ })).toBeVisible();
  const tasks = dock.getByTestId('lesson-task');
  const feedback = page.getByTestId('lesson-feedback');
  const next = () => dock.getByRole('button', { name: 'Next' }).click();
  await expect(tasks.first()).toHaveAttribute('data-done', 'false');
  await dock.getByRole('button', { name: 'Open the scenario' }).click();
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');

  // Predict the MUX's pick: a newcomer guesses down the list until the lab says right.
  const radios = dock.getByRole('radio');
  await expect(radios).toHaveCount(3);
  let picked = '';
  for (let i = 0; i < 3 && !picked; i++) {
    await radios.nth(i).check();
    if ((await feedback.getAttribute('data-correct')) === 'true')
      picked = (await radios.nth(i).locator('xpath=..').textContent()) ?? '';
  }
  expect(picked).toMatch(/Contoso\/Web[123]/);
  const dip = picked.match(/Web[123]/)?.[0] ?? '';
  await shot(page, 'lesson-1-pick');
  await next();

  // Trace the client's flow: it lands where the prediction said; the reply is DSR.
  await expect(dock.getByRole('heading', { name: /The reply skips the MUX/ })).toBeVisible();
  await expect(tasks.first()).toHaveAttribute('data-done', 'false');
  expect(await traceClientToVip(page)).toBe(dip);
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await dock.getByRole('radio', { name: /Back to the MUX in VXLAN/ }).check();
  await expect(feedback).toHaveAttribute('data-correct', 'false');
  await dock.getByRole('radio', { name: /Straight from the DIP's host/ }).check();
  await expect(feedback).toHaveAttribute('data-correct', 'true');
  await shot(page, 'lesson-2-dsr');
  await next();

  // Its probe fails: the question waits for that, then asks where a new flow may go.
  await expect(dock.getByRole('heading', { name: /A health probe stops answering/ })).toBeVisible();
  await expect(dock.getByTestId('lesson-question-blocked')).toContainText('first');
  await page.getByRole('tab', { name: 'Properties' }).click();
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('article', { name: `VM ${dip} in Web Tier` }).click();
  await page.getByRole('checkbox', { name: 'Health probe of Web LB answers' }).uncheck();
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await dock.getByRole('radio', { name: /^Only to / }).check();
  await expect(feedback).toHaveAttribute('data-correct', 'true');
  await expect(dock.getByRole('radio', { name: /^Only to / })).not.toHaveAccessibleName(new RegExp(dip));
  await shot(page, 'lesson-3-probe-down');
  await next();

  // The same flow again: it stays on its DIP (affinity), and the lesson is complete.
  await expect(dock.getByRole('heading', { name: /The flow it has stays/ })).toBeVisible();
  await dock.getByRole('radio', { name: /Still to / }).check();
  await expect(feedback).toHaveAttribute('data-correct', 'true');
  await page.getByTestId('trace-rerun').click();
  await expect(page.getByTestId('trace-verdict')).toContainText(`Contoso/${dip}`);
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await shot(page, 'lesson-4-affinity');
});

test('stepping through the client’s trace marks each edge device on the canvas as the packet reaches it, and the VIP in the virtual view', async ({
  page,
}) => {
  await openLoadBalancer(page);
  await traceClientToVip(page);
  // The MUX's pick: its row says where (the MUX) and on which layer (the SDN edge) ...
  const pick = page.getByText(/SLB MUX (\d): 198\.51\.100\.10:\d+ -> 203\.0\.113\.10:80 TCP/).first();
  const mux = (await pick.textContent())?.match(/SLB MUX (\d)/)?.[0] ?? '';
  await pick.click();
  const row = page.locator('[data-selected="true"]').first();
  await expect(row).toContainText(mux);
  await expect(row).toContainText('SDN edge');
  // ... and on the canvas that MUX is where the packet is; the client it came from is on its path.
  await expect(page.getByTestId(`mux-${mux}`)).toHaveAttribute('data-trace', 'here');
  await expect(page.getByTestId('endpoint-Internet/Client')).toHaveAttribute('data-trace', 'path');
  await expect(page.getByTestId(mux === 'SLB MUX 1' ? 'mux-SLB MUX 2' : 'mux-SLB MUX 1')).not.toHaveAttribute(
    'data-trace',
    /.+/,
  );
  await shot(page, 'mux-marked');
  // The virtual view draws no MUX: the step is at the VIP it serves.
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await expect(page.getByTestId('vip-Web LB')).toHaveAttribute('data-trace', 'here');
  await shot(page, 'mux-marked-virtual');
});

/** The load-balancer scenario, opened from the picker. */
async function openLoadBalancer(page: Page) {
  await page.goto('/');
  await page
    .getByRole('combobox', { name: 'Scenario' })
    .selectOption({ label: 'Software load balancer: a web tier behind a VIP' });
}

/** Trace Contoso/Web1's own TCP connection to 198.51.100.10:443 on the Internet (outbound NAT). */
async function traceWeb1ToInternet(page: Page) {
  const from = page.getByTestId('trace-from');
  const web1 =
    (await from.locator('option', { hasText: 'Contoso/Web1' }).first().getAttribute('value')) ?? '';
  await from.selectOption(web1);
  await page.getByTestId('trace-to').selectOption({ label: 'An IP address…' });
  await page.getByTestId('trace-to-ip').fill('198.51.100.10');
  await page.locator('[data-protocol="tcp"]').click();
  await page.getByRole('spinbutton', { name: 'Destination port' }).fill('443');
  await page.getByTestId('trace-run').click();
}

test('outbound NAT: Web1 to the Internet leaves as the VIP with a port of its slice; the answer comes back through a MUX; Host 1 lists the mapping', async ({
  page,
}) => {
  await openLoadBalancer(page);
  await traceWeb1ToInternet(page);
  const verdict = page.getByTestId('trace-verdict');
  await expect(verdict).toHaveAttribute('data-outcome', 'delivered');
  await expect(verdict).toContainText('Internet/Client');
  await page.locator('[data-level="detail"]').click();
  await expect(
    page
      .getByText(
        /Contoso\/Web1's connection 10\.1\.1\.11:\d+ -> 198\.51\.100\.10:443 gets 203\.0\.113\.10:1024 \(slice 1024-2047\)/,
      )
      .first(),
  ).toBeVisible();
  await expect(page.getByText(/outbound NAT slice 1024-2047: to DIP 10\.1\.1\.11/).first()).toBeVisible();
  await shot(page, 'snat-trace');
  await page.getByRole('tab', { name: 'Host tables' }).click();
  await page.getByTestId('tables-host').selectOption({ label: 'Host 1' });
  await page.getByRole('tab', { name: 'Flow tables' }).click();
  const snat = page.getByTestId('slb-snat-table');
  await expect(snat).toContainText('198.51.100.10:443');
  await expect(snat).toContainText('203.0.113.10:1024');
  await snat.scrollIntoViewIfNeeded();
  await shot(page, 'snat-host-table');
});

test('outbound NAT edited in the load balancer’s properties: a narrower range moves Web1’s slice, and a reversed range is named', async ({
  page,
}) => {
  await openLoadBalancer(page);
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('article', { name: 'Load balancer Web LB VIP 203.0.113.10' }).click();
  const properties = page.getByRole('region', { name: 'Properties' });
  const first = properties.getByRole('textbox', { name: 'Outbound NAT Outbound first port' });
  await expect(first).toHaveValue('1024');
  // A start after the end: refused by validation, named on the rule; then a good range.
  await first.fill('5000');
  await expect(
    properties.getByText(/outbound NAT rule 'Outbound' ends \(4095\) before it starts \(5000\)/),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: '1 validation problems' })).toBeVisible();
  await first.fill('2048');
  await expect(page.getByRole('button', { name: 'No validation problems' })).toBeVisible();
  await properties.scrollIntoViewIfNeeded();
  await shot(page, 'nat-rules-edited');

  // 2048 ports in three slices of 682: Web1 now translates to VIP:2048.
  await traceWeb1ToInternet(page);
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await page.locator('[data-level="detail"]').click();
  await expect(page.getByText(/gets 203\.0\.113\.10:2048 \(slice 2048-2729\)/).first()).toBeVisible();
});
