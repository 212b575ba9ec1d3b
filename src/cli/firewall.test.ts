import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { TopologyDocument } from '../engine/model/schema.ts';
import { scenarioById } from '../scenarios/index.ts';
import { run } from './trace.ts';

const dir = mkdtempSync(join(tmpdir(), 'hnv-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function capture() {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  return out;
}

/** Multi-tenant with Contoso Web under an ACL: everything out allowed, everything in denied. */
function docWithWebFirewall(): string {
  const doc = structuredClone(scenarioById('multi-tenant')?.document) as TopologyDocument;
  doc.acls.push({
    id: 'web-fw',
    name: 'Web firewall',
    defaultAction: 'deny',
    rules: [
      {
        id: 'allow-out',
        name: 'allow-out',
        priority: 100,
        direction: 'outbound',
        action: 'allow',
        protocol: 'all',
        sourceAddressPrefix: '*',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '*',
      },
    ],
  });
  const web = doc.vms.find((v) => v.id === 'contoso-web');
  if (web) web.nics[0].aclId = 'web-fw';
  const path = join(dir, 'web-fw.json');
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

describe('hnv trace --audit', () => {
  it('prints the tracked connection and the audit log of every port under an ACL', async () => {
    const out = capture();
    const code = await run([
      docWithWebFirewall(),
      '--from',
      'Contoso/Web',
      '--to',
      'Contoso/SQL',
      '--audit',
      '--format',
      'minimal',
    ]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text.slice(text.indexOf('firewall after the trace'))).toBe(
      [
        'firewall after the trace (lab clock 0 s)',
        'Host 2 / port Contoso/Web',
        '  connections (1):',
        '    out icmp 10.1.1.12 -> 10.1.1.11 echo request id 1  REPLIED  idle 30 s of 30 s  packets 1/1',
        '  audit log (1 row):',
        "       0 s  out allow allow-out  icmp 10.1.1.12 -> 10.1.1.11 echo request id 1  (ACL rule 'allow-out' (allow outbound, priority 100) of ACL 'Web firewall' on Contoso/Web)",
      ].join('\n'),
    );
  });

  it('puts it under "firewall" in JSON; a document without ACLs says nothing is tracked', async () => {
    let out = capture();
    expect(
      await run([
        docWithWebFirewall(),
        '--from',
        'Contoso/SQL',
        '--to',
        'Contoso/Web',
        '--audit',
        '--format',
        'json',
      ]),
    ).toBe(0);
    const json = JSON.parse(out.join('\n'));
    expect(json.verdict.outcome).toBe('dropped');
    expect(json.firewall.ports).toHaveLength(1);
    expect(
      json.firewall.ports[0].audit.map((r: { action: string; rule: string }) => `${r.action} ${r.rule}`),
    ).toEqual(['deny default (deny)']);
    vi.restoreAllMocks();
    out = capture();
    expect(
      await run([
        '--scenario',
        'multi-tenant',
        '--from',
        'Contoso/Web',
        '--to',
        'Contoso/SQL',
        '--audit',
        '--format',
        'summary',
      ]),
    ).toBe(0);
    expect(out.join('\n')).toContain('no port is under an ACL: nothing is tracked or audited');
  });
});
