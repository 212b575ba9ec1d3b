// The trace: pick source, destination and protocol, run it in the worker, then walk the
// timeline (play, pause, step, scrub, speed). The selected step feeds the inspector and
// the canvas (through the trace store).
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { TraceProtocol, TraceRequest } from '../../engine/index';
import type { TopologyDocument } from '../../engine/model/schema';
import { WELL_KNOWN_PORTS } from '../../engine/net';
import { engine } from '../../worker/client';
import { useDocumentStore } from '../store/document';
import { useTraceStore } from '../store/trace';
import { EventFilterChips, EventLevelControls, EventList } from './EventList';
import { AddToFlowsButton, FlowList } from './FlowList';
import { defaultEndpoints, endpointOptions, externalSourceOptions, isIpv4 } from './options';
import { PickOnCanvasButton, usePickedEndpoints } from './PickOnCanvas';
import { WhatIfView } from './WhatIf';

const PROTOCOLS: { id: TraceProtocol; label: string }[] = [
  { id: 'arp', label: 'ARP' },
  { id: 'icmp', label: 'Ping' },
  { id: 'tcp', label: 'TCP' },
  { id: 'udp', label: 'UDP' },
];
const SPEEDS = [0.5, 1, 2, 4, 8];
const TYPED_IP = '__ip__';

export interface TracePanelProps {
  /** Defaults to the document in the document store. */
  document?: TopologyDocument;
}

export function TracePanel({ document: docProp }: TracePanelProps) {
  const storeDoc = useDocumentStore((s) => s.doc);
  const scenarioId = useDocumentStore((s) => s.scenarioId);
  const clearTrace = useTraceStore((s) => s.clearTrace);
  // Another datacenter was opened: the old trace's steps point at objects that are gone.
  const lastScenario = useRef(scenarioId);
  useEffect(() => {
    if (lastScenario.current !== scenarioId) clearTrace();
    lastScenario.current = scenarioId;
  }, [scenarioId, clearTrace]);
  const doc = docProp ?? storeDoc;
  const t = useTraceStore();
  const options = useMemo(() => endpointOptions(doc), [doc]);
  // Sources also include devices outside the fabric (an internet client of a load balancer).
  const external = useMemo(() => externalSourceOptions(doc), [doc]);
  const sources = useMemo(() => [...options, ...external], [options, external]);
  const defaults = defaultEndpoints(options);

  const [from, setFrom] = useState(t.request?.from ?? defaults.from);
  const [to, setTo] = useState(
    t.request && !isIpv4(t.request.to) ? t.request.to : defaults.to || (defaults.from ? TYPED_IP : ''),
  );
  const [typedIp, setTypedIp] = useState(t.request && isIpv4(t.request.to) ? t.request.to : '');
  const [protocol, setProtocol] = useState<TraceProtocol>(t.request?.protocol ?? 'icmp');
  const [port, setPort] = useState(t.request?.dstPort ?? WELL_KNOWN_PORTS.mssql);
  const [size, setSize] = useState<number | ''>(t.request?.size ?? '');
  const [exporting, setExporting] = useState(false);
  usePickedEndpoints(setFrom, setTo);

  // The document changed under us (new scenario, deleted VM): fall back to valid endpoints.
  const optionsCount = useRef(options.length);
  useEffect(() => {
    if (!sources.some((o) => o.value === from)) setFrom(defaults.from);
    const grew = options.length > optionsCount.current;
    optionsCount.current = options.length;
    // A second VM appeared while the destination was still an empty "An IP address…": use it.
    const replace =
      to === TYPED_IP ? grew && typedIp === '' && defaults.to !== '' : !options.some((o) => o.value === to);
    if (replace) setTo(defaults.to || TYPED_IP);
  }, [options, sources, from, to, typedIp, defaults.from, defaults.to]);

  // A trace shows what the engine did to the document it ran on; after an edit it is history.
  // (Moving boxes on the canvas changes only the layout: the trace stays current.)
  const stale =
    t.trace !== null && t.tracedDoc !== null && !sameDatacenter(t.tracedDoc, doc) && t.status !== 'running';
  const destination = to === TYPED_IP ? typedIp.trim() : to;
  const canRun =
    Boolean(from) && Boolean(destination) && (to !== TYPED_IP || isIpv4(typedIp)) && t.status !== 'running';

  const run = () => {
    if (!canRun) return;
    const request: TraceRequest = { from, to: destination, protocol };
    if (protocol === 'tcp' || protocol === 'udp') {
      request.dstPort = port;
      request.srcPort = 49152 + (port % 1000);
    }
    if (size !== '' && protocol !== 'arp') request.size = size;
    void t.runTrace(request, doc);
  };

  const exportPcap = async () => {
    if (!t.trace) return;
    setExporting(true);
    try {
      const bytes = await engine.exportPcap(t.trace.frames.map((f) => ({ bytes: f.frame })));
      const url = URL.createObjectURL(
        new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.tcpdump.pcap' }),
      );
      const a = Object.assign(window.document.createElement('a'), { href: url, download: 'hnv-trace.pcap' });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setExporting(false);
    }
  };

  // The same keys work from anywhere on the page that is not a field or another widget.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (window.document.activeElement !== window.document.body) return;
      const store = useTraceStore.getState();
      if (!store.steps.length) return;
      if (e.key === ' ') store.togglePlay();
      else if (e.key === 'ArrowRight') store.stepBy(1);
      else if (e.key === 'ArrowLeft') store.stepBy(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName) && target.getAttribute('type') !== 'range')
      return;
    if (!t.steps.length) return;
    if (e.key === ' ') {
      e.preventDefault();
      t.togglePlay();
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
      e.preventDefault();
      t.stepBy(1);
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
      e.preventDefault();
      t.stepBy(-1);
    }
  };

  const verdict = t.trace?.verdict;
  const inputClass =
    'rounded border border-slate-300 bg-white px-1.5 py-0.5 text-[12px] dark:border-slate-700 dark:bg-slate-900';

  return (
    <section
      aria-label="Packet trace"
      data-testid="trace-panel"
      tabIndex={-1}
      onKeyDown={onKeyDown}
      className="flex h-full min-h-0 flex-col bg-white text-[12px] text-slate-800 outline-none dark:bg-slate-950 dark:text-slate-100"
    >
      <form
        className="flex flex-col gap-1 border-b border-slate-200 px-3 py-1.5 dark:border-slate-800"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <div className="flex min-w-0 items-center gap-1.5">
          <h2 className="mr-1 text-[13px] font-semibold">Trace</h2>
          <label htmlFor="trace-from" className="text-slate-500">
            from
          </label>
          <select
            id="trace-from"
            data-testid="trace-from"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            className={`${inputClass} min-w-0 flex-1`}
          >
            {sources.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label} · {o.caIp}
              </option>
            ))}
          </select>
          <label htmlFor="trace-to" className="text-slate-500">
            to
          </label>
          <select
            id="trace-to"
            data-testid="trace-to"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            className={`${inputClass} min-w-0 flex-1`}
          >
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label} · {o.caIp}
              </option>
            ))}
            <option value={TYPED_IP}>An IP address…</option>
          </select>
          {to === TYPED_IP && (
            <input
              aria-label="Destination IP"
              data-testid="trace-to-ip"
              value={typedIp}
              placeholder="10.1.1.11"
              onChange={(e) => setTypedIp(e.target.value)}
              className={`${inputClass} w-24 font-mono ${typedIp && !isIpv4(typedIp) ? 'border-rose-500' : ''}`}
            />
          )}
        </div>
        <div className="flex flex-wrap items-center gap-1.5">
          <fieldset
            className="flex rounded-md border border-slate-300 dark:border-slate-700"
            aria-label="Protocol"
          >
            {PROTOCOLS.map((p) => (
              <button
                key={p.id}
                type="button"
                aria-pressed={protocol === p.id}
                data-protocol={p.id}
                onClick={() => setProtocol(p.id)}
                className={`px-2 py-0.5 first:rounded-l-md last:rounded-r-md ${
                  protocol === p.id
                    ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900'
                    : 'hover:bg-slate-100 dark:hover:bg-slate-800'
                }`}
              >
                {p.label}
              </button>
            ))}
          </fieldset>
          {(protocol === 'tcp' || protocol === 'udp') && (
            <label className="flex items-center gap-1 text-slate-500">
              port
              <input
                type="number"
                aria-label="Destination port"
                min={1}
                max={65535}
                value={port}
                onChange={(e) => setPort(Math.max(1, Math.min(65535, Number(e.target.value) || 1)))}
                className={`${inputClass} w-16`}
              />
            </label>
          )}
          {protocol !== 'arp' && (
            <label
              className="flex items-center gap-1 text-slate-500"
              title="The VM's IP packet length in bytes"
            >
              size
              <input
                type="number"
                aria-label="Packet size"
                min={28}
                max={9000}
                placeholder="auto"
                value={size}
                onChange={(e) => setSize(e.target.value === '' ? '' : Number(e.target.value))}
                className={`${inputClass} w-16`}
              />
            </label>
          )}
          <button
            type="submit"
            data-testid="trace-run"
            disabled={!canRun}
            className="rounded-md bg-sky-600 px-3 py-0.5 font-medium text-white hover:bg-sky-700 disabled:opacity-50"
          >
            {t.status === 'running' ? 'Tracing…' : 'Run'}
          </button>
          <PickOnCanvasButton />
          <AddToFlowsButton
            from={from}
            to={destination}
            protocol={protocol}
            port={port}
            options={options}
            disabled={!canRun}
          />
        </div>
      </form>
      <FlowList doc={doc} options={options} />

      {t.error && (
        <div
          role="alert"
          className="mx-3 mb-1 rounded bg-rose-50 px-2 py-1 text-rose-700 dark:bg-rose-950 dark:text-rose-200"
        >
          {t.error}
        </div>
      )}

      {verdict && (
        <div className="mx-3 my-1 flex items-start gap-2">
          <div
            data-testid="trace-verdict"
            data-outcome={verdict.outcome}
            data-stale={stale ? 'true' : 'false'}
            className={`min-w-0 flex-1 rounded px-2 py-0.5 font-medium ${stale ? 'opacity-60 ' : ''}${
              verdict.outcome === 'delivered'
                ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200'
                : 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200'
            }`}
          >
            {verdict.outcome === 'delivered' ? `✔ Delivered to ${verdict.at}` : `✖ Dropped at ${verdict.at}`}
            {verdict.reason && <span className="font-normal">: {verdict.reason}</span>}
          </div>
          {/* Sending more is a VM's port's flow: not offered for a source outside the fabric. */}
          {t.request && !external.some((o) => o.value === t.request?.from) && (
            <button
              type="button"
              data-testid="send-more"
              onClick={() => void t.sendMore(10)}
              disabled={t.sending}
              className="shrink-0 rounded border border-slate-300 px-1.5 py-0.5 text-[11px] text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
              title={`Send 10 more packets of this flow, untraced, and count slow- and fast-path packets: ${
                doc.hnvMode === 'v1'
                  ? "the first packet's policy was looked up, the next ones hit the flow cache"
                  : 'the first packet walked every VFP layer, the next ones hit the flow table'
              }`}
            >
              Send 10 more
            </button>
          )}
          {t.trace && (
            <button
              type="button"
              data-testid="export-pcap"
              onClick={() => void exportPcap()}
              disabled={exporting}
              className="shrink-0 rounded border border-slate-300 px-1.5 py-0.5 text-[11px] text-slate-700 hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
              title="Every frame that crossed a port or a wire, as a pcap for Wireshark"
            >
              Export pcap
            </button>
          )}
        </div>
      )}
      {stale && t.request && (
        <div
          data-testid="trace-stale"
          className="mx-3 mb-1 flex items-center gap-2 rounded border border-amber-300 bg-amber-50 px-2 py-0.5 text-[12px] text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
        >
          <span className="min-w-0 flex-1">Outdated: the datacenter changed after this trace ran.</span>
          <button
            type="button"
            data-testid="trace-rerun"
            onClick={() => t.request && void t.runTrace(t.request, doc)}
            className="shrink-0 rounded bg-amber-600 px-2 py-0.5 font-medium text-white hover:bg-amber-700"
          >
            Run again
          </button>
          <button
            type="button"
            data-testid="trace-what-if"
            onClick={() => void t.runWhatIf(doc)}
            title="Run the same packet on the changed datacenter and show the old and the new trace side by side"
            className="shrink-0 rounded border border-amber-600 px-2 py-0.5 font-medium text-amber-800 hover:bg-amber-100 dark:text-amber-200 dark:hover:bg-amber-900"
          >
            What if…
          </button>
        </div>
      )}

      {t.counters && (
        <div className="mx-3 mb-1 text-[11px] text-slate-500">
          <span data-testid="send-counters" data-batch={t.counters.batch}>
            Batch {t.counters.batch}: {t.counters.result.packets} packets: {t.counters.result.slowPath} slow
            path,{' '}
            <strong className="text-emerald-700 dark:text-emerald-300">
              {t.counters.result.fastPath} fast path
            </strong>{' '}
            ({t.counters.result.hits} flow-table hits, {t.counters.result.delivered} delivered
            {t.counters.result.dropped ? `, ${t.counters.result.dropped} dropped` : ''})
          </span>
        </div>
      )}
      {t.whatIf ? (
        <WhatIfView />
      ) : (
        t.steps.length > 0 && (
          <>
            <Timeline />
            <EventFilterChips />
          </>
        )
      )}
      {t.whatIf ? null : t.steps.length > 0 ? (
        <EventList />
      ) : (
        <div className="px-3 py-4 text-slate-500">
          Pick a source and a destination and press <strong>Run</strong>.{' '}
          {doc.hnvMode === 'v1'
            ? 'Each step names the part of the host that acted (port ACLs, the HNV filter) and the policy it applied.'
            : 'Each step names the VFP layer, group and rule that acted, and where the rule came from.'}
        </div>
      )}
    </section>
  );
}

function Timeline() {
  const t = useTraceStore();
  // Play, step and scrub walk the rows the event list shows.
  const shown = t.visible.length;
  const position = t.visible.indexOf(t.stepIndex);
  const btn =
    'flex h-6 min-w-6 shrink-0 items-center justify-center gap-0.5 rounded border border-slate-300 px-1 hover:bg-slate-100 disabled:opacity-40 dark:border-slate-700 dark:hover:bg-slate-800';
  return (
    <div className="border-y border-slate-200 px-3 py-1 dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-x-1.5 gap-y-1" data-testid="timeline">
        <button
          type="button"
          className={btn}
          aria-label="Step back"
          onClick={() => t.stepBy(-1)}
          disabled={shown === 0 || t.stepIndex <= t.visible[0]}
        >
          <Icon d="M6 5v14M19 5 9 12l10 7z" />
        </button>
        <button
          type="button"
          className={`${btn} w-8`}
          aria-label={t.playing ? 'Pause' : 'Play'}
          title={t.playing ? 'Pause (Space)' : 'Play (Space)'}
          data-testid="trace-play"
          onClick={() => t.togglePlay()}
        >
          {t.playing ? <Icon d="M7 5h3v14H7zM14 5h3v14h-3z" /> : <Icon d="M7 5l12 7-12 7z" />}
        </button>
        <button
          type="button"
          className={btn}
          aria-label="Step forward"
          onClick={() => t.stepBy(1)}
          disabled={shown === 0 || t.stepIndex >= t.visible[shown - 1]}
        >
          <Icon d="M18 5v14M5 5l10 7-10 7z" />
        </button>
        <div className="flex min-w-16 flex-1 flex-col gap-0.5">
          <PacketStrip />
          <input
            type="range"
            aria-label="Scrub through the trace"
            data-testid="trace-scrub"
            min={0}
            max={Math.max(0, shown - 1)}
            value={Math.max(0, position)}
            onChange={(e) => t.selectStep(t.visible[Number(e.target.value)] ?? 0)}
            className="h-3 min-w-0 accent-sky-600"
          />
        </div>
        <span
          className="w-12 text-right font-mono text-slate-500"
          data-testid="trace-position"
          title={`Row ${position + 1} of the ${shown} rows shown; step ${t.stepIndex + 1} of the ${t.steps.length} steps of the trace`}
        >
          {position >= 0 ? position + 1 : '–'}/{shown}
        </span>
        <select
          aria-label="Playback speed"
          value={t.speed}
          onChange={(e) => t.setSpeed(Number(e.target.value))}
          className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900"
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
        <EventLevelControls />
      </div>
    </div>
  );
}

/** One segment per packet of the trace (ARP request, echo request, ...), sized by its steps. */
function PacketStrip() {
  const steps = useTraceStore((s) => s.steps);
  const trace = useTraceStore((s) => s.trace);
  const current = useTraceStore((s) => s.currentStep);
  const selectStep = useTraceStore((s) => s.selectStep);
  const visible = useTraceStore((s) => s.visible);
  const packets = useMemo(() => {
    const out: {
      index: number;
      label: string;
      first: number;
      count: number;
      dropped: boolean;
      path: string;
    }[] = [];
    for (const step of steps) {
      const last = out.at(-1);
      if (last && last.index === step.packetIndex) last.count++;
      else {
        const packet = trace?.packets[step.packetIndex];
        out.push({
          index: step.packetIndex,
          label: step.packetLabel,
          first: step.index,
          count: 1,
          dropped: packet?.verdict.outcome === 'dropped',
          path: packet?.path ?? 'none',
        });
      }
    }
    // Sized by the rows the list shows, so the strip lines up with the scrub bar below it.
    const shown = new Map<number, number>();
    for (const i of visible) shown.set(steps[i].packetIndex, (shown.get(steps[i].packetIndex) ?? 0) + 1);
    for (const p of out) p.count = shown.get(p.index) ?? 0;
    return out.filter((p) => p.count > 0);
  }, [steps, trace, visible]);
  const here = packets.find((p) => p.index === current?.packetIndex);
  return (
    <div
      className="flex items-center"
      data-testid="packet-strip"
      title={here ? `packet ${packets.indexOf(here) + 1}/${packets.length}: ${here.label}` : undefined}
    >
      <div className="flex h-1.5 min-w-0 flex-1 gap-0.5">
        {packets.map((p) => (
          <button
            key={p.index}
            type="button"
            title={`${p.label}${p.dropped ? ' (dropped)' : ''} · ${p.path} path`}
            aria-label={`Go to ${p.label}`}
            onClick={() => selectStep(p.first)}
            className={`h-full rounded-sm ${p.dropped ? 'bg-rose-500' : 'bg-emerald-500'} ${
              p.index === current?.packetIndex
                ? 'opacity-100 ring-2 ring-sky-500 ring-offset-1 dark:ring-offset-slate-950'
                : 'opacity-50 hover:opacity-80'
            }`}
            style={{ flex: `${p.count} 1 0` }}
          />
        ))}
      </div>
    </div>
  );
}

function Icon({ d }: { d: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      className="h-3.5 w-3.5 fill-current stroke-current"
      strokeWidth={1.5}
      aria-hidden="true"
    >
      <path d={d} />
    </svg>
  );
}

/** The same datacenter, the canvas layout aside (edits replace what they change, so identity tells). */
function sameDatacenter(a: TopologyDocument, b: TopologyDocument): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('layout');
  keys.delete('flows'); // the list of flows is the trace panel's, not the datacenter
  for (const key of keys)
    if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  return true;
}
