import { describe, expect, it } from 'vitest';
import { formatActions, formatMatch } from './format';

describe('VFP rule formatting', () => {
  it('summarises matches', () => {
    expect(formatMatch({})).toBe('any');
    expect(
      formatMatch({ etherType: 'ipv4', protocol: 'tcp', dstPrefix: '10.1.1.0/24', dstPorts: [1433, 1433] }),
    ).toBe('IPv4, TCP, dst 10.1.1.0/24, dport 1433');
    expect(formatMatch({ vsid: 5001, outerDstIps: ['192.168.1.10'], srcPorts: [1024, 65535] })).toBe(
      'VSID 5001, sport 1024-65535, outer dst 192.168.1.10',
    );
  });

  it('summarises actions', () => {
    expect(
      formatActions([
        { type: 'lookup', space: 'ca-pa', vsid: 5001 },
        { type: 'encap', encapsulation: 'vxlan', vsid: 5001, srcPa: '192.168.2.20', dstPa: '192.168.1.10' },
      ]),
    ).toBe('look up CA-PA (VSID 5001); encap VXLAN VSID 5001 192.168.2.20 → 192.168.1.10');
    expect(formatActions([{ type: 'drop', reason: 'ACL deny-1433' }])).toBe('drop (ACL deny-1433)');
  });
});
