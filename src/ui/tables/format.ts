// Plain-text renderings of VFP rule matches and actions for the tables view.
import type { Action, RuleMatch } from '../../engine/index';

const ports = (r: [number, number]) => (r[0] === r[1] ? String(r[0]) : `${r[0]}-${r[1]}`);

export function formatMatch(m: RuleMatch): string {
  const parts: string[] = [];
  if (m.etherType) parts.push(m.etherType === 'arp' ? 'ARP' : 'IPv4');
  if (m.dstMacKind) parts.push(m.dstMacKind === 'broadcast' ? 'dst MAC broadcast' : 'dst MAC unicast');
  if (m.dstMac) parts.push(`dst MAC ${m.dstMac}`);
  if (m.vsid !== undefined) parts.push(`VSID ${m.vsid}`);
  if (m.protocol) parts.push(m.protocol.toUpperCase());
  if (m.srcPrefix) parts.push(`src ${m.srcPrefix}`);
  if (m.srcPorts) parts.push(`sport ${ports(m.srcPorts)}`);
  if (m.dstPrefix) parts.push(`dst ${m.dstPrefix}`);
  if (m.dstPorts) parts.push(`dport ${ports(m.dstPorts)}`);
  if (m.outerDstIps?.length) parts.push(`outer dst ${m.outerDstIps.join(', ')}`);
  return parts.length ? parts.join(', ') : 'any';
}

function formatAction(a: Action): string {
  switch (a.type) {
    case 'allow':
      return 'allow';
    case 'drop':
      return `drop (${a.reason})`;
    case 'set-field':
      return `set ${a.field} = ${a.value}`;
    case 'push-vlan':
      return `push VLAN ${a.vlanId}`;
    case 'pop-vlan':
      return 'pop VLAN';
    case 'encap':
      return `encap ${a.encapsulation.toUpperCase()} VSID ${a.vsid} ${a.srcPa} → ${a.dstPa}`;
    case 'decap':
      return `decap ${a.encapsulation.toUpperCase()} VSID ${a.vsid}`;
    case 'lookup':
      return `look up CA-PA (VSID ${a.vsid})`;
    case 'route':
      return `route in ${a.routingDomainId.slice(0, 8)}…`;
    case 'arp-reply':
      return 'host agent ARP reply';
    case 'replicate':
      return `replicate to VSID ${a.vsid}`;
    case 'output':
      return `output ${a.port}`;
    case 'pa-route':
      return `PA route (VLAN ${a.vlanId})`;
    case 'conntrack':
      return a.op === 'lookup' ? 'connection state: replies pass' : 'track the flow (stateful)';
    case 'nat':
      return `${a.direction === 'out' ? 'SNAT' : 'un-SNAT'} ${a.from} → ${a.to}`;
    case 'gre-encap':
      return `encap GRE key ${a.key} ${a.src} → ${a.dst}`;
    case 'gre-decap':
      return `decap GRE key ${a.key}`;
    case 'esp-encap':
      return `encap ESP SPI 0x${a.spi.toString(16)} seq ${a.sequence} ${a.src} → ${a.dst}`;
    case 'esp-decap':
      return `decap ESP SPI 0x${a.spi.toString(16)} seq ${a.sequence}`;
    case 'slb-nat':
      return a.direction === 'in'
        ? `SLB NAT ${a.vip}:${a.vipPort} → ${a.dip}:${a.dipPort}`
        : `SLB NAT ${a.dip}:${a.dipPort} → ${a.vip}:${a.vipPort}, DSR`;
    case 'slb-snat':
      if (a.port === undefined)
        return a.direction === 'out'
          ? `SLB SNAT ${a.protocol.toUpperCase()} ${a.dip} → VIP ${a.vip} ports ${a.portStart}-${a.portEnd}`
          : `SLB un-SNAT ${a.protocol.toUpperCase()} VIP ${a.vip} ports ${a.portStart}-${a.portEnd} → ${a.dip}`;
      return a.direction === 'out'
        ? `SLB SNAT ${a.from} → ${a.vip}:${a.port}`
        : `SLB un-SNAT ${a.from} → ${a.dip}:${a.port}`;
  }
}

export function formatActions(actions: readonly Action[]): string {
  return actions.map(formatAction).join('; ');
}
