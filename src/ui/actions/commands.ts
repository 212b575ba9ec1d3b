// User commands: what a drop, a key press or a button does. Each gathers allocated
// values from the engine (worker), then performs one named, undoable action.
import type { TopologyDocument } from '../../engine/model/schema';
import { useDocumentStore } from '../store/document';
import { useMigrationStore } from '../store/migration';
import {
  type Allocator,
  nextMacs,
  paCount,
  reserveCa,
  reserveMac,
  reservePas,
  reserveVsid,
  suggestLogicalSubnet,
  suggestVirtualPrefix,
  workerAllocator,
} from './allocate';
import { connectHost, connectRouter, placeVm } from './connect';
import {
  addHost,
  addLogicalSubnet,
  addRouter,
  addTenant,
  addVirtualSubnet,
  addVm,
  addVmNetwork,
} from './create';
import {
  addLoadBalancer,
  addVirtualGateway,
  DELETABLE_EDGE,
  findEdgeCollection,
  removeEdgeObjects,
  suggestVip,
} from './edge';
import { type Clipboard, clipboardIsEmpty, copySelection, type FreshValues, paste } from './paste';
import { deleteObjects } from './remove';
import { addRouteTable } from './routing';
import { commandQueue, DocumentMoved } from './serial';
import type { Point, View } from './types';
import { addNic, setTeam, updateObject } from './update';
import { newObjectId } from './util';

export type PaletteKind =
  | 'host'
  | 'vm'
  | 'router'
  | 'lsubnet'
  | 'tenant'
  | 'vmnet'
  | 'vsubnet'
  | 'routetable'
  | 'loadbalancer'
  | 'vgateway';

export interface DropContext {
  view: View;
  position?: Point;
  /** The objects under the drop point, by kind (innermost first). */
  targets: Partial<Record<PaletteKind, string>>;
}

const allocator: Allocator = workerAllocator;

const store = () => useDocumentStore.getState();

/** Commands that allocate from the engine run one at a time (see serial.ts). */
const queue = commandQueue(() => store().doc);

/**
 * Resolves when every command clicked so far has changed the document: an export or a share
 * link made right after a click on "Hyper-V host" contains the host.
 */
export const commandsSettled = (): Promise<void> => queue.idle();

function fail(e: unknown): false {
  if (e instanceof DocumentMoved) {
    store().notify(
      'error',
      'The document kept changing while the engine allocated addresses: nothing was added. Try again.',
    );
    return false;
  }
  const message = e instanceof Error ? e.message : String(e);
  store().notify('error', `The engine could not allocate addresses: ${message}`);
  return false;
}

/** Create an object of `kind` where the user dropped it. Resolves to the new object's id (or null). */
export function createFromPalette(kind: PaletteKind, ctx: DropContext): Promise<string | null> {
  // The rest ask the engine nothing: they are added at once, in the click's own task.
  const created = ALLOCATES.has(kind)
    ? queue((doc, unchanged) => create(kind, ctx, doc, unchanged))
    : create(kind, ctx, store().doc, () => {});
  return created.catch((e) => fail(e) || null);
}

/** The kinds whose creation asks the engine for free values first. */
const ALLOCATES: ReadonlySet<PaletteKind> = new Set<PaletteKind>(['host', 'vm', 'vmnet', 'vsubnet']);

async function create(
  kind: PaletteKind,
  ctx: DropContext,
  doc: TopologyDocument,
  unchanged: () => void,
): Promise<string | null> {
  const id = newObjectId(kind === 'lsubnet' ? 'pa' : kind);
  const placed = { id, view: ctx.view, position: ctx.position };
  switch (kind) {
    case 'tenant':
      return store().perform(addTenant, placed) ? select(id) : null;
    case 'router':
      return store().perform(addRouter, placed) ? select(id) : null;
    case 'lsubnet': {
      const s = suggestLogicalSubnet(doc);
      return store().perform(addLogicalSubnet, {
        ...placed,
        prefix: s.prefix,
        defaultGateway: s.gateway,
        vlanId: s.vlanId,
      })
        ? select(id)
        : null;
    }
    case 'vmnet': {
      const tenantId = ctx.targets.tenant ?? only(doc.tenants);
      if (!tenantId) {
        store().notify(
          'error',
          doc.tenants.length === 0
            ? 'A VM network belongs to a tenant: drop a Tenant first, then the VM network onto it.'
            : 'A VM network belongs to a tenant: drop it onto one of the tenants.',
        );
        return null;
      }
      const routingDomainId = await allocator.newRoutingDomainId(doc);
      unchanged();
      return store().perform(addVmNetwork, { ...placed, position: undefined, tenantId, routingDomainId })
        ? select(id)
        : null;
    }
    case 'vsubnet': {
      const vmNetworkId = ctx.targets.vmnet ?? only(doc.vmNetworks);
      if (!vmNetworkId) {
        store().notify(
          'error',
          doc.vmNetworks.length === 0
            ? 'A virtual subnet belongs to a VM network: drop a Tenant, then a VM network onto it, first.'
            : 'A virtual subnet belongs to a VM network: drop it onto one of the VM networks.',
        );
        return null;
      }
      const vsid = await allocator.nextFreeVsid(doc);
      const prefix = suggestVirtualPrefix(doc, vmNetworkId);
      unchanged();
      return store().perform(addVirtualSubnet, {
        ...placed,
        position: undefined,
        vmNetworkId,
        vsid,
        prefix,
      })
        ? select(id)
        : null;
    }
    case 'host': {
      const logicalSubnetId = ctx.targets.lsubnet ?? only(doc.logicalSubnets) ?? doc.logicalSubnets[0]?.id;
      if (!logicalSubnetId) {
        store().notify('error', 'A host takes its PAs from a logical subnet: add a logical subnet first.');
        return null;
      }
      const teamMacs = await nextMacs(allocator, doc, 2);
      const providerAddresses = await allocator.nextFreeProviderAddresses(
        doc,
        logicalSubnetId,
        paCount(doc, teamMacs.length),
      );
      unchanged();
      // Hosts are laid out under their bus; a drop position only sticks when it is off the bus.
      return store().perform(addHost, {
        ...placed,
        position: undefined,
        logicalSubnetId,
        teamMacs,
        providerAddresses,
      })
        ? select(id)
        : null;
    }
    case 'routetable': {
      // Not drawn: it lives in the properties of the subnet it applies to, which gets selected.
      const subnetId = ctx.targets.vsubnet ?? only(doc.virtualSubnets);
      if (!subnetId) {
        store().notify('error', 'A route table applies to a virtual subnet: drop it onto one.');
        return null;
      }
      return store().perform(addRouteTable, { id: newObjectId('rt'), subnetId }) ? select(subnetId) : null;
    }
    case 'loadbalancer': {
      if ((doc.slbMuxes ?? []).length === 0) {
        store().notify(
          'error',
          'A load balancer needs SLB MUXes to announce its VIP to the routers, and this datacenter has none: open the Software load balancer scenario to try one.',
        );
        return null;
      }
      const frontendIp = suggestVip(doc);
      if (!frontendIp) {
        store().notify('error', 'No free VIP left in 203.0.113.0/24 outside the links.');
        return null;
      }
      // Dropped on a virtual subnet: its VMs are the backend pool.
      const backendVnicIds = ctx.targets.vsubnet
        ? doc.vms.flatMap((vm) =>
            vm.nics.filter((n) => n.virtualSubnetId === ctx.targets.vsubnet).map((n) => n.id),
          )
        : [];
      if (!store().perform(addLoadBalancer, { id, frontendIp, backendVnicIds })) return null;
      if (backendVnicIds.length === 0)
        store().notify(
          'info',
          `Load balancer with VIP ${frontendIp}: tick its DIPs in the backend pool, then add a rule (or drop it on a virtual subnet to take its VMs).`,
        );
      return select(id);
    }
    case 'vgateway': {
      const vmNetworkId = ctx.targets.vmnet ?? only(doc.vmNetworks);
      const gateway = (doc.gateways ?? [])[0];
      if (!gateway) {
        store().notify(
          'error',
          'A virtual gateway is a compartment on a RAS gateway VM, and this datacenter has none: open the Hybrid scenario to try one.',
        );
        return null;
      }
      if (!vmNetworkId) {
        store().notify('error', 'A virtual gateway serves one VM network: drop it onto the VM network.');
        return null;
      }
      return store().perform(addVirtualGateway, { id, vmNetworkId, gatewayId: gateway.id })
        ? select(id)
        : null;
    }
    case 'vm': {
      const hostId = ctx.targets.host ?? leastLoadedHost(doc);
      const virtualSubnetId = ctx.targets.vsubnet ?? preferredSubnet(doc);
      if (!hostId) {
        store().notify('error', 'A VM runs on a Hyper-V host: add a host first, then drop the VM on it.');
        return null;
      }
      if (!virtualSubnetId) {
        store().notify(
          'error',
          "A VM's adapter needs a virtual subnet: add a tenant, a VM network and a subnet first.",
        );
        return null;
      }
      const mac = await allocator.nextFreeMac(doc);
      const caIp = await allocator.nextFreeCa(reserveMac(doc, mac), virtualSubnetId);
      if (!caIp) {
        store().notify('error', 'That virtual subnet has no free address left.');
        return null;
      }
      unchanged();
      return store().perform(addVm, { ...placed, position: undefined, hostId, virtualSubnetId, caIp, mac })
        ? select(id)
        : null;
    }
  }
}

function select(id: string): string {
  store().select([id]);
  return id;
}

function only<T extends { id: string }>(items: T[]): string | undefined {
  return items.length === 1 ? items[0].id : undefined;
}

function leastLoadedHost(doc: TopologyDocument): string | undefined {
  const selectedHost = store().selection.find((id) => doc.hosts.some((h) => h.id === id));
  if (selectedHost) return selectedHost;
  let best: string | undefined;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const h of doc.hosts) {
    const count = doc.vms.filter((v) => v.hostId === h.id).length;
    if (count < bestCount) {
      best = h.id;
      bestCount = count;
    }
  }
  return best;
}

/** The selected virtual subnet, else the selected VM's, else the most recently added one. */
function preferredSubnet(doc: TopologyDocument): string | undefined {
  const { selection } = store();
  const selected = selection.find((id) => doc.virtualSubnets.some((s) => s.id === id));
  if (selected) return selected;
  // A selected VM: the new one joins its subnet (drop SQL, then Web next to it).
  const vm = doc.vms.find((v) => selection.includes(v.id));
  if (vm && doc.virtualSubnets.some((s) => s.id === vm.nics[0]?.virtualSubnetId))
    return vm.nics[0].virtualSubnetId;
  return doc.virtualSubnets.at(-1)?.id;
}

/** Drag a VM onto another host: live migration, as far as the document goes (the engine computes the updates). */
export function migrateVm(vmId: string, hostId: string): Promise<boolean> {
  return queue((doc, unchanged) => migrate(vmId, hostId, doc, unchanged)).catch(fail);
}

async function migrate(vmId: string, hostId: string, doc: TopologyDocument, unchanged: () => void) {
  const vm = doc.vms.find((v) => v.id === vmId);
  const host = doc.hosts.find((h) => h.id === hostId);
  if (!vm || !host || vm.hostId === hostId) return false;
  let targetProviderAddresses: string[] | undefined;
  if (doc.hnvMode === 'v1') {
    // HNVv1: one PA per VSID per host. The target needs a PA for each VSID it did not carry yet.
    const vsidsOnTarget = new Set(
      doc.vms.filter((v) => v.hostId === hostId).flatMap((v) => v.nics.map((n) => n.virtualSubnetId)),
    );
    const missing = new Set(vm.nics.map((n) => n.virtualSubnetId).filter((s) => !vsidsOnTarget.has(s)));
    if (missing.size > 0) {
      const extra = await allocator.nextFreeProviderAddresses(doc, host.logicalSubnetId, missing.size);
      targetProviderAddresses = [...host.providerAddresses, ...extra];
    }
  }
  unchanged();
  const before = doc;
  const ok = store().perform(placeVm, { vmId, hostId, targetProviderAddresses });
  if (ok) {
    store().notify(
      'info',
      `Live migration: ${vm.name} now runs on ${host.name}; it keeps CA ${vm.nics[0].caIp}.`,
    );
    // The controller's southbound updates for this move, shown per host.
    void useMigrationStore.getState().recordMigration(before, store().doc, vmId);
  }
  return ok;
}

/** Connect a host or a router to a logical subnet (an edge drawn on the canvas, or a field). */
export function connectToLogicalSubnet(objectId: string, logicalSubnetId: string): Promise<boolean> {
  return queue((doc, unchanged) => connect(objectId, logicalSubnetId, doc, unchanged)).catch(fail);
}

async function connect(
  objectId: string,
  logicalSubnetId: string,
  doc: TopologyDocument,
  unchanged: () => void,
) {
  const subnet = doc.logicalSubnets.find((s) => s.id === logicalSubnetId);
  if (!subnet) return false;
  const host = doc.hosts.find((h) => h.id === objectId);
  if (host) {
    if (host.logicalSubnetId === logicalSubnetId) return true;
    const count = doc.hnvMode === 'v2' ? host.teamMembers.length : Math.max(1, host.providerAddresses.length);
    const providerAddresses = await allocator.nextFreeProviderAddresses(doc, logicalSubnetId, count);
    unchanged();
    return store().perform(connectHost, { hostId: host.id, logicalSubnetId, providerAddresses });
  }
  const router = doc.routers.find((r) => r.id === objectId);
  if (router) {
    const mac = await allocator.nextFreeMac(doc);
    unchanged();
    // The router is the subnet's default gateway, so its interface takes the gateway address.
    return store().perform(connectRouter, {
      routerId: router.id,
      logicalSubnetId,
      ip: subnet.defaultGateway,
      mac,
    });
  }
  return false;
}

/** A VM's next network adapter: in the subnet of its first one, with a free MAC and CA. */
export function addAdapter(vmId: string): Promise<boolean> {
  return queue(async (doc, unchanged) => {
    const vm = doc.vms.find((v) => v.id === vmId);
    const virtualSubnetId = vm?.nics[0]?.virtualSubnetId ?? preferredSubnet(doc);
    if (!vm || !virtualSubnetId) return false;
    const mac = await allocator.nextFreeMac(doc);
    const caIp = (await allocator.nextFreeCa(reserveMac(doc, mac), virtualSubnetId)) ?? '';
    unchanged();
    return store().perform(addNic, { vmId, nicId: newObjectId('nic'), virtualSubnetId, caIp, mac });
  }).catch(fail);
}

/** A host's next provider address: the next free one in its logical subnet. */
export function addProviderAddress(hostId: string): Promise<boolean> {
  return queue(async (doc, unchanged) => {
    const host = doc.hosts.find((h) => h.id === hostId);
    if (!host) return false;
    const [pa] = await allocator.nextFreeProviderAddresses(doc, host.logicalSubnetId, 1);
    unchanged();
    if (!pa) return false;
    const patch = { providerAddresses: [...host.providerAddresses, pa] };
    return store().perform(updateObject, { collection: 'hosts', id: hostId, patch });
  }).catch(fail);
}

/** A host's next SET team member, with a free MAC; in HNVv2 it brings a PA of its own. */
export function addTeamMember(hostId: string): Promise<boolean> {
  return queue(async (doc, unchanged) => {
    const host = doc.hosts.find((h) => h.id === hostId);
    if (!host) return false;
    const [mac] = await nextMacs(allocator, doc, 1);
    const providerAddresses =
      doc.hnvMode === 'v2'
        ? [
            ...host.providerAddresses,
            ...(await allocator.nextFreeProviderAddresses(doc, host.logicalSubnetId, 1)),
          ]
        : host.providerAddresses;
    unchanged();
    const teamMembers = [...host.teamMembers, { name: `NIC${host.teamMembers.length + 1}`, mac }];
    return store().perform(setTeam, { hostId, teamMembers, providerAddresses });
  }).catch(fail);
}

export function deleteSelection(): boolean {
  const { selection, doc } = store();
  if (selection.length === 0) return false;
  // Load balancers and virtual gateways alone: their own delete (nothing refers to them).
  const edge = selection.map((id) => findEdgeCollection(doc, id));
  if (edge.every((c) => c !== undefined && DELETABLE_EDGE.includes(c)))
    return store().perform(removeEdgeObjects, { ids: selection });
  return store().perform(deleteObjects, { ids: selection });
}

export function copyToClipboard(): boolean {
  const { doc, selection } = store();
  if (selection.length === 0) return false;
  const clipboard = copySelection(doc, selection);
  if (clipboardIsEmpty(clipboard)) return false;
  store().setClipboard(clipboard);
  return true;
}

/** Paste: every copy gets a new id, name, MAC and CA (VMs), PAs (hosts), VSID (subnets), RDID (VM networks). */
export function pasteClipboard(): Promise<boolean> {
  const { clipboard } = store();
  if (!clipboard || clipboardIsEmpty(clipboard)) return Promise.resolve(false);
  return queue(async (doc, unchanged) => {
    const fresh = await allocateForPaste(doc, clipboard);
    unchanged();
    const ok = store().perform(paste, { clipboard, fresh });
    if (ok) store().select(Object.values(fresh).map((f) => f.id));
    return ok;
  }).catch(fail);
}

async function allocateForPaste(
  doc: TopologyDocument,
  clipboard: Clipboard,
): Promise<Record<string, FreshValues>> {
  const fresh: Record<string, FreshValues> = {};
  let scratch = doc;
  for (const t of clipboard.tenants) fresh[t.id] = { id: newObjectId('tenant') };
  for (const n of clipboard.vmNetworks) {
    fresh[n.id] = { id: newObjectId('vmnet'), routingDomainId: await allocator.newRoutingDomainId(scratch) };
  }
  for (const s of clipboard.virtualSubnets) {
    const vsid = await allocator.nextFreeVsid(scratch);
    scratch = reserveVsid(scratch, vsid);
    fresh[s.id] = { id: newObjectId('vsubnet'), vsid };
  }
  for (const s of clipboard.logicalSubnets) fresh[s.id] = { id: newObjectId('pa') };
  for (const r of clipboard.routers) fresh[r.id] = { id: newObjectId('router') };
  for (const h of clipboard.hosts) {
    const teamMacs = await nextMacs(allocator, scratch, h.teamMembers.length);
    for (const mac of teamMacs) scratch = reserveMac(scratch, mac);
    const subnetId = fresh[h.logicalSubnetId] ? h.logicalSubnetId : h.logicalSubnetId;
    const providerAddresses = fresh[h.logicalSubnetId]
      ? h.providerAddresses // the subnet is a copy too: same plan, validation will flag clashes
      : await allocator.nextFreeProviderAddresses(scratch, subnetId, h.providerAddresses.length || 1);
    scratch = reservePas(scratch, subnetId, providerAddresses);
    fresh[h.id] = { id: newObjectId('host'), teamMacs, providerAddresses };
  }
  for (const vm of clipboard.vms) {
    const nics: NonNullable<FreshValues['nics']> = [];
    for (const n of vm.nics) {
      const mac = await allocator.nextFreeMac(scratch);
      scratch = reserveMac(scratch, mac);
      // A copy into a copied subnet keeps its CA (the subnet is new); otherwise it takes the next free one.
      const caIp = fresh[n.virtualSubnetId]
        ? n.caIp
        : ((await allocator.nextFreeCa(scratch, n.virtualSubnetId)) ?? n.caIp);
      scratch = reserveCa(scratch, n.virtualSubnetId, caIp, mac);
      nics.push({ id: newObjectId('nic'), mac, caIp });
    }
    fresh[vm.id] = { id: newObjectId('vm'), nics };
  }
  return fresh;
}
