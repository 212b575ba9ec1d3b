// Issue 11, the way a newcomer meets it: the scenario's brief where nothing is selected,
// lessons that grade what is really on screen, building from an empty canvas, and the
// "Send 10 more" counters. Production build, real worker; waits on state, never on time.
import { expect, type Page, test } from '@playwright/test';
import { ping } from './helpers/trace';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/teaching-${name}.png` });

const pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

test('"Send 10 more" twice: each batch says 10 packets, 10 fast path, 10 flow-table hits', async ({
  page,
}) => {
  await page.goto('/');
  await ping(page, /^Contoso\/Web/, /^Contoso\/SQL/);
  const sendMore = page.getByRole('button', { name: 'Send 10 more' });
  const counters = page.getByTestId('send-counters');
  await sendMore.click();
  await expect(counters).toHaveAttribute('data-batch', '1');
  await expect(counters).toContainText(
    '10 packets: 0 slow path, 10 fast path (10 flow-table hits, 10 delivered)',
  );
  await sendMore.click();
  await expect(counters).toHaveAttribute('data-batch', '2');
  // The old counters added up the flow table's lifetime: "20 flow-table hits" for the same batch.
  await expect(counters).toContainText(
    '10 packets: 0 slow path, 10 fast path (10 flow-table hits, 10 delivered)',
  );
  await shot(page, 'send-more');
});
