// The packet inspector: header tree, hex dump, envelope and diff over one decoded frame.
// The frame comes from the built-in samples (the first screen), the selected trace step,
// or an imported pcap (drop a file on the panel or use "Import pcap").
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TopologyDocument } from '../../engine/model/schema';
import type { DecodedFrame } from '../../engine/wire/types';
import { engine } from '../../worker/client';
import { colorForVsid } from '../colors';
import { useDocumentStore } from '../store/document';
import { selectInspectedFrame, useTraceStore } from '../store/trace';
import { annotateFrame } from './annotate';
import { DiffView } from './DiffView';
import { diffFrames } from './diff';
import { EnvelopeView } from './EnvelopeView';
import { HeaderTree } from './HeaderTree';
import { type ByteRange, HexDump } from './HexDump';
import { deepestFieldAt, type FlatField, fieldsById, flattenFrame } from './model';
import { useDecoded } from './useDecoded';

export interface InspectorPanelProps {
  /** The current topology, for "what this value means here". Defaults to the document store's. */
  document?: TopologyDocument | null;
}

function vsidOf(frame: DecodedFrame | null): number | undefined {
  if (!frame) return undefined;
  for (const l of frame.layers) {
    for (const f of l.fields) {
      if (f.key === 'vxlan.vni' && typeof f.value === 'number') return f.value;
      for (const c of f.children ?? [])
        if (c.key === 'nvgre.vsid' && typeof c.value === 'number') return c.value;
    }
  }
  return undefined;
}

function vsidOfVm(doc: TopologyDocument | null | undefined, vmId: string | undefined): number | undefined {
  if (!doc || !vmId) return undefined;
  const vm = doc.vms.find((v) => v.id === vmId);
  const subnetId = vm?.nics[0]?.virtualSubnetId;
  return doc.virtualSubnets.find((s) => s.id === subnetId)?.vsid;
}

export function InspectorPanel({ document: docProp }: InspectorPanelProps) {
  const storeDoc = useDocumentStore((s) => s.doc);
  const document = docProp ?? storeDoc;
  const store = useTraceStore(
    useShallow((s) => ({
      frameSource: s.frameSource,
      samples: s.samples,
      sampleId: s.sampleId,
      pcap: s.pcap,
      pcapIndex: s.pcapIndex,
      hasTrace: s.steps.length > 0,
      currentStep: s.currentStep,
      loadSamples: s.loadSamples,
      selectSample: s.selectSample,
      setPcap: s.setPcap,
      selectPcapFrame: s.selectPcapFrame,
      setFrameSource: s.setFrameSource,
    })),
  );
  const inspected = useTraceStore(useShallow(selectInspectedFrame));
  const { loadSamples } = store;
  useEffect(() => {
    void loadSamples();
  }, [loadSamples]);

  // In sample mode, an encapsulated sample is compared with the plain ping it carries.
  const sample = store.samples.find((s) => s.id === store.sampleId);
  const plainSample = store.samples.find((s) => s.id === 'icmp-echo');
  const previousBytes =
    store.frameSource === 'samples'
      ? sample && plainSample && sample.id !== 'icmp-echo' && sample.id !== 'arp-request'
        ? plainSample.bytes
        : undefined
      : inspected.previous;

  const { frame, error } = useDecoded(inspected.bytes);
  const { frame: previousFrame } = useDecoded(previousBytes);
  const bytes = inspected.bytes;

  const [hoverField, setHoverField] = useState<string | null>(null);
  const [hoverLayer, setHoverLayer] = useState<number | null>(null);
  // The selection is kept as (key, occurrence counted from the innermost) so it follows the
  // field from step to step even when an envelope is added or removed (that shifts every id).
  const [selection, setSelection] = useState<{ key: string; nth: number } | null>(null);
  const [follow, setFollow] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [importError, setImportError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const byId = useMemo(() => (frame ? fieldsById(frame) : new Map<string, FlatField>()), [frame]);
  const fromTrace = store.frameSource === 'trace';
  const annotations = useMemo(
    () =>
      frame && fromTrace
        ? annotateFrame(frame, document, { vsid: vsidOfVm(document, store.currentStep?.where.vmId) })
        : new Map<string, string>(),
    [frame, fromTrace, document, store.currentStep],
  );
  const diff = useMemo(
    () => (frame && previousFrame && previousBytes ? diffFrames(previousFrame, frame) : null),
    [frame, previousFrame, previousBytes],
  );
  const changedIds = useMemo(() => new Set(diff?.changes.map((c) => c.fieldId) ?? []), [diff]);
  const changedBytes = useMemo(() => {
    const out = new Set<number>();
    for (const id of changedIds) {
      const f = byId.get(id);
      if (f) for (let i = f.node.start; i < f.node.start + f.node.length; i++) out.add(i);
    }
    return out;
  }, [changedIds, byId]);

  const flat = useMemo(() => (frame ? flattenFrame(frame) : []), [frame]);
  const selected = useMemo(() => {
    if (!selection) return null;
    const same = flat.filter((f) => f.node.key === selection.key);
    return same[same.length - 1 - selection.nth]?.id ?? null;
  }, [flat, selection]);
  const setSelected = useCallback(
    (id: string | null) => {
      const f = id ? flat.find((x) => x.id === id) : undefined;
      if (!f) {
        setSelection(null);
        return;
      }
      const same = flat.filter((x) => x.node.key === f.node.key);
      const nth = same.length - 1 - same.indexOf(f);
      setSelection((old) =>
        old && old.key === f.node.key && old.nth === nth ? null : { key: f.node.key, nth },
      );
    },
    [flat],
  );
  const activeField = hoverField ?? (hoverLayer === null ? selected : null);
  let highlight: ByteRange | null = null;
  const activeNode = activeField ? byId.get(activeField)?.node : undefined;
  if (activeNode) {
    highlight = { start: activeNode.start, end: activeNode.start + activeNode.length };
  } else if (hoverLayer !== null && frame?.layers[hoverLayer]) {
    const l = frame.layers[hoverLayer];
    highlight = { start: l.start, end: l.start + l.headerLength };
  }

  const onHoverByte = useCallback(
    (offset: number | null) => {
      setFollow(offset !== null);
      setHoverField(offset === null || !frame ? null : (deepestFieldAt(frame, offset) ?? null));
    },
    [frame],
  );
  const onClickByte = useCallback(
    (offset: number) => {
      if (frame) setSelected(deepestFieldAt(frame, offset) ?? null);
    },
    [frame, setSelected],
  );
  const onHoverTree = useCallback((id: string | null) => {
    setFollow(false);
    setHoverField(id);
  }, []);

  const importFile = async (file: File) => {
    setImportError(null);
    const data = new Uint8Array(await file.arrayBuffer());
    const result = await engine.importPcap(data);
    if (!result.frames.length) {
      setImportError(`${file.name}: ${result.error ?? 'no frames in this file'}`);
      return;
    }
    if (result.error) setImportError(`${file.name}: ${result.error}`);
    store.setPcap({ name: file.name, frames: result.frames, error: result.error });
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void importFile(file);
  };

  const vsid = vsidOf(frame);
  const vsidColor = vsid !== undefined ? colorForVsid(vsid, document) : undefined;
  const step = store.currentStep;

  return (
    <section
      aria-label="Packet inspector"
      data-testid="inspector"
      className="@container relative flex h-full min-h-0 flex-col bg-white text-slate-800 dark:bg-slate-950 dark:text-slate-100"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-1.5 dark:border-slate-800">
        <h2 className="mr-1 shrink-0 text-[13px] font-semibold">Inspector</h2>
        <div
          className="flex rounded-md border border-slate-300 text-[12px] dark:border-slate-700"
          role="tablist"
        >
          {(
            [
              ['samples', 'Samples', true],
              ['trace', 'Trace step', store.hasTrace],
              ['pcap', 'Capture', Boolean(store.pcap)],
            ] as const
          ).map(([id, label, enabled]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={store.frameSource === id}
              disabled={!enabled}
              onClick={() => store.setFrameSource(id)}
              className={`px-2 py-0.5 whitespace-nowrap first:rounded-l-md last:rounded-r-md disabled:opacity-40 ${
                store.frameSource === id
                  ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900'
                  : 'hover:bg-slate-100 dark:hover:bg-slate-800'
              }`}
            >
              {label}
            </button>
          ))}
        </div>
        {store.frameSource === 'samples' && (
          <div className="flex min-w-0 gap-1 overflow-x-auto" data-testid="sample-picker">
            {store.samples.map((s) => (
              <button
                key={s.id}
                type="button"
                data-sample={s.id}
                aria-pressed={s.id === store.sampleId}
                onClick={() => store.selectSample(s.id)}
                title={s.title}
                className={`shrink-0 rounded-full border px-1.5 py-0.5 text-[12px] whitespace-nowrap ${
                  s.id === store.sampleId
                    ? 'border-sky-600 bg-sky-600 text-white'
                    : 'border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800'
                }`}
              >
                {SAMPLE_LABELS[s.id] ?? s.title}
              </button>
            ))}
          </div>
        )}
        {store.frameSource === 'pcap' && store.pcap && (
          <label className="flex min-w-0 items-center gap-1.5 text-[12px]">
            <span className="max-w-40 truncate text-slate-500">{store.pcap.name}</span>
            <select
              data-testid="pcap-frame"
              value={store.pcapIndex}
              onChange={(e) => store.selectPcapFrame(Number(e.target.value))}
              className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900"
            >
              {store.pcap.frames.map((f, i) => (
                <option key={f.index} value={i}>
                  #{f.index} · {f.bytes.length} B · {f.frame.layers.map((l) => l.protocol).join('/')}
                </option>
              ))}
            </select>
            <span className="text-slate-500">of {store.pcap.frames.length}</span>
          </label>
        )}
        {store.frameSource === 'trace' && step && (
          <span className="min-w-0 truncate text-[12px] text-slate-500">{inspected.label}</span>
        )}
        <div className="ml-auto flex shrink-0 items-center gap-2">
          <button
            type="button"
            onClick={() => fileInput.current?.click()}
            className="rounded-md border border-slate-300 px-2.5 py-0.5 text-[12px] hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            title="Open a classic libpcap file (Ethernet), or drop one on the inspector"
          >
            Import pcap
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".pcap,.cap,application/vnd.tcpdump.pcap"
            className="hidden"
            data-testid="pcap-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void importFile(file);
              e.target.value = '';
            }}
          />
        </div>
      </header>

      <div className="flex min-h-[1.5rem] items-center gap-2 px-3 py-1 text-[12px] text-slate-600 dark:text-slate-300 [&>span]:truncate">
        {store.frameSource === 'samples' && sample && (
          <span>
            <strong className="text-slate-800 dark:text-slate-100">{sample.title}.</strong>{' '}
            {sample.description}
          </span>
        )}
        {store.frameSource === 'trace' && step && (
          <span className={step.dropped ? 'font-medium text-rose-600' : ''}>
            <strong>{step.title}</strong>
            {!step.frameIsOwn && step.frame ? ' · this step does not change the frame' : ''}
            {!step.frame ? ' — no frame at this step yet' : ''}
          </span>
        )}
        {importError && (
          <span className="text-rose-600" role="alert">
            {importError}
          </span>
        )}
        {error && <span className="text-rose-600">{error}</span>}
      </div>

      {frame && bytes ? (
        <div className="grid min-h-0 flex-1 grid-cols-[minmax(0,1fr)_22rem] gap-3 overflow-hidden px-3 pb-2 @min-[56rem]:grid-cols-[minmax(0,1fr)_25rem] @min-[70rem]:grid-cols-[minmax(0,1fr)_33rem]">
          <div className="min-h-0 overflow-auto pr-1">
            <HeaderTree
              frame={frame}
              bytes={bytes}
              annotations={annotations}
              changed={changedIds}
              highlightedId={activeField}
              selectedId={selected}
              follow={follow}
              vsidColor={vsidColor}
              onHover={onHoverTree}
              onSelect={setSelected}
              onHoverLayer={setHoverLayer}
            />
          </div>
          <div className="flex min-h-0 min-w-0 flex-col gap-3 overflow-auto">
            <HexDump
              bytes={bytes}
              frame={frame}
              highlight={highlight}
              changed={changedBytes}
              onHoverByte={onHoverByte}
              onClickByte={onClickByte}
            />
            <div>
              <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">
                Envelope
              </h3>
              <EnvelopeView
                frame={frame}
                vsidColor={vsidColor}
                onPaNetwork={
                  store.frameSource === 'trace' &&
                  Boolean(store.currentStep?.where.logicalSubnetId || store.currentStep?.where.routerId)
                }
                onHoverLayer={setHoverLayer}
              />
            </div>
            {(diff || store.frameSource === 'trace') && (
              <div>
                <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">
                  What changed
                </h3>
                <DiffView
                  diff={diff}
                  against={
                    store.frameSource === 'samples'
                      ? 'the plain ping inside it'
                      : store.currentStep?.aside
                        ? 'the previous frame of this ARP exchange'
                        : 'the previous frame of this packet'
                  }
                  none={
                    store.currentStep?.aside
                      ? 'A side exchange: ARP for the next hop on the physical network. The packet itself waits unchanged.'
                      : undefined
                  }
                  onHover={onHoverTree}
                  onSelect={setSelected}
                />
              </div>
            )}
          </div>
        </div>
      ) : (
        <div className="flex flex-1 items-center justify-center text-[13px] text-slate-500">
          {store.frameSource === 'trace' ? 'This step carries no frame.' : 'Loading frames…'}
        </div>
      )}

      {dragging && (
        <div className="pointer-events-none absolute inset-1 flex items-center justify-center rounded-lg border-2 border-dashed border-sky-500 bg-sky-50/80 text-[14px] font-medium text-sky-700 dark:bg-sky-950/80 dark:text-sky-200">
          Drop a .pcap file to inspect its frames
        </div>
      )}
    </section>
  );
}

const SAMPLE_LABELS: Record<string, string> = {
  'icmp-echo': 'ICMP', // short, so every chip fits the header at 1280 px
  vxlan: 'VXLAN',
  'vxlan-vlan': 'VXLAN+VLAN',
  nvgre: 'NVGRE',
  'arp-request': 'ARP',
};
