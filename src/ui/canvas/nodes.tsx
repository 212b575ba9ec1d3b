// Node components for both views. Small, memoised, and simplified when zoomed out so
// a thousand of them still pan smoothly.
import { Handle, type NodeProps, Position, useStore } from '@xyflow/react';
import { memo } from 'react';
import { tint } from '../colors';
import type {
  DistributedRouterData,
  HostData,
  InfraVmData,
  LabNode,
  LogicalSubnetData,
  OutsideData,
  RouterData,
  TenantData,
  VipData,
  VirtualGatewayData,
  VirtualSubnetData,
  VmData,
  VmNetworkData,
} from './geometry';
import { useTraceMark } from './traceMarks';

type Props<D> = NodeProps<LabNode> & { data: D };

const zoomedOut = (s: { transform: [number, number, number] }) => s.transform[2] < 0.6;
/** Far out, a VM is a coloured tile: text that small is unreadable and costly to paint. */
const farOut = (s: { transform: [number, number, number] }) => s.transform[2] < 0.3;

const handleClass = '!h-2 !w-2 !min-h-0 !min-w-0 !border !border-white !bg-slate-400 dark:!border-slate-900';
/** An anchor for drawn links only (VIP to DIP, VM network to its gateway): not a place to connect. */
const anchorClass = '!h-1 !w-1 !min-h-0 !min-w-0 !border-0 !bg-transparent';

/** An invisible end for edges the layout draws (not one a user can drag a link from). */
function Anchor({ id, type, position }: { id: string; type: 'source' | 'target'; position: Position }) {
  return <Handle id={id} type={type} position={position} className={anchorClass} isConnectable={false} />;
}

/** Where a load balancer's edge meets a VM (its DIP) in the virtual view. */
function DipAnchor() {
  return (
    <Handle id="dip" type="target" position={Position.Bottom} className={anchorClass} isConnectable={false} />
  );
}

function markClass(mark: 'here' | 'path' | 'drop' | null): string {
  if (mark === 'drop') return 'ring-4 ring-red-500/70';
  if (mark === 'here') return 'ring-4 ring-sky-400/80';
  if (mark === 'path') return 'ring-2 ring-sky-400/50';
  return '';
}

export const VmNode = memo(function VmNode({ data, selected }: Props<VmData>) {
  const simple = useStore(zoomedOut);
  const tile = useStore(farOut);
  const mark = useTraceMark(data.objectId);
  const first = data.nics[0];
  if (tile && !mark) {
    return (
      <article
        aria-label={`VM ${data.name} ${data.place}`}
        className={`h-full w-full rounded-md ${selected ? 'ring-4 ring-sky-500' : ''}`}
        style={{ background: first?.color ?? '#94a3b8', opacity: 0.55 }}
      >
        <DipAnchor />
      </article>
    );
  }
  return (
    <article
      aria-label={`VM ${data.name} ${data.place}`}
      data-trace={mark ?? undefined}
      data-testid={`vm-${data.name}`}
      className={`relative h-full w-full overflow-hidden rounded-md border bg-white dark:bg-slate-800 ${
        selected ? 'border-sky-500 ring-2 ring-sky-500/40' : 'border-slate-300 dark:border-slate-600'
      } ${markClass(mark)}`}
    >
      <div className="absolute inset-y-0 left-0 w-1" style={{ background: first?.color ?? '#94a3b8' }} />
      <DipAnchor />
      {simple ? (
        <div data-label className="lab-label-14 flex h-full items-center pl-3 pr-1 font-medium">
          <span className="truncate">{data.name}</span>
        </div>
      ) : (
        <div className="flex h-full flex-col justify-center gap-0.5 pl-3 pr-2">
          <div className="flex items-baseline justify-between gap-2">
            <span
              data-label
              className="lab-label-13 truncate font-semibold text-slate-800 dark:text-slate-100"
            >
              {data.name}
            </span>
            {data.subtitle ? (
              <span className="truncate text-[10px] text-slate-500 dark:text-slate-400">{data.subtitle}</span>
            ) : null}
          </div>
          <div className="lab-label-11 flex min-w-0 items-center gap-1.5 font-mono text-slate-600 dark:text-slate-300">
            {data.nics.map((n) => (
              <span
                key={`${n.caIp}-${n.vsid}`}
                className="truncate"
                title={`CA ${n.caIp} in VSID ${n.vsid ?? '?'}`}
              >
                {n.caIp}
              </span>
            ))}
          </div>
        </div>
      )}
    </article>
  );
});

export const HostNode = memo(function HostNode({ data, selected }: Props<HostData>) {
  const simple = useStore(zoomedOut);
  const mark = useTraceMark(data.objectId);
  return (
    <article
      aria-label={`Host ${data.name}`}
      data-trace={mark ?? undefined}
      className={`h-full w-full rounded-lg border-2 bg-slate-50 dark:bg-slate-900 ${
        selected ? 'border-sky-500' : 'border-slate-300 dark:border-slate-600'
      } ${markClass(mark)}`}
    >
      <Handle id="up" type="target" position={Position.Top} className={handleClass} />
      <div className="flex h-[74px] flex-col gap-1 px-3 pt-2">
        <div className="flex items-center gap-2">
          <ServerIcon />
          <span
            data-label
            className="lab-label-14 min-w-0 truncate font-semibold text-slate-800 dark:text-slate-100"
          >
            {data.name}
          </span>
          {simple ? null : (
            <span className="ml-auto shrink-0 text-[10px] uppercase tracking-wide text-slate-500 dark:text-slate-400">
              Hyper-V host
            </span>
          )}
        </div>
        {simple ? null : (
          <>
            <div className="flex flex-wrap items-center gap-1">
              <span className="text-[10px] font-medium uppercase text-slate-500 dark:text-slate-400">PA</span>
              {data.providerAddresses.length === 0 ? (
                <span className="text-[11px] italic text-amber-600">none</span>
              ) : (
                data.providerAddresses.map((pa, i) => (
                  <span
                    // biome-ignore lint/suspicious/noArrayIndexKey: PAs may repeat while the user types; position is the identity
                    key={`${pa}-${i}`}
                    className="lab-label-11 rounded bg-slate-200 px-1.5 py-px font-mono text-slate-700 dark:bg-slate-700 dark:text-slate-200"
                  >
                    {pa}
                  </span>
                ))
              )}
            </div>
            <div className="truncate text-[10px] text-slate-500 dark:text-slate-400">
              SET team {data.team.join(' + ')} · {data.subnetLabel}
            </div>
          </>
        )}
      </div>
      <div className="mx-3 flex h-[22px] items-center gap-2 rounded border border-dashed border-slate-300 bg-white px-2 text-[10px] text-slate-500 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-400">
        <span className="font-medium">vSwitch</span>
        <span className="text-slate-400">{data.filter}</span>
        {data.vmCount === 0 ? <span className="ml-auto italic">drop VMs here</span> : null}
      </div>
    </article>
  );
});

export const LogicalSubnetNode = memo(function LogicalSubnetNode({
  data,
  selected,
}: Props<LogicalSubnetData>) {
  const simple = useStore(zoomedOut);
  const mark = useTraceMark(data.objectId);
  return (
    <article
      aria-label={`Logical subnet ${data.name}`}
      data-trace={mark ?? undefined}
      className={`relative flex h-full w-full items-center gap-3 rounded-md border-2 bg-white px-3 dark:bg-slate-900 ${
        selected ? 'border-sky-500' : 'border-slate-400 dark:border-slate-500'
      } ${markClass(mark)}`}
    >
      <Handle id="up" type="target" position={Position.Top} className={handleClass} />
      <div className="absolute inset-x-0 top-1/2 -z-10 h-1 -translate-y-1/2 bg-slate-300 dark:bg-slate-600" />
      <span data-label className="lab-label-14 shrink-0 font-semibold text-slate-800 dark:text-slate-100">
        {data.name}
      </span>
      <span
        className={`lab-label-12 font-mono text-slate-600 dark:text-slate-300 ${simple ? 'min-w-0 truncate' : 'shrink-0'}`}
      >
        {data.prefix}
      </span>
      <span
        data-label
        className="lab-label-11 shrink-0 whitespace-nowrap rounded bg-indigo-100 px-1.5 py-px font-medium text-indigo-800 dark:bg-indigo-900/60 dark:text-indigo-200"
      >
        {data.vlanId === 0 ? 'untagged' : `VLAN ${data.vlanId}`}
      </span>
      {data.trunkedVlans ? (
        <span
          data-label
          className="lab-label-11 shrink-0 whitespace-nowrap rounded bg-amber-100 px-1.5 py-px font-medium text-amber-900 dark:bg-amber-900/60 dark:text-amber-100"
          title="Tenant VLANs the ToR trunks to these hosts"
        >
          trunks {data.trunkedVlans.join(', ')}
        </span>
      ) : null}
      {simple ? null : (
        <span className="ml-auto truncate text-[11px] text-slate-500 dark:text-slate-400">
          gw {data.gateway} · IP MTU {data.mtu}
        </span>
      )}
      <Handle id="down" type="source" position={Position.Bottom} className={handleClass} />
      {/* The outer tier: the router below reaches the link's bottom, its sites above hang from its top. */}
      <Anchor id="bottom-in" type="target" position={Position.Bottom} />
      <Anchor id="top-out" type="source" position={Position.Top} />
    </article>
  );
});

export const RouterNode = memo(function RouterNode({ data, selected }: Props<RouterData>) {
  const simple = useStore(zoomedOut);
  const mark = useTraceMark(data.objectId);
  return (
    <article
      aria-label={`Router ${data.name}`}
      data-trace={mark ?? undefined}
      className={`relative flex h-full w-full items-center gap-2 rounded-full border-2 bg-white px-4 dark:bg-slate-900 ${
        selected ? 'border-sky-500' : 'border-slate-400 dark:border-slate-500'
      } ${markClass(mark)}`}
    >
      {simple ? null : <RouterIcon />}
      <div className="min-w-0">
        <div data-label className="lab-label-14 truncate font-semibold text-slate-800 dark:text-slate-100">
          {data.name}
        </div>
        <div className="text-[10px] text-slate-500 dark:text-slate-400">
          L3 router · {data.interfaceCount} {data.interfaceCount === 1 ? 'interface' : 'interfaces'}
        </div>
      </div>
      <Handle id="down" type="source" position={Position.Bottom} className={handleClass} />
      <Anchor id="top" type="source" position={Position.Top} />
    </article>
  );
});

export const TenantNode = memo(function TenantNode({ data, selected }: Props<TenantData>) {
  return (
    <article
      aria-label={`Tenant ${data.name}`}
      className={`h-full w-full rounded-xl border-2 bg-slate-50/70 dark:bg-slate-900/60 ${
        selected ? 'border-sky-500' : 'border-slate-300 dark:border-slate-600'
      }`}
    >
      <div className="flex h-10 items-center gap-2 px-3">
        <span className="text-[10px] font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
          Tenant
        </span>
        <span data-label className="lab-label-14 truncate font-semibold text-slate-800 dark:text-slate-100">
          {data.name}
        </span>
      </div>
    </article>
  );
});

export const VmNetworkNode = memo(function VmNetworkNode({ data, selected }: Props<VmNetworkData>) {
  const simple = useStore(zoomedOut);
  return (
    <article
      aria-label={`VM network ${data.name}`}
      className={`h-full w-full rounded-lg border-2 ${selected ? 'ring-2 ring-sky-500/50' : ''}`}
      style={{ borderColor: data.color, background: tint(data.color, 0.06) }}
    >
      <div className="flex h-[46px] flex-col justify-center px-3">
        <div className="flex items-center gap-2">
          <span className="h-2.5 w-2.5 rounded-full" style={{ background: data.color }} />
          <span
            data-label
            className="lab-label-14 min-w-0 truncate font-semibold text-slate-800 dark:text-slate-100"
          >
            {data.name}
          </span>
          <span className="ml-auto shrink-0 text-[10px] uppercase tracking-wide text-slate-500 dark:text-slate-400">
            VM network
          </span>
        </div>
        {simple ? null : (
          <div
            className="truncate font-mono text-[10px] text-slate-500 dark:text-slate-400"
            title={data.routingDomainId}
          >
            RDID {data.routingDomainId.slice(0, 8)}…
          </div>
        )}
      </div>
      <Handle
        id="gateway"
        type="source"
        position={Position.Bottom}
        className={anchorClass}
        isConnectable={false}
      />
    </article>
  );
});

export const DistributedRouterNode = memo(function DistributedRouterNode({
  data,
}: Props<DistributedRouterData>) {
  const mark = useTraceMark(`drouter:${data.objectId}`);
  return (
    <div
      title="Distributed router"
      className={`flex h-full w-full items-center justify-center gap-1.5 rounded-full border bg-white text-[11px] font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-200 ${markClass(mark)}`}
      style={{ borderColor: data.color }}
    >
      <RouterIcon small />
      Distributed router
      <Handle
        id="down"
        type="source"
        position={Position.Bottom}
        className={handleClass}
        isConnectable={false}
      />
      {/* VNet peering: the routers of two peered VM networks, side by side. */}
      <Handle
        id="peer-out"
        type="source"
        position={Position.Right}
        className={handleClass}
        isConnectable={false}
      />
      <Handle
        id="peer-in"
        type="target"
        position={Position.Left}
        className={handleClass}
        isConnectable={false}
      />
    </div>
  );
});

export const VirtualSubnetNode = memo(function VirtualSubnetNode({
  data,
  selected,
}: Props<VirtualSubnetData>) {
  const mark = useTraceMark(data.objectId);
  return (
    <article
      aria-label={`Virtual subnet ${data.name}`}
      data-trace={mark ?? undefined}
      className={`h-full w-full rounded-md border-2 bg-white/80 dark:bg-slate-900/70 ${selected ? 'ring-2 ring-sky-500/50' : ''} ${markClass(mark)}`}
      style={{ borderColor: data.color }}
    >
      <Handle id="up" type="target" position={Position.Top} className={handleClass} isConnectable={false} />
      <div
        className="flex h-[52px] flex-col justify-center gap-0.5 px-3"
        style={{ background: tint(data.color, 0.1) }}
      >
        <div className="flex items-center gap-2">
          <span
            data-label
            className="lab-label-13 min-w-0 truncate font-semibold text-slate-800 dark:text-slate-100"
            title={data.name}
          >
            {data.name}
          </span>
          <span
            data-label
            className="lab-label-11 ml-auto shrink-0 whitespace-nowrap rounded px-1.5 py-px font-mono font-semibold text-white"
            style={{ background: data.color }}
          >
            {data.vlanId === undefined ? `VSID ${data.vsid}` : `VLAN ${data.vlanId}`}
          </span>
        </div>
        <div className="lab-label-11 flex items-center gap-2 font-mono text-slate-600 dark:text-slate-300">
          {data.prefix}
          <span className="font-sans text-[10px] uppercase text-slate-500 dark:text-slate-400">
            {data.vlanId === undefined ? data.encapsulation : '802.1Q'}
          </span>
          {data.hasAcl ? (
            <span className="font-sans text-[10px] text-amber-700 dark:text-amber-400">ACL</span>
          ) : null}
        </div>
      </div>
    </article>
  );
});

/** A RAS gateway or SLB MUX VM on its host: a VM tile with the role's colour and badge. */
export const InfraVmNode = memo(function InfraVmNode({ data, selected }: Props<InfraVmData>) {
  const simple = useStore(zoomedOut);
  const mark = useTraceMark(data.objectId);
  const gateway = data.kind === 'gateway';
  return (
    <article
      aria-label={`${data.role} ${data.name} ${data.place}`}
      title={`${data.role} ${data.name}: ${data.ip} · ${data.detail}`}
      data-trace={mark ?? undefined}
      data-testid={`${data.kind}-${data.name}`}
      className={`relative h-full w-full overflow-hidden rounded-md border bg-white dark:bg-slate-800 ${
        selected ? 'border-sky-500 ring-2 ring-sky-500/40' : 'border-slate-300 dark:border-slate-600'
      } ${markClass(mark)}`}
    >
      <div className={`absolute inset-y-0 left-0 w-1 ${gateway ? 'bg-amber-500' : 'bg-violet-600'}`} />
      {simple ? (
        <div data-label className="lab-label-14 flex h-full items-center pl-3 pr-1 font-medium">
          <span className="truncate">{data.name}</span>
        </div>
      ) : (
        <div className="flex h-full flex-col justify-center gap-0.5 pl-3 pr-2">
          <div className="flex items-center gap-1.5">
            {gateway ? <GatewayIcon /> : <MuxIcon />}
            <span
              data-label
              className="lab-label-13 truncate font-semibold text-slate-800 dark:text-slate-100"
            >
              {data.name}
            </span>
          </div>
          <div className="flex min-w-0 items-center gap-1.5">
            <span
              className={`shrink-0 rounded px-1 text-[9px] font-semibold uppercase tracking-wide ${
                gateway
                  ? 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100'
                  : 'bg-violet-100 text-violet-900 dark:bg-violet-900/60 dark:text-violet-100'
              }`}
            >
              {data.role}
            </span>
            <span className="lab-label-11 truncate font-mono text-slate-600 dark:text-slate-300">
              {data.ip}
            </span>
          </div>
        </div>
      )}
    </article>
  );
});

/** A site, an external endpoint or a gateway's external NIC, hanging under its link. */
export const OutsideNode = memo(function OutsideNode({ data, selected }: Props<OutsideData>) {
  const simple = useStore(zoomedOut);
  const mark = useTraceMark(data.objectId);
  return (
    <article
      aria-label={`${data.role} ${data.name}`}
      data-trace={mark ?? undefined}
      data-testid={`${data.kind}-${data.name}`}
      className={`relative flex h-full w-full items-center gap-2 rounded-lg border-2 border-dashed bg-white ${simple ? 'px-1' : 'px-2.5'} dark:bg-slate-900 ${
        selected ? 'border-sky-500' : 'border-slate-400 dark:border-slate-500'
      } ${markClass(mark)}`}
    >
      <Handle id="up" type="target" position={Position.Top} className={handleClass} isConnectable={false} />
      <Anchor id="bottom-in" type="target" position={Position.Bottom} />
      {/* Zoomed out, the name takes the whole box (labels grow to stay readable). */}
      {simple ? null : data.kind === 'site' ? (
        <CloudIcon />
      ) : data.kind === 'gwnic' ? (
        <GatewayIcon />
      ) : (
        <ClientIcon />
      )}
      {simple ? (
        <span data-label className="lab-label-14 min-w-0 truncate font-medium">
          {data.name}
        </span>
      ) : (
        <div className="min-w-0 flex-1">
          <div data-label className="lab-label-13 truncate font-semibold text-slate-800 dark:text-slate-100">
            {data.name}
          </div>
          <div className="truncate text-[10px] text-slate-500 dark:text-slate-400">{data.role}</div>
          <div
            className="truncate font-mono text-[11px] text-slate-600 dark:text-slate-300"
            title={data.detail}
          >
            {data.ip} <span className="text-slate-500 dark:text-slate-400">{data.detail}</span>
          </div>
        </div>
      )}
    </article>
  );
});

/** A tenant's virtual gateway under its VM network: its compartment and connections. */
export const VirtualGatewayNode = memo(function VirtualGatewayNode({
  data,
  selected,
}: Props<VirtualGatewayData>) {
  const mark = useTraceMark(data.objectId);
  return (
    <article
      aria-label={`Virtual gateway ${data.name}`}
      data-trace={mark ?? undefined}
      data-testid={`vgw-${data.name}`}
      className={`h-full w-full rounded-lg border-2 bg-white px-2.5 py-1.5 dark:bg-slate-900 ${
        selected ? 'ring-2 ring-sky-500/60' : ''
      } ${markClass(mark)}`}
      style={{ borderColor: data.color }}
    >
      <Handle id="up" type="target" position={Position.Top} className={anchorClass} isConnectable={false} />
      <div className="flex items-center gap-1.5">
        <GatewayIcon />
        <span data-label className="lab-label-13 truncate font-semibold text-slate-800 dark:text-slate-100">
          {data.name}
        </span>
        <span className="ml-auto shrink-0 text-[10px] text-slate-500 dark:text-slate-400">
          on {data.gatewayName}
        </span>
      </div>
      <div className="text-[10px] uppercase tracking-wide text-slate-500 dark:text-slate-400">
        Virtual gateway
      </div>
      <ul className="mt-0.5">
        {data.connections.length === 0 ? (
          <li className="text-[11px] italic text-slate-500">no connections</li>
        ) : (
          data.connections.map((c) => (
            <li
              key={c.id}
              className="lab-label-11 truncate font-mono leading-4 text-slate-700 dark:text-slate-200"
            >
              {c.text}
            </li>
          ))
        )}
      </ul>
    </article>
  );
});

/** A load balancer's frontend: the VIP, its rules and its pool; edges go to its DIPs. */
export const VipNode = memo(function VipNode({ data, selected }: Props<VipData>) {
  const mark = useTraceMark(data.objectId);
  return (
    <article
      aria-label={`Load balancer ${data.name} VIP ${data.vip}`}
      data-trace={mark ?? undefined}
      data-testid={`vip-${data.name}`}
      className={`h-full w-full rounded-lg border-2 bg-white px-2.5 py-1.5 dark:bg-slate-900 ${
        selected ? 'border-sky-500 ring-2 ring-sky-500/40' : 'border-violet-600'
      } ${markClass(mark)}`}
    >
      <Handle id="dips" type="source" position={Position.Top} className={anchorClass} isConnectable={false} />
      <div className="flex items-center gap-1.5">
        <MuxIcon />
        <span data-label className="lab-label-13 truncate font-semibold text-slate-800 dark:text-slate-100">
          {data.name}
        </span>
      </div>
      <div className="mt-0.5 flex min-w-0 items-center gap-1.5">
        <span className="shrink-0 rounded bg-violet-600 px-1.5 font-mono text-[11px] font-semibold text-white">
          VIP {data.vip}
        </span>
        <span className="truncate font-mono text-[11px] text-slate-700 dark:text-slate-200">
          {data.rules}
        </span>
      </div>
      <div className="truncate text-[10px] text-slate-500 dark:text-slate-400">
        Load balancer · {data.pool}
      </div>
    </article>
  );
});

function GatewayIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      className="h-3.5 w-3.5 shrink-0 text-amber-600"
      fill="none"
      stroke="currentColor"
      aria-hidden
    >
      <rect x="2" y="3" width="12" height="10" rx="1.5" />
      <path d="M5 8h6M9 6l2 2-2 2" />
    </svg>
  );
}

function MuxIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      className="h-3.5 w-3.5 shrink-0 text-violet-600"
      fill="none"
      stroke="currentColor"
      aria-hidden
    >
      <path d="M2 8h4M6 8l4-4h4M6 8h8M6 8l4 4h4" />
    </svg>
  );
}

function CloudIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      className="h-5 w-5 shrink-0 text-slate-500"
      fill="none"
      stroke="currentColor"
      aria-hidden
    >
      <path d="M4.5 12.5h7a2.5 2.5 0 0 0 .4-5 3.5 3.5 0 0 0-6.8-.9A2.8 2.8 0 0 0 4.5 12.5Z" />
    </svg>
  );
}

function ClientIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      className="h-5 w-5 shrink-0 text-slate-500"
      fill="none"
      stroke="currentColor"
      aria-hidden
    >
      <rect x="2" y="3" width="12" height="8" rx="1" />
      <path d="M6 14h4M8 11v3" />
    </svg>
  );
}

function ServerIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      className="h-4 w-4 shrink-0 text-slate-500"
      fill="none"
      stroke="currentColor"
      aria-hidden
    >
      <rect x="2" y="2.5" width="12" height="4.5" rx="1" />
      <rect x="2" y="9" width="12" height="4.5" rx="1" />
      <circle cx="4.5" cy="4.75" r="0.6" fill="currentColor" />
      <circle cx="4.5" cy="11.25" r="0.6" fill="currentColor" />
    </svg>
  );
}

function RouterIcon({ small = false }: { small?: boolean }) {
  return (
    <svg
      viewBox="0 0 16 16"
      className={`${small ? 'h-3 w-3' : 'h-5 w-5'} shrink-0 text-slate-500`}
      fill="none"
      stroke="currentColor"
      aria-hidden
    >
      <circle cx="8" cy="8" r="6" />
      <path d="M5 8h6M9 6l2 2-2 2M7 6 5 8l2 2" />
    </svg>
  );
}

export const nodeTypes = {
  vm: VmNode,
  host: HostNode,
  lsubnet: LogicalSubnetNode,
  router: RouterNode,
  tenant: TenantNode,
  vmnet: VmNetworkNode,
  drouter: DistributedRouterNode,
  vsubnet: VirtualSubnetNode,
  infra: InfraVmNode,
  outside: OutsideNode,
  vgw: VirtualGatewayNode,
  vip: VipNode,
};
