// The prose of a trace: one typed event in, one trace node out (its kind, title and the fields
// the UI and the CLI read), the event kept on the node as `what`. The words follow the HNV
// version (`wording.ts`): VFP, its layers, rules and unified flow table in v2; in v1 the
// switch's port ACLs and the HNV filter, whose rules and cache are not VFP's.
import type { HnvMode } from '../../model/schema';
import type { TraceNode, TraceWhere } from '../trace-types';
import type { RecordFact, RouteFact, TraceEvent } from './events';
import { arpResponder, v1Stage } from './wording';

const recordText = (r: RecordFact) => `MAC ${r.mac}, PA ${r.pa}, ${r.encapsulation.toUpperCase()}, ${r.vm}`;

function routeText(r: RouteFact): string {
  const hop =
    r.nextHopType === 'VirtualAppliance'
      ? `next hop virtual appliance ${r.nextHop}`
      : r.origin === 'gateway'
        ? `next hop the RAS gateway at PA ${r.nextHop}`
        : r.nextHopType === 'VnetLocal' && r.vsid !== null
          ? `on-link, VSID ${r.vsid}`
          : `next hop ${r.nextHopType}`;
  return `${r.prefix} (/${r.length}, ${r.origin}) ${hop}`;
}

function routeOrigin(r: RouteFact): string {
  if (r.origin === 'udr') return `route table '${r.routeTable}' route '${r.route}'`;
  if (r.origin === 'peering') return `peering ${r.peering}`;
  if (r.origin === 'gateway') return `the virtual gateway's default route`;
  return `system route: virtual subnet ${r.prefix}`;
}

export function renderEvent(e: TraceEvent, where: TraceWhere, mode: HnvMode = 'v2'): TraceNode {
  // Each node is written out whole: an object spread followed by more properties
  // (`{ where, children: [] as TraceNode[], what: e, kind, title }`) takes V8's slow path, ~200x slower (Node 20), and a ping
  // trace renders ~100 nodes.
  switch (e.type) {
    case 'packet':
      return { where, children: [] as TraceNode[], what: e, kind: 'packet', title: e.label, packet: e.label };
    case 'vm-send':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'hop',
        title: `${e.vm} sends into its vSwitch port on ${e.host}`,
        from: e.vm,
        to: `${e.host} vSwitch port`,
      };
    case 'uplink-receive':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'hop',
        title: `${e.host} receives on its uplink`,
        from: 'wire',
        to: `${e.host} uplink`,
      };
    case 'wire':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'hop',
        title: `on the wire: logical subnet '${e.link}' (${e.prefix}, VLAN ${e.vlanId}, MTU ${e.mtu}) from ${e.from}`,
        from: e.from,
        to: `link '${e.link}'`,
      };
    case 'pa-arp':
      return e.op === 'request'
        ? {
            where,
            children: [] as TraceNode[],
            what: e,
            kind: 'hop',
            title: `ARP on '${e.link}': ${e.asker} asks who has ${e.targetIp} (broadcast${e.vlanId > 0 ? `, VLAN ${e.vlanId}` : ''})`,
            from: e.asker,
            to: `link '${e.link}'`,
            arp: { op: 'request', senderIp: e.senderIp, targetIp: e.targetIp },
          }
        : {
            where,
            children: [] as TraceNode[],
            what: e,
            kind: 'hop',
            title: `ARP on '${e.link}': ${e.owner} answers ${e.senderIp} is at ${e.mac}`,
            from: e.owner,
            to: e.asker,
            arp: { op: 'reply', senderIp: e.senderIp, targetIp: e.targetIp },
          };
    case 'vlan-trunk':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'hop',
        title: `on the wire: 802.1Q VLAN ${e.vlanId} bridged at L2 from ${e.host} (trunk of logical subnet '${e.link}'), no encapsulation`,
        from: `${e.host} uplink`,
        to: `VLAN ${e.vlanId} trunk`,
      };
    case 'vlan-trunk-receive':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'hop',
        title: `${e.host} receives the VLAN ${e.vlanId} frame on its trunk port`,
        from: 'wire',
        to: `${e.host} uplink`,
      };
    case 'vlan-answer':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'hop',
        title: `${e.vm} itself answers (no host agent under VLANs): ${e.ip} is-at ${e.mac}`,
        from: e.vm,
        to: `${e.host} vSwitch port`,
      };
    case 'uft':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'flow-cache',
        title: mode === 'v1' ? flowCacheTitle(e) : uftTitle(e),
        event: e.event,
        key: e.key,
        actions: e.actions,
      };
    case 'stage':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'stage',
        title:
          mode === 'v1' ? v1Stage(e.layer, e.group, e.direction) : `VFP layer ${e.layer} / group ${e.group}`,
        stage: `${e.layer}/${e.group}`,
        direction: e.direction,
      };
    case 'rule':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'rule',
        title:
          mode === 'v1'
            ? e.hit
              ? `${e.isDefault ? 'default' : 'policy applies'}: ${e.origin}`
              : `does not apply: ${e.origin}`
            : e.hit
              ? `${e.isDefault ? 'default rule' : 'rule'} ${e.ruleId} (priority ${e.priority}) matches: ${e.origin}`
              : `rule ${e.ruleId} (priority ${e.priority}) does not match`,
        hit: e.hit,
        ruleId: e.ruleId,
        priority: e.priority,
        origin: e.origin,
      };
    case 'ca-pa': {
      const r = e.record;
      const staleNote =
        e.stalePa !== undefined && r
          ? `: stale, the controller now maps it to PA ${e.stalePa} but the update has not reached ${e.host} yet`
          : '';
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: r
          ? `lookup record ${r.caIp} @ VSID ${e.vsid} -> PA ${r.pa} (${r.vm})${staleNote}`
          : `no lookup record for ${e.ca} @ VSID ${e.vsid} in ${e.host}'s policy store`,
        table: `${e.host} policy store (CA-PA mappings)`,
        key: `${e.ca} @ VSID ${e.vsid}`,
        result: r ? recordText(r) : null,
        origin: r ? `lookup record ${r.caIp} @ VSID ${e.vsid} → PA ${r.pa}` : undefined,
      };
    }
    case 'route-decision':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: e.winner
          ? `route in '${e.vmNetwork}' for ${e.dst}: ${routeText(e.winner)} wins (${e.why})`
          : `route in '${e.vmNetwork}': no route to ${e.dst}`,
        table: `routes of routing domain '${e.vmNetwork}' for VSID ${e.vsid}`,
        key: e.dst,
        result: e.winner ? routeText(e.winner) : null,
        origin: e.winner ? routeOrigin(e.winner) : undefined,
      };
    case 'appliance-forward':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'hop',
        title: `${e.vm} is a virtual appliance (IP forwarding on): its guest routes the packet for ${e.dst} back out to ${e.nextHop}, TTL ${e.ttl} -> ${e.ttl - 1}`,
        from: e.vm,
        to: `${e.host} vSwitch port`,
      };
    case 'pa-next-hop':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: e.mac
          ? `PA next hop ${e.nextHop} (${e.sameSubnet ? 'remote host on the same logical subnet' : 'default gateway'}) ${e.cached ? 'from the ARP cache' : 'resolved by ARP'}: ${e.mac} ${e.owner}`
          : `PA next hop ${e.nextHop} does not answer ARP`,
        table: `${e.host} PA compartment ARP cache`,
        key: e.nextHop,
        result: e.mac,
      };
    case 'host-agent-arp':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: e.mac
          ? `${e.host} ${arpResponder(mode)}: ${e.target} @ VSID ${e.vsid} is ${e.mac} (${e.owner})`
          : `${e.host} ${arpResponder(mode)}: no lookup record for ${e.target} @ VSID ${e.vsid}`,
        table: `${e.host} ${arpResponder(mode)} policy store`,
        key: `${e.target} @ VSID ${e.vsid}`,
        result: e.mac ? `${e.mac} (${e.owner})` : null,
      };
    case 'vlan-members':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: e.targets.length
          ? `VLAN ${e.vlanId} (L2 fabric): ${e.wanted} -> ${e.targets.map((t) => `${t.vm} on ${t.host}`).join(', ')}`
          : `VLAN ${e.vlanId} (L2 fabric): nobody in the VLAN for ${e.wanted}`,
        table: `VLAN ${e.vlanId} MAC table (L2 fabric, ${e.members} ports in the VLAN)`,
        key: e.wanted,
        result: e.targets.length ? e.targets.map((t) => t.vm).join(', ') : null,
      };
    case 'pa-compartment':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: `PA compartment: ${e.pa} is a provider address of ${e.host}; ${e.encap.toUpperCase()} VSID ${e.vsid}`,
        table: `${e.host} provider addresses`,
        key: e.pa,
        result: e.host,
      };
    case 'port-by-mac':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: e.port
          ? `vSwitch: VSID ${e.vsid} + inner MAC ${e.mac} -> port ${e.port}`
          : `vSwitch: no port with VSID ${e.vsid} and MAC ${e.mac}`,
        table: `${e.host} vSwitch ports`,
        key: `VSID ${e.vsid} ${e.mac}`,
        result: e.port,
      };
    case 'bgp-route':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: `${e.router}: ${e.dst} matches ${e.prefix} (${e.origin}), ECMP over ${e.nextHops.map((h) => `${h.mux} ${h.ip}`).join(', ')}: hash ${e.hash} picks ${e.chosen}`,
        table: `${e.router} routing table (BGP)`,
        key: e.dst,
        result: `${e.prefix} via ${e.chosen}`,
        origin: e.origin,
      };
    case 'slb-mux':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title:
          e.flow === 'existing'
            ? `${e.mux}: ${e.tuple} is a known flow (flow affinity): stays on DIP ${e.chosen.dip} (${e.chosen.vm})`
            : `${e.mux}: ${e.tuple}, ${e.distribution} hash ${e.hash} over ${e.dips.filter((d) => d.healthy).length} healthy DIPs (${e.dips.map((d) => `${d.dip}${d.healthy ? '' : ' probe down'}`).join(', ')}) picks DIP ${e.chosen.dip} (${e.chosen.vm} on ${e.chosen.host})`,
        table: `${e.mux} flow table / ${e.rule} of '${e.loadBalancer}'`,
        key: e.tuple,
        result: `DIP ${e.chosen.dip} via PA ${e.chosen.pa}`,
      };
    case 'slb-mux-snat':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: `${e.mux}: ${e.tuple} is no load-balancing rule's; port ${e.port} lies in ${e.chosen.vm}'s outbound NAT slice ${e.slice}: to DIP ${e.chosen.dip} (${e.chosen.vm} on ${e.chosen.host})`,
        table: `${e.mux} / ${e.rule} of '${e.loadBalancer}' (SNAT port slices)`,
        key: e.tuple,
        result: `DIP ${e.chosen.dip} via PA ${e.chosen.pa}`,
      };
    case 'slb-snat':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title:
          e.direction === 'out'
            ? `${e.host} SLB host agent: ${e.vm}'s connection ${e.inside} -> ${e.remote} ${e.mapping === 'new' ? 'gets' : 'keeps'} ${e.public} (slice ${e.slice})`
            : e.mapping === 'none'
              ? `${e.host} SLB host agent: no outbound NAT mapping of ${e.vm} for ${e.remote} -> ${e.public}`
              : `${e.host} SLB host agent: ${e.remote} -> ${e.public} maps back to ${e.vm} ${e.inside}`,
        table: `${e.host} SLB NAT table of ${e.vm} ('${e.loadBalancer}')`,
        key: e.direction === 'out' ? `${e.inside} -> ${e.remote}` : `${e.remote} -> ${e.public}`,
        result: e.mapping === 'none' ? null : e.direction === 'out' ? e.public : e.inside,
      };
    case 'endpoint-receive':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'deliver',
        title: `${e.endpoint} receives the frame on '${e.link}'`,
        vm: e.endpoint,
      };
    case 'router-lookup':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: e.mac
          ? `${e.router}: ${e.dst} via interface on '${e.link}', ${e.cached ? 'ARP cache' : 'ARP'} -> ${e.mac} (${e.owner})`
          : `${e.router}: no ARP answer for ${e.dst}`,
        table: `${e.router} routing table + ARP cache`,
        key: e.dst,
        result: e.mac ? `${e.prefix} VLAN ${e.vlanId}, ${e.mac}` : null,
      };
    case 'path-mtu':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title:
          e.code === 4
            ? `${e.host}'s network stack receives it: tunnel packets from ${e.to} to PA ${e.pa} must fit ${e.mtu} bytes (the VM's packet plus the encapsulation)`
            : `${e.host}'s network stack receives ICMP destination unreachable (code ${e.code}) about PA ${e.pa}`,
        table: `${e.host} PA network stack`,
        key: `ICMP 3/${e.code} from ${e.from}`,
        result: e.code === 4 ? `next-hop MTU ${e.mtu}` : null,
      };
    case 'conn-state':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title: connStateTitle(e),
        table: `connection state of ${e.vm} (stateful firewall)`,
        key: e.packet,
        result: e.flow === null ? null : `${e.flow} (${e.state})`,
      };
    case 'action':
      return { where, children: [] as TraceNode[], what: e, kind: 'action', title: e.text, action: e.action };
    case 'output-uplink':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'output',
        title: e.plain
          ? `${e.host} sends the packet on its uplink, not encapsulated`
          : `${e.host} sends the encapsulated frame on its uplink`,
        to: 'uplink',
      };
    case 'icmp-error':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'output',
        title: `${e.router} sends ICMP fragmentation needed (type 3 code 4, next-hop MTU ${e.icmp.nextHopMtu}) back to ${e.to}`,
        to: e.to,
        icmp: { ...e.icmp, fromIp: e.from, toIp: e.to },
      };
    case 'edge-receive':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'hop',
        title: `${e.device} takes the frame off link '${e.link}'`,
        from: `link '${e.link}'`,
        to: e.device,
      };
    case 'site-send':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'hop',
        title: `${e.host} answers, towards the edge of ${e.site}`,
        from: e.host,
        to: `${e.site} edge`,
      };
    case 'gateway-route':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'lookup',
        title:
          e.prefix === null
            ? `${e.gateway}: no route to ${e.dst} in ${e.compartment}'s compartment`
            : `${e.gateway}: ${e.compartment}'s compartment routes ${e.dst} by ${e.prefix} over '${e.connection}' (${e.origin})`,
        table: `${e.compartment} compartment routes`,
        key: e.dst,
        result: e.prefix === null ? null : `${e.prefix} via ${e.connection}`,
        origin: e.origin ?? undefined,
      };
    case 'gateway-flow':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'flow-cache',
        title:
          e.event === 'hit'
            ? `${e.gateway}: flow cache hit in ${e.compartment}'s compartment: ${e.flow} -> '${e.connection}', fast path, no route lookup (hits ${e.hits})`
            : e.event === 'miss'
              ? `${e.gateway}: flow cache miss in ${e.compartment}'s compartment: ${e.flow}, slow path through its routes`
              : `${e.gateway}: flow cached in ${e.compartment}'s compartment: ${e.flow} -> '${e.connection}'`,
        event: e.event,
        key: e.flow,
        actions: e.connection === null ? [] : [e.connection],
      };
    case 'gateway-l3':
      return e.direction === 'out'
        ? {
            where,
            children: [] as TraceNode[],
            what: e,
            kind: 'output',
            title: `${e.gateway}: ${e.compartment}'s L3 connection '${e.connection}' forwards it untunnelled on VLAN ${e.vlanId} ('${e.link}'), from L3 interface ${e.localIp} to next hop ${e.peerIp}${e.peerMac ? ` (${e.peerMac})` : ''}`,
            to: `${e.peerIp} on VLAN ${e.vlanId}`,
          }
        : {
            where,
            children: [] as TraceNode[],
            what: e,
            kind: 'hop',
            title: `${e.gateway}: VLAN ${e.vlanId} ('${e.link}') is ${e.compartment}'s L3 connection '${e.connection}': into its compartment at ${e.localIp}`,
            from: `${e.peerIp} on VLAN ${e.vlanId}`,
            to: `${e.compartment} compartment`,
          };
    case 'deliver':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'deliver',
        title: e.text ?? `delivered to ${e.vm} on ${e.host}`,
        vm: e.vm,
      };
    case 'drop':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'drop',
        title: `dropped at ${e.at}: ${e.reason}`,
        reason: e.reason,
      };
    case 'control-plane':
      return {
        where,
        children: [] as TraceNode[],
        what: e,
        kind: 'control-plane',
        title: `controller -> ${e.host}: ${e.update.op} ${e.update.kind} ${e.update.key}`,
        update: e.update,
      };
  }
}

function uftTitle(e: Extract<TraceEvent, { type: 'uft' }>): string {
  const on = e.place === 'port' ? `port ${e.vm}` : `${e.host} (decap side)`;
  switch (e.event) {
    case 'hit':
      if (e.place === 'uplink') return `UFT hit on ${on}: fast path`;
      return e.stale
        ? `UFT hit on ${on}: fast path, cached action to old PA ${e.stale.pa} (stale: the controller now maps ${e.stale.caIp} @ VSID ${e.stale.vsid} to PA ${e.stale.nowPa}, but its update has not reached ${e.host}, so nothing invalidated this entry)`
        : `UFT hit on ${on}: fast path, cached actions applied (hits ${e.hits})`;
    case 'miss':
      return e.place === 'port'
        ? `UFT miss on ${on}: slow path through every layer`
        : `UFT miss on ${on}: slow path`;
    case 'insert':
      return `UFT insert on ${on}: ${(e.actions ?? []).join(', ')}`;
    case 'invalidate': {
      const place = e.place === 'port' ? `port ${e.vm}` : `${e.host} uplink`;
      const why = (e.builtFrom ?? []).map((d) => `lookup record ${d.caIp} @ VSID ${d.vsid}`).join(', ');
      return `${e.host}: UFT entry on ${place} invalidated (built from ${why}, which the update replaced): ${(e.actions ?? []).join(', ')}`;
    }
  }
}

/** HNVv1: the same cache events without VFP's unified flow table. */
function flowCacheTitle(e: Extract<TraceEvent, { type: 'uft' }>): string {
  const on = e.place === 'port' ? `port ${e.vm}` : `${e.host} (decap side)`;
  switch (e.event) {
    case 'hit':
      if (e.place === 'uplink') return `flow cache hit on ${on}: fast path`;
      return e.stale
        ? `flow cache hit on ${on}: fast path, the cached decision sends to old PA ${e.stale.pa} (stale: the lookup record of ${e.stale.caIp} @ VSID ${e.stale.vsid} now says PA ${e.stale.nowPa}, but ${e.host} has not received it, so nothing dropped this cached flow)`
        : `flow cache hit on ${on}: fast path, the cached decision applied (hits ${e.hits})`;
    case 'miss':
      return e.place === 'port'
        ? `flow cache miss on ${on}: slow path, the policy is looked up`
        : `flow cache miss on ${on}: slow path`;
    case 'insert':
      return `flow cached on ${on}: ${(e.actions ?? []).join(', ')}`;
    case 'invalidate': {
      const place = e.place === 'port' ? `port ${e.vm}` : `${e.host} uplink`;
      const why = (e.builtFrom ?? []).map((d) => `lookup record ${d.caIp} @ VSID ${d.vsid}`).join(', ');
      return `${e.host}: cached flow on ${place} dropped (built from ${why}, which the update replaced): ${(e.actions ?? []).join(', ')}`;
    }
  }
}

function connStateTitle(e: Extract<TraceEvent, { type: 'conn-state' }>): string {
  const idle = `idle timeout ${e.idleTimeout} s`;
  switch (e.event) {
    case 'reply':
      return `allowed by the state of flow ${e.flow}: a reply (${e.state}, ${idle}), the ACL rules are not consulted`;
    case 'miss':
      return e.flow
        ? `flow ${e.flow} is tracked (${e.state}), but this packet goes its own way, not back: the ACL rules decide it`
        : `no connection state of ${e.vm} lets ${e.packet} through: the ACL rules decide`;
    case 'commit':
      return `tracked: flow ${e.flow} at ${e.vm} (${e.state}, ${idle}); its replies will pass${e.invalidated ? ` (${e.invalidated} cached flow entr${e.invalidated === 1 ? 'y' : 'ies'} decided without this state invalidated)` : ''}`;
    case 'refresh':
      return `flow ${e.flow} at ${e.vm} is tracked already (${e.state}): the rules allow it again, its idle timer restarts (${idle})`;
    case 'untracked':
      return `${e.packet} is allowed but not tracked: nothing replies to it`;
    case 'expired':
      return `connection state of flow ${e.flow} at ${e.vm} expired (idle ${e.idleTimeout} s): its replies no longer pass${e.invalidated ? ` (${e.invalidated} cached flow entr${e.invalidated === 1 ? 'y' : 'ies'} invalidated)` : ''}`;
  }
}
