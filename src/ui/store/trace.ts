// The trace store: what was asked, what the engine answered, which step is selected, the
// playback, and which frame the inspector shows.
//
// Shape (read by the canvas to animate the packet):
//   steps: TraceStep[]            every node of the trace tree, depth first, packet by packet
//   stepIndex: number             -1 before a trace; else the selected step
//   currentStep: TraceStep | null steps[stepIndex]
//   TraceStep = {
//     index, packetIndex, packetLabel ('ARP request', 'ICMP echo request' ...), depth,
//     kind ('packet'|'hop'|'stage'|'rule'|'lookup'|'action'|'flow-cache'|'output'|'deliver'|'drop'|'control-plane'),
//     title, where: TraceWhere {hostId, hostName, portId, vm, vmId, layer, group, ruleId,
//                               routerId, routerName, logicalSubnetId, logicalSubnetName},
//     frame?: Uint8Array  the packet as it is at this step (carried forward from the last step that had one),
//     frameIsOwn: boolean whether this step itself changed/carried the frame,
//     path: 'slow'|'fast'|'none', origin?: string, lookup?: {table, key, result},
//     dropped: boolean, reason?: string, node: the engine's TraceNode without children
//   }
//   frameSource: 'samples' | 'trace' | 'pcap'   what the inspector shows
// Only the canvas reads `currentStep.where`; nothing here computes network behaviour.
import { create } from 'zustand';
import type {
  FlowCounters,
  PacketPath,
  Trace,
  TraceNode,
  TraceNodeKind,
  TraceRequest,
  TraceWhere,
} from '../../engine/index';
import type { TopologyDocument } from '../../engine/model/schema';
import { scenarioById } from '../../scenarios';
import type { CapturedFrame, SampleFrame } from '../../worker/api';
import { engine, syncDocument } from '../../worker/client';
import {
  defaultPacketModes,
  type EventFilter,
  type EventLevel,
  type EventRow,
  type EventView,
  eventRows,
  type PacketMode,
  visibleSteps,
} from '../trace/eventList';

/** A trace node without its children (the union kept discriminated). */
export type TraceStepNode = TraceNode extends infer N
  ? N extends TraceNode
    ? Omit<N, 'children'>
    : never
  : never;

export type FrameSource = 'samples' | 'trace' | 'pcap';

export interface TraceStep {
  index: number;
  packetIndex: number;
  packetLabel: string;
  depth: number;
  kind: TraceNodeKind;
  title: string;
  where: TraceWhere;
  frame?: Uint8Array;
  frameIsOwn: boolean;
  /** The frame is a side exchange's (PA ARP), not the packet's: it is not carried forward or diffed against. */
  aside: boolean;
  path: PacketPath;
  origin?: string;
  lookup?: { table: string; key: string; result: string | null };
  dropped: boolean;
  reason?: string;
  node: TraceStepNode;
}

export interface PcapState {
  name: string;
  frames: CapturedFrame[];
  error?: string;
}

export type TraceStatus = 'idle' | 'running' | 'done' | 'error';

/** One side of a what-if: a trace and its steps. */
export interface TraceSide {
  trace: Trace;
  steps: TraceStep[];
}

/** The same packet on the document before an edit and after it. */
export interface WhatIf {
  before: TraceSide;
  after: TraceSide;
}

export interface TraceState {
  request: TraceRequest | null;
  status: TraceStatus;
  error: string | null;
  trace: Trace | null;
  /** The document the trace ran on: a later edit makes the trace stale (null: not from this document). */
  tracedDoc: TopologyDocument | null;
  steps: TraceStep[];
  stepIndex: number;
  currentStep: TraceStep | null;
  playing: boolean;
  /** Steps per second. */
  speed: number;
  frameSource: FrameSource;
  samples: SampleFrame[];
  sampleId: string;
  pcap: PcapState | null;
  pcapIndex: number;
  /**
   * Counters of the last `sendMore` batch (untraced packets of the same flow): what that batch
   * alone did; `batch` numbers the batches sent since the trace ran (1, 2, ...).
   */
  counters: { sent: number; batch: number; result: FlowCounters } | null;
  /** A `sendMore` batch is on its way (the button waits: batches never overlap). */
  sending: boolean;
  /** Bumped whenever the engine's state may have changed (trace, send): tables re-read. */
  engineEpoch: number;
  /** The event list: level, filters and each packet's fold; `rows` per step, `visible` the shown steps. */
  view: EventView;
  rows: EventRow[];
  visible: number[];
  /** The last what-if (before/after an edit), shown until closed or the next trace. */
  whatIf: WhatIf | null;

  runTrace(request: TraceRequest, doc: TopologyDocument): Promise<void>;
  /** Show a trace computed elsewhere (the convergence replay), opening on `openAt` or its first drop. */
  showTrace(trace: Trace, openAt?: number): void;
  clearTrace(): void;
  /** Send n more packets of the traced flow, untraced: the fast path at work. */
  sendMore(n: number): Promise<void>;
  selectStep(index: number): void;
  stepBy(delta: number): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
  setFrameSource(source: FrameSource): void;
  loadSamples(): Promise<void>;
  selectSample(id: string): void;
  setPcap(pcap: PcapState): void;
  selectPcapFrame(index: number): void;
  /** Summary or detail for every packet (their folds reset). */
  setLevel(level: EventLevel): void;
  toggleFilter(filter: EventFilter): void;
  setFiltersOpen(open: boolean): void;
  /** Show every protocol and every kind of detail again. */
  clearFilters(): void;
  setPacketMode(packetIndex: number, mode: PacketMode): void;
  /** Run the traced packet again on `doc` and keep the old trace beside the new one. */
  runWhatIf(doc: TopologyDocument): Promise<void>;
  closeWhatIf(): void;
}

/** Flatten a trace's packets into the timeline, carrying the last frame forward. */
export function flattenTrace(trace: Trace): TraceStep[] {
  const steps: TraceStep[] = [];
  trace.packets.forEach((packet, packetIndex) => {
    let frame: Uint8Array | undefined;
    const walk = (node: TraceNode, depth: number) => {
      const { children, ...rest } = node;
      const stepNode = rest as TraceStepNode;
      const own = node.frame !== undefined;
      const aside = own && node.aside === true;
      if (own && !aside) frame = node.frame;
      let origin: string | undefined;
      let lookup: TraceStep['lookup'];
      let reason: string | undefined;
      let path: TraceStep['path'] = packet.path;
      if (node.kind === 'rule') origin = node.origin;
      if (node.kind === 'lookup') {
        origin = node.origin;
        lookup = { table: node.table, key: node.key, result: node.result };
      }
      if (node.kind === 'drop') reason = node.reason;
      if (node.kind === 'packet' && node.path) path = node.path;
      if (node.kind === 'flow-cache' && node.event !== 'invalidate')
        path = node.event === 'hit' ? 'fast' : 'slow';
      steps.push({
        index: steps.length,
        packetIndex,
        packetLabel: packet.label,
        depth,
        kind: node.kind,
        title: node.title,
        where: node.where,
        frame: aside ? node.frame : frame,
        frameIsOwn: own,
        aside,
        path,
        origin,
        lookup,
        dropped: node.kind === 'drop',
        reason,
        node: stepNode,
      });
      for (const child of children) walk(child, depth + 1);
    };
    const start = steps.length;
    walk(packet.root, 0);
    // Steps before the packet's first frame (the packet itself, its first stage) show that frame.
    const first = steps.slice(start).find((x) => x.frame)?.frame;
    for (let i = start; i < steps.length && !steps[i].frame; i++) steps[i].frame = first;
  });
  return steps;
}

let playTimer: ReturnType<typeof setTimeout> | undefined;

/** The event list of a new trace: the level and filters kept, each packet's fold from the level. */
function listFor(trace: Trace, steps: TraceStep[], view: EventView) {
  const rows = eventRows(steps, trace.hnvMode === 'v1');
  const next = { ...view, packets: defaultPacketModes(trace, view.level) };
  return { rows, view: next, visible: visibleSteps(rows, next) };
}

/** Where `index` sits among the visible steps: its position, or the next visible one's (between). */
function visiblePosition(visible: number[], index: number): number {
  let lo = 0;
  let hi = visible.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (visible[mid] < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const useTraceStore = create<TraceState>()((set, get) => {
  const at = (index: number) => {
    const { steps } = get();
    const i = steps.length ? Math.max(0, Math.min(steps.length - 1, index)) : -1;
    set({ stepIndex: i, currentStep: i >= 0 ? steps[i] : null });
    // A step picked elsewhere (the canvas, a replay) that the list hides: open its packet's detail.
    const { visible, view, rows } = get();
    if (i >= 0 && !visible.includes(i)) {
      const packets = [...view.packets];
      packets[steps[i].packetIndex] = 'detail';
      const next = { ...view, packets };
      set({ view: next, visible: visibleSteps(rows, next) });
    }
  };
  /** Move `delta` visible rows from the selected step. */
  const move = (delta: number) => {
    const { visible, stepIndex } = get();
    if (!visible.length) return;
    const pos = visiblePosition(visible, stepIndex);
    const here = visible[pos] === stepIndex;
    const target = delta > 0 ? pos + (here ? delta : delta - 1) : pos + delta;
    at(visible[Math.max(0, Math.min(visible.length - 1, target))]);
  };
  const setView = (view: EventView) => set({ view, visible: visibleSteps(get().rows, view) });
  const schedule = () => {
    clearTimeout(playTimer);
    const { playing, speed, stepIndex, visible } = get();
    if (!playing) return;
    if (!visible.length || stepIndex >= visible[visible.length - 1]) {
      set({ playing: false });
      return;
    }
    playTimer = setTimeout(() => {
      move(1);
      schedule();
    }, 1000 / speed);
  };
  return {
    request: null,
    status: 'idle',
    error: null,
    trace: null,
    tracedDoc: null,
    steps: [],
    stepIndex: -1,
    currentStep: null,
    playing: false,
    speed: 2,
    frameSource: 'samples',
    samples: [],
    sampleId: 'vxlan',
    pcap: null,
    pcapIndex: 0,
    counters: null,
    sending: false,
    engineEpoch: 0,
    view: { level: 'summary', hidden: [], packets: [] },
    rows: [],
    visible: [],
    whatIf: null,

    async runTrace(request, doc) {
      clearTimeout(playTimer);
      set({ request, status: 'running', error: null, playing: false, counters: null });
      try {
        const check = await syncDocument(doc);
        if (!check.ok) {
          const first = check.errors[0]?.message ?? 'the document is not valid';
          set({ status: 'error', error: `Fix the topology first: ${first}` });
          return;
        }
        const trace = await engine.trace(request);
        const steps = flattenTrace(trace);
        // A dropped trace opens on its drop, so the reason is the first thing seen.
        const drop = trace.verdict.outcome === 'dropped' ? steps.find((x) => x.dropped) : undefined;
        const first = drop ?? steps[0];
        set({
          trace,
          tracedDoc: doc,
          steps,
          ...listFor(trace, steps, get().view),
          whatIf: null,
          status: 'done',
          frameSource: 'trace',
          stepIndex: first ? first.index : -1,
          currentStep: first ?? null,
          engineEpoch: get().engineEpoch + 1,
        });
      } catch (e) {
        set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
      }
    },
    showTrace(trace, openAt) {
      clearTimeout(playTimer);
      const steps = flattenTrace(trace);
      const first = steps[openAt ?? -1] ?? steps.find((x) => x.dropped) ?? steps[0];
      set({
        request: trace.request,
        trace,
        tracedDoc: null,
        steps,
        ...listFor(trace, steps, get().view),
        whatIf: null,
        status: 'done',
        error: null,
        playing: false,
        counters: null,
        frameSource: 'trace',
        stepIndex: first ? first.index : -1,
        currentStep: first ?? null,
        engineEpoch: get().engineEpoch + 1,
      });
      // A replay may open on a detail step (a stale cached hit): its packet opens to show it.
      if (first) at(first.index);
    },
    async sendMore(n) {
      const { request, trace, sending } = get();
      if (!request || sending) return;
      set({ sending: true });
      try {
        const result = await engine.send(request, n);
        // A trace that ran meanwhile starts the batch count again.
        const batch = get().trace === trace ? (get().counters?.batch ?? 0) + 1 : 1;
        set({ counters: { sent: n, batch, result }, engineEpoch: get().engineEpoch + 1 });
      } catch (e) {
        set({ error: e instanceof Error ? e.message : String(e) });
      } finally {
        set({ sending: false });
      }
    },
    clearTrace() {
      clearTimeout(playTimer);
      set({
        trace: null,
        tracedDoc: null,
        steps: [],
        rows: [],
        visible: [],
        whatIf: null,
        stepIndex: -1,
        currentStep: null,
        playing: false,
        status: 'idle',
        error: null,
        counters: null,
        frameSource: get().frameSource === 'trace' ? 'samples' : get().frameSource,
      });
    },
    selectStep(index) {
      at(index);
      if (get().frameSource !== 'trace' && get().steps.length) set({ frameSource: 'trace' });
    },
    stepBy(delta) {
      set({ playing: false });
      clearTimeout(playTimer);
      move(delta);
    },
    play() {
      const { visible, stepIndex } = get();
      if (!visible.length) return;
      if (stepIndex >= visible[visible.length - 1]) at(visible[0]);
      set({ playing: true, frameSource: 'trace' });
      schedule();
    },
    pause() {
      clearTimeout(playTimer);
      set({ playing: false });
    },
    togglePlay() {
      if (get().playing) get().pause();
      else get().play();
    },
    setSpeed(speed) {
      set({ speed });
      schedule();
    },
    setFrameSource(frameSource) {
      set({ frameSource });
    },
    async loadSamples() {
      if (get().samples.length) return;
      // Made by the engine from the multi-tenant scenario (Contoso Web pings SQL), in the worker.
      const samples = await engine.samples(scenarioById('multi-tenant')?.document);
      set({ samples });
    },
    selectSample(sampleId) {
      set({ sampleId, frameSource: 'samples' });
    },
    setPcap(pcap) {
      set({ pcap, pcapIndex: 0, frameSource: 'pcap' });
    },
    selectPcapFrame(pcapIndex) {
      set({ pcapIndex, frameSource: 'pcap' });
    },
    setLevel(level) {
      const { trace, view } = get();
      setView({ ...view, level, packets: trace ? defaultPacketModes(trace, level) : [] });
    },
    toggleFilter(filter) {
      const { view } = get();
      const hidden = view.hidden.includes(filter)
        ? view.hidden.filter((f) => f !== filter)
        : [...view.hidden, filter];
      setView({ ...view, hidden });
    },
    setFiltersOpen(filtersOpen) {
      set({ view: { ...get().view, filtersOpen } });
    },
    clearFilters() {
      setView({ ...get().view, hidden: [] });
    },
    setPacketMode(packetIndex, mode) {
      const { view } = get();
      const packets = [...view.packets];
      packets[packetIndex] = mode;
      setView({ ...view, packets });
    },
    async runWhatIf(doc) {
      const { request, trace, steps } = get();
      if (!request || !trace) return;
      const before = { trace, steps };
      await get().runTrace(request, doc);
      const after = get();
      if (after.status === 'done' && after.trace && after.trace !== trace)
        set({ whatIf: { before, after: { trace: after.trace, steps: after.steps } } });
    },
    closeWhatIf() {
      set({ whatIf: null });
    },
  };
});

/** The bytes the inspector shows, and the previous trace step's frame for the diff. */
export function selectInspectedFrame(s: TraceState): {
  bytes: Uint8Array | undefined;
  previous: Uint8Array | undefined;
  label: string;
} {
  if (s.frameSource === 'trace' && s.currentStep) {
    const step = s.currentStep;
    // The diff compares with the last earlier step of the same packet whose frame differs (a
    // side exchange's frame, such as PA ARP, only with the exchange's previous frame).
    let previous: Uint8Array | undefined;
    for (let i = step.index - 1; i >= 0; i--) {
      const p = s.steps[i];
      if (p.packetIndex !== step.packetIndex) break;
      if (p.aside !== step.aside) continue;
      if (p.frame && p.frame !== step.frame) {
        previous = p.frame;
        break;
      }
    }
    return { bytes: step.frame, previous, label: `${step.packetLabel} · step ${step.index + 1}` };
  }
  if (s.frameSource === 'pcap' && s.pcap?.frames.length) {
    const f = s.pcap.frames[Math.min(s.pcapIndex, s.pcap.frames.length - 1)];
    return { bytes: f.bytes, previous: undefined, label: `${s.pcap.name} · frame ${f.index}` };
  }
  const sample = s.samples.find((x) => x.id === s.sampleId) ?? s.samples[0];
  return { bytes: sample?.bytes, previous: undefined, label: sample?.title ?? '' };
}
