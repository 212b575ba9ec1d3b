import { describe, expect, it } from 'vitest';
import type { Trace, TraceNode } from '../../engine/index';
import { multiTenantFixture } from '../../engine/model/testDocument';
import { traceFacts } from './facts';

const doc = multiTenantFixture();

const node = (over: Partial<TraceNode> & Pick<TraceNode, 'kind'>, children: TraceNode[] = []): TraceNode =>
  ({ title: '', where: {}, children, ...over }) as TraceNode;

function ping(): Trace {
  const arp = node(
    { kind: 'packet', packet: 'arp', what: { type: 'packet', label: 'ARP request', protocol: 'arp' } },
    [
      node({
        kind: 'action',
        where: { hostId: 'host2' },
        action: { type: 'arp-reply' },
      } as Partial<TraceNode> & {
        kind: 'action';
      }),
    ],
  );
  const request = node({ kind: 'packet', packet: 'icmp', where: { hostId: 'host2' } }, [
    node({ kind: 'flow-cache', event: 'miss', key: 'k' } as Partial<TraceNode> & { kind: 'flow-cache' }),
    node({
      kind: 'action',
      action: {
        type: 'encap',
        encapsulation: 'vxlan',
        vsid: 5001,
        srcPa: '192.168.2.20',
        dstPa: '192.168.1.10',
      },
    } as Partial<TraceNode> & { kind: 'action' }),
    node({
      kind: 'hop',
      where: { logicalSubnetId: 'pa2', hostId: 'host1' },
      from: 'a',
      to: 'b',
    } as Partial<TraceNode> & {
      kind: 'hop';
    }),
  ]);
  const reply = node({ kind: 'packet', packet: 'icmp' }, [
    node({
      kind: 'action',
      action: {
        type: 'encap',
        encapsulation: 'vxlan',
        vsid: 5001,
        srcPa: '192.168.1.10',
        dstPa: '192.168.2.20',
      },
    } as Partial<TraceNode> & { kind: 'action' }),
  ]);
  const verdict = { outcome: 'delivered' as const, at: 'Contoso/SQL' };
  return {
    request: { from: 'contoso-web-nic', to: 'Contoso/SQL', protocol: 'icmp' },
    controlPlane: [],
    packets: [
      { label: 'ARP request', path: 'none', root: arp, verdict },
      { label: 'ICMP echo request', path: 'slow', root: request, verdict },
      { label: 'ICMP echo reply', path: 'fast', root: reply, verdict },
    ],
    verdict,
    frames: [],
  };
}

describe('traceFacts', () => {
  it('reads endpoints, the forward encapsulation, ARP, path and hosts', () => {
    const f = traceFacts(ping(), doc);
    expect(f).toMatchObject({
      protocol: 'icmp',
      fromVmId: 'contoso-web-vm',
      toVmId: 'contoso-sql',
      toIp: '10.1.1.11',
      outcome: 'delivered',
      arp: 'host-agent',
      leftHost: true,
      routed: false,
      path: 'slow',
      hosts: ['host2', 'host1'],
      vsids: [5001],
    });
    expect(f.encaps).toEqual([
      { type: 'vxlan', vsid: 5001, outerSrcIp: '192.168.2.20', outerDstIp: '192.168.1.10' },
    ]);
  });

  it('an IP destination and an unanswered ARP', () => {
    const verdict = { outcome: 'dropped' as const, at: 'Host 2', reason: 'no lookup record' };
    const t: Trace = {
      request: { from: 'Contoso/Web', to: '10.1.1.99', protocol: 'arp' },
      controlPlane: [],
      packets: [
        { label: 'ARP request', path: 'none', root: node({ kind: 'packet', packet: 'arp' }), verdict },
      ],
      verdict,
      frames: [],
    };
    expect(traceFacts(t, doc)).toMatchObject({
      fromVmId: 'contoso-web-vm',
      toVmId: null,
      toIp: '10.1.1.99',
      arp: 'no-reply',
      leftHost: false,
      outcome: 'dropped',
      dropReason: 'no lookup record',
      path: 'unknown',
    });
  });
});
