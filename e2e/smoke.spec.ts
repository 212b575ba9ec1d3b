import { expect, test } from '@playwright/test';

test('the lab opens, without test hooks on a user page', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'HNV Lab' })).toBeVisible();
  expect(await page.evaluate(() => typeof window.__hnvEngine)).toBe('undefined');
});
