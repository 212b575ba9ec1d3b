import { describe, expect, it } from 'vitest';
import { frameEnvelope } from './envelope.ts';
import { encodeFrame } from './frame.ts';
import { sampleLayers } from './samples.ts';

describe('frameEnvelope', () => {
  const l = sampleLayers();

  it('a VM frame is no tunnel: the customer packet itself', () => {
    expect(frameEnvelope(encodeFrame(l['icmp-echo']))).toEqual({
      tunnel: null,
      inner: { protocol: 'icmp', src: '10.1.1.12', dst: '10.1.1.11' },
    });
  });

  it('VXLAN on a tagged PA network: VNI, PAs, the outer tag and the inner ping', () => {
    expect(frameEnvelope(encodeFrame(l['vxlan-vlan']))).toEqual({
      tunnel: { encapsulation: 'vxlan', vni: 5001, outerSrc: '192.168.2.20', outerDst: '192.168.1.10' },
      vlanId: 12,
      inner: { protocol: 'icmp', src: '10.1.1.12', dst: '10.1.1.11' },
    });
  });

  it('NVGRE: the VSID from the GRE key, not the key itself', () => {
    const env = frameEnvelope(encodeFrame(l.nvgre));
    expect(env.tunnel).toEqual({
      encapsulation: 'nvgre',
      vni: 5001,
      outerSrc: '192.168.2.20',
      outerDst: '192.168.1.10',
    });
    expect(env.inner.protocol).toBe('icmp');
  });

  it('ARP: no IP addresses, protocol arp', () => {
    expect(frameEnvelope(encodeFrame(l['arp-request']))).toEqual({
      tunnel: null,
      inner: { protocol: 'arp' },
    });
  });

  it('a truncated tunnel frame does not throw and reports no tunnel it cannot read', () => {
    const bytes = encodeFrame(l.vxlan).slice(0, 46);
    expect(() => frameEnvelope(bytes)).not.toThrow();
    expect(frameEnvelope(bytes).tunnel).toBeNull();
  });
});
