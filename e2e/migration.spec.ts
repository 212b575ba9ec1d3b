// Live migration by drag and drop: the controller's southbound updates per host, the next
// trace's outer destination is the new PA, and a packet sent while the mappings converge
// (warm and cold flow cache) is dropped at the old host, then delivered after the update.
import { expect, type Page, test } from '@playwright/test';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/migration-${name}.png` });

async function selectByLabel(page: Page, testId: string, label: RegExp) {
  const select = page.getByTestId(testId);
  const value = await select.locator('option').evaluateAll((opts, source) => {
    const re = new RegExp(source);
    return (opts as HTMLOptionElement[]).find((o) => re.test(o.textContent ?? ''))?.value ?? '';
  }, label.source);
  await select.selectOption(value);
}

/** Click a step and read the outer ip.dst of its frame in the inspector's header tree. */
async function outerDstOf(page: Page, step: ReturnType<Page['locator']>): Promise<string> {
  await step.click();
  await expect(step).toHaveAttribute('data-selected', 'true');
  const dst = page.getByTestId('inspector').locator('[data-field-key="ip.dst"]').first();
  await expect(dst).toBeVisible();
  return (await dst.textContent()) ?? '';
}

/** The outer ip.dst of the trace's first VXLAN encapsulation step. */
function outerDestination(page: Page): Promise<string> {
  return outerDstOf(page, page.locator('[data-kind="action"]', { hasText: /encapsulate in VXLAN/ }).first());
}

/** The outer ip.dst of the first frame on the wire in the first packet of a replay phase. */
async function wireDestination(page: Page, phase: string): Promise<string> {
  // A row reads step, from, at, then the icon and the sentence: the hop's sentence starts after →.
  const wire = page.locator('[data-kind="hop"]', { hasText: /→on the wire/ });
  const index = await page.locator('[data-testid="trace-steps"] > li').evaluateAll((rows, wanted) => {
    let packet = '';
    let n = -1;
    for (const row of rows) {
      const kind = row.getAttribute('data-kind');
      if (kind === 'packet') packet = row.textContent ?? '';
      if (kind === 'hop' && (row.textContent ?? '').includes('→on the wire')) {
        n++;
        if (packet.includes(wanted)) return n;
      }
    }
    return -1;
  }, phase);
  expect(index, `a frame on the wire ${phase}`).toBeGreaterThanOrEqual(0);
  return outerDstOf(page, wire.nth(index));
}

test('drag SQL onto a host in another PA subnet: controller updates, new outer destination, convergence', async ({
  page,
}) => {
  await page.goto('/?scenario=live-migration');
  await page.getByRole('button', { name: /fit view/i }).click();
  const sql = page.getByRole('article', { name: 'VM SQL on Host 1' });
  await expect(sql).toHaveCount(1);

  // Before: Web -> SQL is encapsulated to Host 1's PA.
  await selectByLabel(page, 'trace-from', /^Contoso\/Web/);
  await selectByLabel(page, 'trace-to', /^Contoso\/SQL/);
  await page.locator('[data-protocol="icmp"]').click();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  expect(await outerDestination(page)).toContain('192.168.1.10');
  await shot(page, '1-before');

  // Drag SQL with the mouse onto Host 3 (PA subnet 2).
  const from = (await sql.boundingBox())!;
  const to = (await page.getByRole('article', { name: 'Host Host 3' }).boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 30, from.y + 20, { steps: 6 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 30, { steps: 14 });
  await page.mouse.up();
  await expect(page.getByRole('article', { name: 'VM SQL on Host 3' })).toHaveCount(2);

  // The controller's southbound updates, per host.
  const card = page.getByTestId('controller-updates');
  await expect(card).toBeVisible();
  const host = (name: string) => card.locator(`[data-testid="controller-updates-host"][data-host="${name}"]`);
  await expect(host('Host 1')).toContainText('port Contoso/SQL (the VM left)');
  await expect(host('Host 2')).toHaveAttribute('data-role', 'peer');
  await expect(host('Host 2')).toContainText(
    'lookup record 10.1.1.11 @ VSID 5001 (Contoso/SQL): PA 192.168.1.10 → 192.168.2.30',
  );
  await expect(host('Host 3')).toContainText('port Contoso/SQL (sends from PA 192.168.2.30)');
  await expect(host('Host 3')).toContainText('lookup records: 10.1.1.11, 10.1.1.12 (VSID 5001)');
  await shot(page, '2-controller-updates');

  // After: the next trace's VXLAN step carries the new PA as outer destination.
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  // The controller's updates, the wire and the flow-table bookkeeping are detail: every step, please.
  await page.locator('[data-level="detail"]').click();
  await expect(page.getByTestId('trace-steps')).toContainText(
    'controller -> Host 2: update lookup-record 5001/10.1.1.11',
  );
  expect(await outerDestination(page)).toContain('192.168.2.30');
  await shot(page, '3-after');

  // Convergence with a warm flow cache: the cached encap still points at the old PA.
  await expect(page.getByTestId('convergence-warm')).toBeChecked();
  await page.getByTestId('convergence-run').click();
  const result = page.getByTestId('convergence-result');
  await expect(result).toContainText('sent to the old PA 192.168.1.10, dropped at Host 1');
  await expect(result).toContainText('new PA 192.168.2.30, delivered to Contoso/SQL');
  const steps = page.getByTestId('trace-steps');
  await expect(steps).toContainText('fast path, cached action to old PA 192.168.1.10');
  const drop = steps.locator('[data-dropped="true"]').first();
  await expect(drop).toContainText('Contoso/SQL has moved to Host 3 (PA 192.168.2.30)');
  await expect(drop).toHaveAttribute('data-selected', 'true'); // the replay opens on the drop
  await expect(drop).toHaveClass(/text-rose-700/); // in red
  await expect(
    steps.locator('[data-kind="flow-cache"]', { hasText: /entry on port Contoso\/Web invalidated/ }),
  ).toHaveCount(1);
  await expect(steps).toContainText(
    'update arrives at Host 2: lookup record 10.1.1.11 @ VSID 5001 -> PA 192.168.2.30',
  );
  await expect(page.locator('[data-testid="packet-strip"] button.bg-rose-500')).toHaveCount(1);
  await shot(page, '4-convergence-warm');
  expect(await wireDestination(page, 'during convergence')).toContain('192.168.1.10');
  expect(await wireDestination(page, 'after the update')).toContain('192.168.2.30');
  // The retried echo request reaches SQL on its new host (the reply comes back to Web).
  await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-outcome', 'delivered');
  await expect(page.getByTestId('trace-verdict')).toContainText(
    'sent before it, the packet went to the old PA 192.168.1.10 and was dropped at Host 1',
  );
  await expect(
    steps.locator('[data-kind="deliver"]', { hasText: 'delivered to Contoso/SQL on Host 3' }).first(),
  ).toBeVisible();
  await shot(page, '5-convergence-corrected');

  // Cold flow cache: the slow path reads the stale lookup record instead.
  await page.getByTestId('convergence-warm').uncheck();
  await page.getByTestId('convergence-run').click();
  await expect(result).toContainText('(slow path)');
  await expect(steps).not.toContainText('cached action to old PA');
  await expect(steps).toContainText(
    'lookup record 10.1.1.11 @ VSID 5001 -> PA 192.168.1.10 (Contoso/SQL): stale',
  );
  await expect(steps.locator('[data-dropped="true"]').first()).toContainText('has moved to Host 3');
  await shot(page, '6-convergence-cold');

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await shot(page, '7-dark');

  // Undo puts SQL back: the card no longer describes the document.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('article', { name: 'VM SQL on Host 1' })).toHaveCount(1);
  await expect(card).toHaveCount(0);
});
