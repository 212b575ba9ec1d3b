// Shared trace steps: pick a source and a destination in the trace panel, run, select a step.
import { expect, type Page } from '@playwright/test';

/** Choose the option whose text matches `label` in one of the trace panel's selects. */
export async function selectByLabel(page: Page, testId: string, label: RegExp) {
  const select = page.getByTestId(testId);
  const value = await select.locator('option').evaluateAll(
    (opts, src) => {
      const re = new RegExp(src[0], src[1]);
      return (opts as HTMLOptionElement[]).find((o) => re.test(o.textContent ?? ''))?.value ?? '';
    },
    [label.source, label.flags],
  );
  expect(value, `an option matching ${label}`).not.toBe('');
  await select.selectOption(value);
}

export async function ping(page: Page, from: RegExp, to: RegExp) {
  await selectByLabel(page, 'trace-from', from);
  await selectByLabel(page, 'trace-to', to);
  await page.locator('[data-protocol="icmp"]').click();
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-verdict')).toBeVisible();
}

/** Click the first action step whose text matches (e.g. /encapsulate in VXLAN/). */
export async function selectStep(page: Page, text: RegExp) {
  const step = page.locator('[data-kind="action"]', { hasText: text }).first();
  await step.click();
  await expect(step).toHaveAttribute('data-selected', 'true');
}

/**
 * In the load-balancer scenario: Internet/Client opens TCP 80 to the VIP; the SYN is delivered
 * at a web VM. Returns that VM's name ('Web1'...).
 */
export async function traceClientToVip(page: Page): Promise<string> {
  await page.getByTestId('trace-from').selectOption('Internet/Client');
  await page.getByTestId('trace-to').selectOption({ label: 'An IP address…' });
  await page.getByTestId('trace-to-ip').fill('203.0.113.10');
  await page.locator('[data-protocol="tcp"]').click();
  await page.getByRole('spinbutton', { name: 'Destination port' }).fill('80');
  await page.getByTestId('trace-run').click();
  const verdict = page.getByTestId('trace-verdict');
  await expect(verdict).toHaveAttribute('data-outcome', 'delivered');
  await expect(verdict).toContainText(/Contoso\/Web[123]/);
  return (await verdict.textContent())?.match(/Contoso\/(Web[123])/)?.[1] ?? '';
}
