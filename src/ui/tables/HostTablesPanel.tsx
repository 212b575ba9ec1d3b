// A host's tables, as an operator would dump them: the host agent's policy store
// (Get-NetVirtualizationLookupRecord), provider addresses and customer routes, a port's
// VFP layers/groups/rules with their origins, the unified flow tables with hit counters,
// and each VM's ARP cache. HNVv1 (WS2012 R2) has no VFP: no VFP rules or tuple test there,
// and its flow cache is the HNV filter's, not a unified flow table. Read from the engine (in the worker); refreshed after each
// document change and each trace.
import { Fragment, type ReactNode, useEffect, useMemo, useState } from 'react';
import type { HostTables, VfpRule } from '../../engine/index';
import type { TopologyDocument } from '../../engine/model/schema';
import { engine, syncDocument } from '../../worker/client';
import { colorForVsid } from '../colors';
import { useDocumentStore } from '../store/document';
import { useTraceStore } from '../store/trace';
import { EffectiveRoutes } from './EffectiveRoutes';
import { FirewallTables } from './FirewallTables';
import { formatActions, formatMatch } from './format';
import { GatewayTables } from './GatewayTables';
import { SouthboundTables } from './SouthboundTables';
import { TupleTester } from './TupleTester';

type Tab = 'lookup' | 'pa' | 'vfp' | 'flows' | 'firewall' | 'arp' | 'southbound' | 'tuple' | 'gateway';
const TABS: { id: Tab; label: string }[] = [
  { id: 'lookup', label: 'Lookup records' },
  { id: 'pa', label: 'PAs & routes' },
  { id: 'vfp', label: 'VFP rules' },
  { id: 'flows', label: 'Flow tables' },
  { id: 'firewall', label: 'Firewall' },
  { id: 'arp', label: 'ARP caches' },
  { id: 'southbound', label: 'Southbound (OVSDB)' },
  { id: 'tuple', label: 'Tuple test' },
];
/** Only on a host that runs a RAS gateway VM. */
const GATEWAY_TAB: { id: Tab; label: string } = { id: 'gateway', label: 'RAS gateway' };

/** VFP's own tables: HNVv1 has none of them. */
const V2_ONLY: ReadonlySet<Tab> = new Set(['vfp', 'tuple']);

export interface HostTablesPanelProps {
  /** Defaults to the document in the document store. */
  document?: TopologyDocument;
  /** Defaults to the host of the current selection, else the first host. */
  hostId?: string;
}

function hostOfSelection(doc: TopologyDocument, selection: readonly string[]): string | undefined {
  for (const id of selection) {
    if (doc.hosts.some((h) => h.id === id)) return id;
    const vm = doc.vms.find((v) => v.id === id);
    if (vm) return vm.hostId;
  }
  return undefined;
}

export function HostTablesPanel({ document: docProp, hostId: hostProp }: HostTablesPanelProps) {
  const storeDoc = useDocumentStore((s) => s.doc);
  const selection = useDocumentStore((s) => s.selection);
  const doc = docProp ?? storeDoc;
  const engineEpoch = useTraceStore((s) => s.engineEpoch);
  const selectedHost = hostProp ?? hostOfSelection(doc, selection);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const hostId =
    (picked && doc.hosts.some((h) => h.id === picked) ? picked : undefined) ??
    selectedHost ??
    doc.hosts[0]?.id;
  const [pickedTab, setTab] = useState<Tab>('lookup');
  const v1 = doc.hnvMode === 'v1';
  const tabs = v1 ? TABS.filter((t) => !V2_ONLY.has(t.id)) : TABS;
  const tab: Tab = v1 && V2_ONLY.has(pickedTab) ? 'lookup' : pickedTab;
  const [tables, setTables] = useState<HostTables | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (selectedHost) setPicked(selectedHost);
  }, [selectedHost]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch after every trace (flow counters, ARP caches) and on demand (tick)
  useEffect(() => {
    if (!hostId) {
      setTables(null);
      return;
    }
    let live = true;
    (async () => {
      try {
        const check = await syncDocument(doc);
        if (!check.ok) {
          if (live) setError('The topology has errors; the tables show the last valid one.');
        } else if (live) setError(null);
        const t = await engine.hostTables(hostId);
        if (live) setTables(t);
      } catch (e) {
        if (live) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [doc, hostId, engineEpoch, tick]);

  return (
    <section
      aria-label="Host tables"
      data-testid="host-tables"
      className="flex h-full min-h-0 flex-col bg-white text-[12px] text-slate-800 dark:bg-slate-950 dark:text-slate-100"
    >
      <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-1.5 dark:border-slate-800">
        <h2 className="text-[13px] font-semibold">Host tables</h2>
        <select
          aria-label="Host"
          data-testid="tables-host"
          value={hostId ?? ''}
          onChange={(e) => setPicked(e.target.value)}
          className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900"
        >
          {doc.hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={() => setTick(tick + 1)}
          className="ml-auto rounded border border-slate-300 px-1.5 py-0.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          title="Read the tables again"
        >
          ↻
        </button>
      </header>
      <div
        className="flex flex-wrap gap-0.5 border-b border-slate-200 px-2 pt-1 dark:border-slate-800"
        role="tablist"
      >
        {(tables?.gateways?.length ? [...tabs, GATEWAY_TAB] : tabs).map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            onClick={() => setTab(t.id)}
            className={`rounded-t px-2 py-0.5 ${
              tab === t.id
                ? 'border border-b-0 border-slate-300 bg-white font-semibold dark:border-slate-700 dark:bg-slate-950'
                : 'text-slate-500 hover:text-slate-800 dark:hover:text-slate-200'
            }`}
          >
            {v1 && t.id === 'flows' ? 'Flow cache' : t.label}
          </button>
        ))}
      </div>
      {error && <div className="px-3 py-1 text-amber-700">{error}</div>}
      <div className="min-h-0 flex-1 overflow-auto px-2 py-2">
        {!doc.hosts.length ? (
          <Empty>No hosts yet. Drag a Hyper-V host onto the canvas.</Empty>
        ) : !tables ? (
          <Empty>Reading the host's tables…</Empty>
        ) : tab === 'lookup' ? (
          <LookupRecords tables={tables} />
        ) : tab === 'pa' ? (
          <>
            <ProviderAddresses tables={tables} />
            <EffectiveRoutes subnets={tables.effectiveRoutes ?? []} />
          </>
        ) : tab === 'vfp' ? (
          <VfpRules tables={tables} />
        ) : tab === 'flows' ? (
          <FlowTables tables={tables} v1={v1} />
        ) : tab === 'firewall' ? (
          <FirewallTables tables={tables} onChanged={() => setTick((n) => n + 1)} />
        ) : tab === 'tuple' ? (
          <TupleTester key={tables.hostId} tables={tables} />
        ) : tab === 'southbound' ? (
          <SouthboundTables hostId={tables.hostId} db={tables.southbound} />
        ) : tab === 'gateway' && tables.gateways?.length ? (
          <GatewayTables
            gateways={tables.gateways}
            clock={tables.clock}
            onChanged={() => setTick((n) => n + 1)}
          />
        ) : (
          <ArpCaches tables={tables} />
        )}
      </div>
    </section>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return <div className="px-1 py-3 text-slate-500">{children}</div>;
}

function Table({ head, children, testId }: { head: string[]; children: ReactNode; testId?: string }) {
  return (
    <table className="w-full border-collapse text-left text-[11px]" data-testid={testId}>
      <thead className="sticky top-0 bg-slate-100 dark:bg-slate-800">
        <tr>
          {head.map((h) => (
            <th
              key={h}
              title={h}
              className="px-1.5 py-0.5 align-bottom font-semibold leading-tight text-slate-600 dark:text-slate-300"
            >
              <HeaderName name={h} />
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="[&>tr]:border-b [&>tr]:border-slate-100 dark:[&>tr]:border-slate-800 [&_td]:px-1.5 [&_td]:py-0.5 [&_td]:align-top">
        {children}
      </tbody>
    </table>
  );
}

/**
 * A PowerShell column name that may break at its words (Customer·Address): a 360 px panel
 * then fits every column, the VM one included, instead of pushing the last ones out of view.
 */
function HeaderName({ name }: { name: string }) {
  const words = name.split(/(?<=[a-z])(?=[A-Z])/);
  return (
    <>
      {words.map((word, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed header name; its words never move
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {word}
        </Fragment>
      ))}
    </>
  );
}

function Vsid({ vsid }: { vsid: number }) {
  const doc = useDocumentStore((s) => s.doc);
  return (
    <span className="inline-flex items-center gap-1 font-mono">
      <span
        className="inline-block h-2 w-2 rounded-full"
        style={{ backgroundColor: colorForVsid(vsid, doc) }}
      />
      {vsid}
    </span>
  );
}

function Caption({ children }: { children: ReactNode }) {
  return <h3 className="mt-2 mb-1 px-1 text-[11px] font-semibold text-slate-500 first:mt-0">{children}</h3>;
}

/** A secondary line under a table row: the columns a narrow panel cannot fit. */
function Detail({ span, children }: { span: number; children: ReactNode }) {
  return (
    <tr className="!border-b-slate-200 dark:!border-b-slate-700">
      <td colSpan={span} className="!pt-0 text-[10px] text-slate-500">
        {children}
      </td>
    </tr>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span className="mr-2 inline-block whitespace-nowrap">
      {label} <span className="font-mono text-slate-700 dark:text-slate-200">{children}</span>
    </span>
  );
}

function LookupRecords({ tables }: { tables: HostTables }) {
  const records = tables.lookupRecords;
  return (
    <>
      <Caption>
        Get-NetVirtualizationLookupRecord on {tables.hostName}: {records.length} record
        {records.length === 1 ? '' : 's'}
      </Caption>
      <Table testId="lookup-records" head={['CustomerAddress', 'VirtualSubnetID', 'ProviderAddress', 'VM']}>
        {records.map((r) => (
          <Fragment key={`${r.vsid}-${r.caIp}`}>
            <tr className="!border-b-0" data-record={`${r.caIp}@${r.vsid}`}>
              <td className="font-mono">{r.caIp}</td>
              <td>
                <Vsid vsid={r.vsid} />
              </td>
              <td className="font-mono">{r.pa}</td>
              <td className="whitespace-nowrap">{r.vmLabel}</td>
            </tr>
            <Detail span={4}>
              <Field label="MACAddress">{r.mac}</Field>
              <Field label="CustomerID">{`{${r.routingDomainId.replace(/[{}]/g, '').slice(0, 8)}…}`}</Field>
              <Field label="Rule">
                {r.rule} ({r.encapsulation.toUpperCase()})
              </Field>
            </Detail>
          </Fragment>
        ))}
      </Table>
    </>
  );
}

function ProviderAddresses({ tables }: { tables: HostTables }) {
  return (
    <>
      <Caption>Get-NetVirtualizationProviderAddress</Caption>
      <Table testId="provider-addresses" head={['ProviderAddress', 'VlanID', 'Interface', 'MAC']}>
        {tables.providerAddresses.map((p) => (
          <tr key={p.pa}>
            <td className="font-mono whitespace-nowrap">
              {p.pa}/{p.prefixLength}
            </td>
            <td>{p.vlanId || 'untagged'}</td>
            <td>
              {p.teamMember}
              {p.vsid !== undefined && (
                <span className="ml-1">
                  for <Vsid vsid={p.vsid} />
                </span>
              )}
            </td>
            <td className="font-mono">{p.mac}</td>
          </tr>
        ))}
      </Table>
      <Caption>Get-NetVirtualizationCustomerRoute</Caption>
      <Table testId="customer-routes" head={['DestinationPrefix', 'VirtualSubnetID', 'NextHop', 'Metric']}>
        {tables.customerRoutes.map((r) => (
          <Fragment key={`${r.routingDomainId}-${r.vsid}-${r.prefix}`}>
            <tr className="!border-b-0">
              <td className="font-mono">{r.prefix}</td>
              <td>
                <Vsid vsid={r.vsid} />
              </td>
              <td className="font-mono">{r.nextHop === '0.0.0.0' ? 'on-link' : r.nextHop}</td>
              <td>{r.metric}</td>
            </tr>
            <Detail span={4}>
              <Field label="VM network">{r.vmNetworkName}</Field>
              <Field label="gateway (distributed router)">{r.gateway}</Field>
            </Detail>
          </Fragment>
        ))}
      </Table>
    </>
  );
}

function RuleItem({ rule, isDefault }: { rule: VfpRule; isDefault?: boolean }) {
  return (
    <li
      className={`border-b border-slate-100 py-0.5 dark:border-slate-800 ${isDefault ? 'text-slate-500' : ''}`}
      data-rule={rule.id}
    >
      <div className="flex items-baseline gap-2">
        <span className="w-10 shrink-0 text-right font-mono text-slate-400">{rule.priority}</span>
        <span className="font-mono font-medium">{rule.id}</span>
        {isDefault && <span className="text-[10px] text-slate-400">default rule</span>}
      </div>
      <div className="ml-12 text-[11px]">
        <span className="text-slate-400">match</span> {formatMatch(rule.match)}{' '}
        <span className="text-slate-400">→</span> {formatActions(rule.actions)}
      </div>
      <div className="ml-12 text-[11px] text-teal-700 dark:text-teal-300">
        <span className="text-slate-400">origin:</span> {rule.origin}
      </div>
    </li>
  );
}

function PortPicker({
  tables,
  portId,
  onPick,
}: {
  tables: HostTables;
  portId: string | undefined;
  onPick(id: string): void;
}) {
  return (
    <label className="flex items-center gap-1.5 px-1 pb-1">
      <span className="text-slate-500">vSwitch port</span>
      <select
        aria-label="vSwitch port"
        data-testid="tables-port"
        value={portId ?? ''}
        onChange={(e) => onPick(e.target.value)}
        className="min-w-0 flex-1 rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900"
      >
        {tables.ports.map((p) => (
          <option key={p.portId} value={p.portId}>
            {p.vmLabel} · {p.caIp} · VSID {p.vsid}
          </option>
        ))}
      </select>
    </label>
  );
}

function usePort(tables: HostTables) {
  const [portId, setPortId] = useState<string | undefined>(undefined);
  const port = useMemo(
    () => tables.ports.find((p) => p.portId === portId) ?? tables.ports[0],
    [tables, portId],
  );
  return { port, setPortId };
}

function VfpRules({ tables }: { tables: HostTables }) {
  const { port, setPortId } = usePort(tables);
  if (!port) return <Empty>No VM runs on this host: no vSwitch ports.</Empty>;
  return (
    <>
      <PortPicker tables={tables} portId={port.portId} onPick={setPortId} />
      <div className="px-1 pb-1 text-[11px] text-slate-500">
        Port of {port.vmLabel}: MAC <span className="font-mono">{port.mac}</span>, PA{' '}
        <span className="font-mono">{port.pa}</span>. Layers apply in ascending priority; in a group the
        lowest priority number that matches wins, else the default rule.
      </div>
      {[...port.layers]
        .sort((a, b) => a.priority - b.priority)
        .map((layer) => (
          <div key={layer.id} data-vfp-layer={layer.id} className="mb-2">
            <Caption>
              Layer {layer.name}{' '}
              <span className="font-mono font-normal">
                ({layer.id}, priority {layer.priority})
              </span>
            </Caption>
            {[...layer.groups]
              .sort((a, b) => a.priority - b.priority)
              .map((g) => (
                <div
                  key={g.id}
                  className="mb-1 ml-1 rounded border border-slate-200 px-1 dark:border-slate-700"
                >
                  <div className="text-[11px] text-slate-500">
                    group <span className="font-mono text-slate-700 dark:text-slate-200">{g.id}</span> ·{' '}
                    {g.direction === 'out' ? 'egress from the VM' : 'ingress to the VM'} · priority{' '}
                    {g.priority}
                  </div>
                  <ul>
                    {g.rules.map((r) => (
                      <RuleItem key={r.id} rule={r} />
                    ))}
                    <RuleItem rule={g.defaultRule} isDefault />
                  </ul>
                </div>
              ))}
          </div>
        ))}
    </>
  );
}

function FlowList({
  flows,
  testId,
}: {
  flows: { port?: string; key: string; actions: string[]; hits: number }[];
  testId?: string;
}) {
  return (
    <ul data-testid={testId}>
      {flows.map((f) => (
        <li
          key={`${f.port ?? ''}-${f.key}`}
          className="border-b border-slate-100 py-0.5 dark:border-slate-800"
          data-flow
        >
          <div className="flex items-baseline gap-2">
            {f.port && <span className="font-medium">{f.port}</span>}
            <span className="ml-auto rounded bg-emerald-100 px-1 font-mono text-[10px] text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100">
              {f.hits} hit{f.hits === 1 ? '' : 's'}
            </span>
          </div>
          <div className="font-mono text-[10px] break-all text-slate-600 dark:text-slate-300">{f.key}</div>
          <div className="text-[11px]">
            <span className="text-slate-400">→</span> {f.actions.join('; ')}
          </div>
        </li>
      ))}
    </ul>
  );
}

function FlowTables({ tables, v1 }: { tables: HostTables; v1: boolean }) {
  const flows = tables.ports.flatMap((p) => p.flowTable.map((f) => ({ port: p.vmLabel, ...f })));
  return (
    <>
      <Caption>
        {v1
          ? 'HNV filter flow cache (one per vSwitch port): the fast path'
          : 'Unified flow tables (one per vSwitch port): the fast path'}
      </Caption>
      {flows.length === 0 ? (
        <Empty>
          No flows cached yet. Run a trace: its first packet takes the slow path and leaves an entry here.
        </Empty>
      ) : (
        <FlowList flows={flows} testId="flow-table" />
      )}
      <Caption>Uplink (decapsulation side)</Caption>
      {tables.uplinkFlowTable.length === 0 ? (
        <Empty>No flows received from the PA network yet.</Empty>
      ) : (
        <FlowList flows={tables.uplinkFlowTable} />
      )}
      {(tables.slbMuxes ?? []).map((m) => (
        <div key={m.mux} className="mb-2">
          <Caption>{`${m.mux} (${m.ip}): flows and the DIP each was given`}</Caption>
          {m.flows.length === 0 ? (
            <Empty>No flows yet: trace from Internet/Client to a VIP.</Empty>
          ) : (
            <Table head={['Flow (5-tuple)', 'DIP']} testId="mux-flow-table">
              {m.flows.map((f) => (
                <tr key={f.tuple}>
                  <td className="font-mono">{f.tuple}</td>
                  <td>{`${f.dip} ${f.vm}`}</td>
                </tr>
              ))}
            </Table>
          )}
        </div>
      ))}
      {(tables.slbSnat ?? []).map((t) => (
        <div key={`${t.vm}|${t.loadBalancer}`} className="mb-2">
          <Caption>{`SLB host agent outbound NAT of ${t.vm} (${t.dip}) to VIP ${t.vip}: ${t.slices.join(', ')}`}</Caption>
          {t.mappings.length === 0 ? (
            <Empty>
              No outbound connections yet: trace from this VM to an address outside its VM network.
            </Empty>
          ) : (
            <Table head={['Protocol', 'Inside (DIP)', 'Remote', 'Public (VIP:port)']} testId="slb-snat-table">
              {t.mappings.map((m) => (
                <tr key={`${m.protocol}|${m.public}`}>
                  <td>{m.protocol}</td>
                  <td className="font-mono">{m.inside}</td>
                  <td className="font-mono">{m.remote}</td>
                  <td className="font-mono">{m.public}</td>
                </tr>
              ))}
            </Table>
          )}
        </div>
      ))}
    </>
  );
}

function ArpCaches({ tables }: { tables: HostTables }) {
  return (
    <>
      <ArpCache
        caption="PA compartment (the physical network's next hops)"
        entries={tables.paArpCache}
        empty="Empty: this host has not sent on the PA network yet (it ARPs on first use)."
        testId="pa-arp-cache"
      />
      {tables.arpCaches.length === 0 && <Empty>No VM runs on this host.</Empty>}
      {tables.arpCaches.map((c) => (
        <ArpCache
          key={c.vnicId}
          caption={`ARP cache of ${c.vm}`}
          entries={c.entries}
          empty="Empty: this VM has not asked yet (the host agent answers on first use)."
        />
      ))}
    </>
  );
}

function ArpCache(props: {
  caption: string;
  entries: { ip: string; mac: string }[];
  empty: string;
  testId?: string;
}) {
  return (
    <div className="mb-2">
      <Caption>{props.caption}</Caption>
      {props.entries.length === 0 ? (
        <div className="px-1 text-slate-500">{props.empty}</div>
      ) : (
        <Table head={['IP address', 'MAC address']} testId={props.testId}>
          {props.entries.map((e) => (
            <tr key={e.ip}>
              <td className="font-mono">{e.ip}</td>
              <td className="font-mono">{e.mac}</td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
