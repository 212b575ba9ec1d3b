// Issue 2 §6 / issue 4 §5: the first screen's packet inspector, on the production build
// with the real worker: samples, field <-> byte highlighting both ways, envelope, pcap import.
import { expect, type Page, test } from '@playwright/test';
import { pcap, udpFrame } from './pcap-helpers';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `artifacts/screenshots/inspector-${name}.png`, fullPage: false });

// A roomier bottom panel, as a user would drag it, so the screenshots show the whole inspector.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem('hnv-panels', JSON.stringify({ left: 200, right: 360, bottom: 480 }));
  });
});

async function highlightedOffsets(page: Page): Promise<number[]> {
  return page
    .locator('[data-testid="hex-dump"] [data-offset][data-highlighted="true"]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-offset'))));
}

test('VXLAN sample: hovering vxlan.vni highlights exactly its 3 bytes, and a hex byte finds its field', async ({
  page,
}) => {
  await page.goto('/');
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('sample-picker')).toBeVisible();
  await inspector.locator('[data-sample="vxlan"]').click();
  await expect(inspector.locator('[data-sample="vxlan"]')).toHaveAttribute('aria-pressed', 'true');

  const vni = inspector.locator('[data-field-key="vxlan.vni"]');
  await expect(vni).toContainText('5001');
  await vni.hover();
  await expect(vni).toHaveAttribute('data-highlighted', 'true');
  // Untagged VXLAN: 14 (Ethernet) + 20 (IPv4) + 8 (UDP) + 4 (VXLAN flags + reserved) = offset 46.
  expect(await highlightedOffsets(page)).toEqual([46, 47, 48]);
  const vniBytes = await page
    .locator('[data-testid="hex-dump"] [data-highlighted="true"]')
    .evaluateAll((els) => els.map((e) => e.textContent).join(''));
  expect(Number.parseInt(vniBytes, 16)).toBe(5001);
  await expect(inspector.getByTestId('envelope-overhead')).toHaveText('50 bytes');
  await shot(page, 'vxlan-vni');

  // Reverse direction: the outer destination IP's first byte (offset 30) lights its tree row.
  await page.locator('[data-testid="hex-dump"] [data-offset="30"]').hover();
  const lit = inspector.locator('[data-field-id][data-highlighted="true"]');
  await expect(lit).toHaveCount(1);
  await expect(lit).toHaveAttribute('data-field-key', 'ip.dst');
  await expect(lit).toContainText('192.168.1.10');
  expect(await highlightedOffsets(page)).toEqual([30, 31, 32, 33]);
  await shot(page, 'hex-to-tree');
});

test('every sample decodes, with the overhead of its envelope', async ({ page }) => {
  await page.goto('/');
  const inspector = page.getByTestId('inspector');
  const expected: [string, string | null][] = [
    ['icmp-echo', null],
    ['vxlan', '50 bytes'],
    ['vxlan-vlan', '54 bytes'],
    ['nvgre', '42 bytes'],
    ['arp-request', null],
  ];
  for (const [id, overhead] of expected) {
    await inspector.locator(`[data-sample="${id}"]`).click();
    if (overhead) await expect(inspector.getByTestId('envelope-overhead')).toHaveText(overhead);
    else await expect(inspector.getByTestId('envelope-overhead')).toHaveCount(0);
  }
  await inspector.locator('[data-sample="nvgre"]').click();
  const vsid = inspector.locator('[data-field-key="nvgre.vsid"]');
  await expect(vsid).toContainText('5001');
  await vsid.hover();
  // NVGRE: 14 + 20 + 4 (GRE flags, protocol) = offset 38; VSID is the key's first 3 bytes.
  expect(await highlightedOffsets(page)).toEqual([38, 39, 40]);
  await shot(page, 'nvgre');
  await inspector.locator('[data-sample="vxlan-vlan"]').click();
  await expect(inspector.locator('[data-field-key="vlan.id"]')).toBeVisible();
  await shot(page, 'vxlan-vlan');
});

test('a user imports a pcap (button and drop) and inspects its frames', async ({ page }) => {
  await page.goto('/');
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('sample-picker')).toBeVisible();
  const file = pcap([
    udpFrame('10.0.0.1', '10.0.0.2', 40000, 53, 'hello from e2e'),
    udpFrame('10.0.0.2', '10.0.0.1', 53, 40000, 'second frame!'),
    udpFrame('172.16.0.9', '172.16.0.10', 1234, 4321, 'third'),
  ]);
  await inspector.getByTestId('pcap-input').setInputFiles({
    name: 'user-capture.pcap',
    mimeType: 'application/vnd.tcpdump.pcap',
    buffer: file,
  });
  await expect(inspector.getByRole('tab', { name: 'Capture' })).toHaveAttribute('aria-selected', 'true');
  const select = inspector.getByTestId('pcap-frame');
  await expect(select.locator('option')).toHaveCount(3);
  await expect(inspector.locator('[data-field-key="ip.src"]')).toContainText('10.0.0.1');
  await expect(inspector.locator('[data-field-key="udp.dstport"]')).toContainText('53');
  await select.selectOption({ index: 2 });
  await expect(inspector.locator('[data-field-key="ip.src"]')).toContainText('172.16.0.9');
  await shot(page, 'pcap-import');

  // Drop a second file on the inspector.
  const dropped = pcap([udpFrame('192.0.2.1', '192.0.2.2', 5000, 6000, 'dropped file')]);
  const dataTransfer = await page.evaluateHandle((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'dropped.pcap', { type: 'application/vnd.tcpdump.pcap' }));
    return dt;
  }, dropped.toString('base64'));
  await inspector.dispatchEvent('dragover', { dataTransfer });
  await inspector.dispatchEvent('drop', { dataTransfer });
  await expect(select.locator('option')).toHaveCount(1);
  await expect(inspector.locator('[data-field-key="ip.src"]')).toContainText('192.0.2.1');

  // A file that is not a pcap says so and keeps what was shown.
  await inspector.getByTestId('pcap-input').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('this is not a capture'),
  });
  await expect(inspector.getByRole('alert')).toContainText('notes.txt');
  await expect(inspector.locator('[data-field-key="ip.src"]')).toContainText('192.0.2.1');
  await shot(page, 'pcap-error');
});
