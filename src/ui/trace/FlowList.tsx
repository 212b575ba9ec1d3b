// The trace panel's list of flows: packets kept with the datacenter and sent together
// ("Run all"), each with its own verdict side by side: Contoso's and Fabrikam's identical
// pings both delivered, each in its own VNI. "Show" opens a flow's trace on the timeline and
// the canvas. "Add to list" in the trace form puts the current choice here.
import { useEffect, useRef } from 'react';
import type { TraceProtocol } from '../../engine/index';
import type { Flow, TopologyDocument } from '../../engine/model/schema';
import { addFlow, removeFlow } from '../actions/flows';
import { useDocumentStore } from '../store/document';
import { type FlowResult, useFlowsStore } from '../store/flows';
import { useTraceStore } from '../store/trace';
import type { EndpointOption } from './options';

const PROTOCOL_NAMES: Record<TraceProtocol, string> = { arp: 'ARP', icmp: 'ping', tcp: 'TCP', udp: 'UDP' };

function endpointName(options: EndpointOption[], value: string): string {
  return options.find((o) => o.value === value)?.label ?? value;
}

function flowSummary(flow: Flow, options: EndpointOption[]): string {
  const port = flow.protocol === 'tcp' || flow.protocol === 'udp' ? ` ${flow.dstPort ?? ''}`.trimEnd() : '';
  return `${endpointName(options, flow.from)} → ${endpointName(options, flow.to)} · ${PROTOCOL_NAMES[flow.protocol]}${port}`;
}

/** "Add to list": the trace form's current source, destination and protocol become a flow. */
export function AddToFlowsButton({
  from,
  to,
  protocol,
  port,
  options,
  disabled,
}: {
  from: string;
  to: string;
  protocol: TraceProtocol;
  port: number;
  options: EndpointOption[];
  disabled: boolean;
}) {
  const perform = useDocumentStore((s) => s.perform);
  const add = () => {
    const withPort = protocol === 'tcp' || protocol === 'udp';
    const owner = (value: string) => endpointName(options, value).split('/')[0];
    const sameOwner = owner(from) === owner(to);
    const name = `${sameOwner ? owner(from) : endpointName(options, from)} ${PROTOCOL_NAMES[protocol]}${
      withPort ? ` ${port}` : ''
    }${sameOwner ? '' : ` → ${endpointName(options, to)}`}`;
    perform(addFlow, { name, from, to, protocol, ...(withPort ? { dstPort: port } : {}) });
  };
  return (
    <button
      type="button"
      data-testid="flow-add"
      onClick={add}
      disabled={disabled}
      title="Keep this packet in the list of flows, to send it together with others"
      className="shrink-0 rounded border border-slate-300 px-1.5 py-0.5 text-[12px] text-slate-700 hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
    >
      Add to list
    </button>
  );
}

function ResultBadge({ result, stale }: { result: FlowResult | undefined; stale: boolean }) {
  if (!result) return <span className="text-slate-400">not sent yet</span>;
  const where = result.tunnel
    ? `${result.tunnel.encapsulation.toUpperCase()} VNI ${result.tunnel.vni}`
    : result.vlanId !== undefined
      ? `VLAN ${result.vlanId}`
      : 'no tunnel';
  return (
    <span
      data-testid="flow-result"
      className={`whitespace-nowrap rounded px-1.5 font-medium ${stale ? 'opacity-50 ' : ''}${
        result.outcome === 'delivered'
          ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200'
          : 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200'
      }`}
      title={result.reason ?? `${result.outcome} at ${result.at}`}
    >
      {result.outcome === 'delivered' ? '✔ delivered' : '✖ dropped'} · {where}
    </span>
  );
}

export function FlowList({ doc, options }: { doc: TopologyDocument; options: EndpointOption[] }) {
  const flows = doc.flows ?? [];
  const perform = useDocumentStore((s) => s.perform);
  const { results, running, error, ranOn, runAll } = useFlowsStore();
  const showTrace = useTraceStore((s) => s.showTrace);
  const scenarioId = useDocumentStore((s) => s.scenarioId);
  const clear = useFlowsStore((s) => s.clear);
  // Another datacenter: the old verdicts belong to it.
  const lastScenario = useRef(scenarioId);
  useEffect(() => {
    if (lastScenario.current !== scenarioId) clear();
    lastScenario.current = scenarioId;
  }, [scenarioId, clear]);
  if (flows.length === 0) return null;
  const stale = ranOn !== null && !sameDatacenter(ranOn, doc);
  return (
    <section
      aria-label="Flows"
      data-testid="flow-list"
      className="mx-3 mt-1 rounded border border-slate-200 text-[11.5px] dark:border-slate-800"
    >
      <div className="flex items-center gap-2 border-b border-slate-200 bg-slate-50 px-2 py-0.5 dark:border-slate-800 dark:bg-slate-900">
        <h3 className="font-semibold text-slate-700 dark:text-slate-200">Flows ({flows.length})</h3>
        <span className="truncate text-slate-500">
          {stale ? 'outdated: the datacenter changed since they ran' : 'sent together, one verdict each'}
        </span>
        <button
          type="button"
          data-testid="flow-run-all"
          onClick={() => void runAll(doc)}
          disabled={running}
          className="ml-auto shrink-0 rounded bg-sky-600 px-2 py-px font-medium text-white hover:bg-sky-700 disabled:opacity-50"
        >
          {running ? 'Sending…' : 'Run all'}
        </button>
      </div>
      {error && (
        <div role="alert" className="px-2 py-0.5 text-rose-700 dark:text-rose-300">
          {error}
        </div>
      )}
      <ul className="max-h-24 overflow-auto">
        {flows.map((flow) => {
          const result = results[flow.id];
          return (
            <li
              key={flow.id}
              data-testid="flow-row"
              data-outcome={result?.outcome}
              data-vni={result?.tunnel?.vni}
              className="flex items-center gap-2 px-2 py-px"
            >
              <span className="shrink-0 font-medium">{flow.name}</span>
              <span className="min-w-0 flex-1 truncate text-slate-500">{flowSummary(flow, options)}</span>
              <ResultBadge result={result} stale={stale} />
              <button
                type="button"
                disabled={!result}
                onClick={() => result && showTrace(result.trace)}
                className="shrink-0 rounded px-1 text-sky-700 hover:bg-sky-50 disabled:opacity-40 dark:text-sky-300 dark:hover:bg-sky-950"
                aria-label={`Show the trace of ${flow.name}`}
              >
                Show
              </button>
              <button
                type="button"
                onClick={() => perform(removeFlow, { id: flow.id })}
                className="shrink-0 rounded px-1 text-slate-400 hover:bg-slate-100 hover:text-rose-600 dark:hover:bg-slate-800"
                aria-label={`Remove ${flow.name} from the list`}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The same datacenter, the canvas layout and the list of flows aside. */
function sameDatacenter(a: TopologyDocument, b: TopologyDocument): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('layout');
  keys.delete('flows');
  for (const key of keys)
    if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  return true;
}
