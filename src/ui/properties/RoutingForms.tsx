// User-defined routes and VNet peering in the properties panel: a virtual subnet's route table
// (picked, created, its routes edited) and a VM network's peerings (with their state).
import type { NextHopType, TopologyDocument, VirtualSubnet, VmNetwork } from '../../engine/model/schema';
import {
  addPeering,
  addRoute,
  addRouteTable,
  removePeering,
  removeRoute,
  renameRouteTable,
  updatePeering,
  updateRoute,
} from '../actions/routing';
import { newObjectId } from '../actions/util';
import { useDocumentStore } from '../store/document';
import { type Errors, fieldErrors, update } from './edit';
import {
  CellInput,
  EditRow,
  FieldErrors,
  Section,
  SelectField,
  SmallButton,
  TextField,
  ToggleField,
} from './fields';

const NEXT_HOPS: NextHopType[] = ['VirtualAppliance', 'VnetLocal', 'VirtualNetworkGateway', 'None'];
const perform = () => useDocumentStore.getState().perform;

export function RouteTablePicker({
  doc,
  subnet,
  errors,
}: {
  doc: TopologyDocument;
  subnet: VirtualSubnet;
  errors: Errors;
}) {
  return (
    <>
      <SelectField
        label="Route table"
        value={subnet.routeTableId ?? ''}
        options={[
          { value: '', label: 'None (system routes)' },
          ...(doc.routeTables ?? []).map((t) => ({ value: t.id, label: t.name })),
          { value: '__new', label: '+ New route table…' },
        ]}
        onChange={(v) => {
          if (v === '__new') perform()(addRouteTable, { id: newObjectId('rt'), subnetId: subnet.id });
          else update('virtualSubnets', subnet.id, 'routeTableId', v || undefined);
        }}
      />
      <FieldErrors errors={fieldErrors(errors, [subnet.id], 'routeTableId')} />
    </>
  );
}

export function RouteTableEditor({
  doc,
  tableId,
  errors,
}: {
  doc: TopologyDocument;
  tableId: string;
  errors: Errors;
}) {
  const table = (doc.routeTables ?? []).find((t) => t.id === tableId);
  if (!table) return null;
  const users = doc.virtualSubnets.filter((s) => s.routeTableId === table.id).map((s) => s.name);
  return (
    <Section
      title="Route table"
      actions={
        <SmallButton
          ariaLabel={`Add a route to ${table.name}`}
          onClick={() => perform()(addRoute, { tableId: table.id })}
        >
          + Route
        </SmallButton>
      }
    >
      <TextField
        label="Name"
        value={table.name}
        onChange={(name) =>
          perform()(renameRouteTable, { tableId: table.id, name }, { coalesceKey: `${table.id}.name` })
        }
        errors={fieldErrors(errors, [table.id], 'name')}
      />
      <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
        Used by {users.join(', ') || 'no subnet'}. The longest prefix wins; on an equal prefix a route here
        wins over the system route.
      </p>
      <ul className="flex flex-col gap-1.5" aria-label={`Routes of ${table.name}`}>
        {table.routes.map((r) => {
          const set = (patch: Parameters<typeof updateRoute.perform>[1]['patch'], key: string) =>
            perform()(
              updateRoute,
              { tableId: table.id, routeId: r.id, patch },
              { coalesceKey: `${r.id}.${key}` },
            );
          const errs = fieldErrors(errors, [r.id], 'routes');
          return (
            <EditRow key={r.id} errors={errs}>
              <div className="flex items-center gap-1">
                <CellInput
                  ariaLabel={`Route ${r.name} name`}
                  value={r.name}
                  onChange={(name) => set({ name }, 'name')}
                  width="w-24"
                />
                <CellInput
                  ariaLabel={`Route ${r.name} prefix`}
                  value={r.addressPrefix}
                  onChange={(addressPrefix) => set({ addressPrefix }, 'prefix')}
                  width="w-28"
                />
                <SmallButton
                  tone="danger"
                  ariaLabel={`Remove route ${r.name}`}
                  onClick={() => perform()(removeRoute, { tableId: table.id, routeId: r.id })}
                >
                  ✕
                </SmallButton>
              </div>
              <div className="mt-1 flex items-center gap-1">
                <span className="text-slate-500">next hop</span>
                <select
                  aria-label={`Route ${r.name} next hop type`}
                  className="rounded border border-slate-300 bg-white px-0.5 py-0.5 text-[12px] dark:border-slate-600 dark:bg-slate-800"
                  value={r.nextHopType}
                  onChange={(e) => set({ nextHopType: e.target.value as NextHopType }, 'type')}
                >
                  {NEXT_HOPS.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
                {r.nextHopType === 'VirtualAppliance' && (
                  <CellInput
                    ariaLabel={`Route ${r.name} next hop address`}
                    value={r.nextHopIpAddress ?? ''}
                    onChange={(ip) => set({ nextHopIpAddress: ip || undefined }, 'ip')}
                    width="w-24"
                  />
                )}
              </div>
            </EditRow>
          );
        })}
      </ul>
      <FieldErrors errors={fieldErrors(errors, [table.id], 'routes')} />
    </Section>
  );
}

export function PeeringsEditor({
  doc,
  net,
  errors,
}: {
  doc: TopologyDocument;
  net: VmNetwork;
  errors: Errors;
}) {
  const peerings = net.peerings ?? [];
  const others = doc.vmNetworks.filter(
    (n) => n.id !== net.id && !peerings.some((p) => p.remoteVmNetworkId === n.id),
  );
  return (
    <Section title="Peerings">
      <ul className="flex flex-col gap-1.5" aria-label={`Peerings of ${net.name}`}>
        {peerings.map((p, i) => {
          const remote = doc.vmNetworks.find((n) => n.id === p.remoteVmNetworkId);
          const connected = remote?.peerings?.some((q) => q.remoteVmNetworkId === net.id) === true;
          const set = (patch: Parameters<typeof updatePeering.perform>[1]['patch']) =>
            perform()(updatePeering, { vmNetworkId: net.id, peeringId: p.id, patch });
          return (
            <li
              key={p.id}
              className="rounded border border-slate-200 p-1.5 text-[12px] dark:border-slate-700"
              data-peering={p.id}
            >
              <div className="flex items-center justify-between gap-1">
                <span className="font-medium">to {remote?.name ?? p.remoteVmNetworkId}</span>
                <span
                  data-testid="peering-state"
                  title={
                    connected
                      ? 'Both sides peer: traffic passes'
                      : `${remote?.name ?? 'The remote network'} does not peer back: no traffic passes`
                  }
                  className={`rounded px-1.5 text-[11px] ${connected ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200' : 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-200'}`}
                >
                  {connected ? 'Connected' : 'Initiated'}
                </span>
                <SmallButton
                  tone="danger"
                  ariaLabel={`Remove peering ${p.name}`}
                  onClick={() => perform()(removePeering, { vmNetworkId: net.id, peeringId: p.id })}
                >
                  ✕
                </SmallButton>
              </div>
              <ToggleField
                label="Access"
                ariaLabel={`Peering ${p.name}: allow virtual network access`}
                hint="reach the remote network"
                checked={p.allowVirtualNetworkAccess}
                onChange={(v) => set({ allowVirtualNetworkAccess: v })}
              />
              <ToggleField
                label="Forwarded"
                ariaLabel={`Peering ${p.name}: allow forwarded traffic`}
                hint="let in what its appliances forward"
                checked={p.allowForwardedTraffic}
                onChange={(v) => set({ allowForwardedTraffic: v })}
              />
              <FieldErrors errors={fieldErrors(errors, [p.id], `peerings[${i}]`)} />
            </li>
          );
        })}
      </ul>
      {others.length > 0 && (
        <SelectField
          label="Peer with"
          value=""
          options={others.map((n) => ({ value: n.id, label: n.name }))}
          onChange={(v) => v && perform()(addPeering, { vmNetworkId: net.id, remoteVmNetworkId: v })}
        />
      )}
      <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
        Traffic passes only when both networks peer with each other, and their address spaces must not
        overlap.
      </p>
    </Section>
  );
}
