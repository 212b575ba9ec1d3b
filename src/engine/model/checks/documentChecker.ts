// The rules that span objects, after the schema passed: references, uniqueness, address
// plans, VLANs, ACLs, PA counts. Pure and linear: Maps and Sets only.
import {
  formatIpv4,
  type Ipv4Prefix,
  ipv4ToNumber,
  isIpv4,
  lowestHostAddress,
  prefixContains,
  prefixOf,
} from '../../net';
import { VLAN_ID_MAX } from '../allocate';
import { quote } from '../quote';
import {
  type Acl,
  type AclRule,
  COLLECTIONS,
  type CollectionName,
  type Host,
  type LogicalSubnet,
  type Router,
  type TopologyDocument,
  type VirtualSubnet,
  type Vm,
  type VmNetwork,
  type Vnic,
  VSID_MAX,
  VSID_MIN,
} from '../schema';

import type { ValidationError } from '../validate';
import { checkGateways } from './gatewayChecks';
import { checkRouting } from './routing';
import { checkSlb } from './slbChecks';
import { elementField, plural, Subject, subject } from './subject';

interface SubnetPlan {
  subnet: VirtualSubnet;
  prefix: Ipv4Prefix;
  subject: Subject;
}

export class DocumentChecker {
  private readonly errors: ValidationError[] = [];
  private readonly tenants = new Map<string, { name: string }>();
  private readonly vmNetworks = new Map<string, VmNetwork>();
  private readonly subnets = new Map<string, SubnetPlan>();
  private readonly acls = new Map<string, Acl>();
  private readonly hosts = new Map<string, Host>();
  private readonly logicalNetworks = new Set<string>();
  private readonly logicalSubnets = new Map<string, { subnet: LogicalSubnet; prefix: Ipv4Prefix }>();
  /** Every MAC in the datacenter and who holds it. */
  private readonly macs = new Map<string, Subject>();
  /** Every address of the provider space in use (router interfaces, PAs) and who holds it. */
  private readonly providerIps = new Map<number, Subject>();
  /** VSIDs with a vNIC on each host (HNVv1 needs a PA for each). */
  private readonly vsidsOnHost = new Map<string, Set<number>>();
  private providerVlans: { native: Map<number, LogicalSubnet>; trunked: Set<number> } | undefined;

  constructor(private readonly doc: TopologyDocument) {}

  check(): ValidationError[] {
    this.checkUniqueIds();
    this.indexObjects();
    this.checkLogicalSubnets();
    for (const router of this.doc.routers) this.checkRouter(router);
    const hostNames = new Set<string>();
    for (const host of this.doc.hosts) this.checkHostAddresses(host, hostNames);
    this.checkTenantsAndNetworks();
    this.checkVirtualSubnets();
    for (const acl of this.doc.acls) this.checkAcl(acl);
    this.checkVms();
    this.checkGatewayMacsAgainstVnics();
    for (const host of this.doc.hosts) this.checkProviderAddressCount(host);
    this.checkManualPolicy();
    for (const e of checkRouting(this.doc)) this.errors.push(e);
    checkGateways(this.doc, this.macs, this.providerIps, (who, field, rule, message) =>
      this.fail(who, field, rule, message),
    );
    checkSlb(this.doc, {
      fail: (who, field, rule, message) => this.fail(who, field, rule, message),
      unknownReference: (who, field, value, kind) => this.unknownReference(who, field, value, kind),
      claimMac: (who, field, mac) => this.claimMac(who, field, mac),
      claimIp: (who, field, ip, text) => {
        const holder = this.providerIps.get(ip);
        if (holder === undefined) this.providerIps.set(ip, who);
        else this.fail(who, field, 'unique-ip', `${who.label} IP ${text} is already used by ${holder.label}`);
        return holder === undefined;
      },
      hosts: this.hosts,
      logicalSubnets: this.logicalSubnets,
      routedSubnets: new Set(this.doc.routers.flatMap((r) => r.interfaces.map((i) => i.logicalSubnetId))),
    });
    this.checkFlows();
    return this.errors;
  }

  /** HNVv1's PowerShell-set lookup records: real VSIDs, CAs inside them, PAs some host owns, once each. */
  private checkManualPolicy(): void {
    const doc = this.doc;
    const who = subject('datacenter', undefined, doc.name);
    if (doc.policySource === 'powershell' && doc.hnvMode !== 'v1')
      this.fail(
        who,
        'policySource',
        'manual-policy-v1',
        "policy set by PowerShell is HNVv1's: in HNVv2 the Network Controller writes the host agents' policy",
      );
    const records = doc.lookupRecords ?? [];
    if (records.length > 0 && doc.policySource !== 'powershell')
      this.fail(
        who,
        'lookupRecords',
        'manual-records-need-powershell',
        `${plural(records.length, 'lookup record')} set by hand, but the policy is set by the controller: set policySource to 'powershell' or remove them`,
      );
    const byVsid = new Map<number, SubnetPlan>();
    for (const plan of this.subnets.values()) byVsid.set(plan.subnet.vsid, plan);
    const pas = new Set<string>();
    for (const h of doc.hosts) for (const pa of h.providerAddresses) pas.add(pa);
    const seen = new Set<string>();
    records.forEach((r, i) => {
      const field = (key: string) => elementField('lookupRecords', i, key);
      const plan = byVsid.get(r.vsid);
      if (!plan) {
        this.fail(
          who,
          field('vsid'),
          'record-vsid',
          `lookup record ${r.caIp} names VSID ${r.vsid}, which no virtual subnet has`,
        );
        return;
      }
      if (!prefixContains(plan.prefix, ipv4ToNumber(r.caIp)))
        this.fail(
          who,
          field('caIp'),
          'record-ca-in-subnet',
          `lookup record ${r.caIp} @ VSID ${r.vsid} is outside virtual subnet '${plan.subnet.name}' (${plan.subnet.prefix})`,
        );
      if (!pas.has(r.pa))
        this.fail(
          who,
          field('pa'),
          'record-pa-owned',
          `lookup record ${r.caIp} @ VSID ${r.vsid} points at PA ${r.pa}, which no host owns`,
        );
      const key = `${r.vsid}/${r.caIp}`;
      if (seen.has(key))
        this.fail(who, field('caIp'), 'unique-record', `two lookup records for ${r.caIp} @ VSID ${r.vsid}`);
      seen.add(key);
    });
  }

  /** The trace panel's flows: unique ids, a source vNIC that exists, a destination vNIC or IPv4 address. */
  private checkFlows(): void {
    const flows = this.doc.flows ?? [];
    if (flows.length === 0) return;
    const vnics = new Set<string>();
    for (const vm of this.doc.vms) for (const nic of vm.nics) vnics.add(nic.id);
    const ids = new Set<string>();
    for (const flow of flows) {
      const who = subject('flow', flow.id, flow.name);
      if (ids.has(flow.id))
        this.fail(
          who,
          'id',
          'unique-id',
          `flow ${quote(flow.name)} id ${quote(flow.id)} is already used by another flow`,
        );
      ids.add(flow.id);
      if (!vnics.has(flow.from)) this.unknownReference(who, 'from', flow.from, 'vNIC');
      if (!vnics.has(flow.to) && !isIpv4(flow.to))
        this.fail(
          who,
          'to',
          'flow-destination',
          `${who.label} to ${quote(flow.to)} is neither a vNIC nor an IPv4 address`,
        );
      else if (flow.to === flow.from)
        this.fail(
          who,
          'to',
          'flow-not-self',
          `${who.label} goes from a vNIC to itself: pick another destination`,
        );
      if (flow.dstPort !== undefined && flow.protocol !== 'tcp' && flow.protocol !== 'udp')
        this.fail(
          who,
          'dstPort',
          'flow-port-protocol',
          `${who.label} has a destination port, but ${flow.protocol.toUpperCase()} has no ports`,
        );
    }
  }

  private fail(who: Subject, field: string, rule: string, message: string): void {
    this.errors.push({ objectKind: who.kind, objectId: who.id, objectName: who.name, field, rule, message });
  }

  private checkUniqueIds(): void {
    for (const collection of Object.keys(COLLECTIONS) as CollectionName[]) {
      const kind = COLLECTIONS[collection];
      const seen = new Set<string>();
      for (const object of this.doc[collection]) {
        if (seen.has(object.id)) {
          this.fail(
            subject(kind, object.id, object.name),
            'id',
            'unique-id',
            `${kind} ${quote(object.name)} id ${quote(object.id)} is already used by another ${kind}`,
          );
        }
        seen.add(object.id);
      }
    }
  }

  /** First object wins when ids repeat (already reported). */
  private indexObjects(): void {
    const d = this.doc;
    for (const t of d.tenants) if (!this.tenants.has(t.id)) this.tenants.set(t.id, t);
    for (const n of d.vmNetworks) if (!this.vmNetworks.has(n.id)) this.vmNetworks.set(n.id, n);
    for (const s of d.virtualSubnets) {
      if (!this.subnets.has(s.id)) {
        this.subnets.set(s.id, { subnet: s, prefix: prefixOf(s.prefix), subject: this.subnetSubject(s) });
      }
    }
    for (const a of d.acls) if (!this.acls.has(a.id)) this.acls.set(a.id, a);
    for (const h of d.hosts) if (!this.hosts.has(h.id)) this.hosts.set(h.id, h);
    for (const n of d.logicalNetworks) this.logicalNetworks.add(n.id);
    for (const s of d.logicalSubnets) {
      if (!this.logicalSubnets.has(s.id))
        this.logicalSubnets.set(s.id, { subnet: s, prefix: prefixOf(s.prefix) });
    }
  }

  private subnetSubject(s: VirtualSubnet): Subject {
    return subject('virtual subnet', s.id, s.name);
  }

  private unknownReference(who: Subject, field: string, value: string, targetKind: string): void {
    this.fail(
      who,
      field,
      'known-reference',
      `${who.label} ${field} ${quote(value)} refers to no ${targetKind}`,
    );
  }

  /** Registers a MAC; reports it when it is a group address, all zeros or already taken. */
  private claimMac(who: Subject, field: string, mac: string): void {
    // The group bit is the low bit of the first octet, so of its second hex digit (the
    // schema made MACs lower case): read from the character, no substring.
    const digit = mac.charCodeAt(1);
    if (((digit <= 57 ? digit - 48 : digit - 87) & 1) === 1) {
      this.fail(
        who,
        field,
        'unicast-mac',
        `${who.label} MAC ${mac} is a multicast address, not a unicast one`,
      );
      return;
    }
    if (mac === '00:00:00:00:00:00') {
      this.fail(who, field, 'unicast-mac', `${who.label} MAC ${mac} is all zeros`);
      return;
    }
    const holder = this.macs.get(mac);
    if (holder !== undefined) {
      this.fail(who, field, 'unique-mac', `${who.label} MAC ${mac} is already used by ${holder.label}`);
      return;
    }
    this.macs.set(mac, who);
  }

  /** Prefix shape shared by virtual and logical subnets: network address, room for a gateway and a host. */
  private checkPrefixShape(who: Subject, prefix: Ipv4Prefix): void {
    if (prefix.hostBitsSet) {
      this.fail(
        who,
        'prefix',
        'prefix-network-address',
        `${who.label} prefix ${prefix.text} has host bits set (the network is ${formatIpv4(prefix.network)}/${prefix.length})`,
      );
    }
    if (prefix.length > 30) {
      this.fail(
        who,
        'prefix',
        'prefix-length',
        `${who.label} prefix ${prefix.text} is too small: it needs /30 or shorter to hold a gateway and a host`,
      );
    }
  }

  /** Reports an address that is its prefix's network or broadcast address; true when it is neither. */
  private checkNotEdgeAddress(
    who: Subject,
    field: string,
    what: string,
    address: number,
    prefix: Ipv4Prefix,
    rulePrefix: string,
  ): boolean {
    const text = formatIpv4(address);
    if (address === prefix.network) {
      this.fail(
        who,
        field,
        `${rulePrefix}-not-network-address`,
        `${who.label} ${what} ${text} is the network address of ${prefix.text}`,
      );
      return false;
    }
    if (address === prefix.broadcast) {
      this.fail(
        who,
        field,
        `${rulePrefix}-not-broadcast-address`,
        `${who.label} ${what} ${text} is the broadcast address of ${prefix.text}`,
      );
      return false;
    }
    return true;
  }

  private checkLogicalSubnets(): void {
    const plans: { who: Subject; prefix: Ipv4Prefix }[] = [];
    for (const s of this.doc.logicalSubnets) {
      const who = subject('logical subnet', s.id, s.name);
      if (!this.logicalNetworks.has(s.logicalNetworkId)) {
        this.unknownReference(who, 'logicalNetworkId', s.logicalNetworkId, 'logical network');
      }
      const prefix = prefixOf(s.prefix);
      this.checkPrefixShape(who, prefix);
      const gateway = ipv4ToNumber(s.defaultGateway);
      if (!prefixContains(prefix, gateway)) {
        this.fail(
          who,
          'defaultGateway',
          'gateway-in-prefix',
          `${who.label} default gateway ${s.defaultGateway} is outside its prefix ${s.prefix}`,
        );
      } else {
        this.checkNotEdgeAddress(who, 'defaultGateway', 'default gateway', gateway, prefix, 'gateway');
      }
      plans.push({ who, prefix });
    }
    // The provider space is one address space: logical subnets must not overlap.
    this.reportOverlaps(plans, (later, earlier) => {
      this.fail(
        later.who,
        'prefix',
        'no-overlap-in-provider-space',
        `${later.who.label} prefix ${later.prefix.text} overlaps ${earlier.who.label} ${earlier.prefix.text} in the provider address space`,
      );
    });
  }

  /** Sort-and-sweep overlap detection, O(n log n); reports each overlapping prefix once. */
  private reportOverlaps<T extends { prefix: Ipv4Prefix }>(
    plans: T[],
    report: (later: T, earlier: T) => void,
  ): void {
    if (plans.length < 2) return;
    const order = plans.map((_, i) => i);
    order.sort((a, b) => plans[a].prefix.network - plans[b].prefix.network || a - b);
    let widestIndex = order[0];
    let widest = plans[widestIndex];
    for (let k = 1; k < order.length; k++) {
      const currentIndex = order[k];
      const current = plans[currentIndex];
      if (current.prefix.network <= widest.prefix.broadcast) {
        // Name the object that comes later in the document as the offender.
        if (currentIndex > widestIndex) report(current, widest);
        else report(widest, current);
      }
      if (current.prefix.broadcast > widest.prefix.broadcast) {
        widest = current;
        widestIndex = currentIndex;
      }
    }
  }

  private checkRouter(router: Router): void {
    router.interfaces.forEach((itf, index) => {
      const logical = this.logicalSubnets.get(itf.logicalSubnetId);
      const who = subject(
        'router interface',
        undefined,
        `${router.name}/${logical?.subnet.name ?? index}`,
        false,
      );
      const field = (f: string) => `interfaces[${index}].${f}`;
      this.claimMac(who, field('mac'), itf.mac);
      if (logical === undefined) {
        this.unknownReference(who, field('logicalSubnetId'), itf.logicalSubnetId, 'logical subnet');
        return;
      }
      const ip = ipv4ToNumber(itf.ip);
      if (!prefixContains(logical.prefix, ip)) {
        this.fail(
          who,
          field('ip'),
          'ip-in-logical-subnet',
          `${who.label} IP ${itf.ip} is outside its logical subnet ${quote(logical.subnet.name)} ${logical.subnet.prefix}`,
        );
        return;
      }
      if (!this.checkNotEdgeAddress(who, field('ip'), 'IP', ip, logical.prefix, 'ip')) return;
      const holder = this.providerIps.get(ip);
      if (holder !== undefined) {
        this.fail(
          who,
          field('ip'),
          'unique-ip',
          `${who.label} IP ${itf.ip} is already used by ${holder.label}`,
        );
        return;
      }
      this.providerIps.set(ip, who);
    });
  }

  private checkHostAddresses(host: Host, hostNames: Set<string>): void {
    const who = subject('host', host.id, host.name);
    if (hostNames.has(host.name))
      this.fail(who, 'name', 'unique-name', `${who.label} name is already used by another host`);
    hostNames.add(host.name);
    host.teamMembers.forEach((member, index) => {
      this.claimMac(
        subject('team member', undefined, `${host.name}/${member.name}`, false),
        `teamMembers[${index}].mac`,
        member.mac,
      );
    });
    const logical = this.logicalSubnets.get(host.logicalSubnetId);
    if (logical === undefined) {
      this.unknownReference(who, 'logicalSubnetId', host.logicalSubnetId, 'logical subnet');
      return;
    }
    const gateway = ipv4ToNumber(logical.subnet.defaultGateway);
    host.providerAddresses.forEach((text, index) => {
      const field = `providerAddresses[${index}]`;
      const pa = ipv4ToNumber(text);
      if (!prefixContains(logical.prefix, pa)) {
        this.fail(
          who,
          field,
          'pa-in-logical-subnet',
          `${who.label} PA ${text} is outside its logical subnet ${quote(logical.subnet.name)} ${logical.subnet.prefix}`,
        );
        return;
      }
      if (!this.checkNotEdgeAddress(who, field, 'PA', pa, logical.prefix, 'pa')) return;
      if (pa === gateway) {
        this.fail(
          who,
          field,
          'pa-not-gateway',
          `${who.label} PA ${text} is the default gateway of logical subnet ${quote(logical.subnet.name)}`,
        );
        return;
      }
      const holder = this.providerIps.get(pa);
      if (holder !== undefined) {
        this.fail(who, field, 'unique-pa', `${who.label} PA ${text} is already used by ${holder.label}`);
        return;
      }
      this.providerIps.set(pa, who);
    });
  }

  private checkTenantsAndNetworks(): void {
    const tenantNames = new Set<string>();
    for (const t of this.doc.tenants) {
      if (tenantNames.has(t.name)) {
        this.fail(
          subject('tenant', t.id, t.name),
          'name',
          'unique-name',
          `tenant ${quote(t.name)} name is already used by another tenant`,
        );
      }
      tenantNames.add(t.name);
    }
    const routingDomains = new Map<string, VmNetwork>();
    for (const n of this.doc.vmNetworks) {
      const who = subject('VM network', n.id, n.name);
      if (!this.tenants.has(n.tenantId)) this.unknownReference(who, 'tenantId', n.tenantId, 'tenant');
      const key = n.routingDomainId.replace(/[{}]/g, '').toLowerCase();
      const holder = routingDomains.get(key);
      if (holder !== undefined) {
        this.fail(
          who,
          'routingDomainId',
          'unique-routing-domain-id',
          `${who.label} routing domain ID ${n.routingDomainId} is already used by VM network ${quote(holder.name)} (routing domain IDs are unique in the datacenter)`,
        );
      } else {
        routingDomains.set(key, n);
      }
    }
  }

  /**
   * A VLAN-isolated subnet: a VLAN ID in 1..4094, used by no other tenant subnet nor by a
   * provider logical subnet (one L2 fabric, one VLAN ID space), and trunked somewhere.
   * Where its VMs run is not an error here: a VM moved off its VLAN is what the data plane
   * shows (the trace drops and says why), as in a real VLAN datacenter.
   */
  private checkTenantVlan(s: VirtualSubnet, who: Subject, tenantVlans: Map<number, VirtualSubnet>): void {
    const vlan = s.vlanId;
    if (vlan === undefined) {
      this.fail(
        who,
        'vlanId',
        'vlan-required',
        `${who.label} is isolated by VLAN but has no VLAN ID (it needs one in 1..${VLAN_ID_MAX})`,
      );
      return;
    }
    if (vlan < 1 || vlan > VLAN_ID_MAX) {
      this.fail(
        who,
        'vlanId',
        'vlan-range',
        `${who.label} VLAN ${vlan} is outside 1..${VLAN_ID_MAX} (the 802.1Q tag has 12 bits; 0 and 4095 are reserved)`,
      );
      return;
    }
    const holder = tenantVlans.get(vlan);
    if (holder !== undefined) {
      this.fail(
        who,
        'vlanId',
        'unique-vlan',
        `${who.label} VLAN ${vlan} is already used by virtual subnet ${quote(holder.name)}`,
      );
      return;
    }
    tenantVlans.set(vlan, s);
    const provider = this.providerVlanIndex();
    const ls = provider.native.get(vlan);
    if (ls !== undefined) {
      this.fail(
        who,
        'vlanId',
        'unique-vlan',
        `${who.label} VLAN ${vlan} is already used by logical subnet ${quote(ls.name)} (the provider network)`,
      );
      return;
    }
    if (!provider.trunked.has(vlan)) {
      this.fail(
        who,
        'vlanId',
        'vlan-trunked',
        `${who.label} VLAN ${vlan} is trunked on no logical subnet: list it in the trunked VLANs of the logical subnet(s) whose hosts run its VMs`,
      );
    }
  }

  /** The provider network's VLANs (first logical subnet of each), and every trunked VLAN: built once. */
  private providerVlanIndex(): { native: Map<number, LogicalSubnet>; trunked: Set<number> } {
    if (this.providerVlans === undefined) {
      const native = new Map<number, LogicalSubnet>();
      const trunked = new Set<number>();
      for (const { subnet: ls } of this.logicalSubnets.values()) {
        if (!native.has(ls.vlanId)) native.set(ls.vlanId, ls);
        for (const v of ls.trunkedVlans ?? []) trunked.add(v);
      }
      this.providerVlans = { native, trunked };
    }
    return this.providerVlans;
  }

  private checkVirtualSubnets(): void {
    const tenantVlans = new Map<number, VirtualSubnet>();
    const vsids = new Map<number, VirtualSubnet>();
    const byRoutingDomain = new Map<string, SubnetPlan[]>();
    for (const s of this.doc.virtualSubnets) {
      const plan = this.subnets.get(s.id);
      const who = plan !== undefined && plan.subnet === s ? plan.subject : this.subnetSubject(s);
      const prefix = plan !== undefined && plan.subnet === s ? plan.prefix : prefixOf(s.prefix);
      if (!this.vmNetworks.has(s.vmNetworkId))
        this.unknownReference(who, 'vmNetworkId', s.vmNetworkId, 'VM network');
      if (s.aclId !== undefined && !this.acls.has(s.aclId))
        this.unknownReference(who, 'aclId', s.aclId, 'ACL');
      if (s.vsid < VSID_MIN || s.vsid > VSID_MAX) {
        this.fail(
          who,
          'vsid',
          'vsid-range',
          `${who.label} VSID ${s.vsid} is outside ${VSID_MIN}..${VSID_MAX}`,
        );
      } else {
        const holder = vsids.get(s.vsid);
        if (holder !== undefined) {
          this.fail(
            who,
            'vsid',
            'unique-vsid',
            `${who.label} VSID ${s.vsid} is already used by virtual subnet ${quote(holder.name)} (VSIDs are unique in the datacenter)`,
          );
        } else {
          vsids.set(s.vsid, s);
        }
      }
      if (s.isolation === 'vlan') this.checkTenantVlan(s, who, tenantVlans);
      else if (this.doc.hnvMode === 'v1' && s.encapsulation !== 'nvgre')
        this.fail(
          who,
          'encapsulation',
          'v1-nvgre-only',
          `${who.label} uses ${s.encapsulation.toUpperCase()}, but HNVv1 (Windows Server 2012 R2) encapsulates in NVGRE only: set it to NVGRE or the datacenter to HNVv2`,
        );
      if (s.gatewayMac !== undefined) this.checkGatewayMac(who, s.gatewayMac);
      this.checkPrefixShape(who, prefix);
      const list = byRoutingDomain.get(s.vmNetworkId);
      const entry = { subnet: s, prefix, subject: who };
      if (list === undefined) byRoutingDomain.set(s.vmNetworkId, [entry]);
      else list.push(entry);
    }
    for (const [vmNetworkId, plans] of byRoutingDomain) {
      const network = this.vmNetworks.get(vmNetworkId);
      this.reportOverlaps(plans, (later, earlier) => {
        this.fail(
          later.subject,
          'prefix',
          'no-overlap-in-routing-domain',
          `${later.subject.label} prefix ${later.prefix.text} overlaps virtual subnet ${quote(earlier.subnet.name)} ${earlier.prefix.text} in routing domain ${quote(network?.name ?? vmNetworkId)}`,
        );
      });
    }
  }

  /** A configured gateway MAC: a unicast address (a vNIC of the same VSID is checked with the VMs). */
  private checkGatewayMac(who: Subject, mac: string): void {
    const digit = mac.charCodeAt(1);
    if (((digit <= 57 ? digit - 48 : digit - 87) & 1) === 1)
      this.fail(
        who,
        'gatewayMac',
        'unicast-mac',
        `${who.label} gateway MAC ${mac} is a multicast address: the distributed router needs a unicast one`,
      );
    else if (mac === '00:00:00:00:00:00')
      this.fail(who, 'gatewayMac', 'unicast-mac', `${who.label} gateway MAC ${mac} is all zeros`);
  }

  /** The gateway MAC of a subnet must not be a vNIC's of the same VSID: the guests could not tell them apart. */
  private checkGatewayMacsAgainstVnics(): void {
    const gateways = new Map<string, string>();
    for (const s of this.doc.virtualSubnets) if (s.gatewayMac !== undefined) gateways.set(s.id, s.gatewayMac);
    if (gateways.size === 0) return;
    const tenantOfSubnet = this.tenantsOfSubnets();
    for (const vm of this.doc.vms)
      for (const nic of vm.nics) {
        if (gateways.get(nic.virtualSubnetId) !== nic.mac) continue;
        const plan = this.subnets.get(nic.virtualSubnetId);
        if (!plan) continue;
        const tenant = tenantOfSubnet.get(nic.virtualSubnetId);
        const vmName = tenant ? `${tenant.name}/${vm.name}` : vm.name;
        this.fail(
          plan.subject,
          'gatewayMac',
          'gateway-mac-not-vnic',
          `${plan.subject.label} gateway MAC ${nic.mac} is the MAC of vNIC ${vmName} in the same VSID ${plan.subnet.vsid}`,
        );
      }
  }

  private checkAcl(acl: Acl): void {
    const ruleIds = new Set<string>();
    const priorities = new Map<string, AclRule>();
    acl.rules.forEach((rule, index) => {
      const who = subject('ACL rule', rule.id, `${acl.name}/${rule.name}`, false);
      const field = (f: string) => `rules[${index}].${f}`;
      if (ruleIds.has(rule.id)) {
        this.fail(
          who,
          field('id'),
          'unique-id',
          `${who.label} id ${quote(rule.id)} is already used by another rule of ACL ${quote(acl.name)}`,
        );
      }
      ruleIds.add(rule.id);
      const key = `${rule.direction}|${rule.priority}`;
      const holder = priorities.get(key);
      if (holder !== undefined) {
        this.fail(
          who,
          field('priority'),
          'unique-priority',
          `${who.label} priority ${rule.priority} is already used by ${rule.direction} rule ${quote(holder.name)} of the same ACL`,
        );
      } else {
        priorities.set(key, rule);
      }
      this.checkPortRange(who, field('sourcePortRange'), 'source port range', rule.sourcePortRange);
      this.checkPortRange(
        who,
        field('destinationPortRange'),
        'destination port range',
        rule.destinationPortRange,
      );
    });
  }

  private checkPortRange(who: Subject, field: string, what: string, range: string): void {
    if (range === '*') return;
    const dash = range.indexOf('-');
    const first = Number(dash < 0 ? range : range.slice(0, dash));
    const last = dash < 0 ? first : Number(range.slice(dash + 1));
    if (first > 65535 || last > 65535) {
      this.fail(who, field, 'port-range', `${who.label} ${what} ${range} is outside 0..65535`);
    } else if (first > last) {
      this.fail(
        who,
        field,
        'port-range-order',
        `${who.label} ${what} ${range} is reversed (its start is above its end)`,
      );
    }
  }

  /** The tenant of each virtual subnet (through its VM network), for naming VMs and vNICs. */
  private tenantsOfSubnets(): Map<string, { id: string; name: string }> {
    const map = new Map<string, { id: string; name: string }>();
    for (const [subnetId, plan] of this.subnets) {
      const network = this.vmNetworks.get(plan.subnet.vmNetworkId);
      const tenant = network === undefined ? undefined : this.tenants.get(network.tenantId);
      if (network !== undefined && tenant !== undefined)
        map.set(subnetId, { id: network.tenantId, name: tenant.name });
    }
    return map;
  }

  private checkVms(): void {
    const tenantOfSubnet = this.tenantsOfSubnets();
    const nicIds = new Set<string>();
    /** VM names per tenant id. */
    const vmNames = new Map<string, Set<string>>();
    /** CAs in use per routing domain (VM network id), and who holds them. */
    const cas = new Map<string, Map<number, Subject>>();
    for (const vm of this.doc.vms) {
      const tenant = tenantOfSubnet.get(vm.nics[0].virtualSubnetId);
      const vmNameParts = tenant === undefined ? [vm.name] : [tenant.name, vm.name];
      const who = new Subject('VM', vm.id, vmNameParts, false);
      if (!this.hosts.has(vm.hostId)) this.unknownReference(who, 'hostId', vm.hostId, 'host');
      if (tenant !== undefined) {
        let names = vmNames.get(tenant.id);
        if (names === undefined) {
          names = new Set();
          vmNames.set(tenant.id, names);
        }
        if (names.has(vm.name)) {
          this.fail(
            who,
            'name',
            'unique-name-in-tenant',
            `${who.label} name is already used by another VM of tenant ${quote(tenant.name)}`,
          );
        }
        names.add(vm.name);
      }
      for (let index = 0; index < vm.nics.length; index++) {
        const nic = vm.nics[index];
        const nicWho = new Subject(
          'vNIC',
          nic.id,
          vm.nics.length > 1 ? [...vmNameParts, nic.name] : vmNameParts,
          false,
        );
        this.checkVnic(vm, nic, index, nicWho, tenant, tenantOfSubnet, nicIds, cas);
      }
    }
  }

  private checkVnic(
    vm: Vm,
    nic: Vnic,
    index: number,
    who: Subject,
    vmTenant: { id: string; name: string } | undefined,
    tenantOfSubnet: Map<string, { id: string; name: string }>,
    nicIds: Set<string>,
    cas: Map<string, Map<number, Subject>>,
  ): void {
    if (nicIds.has(nic.id)) {
      this.fail(
        who,
        elementField('nics', index, 'id'),
        'unique-id',
        `${who.label} id ${quote(nic.id)} is already used by another vNIC`,
      );
    }
    nicIds.add(nic.id);
    this.claimMac(who, elementField('nics', index, 'mac'), nic.mac);
    if (nic.aclId !== undefined && !this.acls.has(nic.aclId)) {
      this.unknownReference(who, elementField('nics', index, 'aclId'), nic.aclId, 'ACL');
    }
    const plan = this.subnets.get(nic.virtualSubnetId);
    if (plan === undefined) {
      this.unknownReference(
        who,
        elementField('nics', index, 'virtualSubnetId'),
        nic.virtualSubnetId,
        'virtual subnet',
      );
      return;
    }
    if (index > 0 && vmTenant !== undefined) {
      const tenant = tenantOfSubnet.get(nic.virtualSubnetId);
      if (tenant !== undefined && tenant.id !== vmTenant.id) {
        this.fail(
          who,
          elementField('nics', index, 'virtualSubnetId'),
          'one-tenant-per-vm',
          `${who.label} virtual subnet ${quote(plan.subnet.name)} belongs to tenant ${quote(tenant.name)}, not to the VM's tenant ${quote(vmTenant.name)}`,
        );
      }
    }
    if (this.hosts.has(vm.hostId)) {
      const vsids = this.vsidsOnHost.get(vm.hostId);
      if (vsids === undefined) this.vsidsOnHost.set(vm.hostId, new Set([plan.subnet.vsid]));
      else vsids.add(plan.subnet.vsid);
    }
    const field = elementField('nics', index, 'caIp');
    const ca = ipv4ToNumber(nic.caIp);
    const prefix = plan.prefix;
    if (!prefixContains(prefix, ca)) {
      this.fail(
        who,
        field,
        'ca-in-subnet',
        `${who.label} CA ${nic.caIp} is outside its subnet ${prefix.text}`,
      );
      return;
    }
    if (!this.checkNotEdgeAddress(who, field, 'CA', ca, prefix, 'ca')) return;
    if (ca === lowestHostAddress(prefix)) {
      this.fail(
        who,
        field,
        'ca-not-gateway',
        `${who.label} CA ${nic.caIp} is the distributed router's gateway for ${prefix.text}`,
      );
      return;
    }
    let used = cas.get(plan.subnet.vmNetworkId);
    if (used === undefined) {
      used = new Map();
      cas.set(plan.subnet.vmNetworkId, used);
    }
    const holder = used.get(ca);
    if (holder !== undefined) {
      const network = this.vmNetworks.get(plan.subnet.vmNetworkId);
      this.fail(
        who,
        field,
        'unique-ca-in-routing-domain',
        `${who.label} CA ${nic.caIp} is already used by ${holder.label} in routing domain ${quote(network?.name ?? plan.subnet.vmNetworkId)}`,
      );
      return;
    }
    used.set(ca, who);
  }

  private checkProviderAddressCount(host: Host): void {
    if (!this.logicalSubnets.has(host.logicalSubnetId)) return;
    const who = subject('host', host.id, host.name);
    const count = host.providerAddresses.length;
    if (this.doc.hnvMode === 'v2') {
      const members = host.teamMembers.length;
      if (count !== members) {
        this.fail(
          who,
          'providerAddresses',
          'pa-per-team-member',
          `${who.label} has ${plural(count, 'PA')} but ${plural(members, 'team member')} (HNVv2 binds one PA to each team member)`,
        );
      }
    } else {
      const vsids = this.vsidsOnHost.get(host.id)?.size ?? 0;
      if (count < vsids) {
        this.fail(
          who,
          'providerAddresses',
          'pa-per-vsid',
          `${who.label} has ${plural(count, 'PA')} but VMs in ${plural(vsids, 'virtual subnet')} (HNVv1 needs one PA per VSID per host)`,
        );
      }
    }
  }
}
