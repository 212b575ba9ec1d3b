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
