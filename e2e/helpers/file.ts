// The File menu's exports, read back as JSON (what a user would save and open elsewhere).
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';

/** Click File > `item` and parse the file it downloads. */
export async function exportJson(page: Page, item = 'Export lab JSON'): Promise<Record<string, unknown>> {
  await page.getByRole('button', { name: 'File' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: item }).click(),
  ]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

/** The document as the lab exports it (File > Export lab JSON). */
export const exportDoc = (page: Page) => exportJson(page);
