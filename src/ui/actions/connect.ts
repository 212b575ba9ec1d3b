// Wiring: a VM onto a host (placement, or live migration when it already ran
// elsewhere), a host or router onto a provider logical subnet.
import { ActionError, defineAction } from './types';

export const placeVm = defineAction<{ vmId: string; hostId: string; targetProviderAddresses?: string[] }>(
  'placeVm',
  'Move VM to host',
  (doc, args) => {
    const vm = doc.vms.find((v) => v.id === args.vmId);
    const host = doc.hosts.find((h) => h.id === args.hostId);
    if (!vm) throw new ActionError('That VM no longer exists.');
    if (!host) throw new ActionError('That host no longer exists.');
    if (vm.hostId === host.id) return doc;
    return {
      ...doc,
      vms: doc.vms.map((v) => (v.id === vm.id ? { ...v, hostId: host.id } : v)),
      // HNVv1 gives a host one PA per VSID in use: the store passes the target's new list when it grows.
      hosts: args.targetProviderAddresses
        ? doc.hosts.map((h) =>
            h.id === host.id ? { ...h, providerAddresses: args.targetProviderAddresses! } : h,
          )
        : doc.hosts,
    };
  },
);

export const connectHost = defineAction<{
  hostId: string;
  logicalSubnetId: string;
  providerAddresses: string[];
}>('connectHost', 'Connect host to logical subnet', (doc, args) => {
  if (!doc.hosts.some((h) => h.id === args.hostId)) throw new ActionError('That host no longer exists.');
  if (!doc.logicalSubnets.some((s) => s.id === args.logicalSubnetId)) {
    throw new ActionError('That logical subnet no longer exists.');
  }
  return {
    ...doc,
    hosts: doc.hosts.map((h) =>
      h.id === args.hostId
        ? { ...h, logicalSubnetId: args.logicalSubnetId, providerAddresses: args.providerAddresses }
        : h,
    ),
  };
});

export const connectRouter = defineAction<{
  routerId: string;
  logicalSubnetId: string;
  ip: string;
  mac: string;
}>('connectRouter', 'Connect router to logical subnet', (doc, args) => {
  const router = doc.routers.find((r) => r.id === args.routerId);
  if (!router) throw new ActionError('That router no longer exists.');
  if (!doc.logicalSubnets.some((s) => s.id === args.logicalSubnetId)) {
    throw new ActionError('That logical subnet no longer exists.');
  }
  if (router.interfaces.some((i) => i.logicalSubnetId === args.logicalSubnetId)) {
    throw new ActionError(`${router.name} already has an interface in that logical subnet.`);
  }
  return {
    ...doc,
    routers: doc.routers.map((r) =>
      r.id === router.id
        ? {
            ...r,
            interfaces: [
              ...r.interfaces,
              { logicalSubnetId: args.logicalSubnetId, ip: args.ip, mac: args.mac },
            ],
          }
        : r,
    ),
  };
});

export const disconnectRouter = defineAction<{ routerId: string; logicalSubnetId: string }>(
  'disconnectRouter',
  'Disconnect router from logical subnet',
  (doc, args) => ({
    ...doc,
    routers: doc.routers.map((r) =>
      r.id === args.routerId
        ? { ...r, interfaces: r.interfaces.filter((i) => i.logicalSubnetId !== args.logicalSubnetId) }
        : r,
    ),
  }),
);
