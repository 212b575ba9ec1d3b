// A host's tables, as an operator would dump them: the host agent's policy store
// (Get-NetVirtualizationLookupRecord), provider addresses and customer routes, a port's
// VFP layers/groups/rules with their origins, the unified flow tables with hit counters,
// and each VM's ARP cache. Read from the engine (in the worker); refreshed after each
// document change and each trace.
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { HostTables, VfpRule } from '../../engine/index';
import type { TopologyDocument } from '../../engine/model/schema';
import { engine, syncDocument } from '../../worker/client';
import { colorForVsid } from '../colors';
import { useDocumentStore } from '../store/document';
import { useTraceStore } from '../store/trace';
import { formatActions, formatMatch } from './format';

type Tab = 'lookup' | 'pa' | 'vfp' | 'flows' | 'arp';
const TABS: { id: Tab; label: string }[] = [
  { id: 'lookup', label: 'Lookup records' },
  { id: 'pa', label: 'PAs & routes' },
  { id: 'vfp', label: 'VFP rules' },
  { id: 'flows', label: 'Flow tables' },
  { id: 'arp', label: 'ARP caches' },
];

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
  const traceVersion = useTraceStore((s) => s.trace);
  const selectedHost = hostProp ?? hostOfSelection(doc, selection);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const hostId =
    (picked && doc.hosts.some((h) => h.id === picked) ? picked : undefined) ??
    selectedHost ??
    doc.hosts[0]?.id;
  const [tab, setTab] = useState<Tab>('lookup');
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
  }, [doc, hostId, traceVersion, tick]);

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
        {TABS.map((t) => (
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
            {t.label}
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
          <ProviderAddresses tables={tables} />
        ) : tab === 'vfp' ? (
          <VfpRules tables={tables} />
        ) : tab === 'flows' ? (
          <FlowTables tables={tables} />
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
              className="px-1.5 py-0.5 font-semibold whitespace-nowrap text-slate-600 dark:text-slate-300"
            >
              {h}
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

function Vsid({ vsid }: { vsid: number }) {
  return (
    <span className="inline-flex items-center gap-1 font-mono">
      <span className="inline-block h-2 w-2 rounded-full" style={{ backgroundColor: colorForVsid(vsid) }} />
      {vsid}
    </span>
  );
}

function Caption({ children }: { children: ReactNode }) {
  return <h3 className="mt-2 mb-1 px-1 text-[11px] font-semibold text-slate-500 first:mt-0">{children}</h3>;
}

function LookupRecords({ tables }: { tables: HostTables }) {
  const records = tables.lookupRecords;
  return (
    <>
      <Caption>
        Get-NetVirtualizationLookupRecord on {tables.hostName}: {records.length} record
        {records.length === 1 ? '' : 's'}
      </Caption>
      <Table
        testId="lookup-records"
        head={[
          'CustomerAddress',
          'VirtualSubnetID',
          'MACAddress',
          'ProviderAddress',
          'CustomerID',
          'Rule',
          'VM',
        ]}
      >
        {records.map((r) => (
          <tr key={`${r.vsid}-${r.caIp}`}>
            <td className="font-mono">{r.caIp}</td>
            <td>
              <Vsid vsid={r.vsid} />
            </td>
            <td className="font-mono">{r.mac}</td>
            <td className="font-mono">{r.pa}</td>
            <td className="font-mono" title={r.routingDomainId}>
              {`{${r.routingDomainId.replace(/[{}]/g, '').slice(0, 8)}…}`}
            </td>
            <td className="whitespace-nowrap">
              {r.rule} <span className="text-slate-500">({r.encapsulation.toUpperCase()})</span>
            </td>
            <td className="whitespace-nowrap">{r.vmLabel}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function ProviderAddresses({ tables }: { tables: HostTables }) {
  return (
    <>
      <Caption>Get-NetVirtualizationProviderAddress</Caption>
      <Table
        testId="provider-addresses"
        head={['ProviderAddress', 'PrefixLength', 'VlanID', 'Interface', 'MAC', 'VSID']}
      >
        {tables.providerAddresses.map((p) => (
          <tr key={p.pa}>
            <td className="font-mono">{p.pa}</td>
            <td>{p.prefixLength}</td>
            <td>{p.vlanId || 'untagged'}</td>
            <td>{p.teamMember}</td>
            <td className="font-mono">{p.mac}</td>
            <td>{p.vsid !== undefined ? <Vsid vsid={p.vsid} /> : '—'}</td>
          </tr>
        ))}
      </Table>
      <Caption>Get-NetVirtualizationCustomerRoute</Caption>
      <Table
        testId="customer-routes"
        head={['VM network', 'VirtualSubnetID', 'DestinationPrefix', 'NextHop', 'Gateway', 'Metric']}
      >
        {tables.customerRoutes.map((r) => (
          <tr key={`${r.routingDomainId}-${r.vsid}-${r.prefix}`}>
            <td className="whitespace-nowrap">{r.vmNetworkName}</td>
            <td>
              <Vsid vsid={r.vsid} />
            </td>
            <td className="font-mono">{r.prefix}</td>
            <td className="font-mono">{r.nextHop === '0.0.0.0' ? 'on-link' : r.nextHop}</td>
            <td className="font-mono">{r.gateway}</td>
            <td>{r.metric}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function RuleRows({ rules, isDefault }: { rules: VfpRule[]; isDefault?: boolean }) {
  return rules.map((r) => (
    <tr key={r.id} className={isDefault ? 'text-slate-500' : undefined}>
      <td>{r.priority}</td>
      <td className="font-mono whitespace-nowrap">
        {r.id}
        {isDefault ? ' (default)' : ''}
      </td>
      <td>{formatMatch(r.match)}</td>
      <td>{formatActions(r.actions)}</td>
      <td className="text-teal-700 italic dark:text-teal-300">{r.origin}</td>
    </tr>
  ));
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
        className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900"
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
      <div className="px-1 pb-1 text-slate-500">
        Port of {port.vmLabel}: MAC <span className="font-mono">{port.mac}</span>, PA{' '}
        <span className="font-mono">{port.pa}</span>. Layers in ascending priority; in each group the lowest
        priority number that matches wins.
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
                <div key={g.id} className="mb-1 ml-2">
                  <div className="text-[11px] text-slate-500">
                    group <span className="font-mono">{g.id}</span> ·{' '}
                    {g.direction === 'out' ? 'egress from VM' : 'ingress to VM'} · priority {g.priority}
                  </div>
                  <Table head={['Prio', 'Rule', 'Match', 'Actions', 'Origin']}>
                    <RuleRows rules={g.rules} />
                    <RuleRows rules={[g.defaultRule]} isDefault />
                  </Table>
                </div>
              ))}
          </div>
        ))}
    </>
  );
}

function FlowTables({ tables }: { tables: HostTables }) {
  const flows = tables.ports.flatMap((p) => p.flowTable.map((f) => ({ port: p.vmLabel, ...f })));
  return (
    <>
      <Caption>Unified flow tables (one per vSwitch port): the fast path</Caption>
      {flows.length === 0 ? (
        <Empty>
          No flows cached yet. Run a trace: its first packet takes the slow path and leaves an entry here.
        </Empty>
      ) : (
        <Table testId="flow-table" head={['Port', 'Flow key', 'Cached actions', 'Hits']}>
          {flows.map((f) => (
            <tr key={`${f.port}-${f.key}`}>
              <td className="whitespace-nowrap">{f.port}</td>
              <td className="font-mono">{f.key}</td>
              <td>{f.actions.join('; ')}</td>
              <td className="text-right font-mono">{f.hits}</td>
            </tr>
          ))}
        </Table>
      )}
      <Caption>Uplink (decapsulation side)</Caption>
      {tables.uplinkFlowTable.length === 0 ? (
        <Empty>No flows received from the PA network yet.</Empty>
      ) : (
        <Table head={['Flow key', 'Cached actions', 'Hits']}>
          {tables.uplinkFlowTable.map((f) => (
            <tr key={f.key}>
              <td className="font-mono">{f.key}</td>
              <td>{f.actions.join('; ')}</td>
              <td className="text-right font-mono">{f.hits}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}

function ArpCaches({ tables }: { tables: HostTables }) {
  if (!tables.arpCaches.length) return <Empty>No VM runs on this host.</Empty>;
  return (
    <>
      {tables.arpCaches.map((c) => (
        <div key={c.vnicId} className="mb-2">
          <Caption>ARP cache of {c.vm}</Caption>
          {c.entries.length === 0 ? (
            <div className="px-1 text-slate-500">
              Empty: this VM has not asked yet (the host agent answers on first use).
            </div>
          ) : (
            <Table head={['IP address', 'MAC address']}>
              {c.entries.map((e) => (
                <tr key={e.ip}>
                  <td className="font-mono">{e.ip}</td>
                  <td className="font-mono">{e.mac}</td>
                </tr>
              ))}
            </Table>
          )}
        </div>
      ))}
    </>
  );
}
