// Small read-only queries over the topology document, used by lesson checks and by
// questions that derive their right answer. Names like "Contoso/Web" are tenant/VM.
import type { Host, TopologyDocument, VirtualSubnet, Vm } from '../../engine/model/schema';
import { formatIpv4, gatewayOf as netGatewayOf, parsePrefix } from '../../engine/net';
import type { CheckResult, LessonFacts, TraceFacts } from './types';

export const done: CheckResult = { done: true };
export const notYet = (note: string): CheckResult => ({ done: false, note });

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The tenant name of a VM (through its first vNIC's subnet and VM network). */
export function tenantOfVm(doc: TopologyDocument, vm: Vm): string | null {
  const subnet = doc.virtualSubnets.find((s) => s.id === vm.nics[0]?.virtualSubnetId);
  const network = doc.vmNetworks.find((n) => n.id === subnet?.vmNetworkId);
  return doc.tenants.find((t) => t.id === network?.tenantId)?.name ?? null;
}

/** Find a VM by "Tenant/VM" (or a bare VM name, or an id). */
export function findVm(doc: TopologyDocument, ref: string): Vm | null {
  const byId = doc.vms.find((vm) => vm.id === ref);
  if (byId) return byId;
  const slash = ref.indexOf('/');
  if (slash < 0) return doc.vms.find((vm) => same(vm.name, ref)) ?? null;
  const tenant = ref.slice(0, slash);
  const name = ref.slice(slash + 1);
  return (
    doc.vms.find((vm) => same(vm.name, name) && same(tenantOfVm(doc, vm) ?? '', tenant)) ??
    doc.vms.find((vm) => same(vm.name, ref)) ??
    null
  );
}

export function vmLabel(doc: TopologyDocument, vm: Vm): string {
  const tenant = tenantOfVm(doc, vm);
  return tenant ? `${tenant}/${vm.name}` : vm.name;
}

export function hostOfVm(doc: TopologyDocument, vm: Vm): Host | null {
  return doc.hosts.find((h) => h.id === vm.hostId) ?? null;
}

export function subnetOfVm(doc: TopologyDocument, vm: Vm): VirtualSubnet | null {
  return doc.virtualSubnets.find((s) => s.id === vm.nics[0]?.virtualSubnetId) ?? null;
}

export function caOf(vm: Vm): string {
  return vm.nics[0]?.caIp ?? '';
}

/** The provider addresses a packet to this VM may be sent to (HNVv1: the one for its VSID if known). */
export function paCandidates(doc: TopologyDocument, vm: Vm): string[] {
  return hostOfVm(doc, vm)?.providerAddresses ?? [];
}

/** "192.168.1.10" or "192.168.1.10 / 192.168.1.11" for a host with two PAs. */
export function paLabel(doc: TopologyDocument, vm: Vm): string {
  const pas = paCandidates(doc, vm);
  return pas.length ? pas.join(' / ') : '(no PA yet)';
}

/** The gateway of a prefix: its lowest host address (the distributed router's). */
export function gatewayOf(prefix: string): string {
  return netGatewayOf(prefix) ?? '';
}

/** Did the latest trace go from `from` to `to` (both "Tenant/VM"), with this protocol if given? */
export function tracedBetween(
  facts: LessonFacts,
  from: string,
  to: string,
  protocol?: TraceFacts['protocol'],
): CheckResult {
  const { document: doc, trace } = facts;
  const src = findVm(doc, from);
  const dst = findVm(doc, to);
  if (!src || !dst) return notYet(`This step needs ${from} and ${to}: load the lesson's scenario.`);
  if (!trace) return notYet('No trace yet.');
  if (trace.fromVmId !== src.id) return notYet(`The latest trace does not start at ${from}.`);
  const toMatches = trace.toVmId === dst.id || (trace.toVmId === null && trace.toIp === caOf(dst));
  if (!toMatches) return notYet(`The latest trace is not addressed to ${to}.`);
  if (protocol && trace.protocol !== protocol) return notYet(`Use the ${protocol.toUpperCase()} protocol.`);
  return done;
}

/** The document was opened from the given built-in scenario. */
export function scenarioOpened(facts: LessonFacts, scenarioId: string, title = scenarioId): CheckResult {
  return facts.scenarioId === scenarioId ? done : notYet(`Open the "${title}" scenario.`);
}

/** Combine checks: done when all are; the first missing note wins. */
export function all(...results: CheckResult[]): CheckResult {
  return results.find((r) => !r.done) ?? done;
}

/** Two VMs in the same routing domain (VM network) but different virtual subnets. */
export function sameDomainOtherSubnet(doc: TopologyDocument, a: Vm, b: Vm): boolean {
  const sa = subnetOfVm(doc, a);
  const sb = subnetOfVm(doc, b);
  return !!sa && !!sb && sa.vmNetworkId === sb.vmNetworkId && sa.id !== sb.id;
}

export function vmById(doc: TopologyDocument, id: string | null): Vm | null {
  return id === null ? null : (doc.vms.find((vm) => vm.id === id) ?? null);
}

/** An address of the VM's subnet that no vNIC uses and that is not the gateway. */
export function unusedCa(doc: TopologyDocument, vm: Vm): string | null {
  const subnet = subnetOfVm(doc, vm);
  if (!subnet) return null;
  const used = new Set(doc.vms.flatMap((v) => v.nics.map((n) => `${n.virtualSubnetId}|${n.caIp}`)));
  const prefix = parsePrefix(subnet.prefix);
  if (!prefix) return null;
  for (const last of [99, 77, 55, 200, 33]) {
    const ip = formatIpv4(((prefix.network & 0xffffff00) | last) >>> 0);
    if (!used.has(`${subnet.id}|${ip}`) && ip !== gatewayOf(subnet.prefix)) return ip;
  }
  return null;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
