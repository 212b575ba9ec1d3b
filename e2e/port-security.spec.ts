// A vNIC's MAC address spoofing setting: off by default, one click to allow it, undoable,
// saved in the document the engine checks.
import { expect, test } from '@playwright/test';
import { exportDoc } from './helpers/file';

test("a network adapter's MAC spoofing is off by default and can be allowed, then undone", async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'File' })).toBeVisible();
  await page.getByRole('button', { name: 'Virtual', exact: true }).click();
  await page.getByRole('article', { name: /^VM Web in Contoso/ }).click();
  const spoofing = page.getByRole('checkbox', { name: 'Allow MAC address spoofing' });
  await expect(spoofing).not.toBeChecked();
  await spoofing.check();
  await expect(spoofing).toBeChecked();
  await page.screenshot({ path: 'artifacts/screenshots/port-security-mac-spoofing.png' });

  const doc = (await exportDoc(page)) as unknown as {
    vms: { name: string; nics: { macAddressSpoofing?: boolean }[] }[];
  };
  expect(
    doc.vms.filter((vm) => vm.nics.some((n) => n.macAddressSpoofing === true)).map((vm) => vm.name),
  ).toEqual(['Web']);

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(spoofing).not.toBeChecked();
});
