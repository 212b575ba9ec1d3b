// The engine's API as the UI sees it: plain async functions over plain data. The worker
// exposes this object with comlink (engine.worker.ts); tests call it directly, no worker.
// Everything that computes network behaviour or touches bytes runs here, off the UI thread.

import { lookupRecordsToSet } from '../engine/controller/manualPolicy.ts';
import {
  type ClockResult,
  type ConvergenceResult,
  type ConvergenceTraceRequest,
  createEngine,
  type DeliveryResult,
  type FlowCounters,
  type HostTables,
  type LoadResult,
  type ProgressSink,
  type ShellResult,
  type ShellSession,
  type Trace,
  type TraceRequest,
  type TupleRequest,
  type TupleResult,
  type UpdateOptions,
  type UpdateResult,
} from '../engine/index.ts';
import {
  newRoutingDomainId,
  nextFreeCa,
  nextFreeMac,
  nextFreeProviderAddresses,
  nextFreeVsid,
} from '../engine/model/allocate.ts';
import type { ManualLookupRecord, TopologyDocument } from '../engine/model/schema.ts';
import {
  type AddTenantOptions,
  type AddTenantSummary,
  tryAddTenantNetworks,
} from '../engine/model/tenants.ts';
import {
  decodeFrame,
  type FrameEnvelope,
  frameEnvelope,
  readPcap,
  sampleFrames,
  writePcap,
} from '../engine/wire/index.ts';
import type { DecodedFrame } from '../engine/wire/types.ts';
import { documentIoApi } from './documentIo.ts';
import { engineSamples } from './samples.ts';

// One engine per worker. A crash loses it; the client re-seeds a new worker with `load`.
const engineInstance = createEngine();

export interface SampleFrame {
  id: string;
  title: string;
  description: string;
  bytes: Uint8Array;
}

/** One frame of an imported capture, decoded. */
export interface CapturedFrame {
  index: number; // 1-based, as Wireshark numbers frames
  timestampUs: number; // microseconds since the epoch (may be fractional-less)
  bytes: Uint8Array;
  frame: DecodedFrame;
}

export interface PcapImport {
  frames: CapturedFrame[];
  /** Set when the file is not a classic pcap or is damaged; frames read before the damage are kept. */
  error?: string;
}

export interface PcapFrameInput {
  bytes: Uint8Array;
  /** Microseconds since the epoch; defaults to one millisecond apart from a fixed start. */
  timestampUs?: number;
}

const api = {
  /** Import, export and share links (migrate + validate): see documentIo.ts. */
  ...documentIoApi,
  /** Liveness probe used by the client's watchdog. */
  async ping(): Promise<'pong'> {
    return 'pong';
  },

  /** Validate and compile a document; replaces whatever was loaded. `onProgress` hears the phases. */
  async load(doc: unknown, onProgress?: ProgressSink): Promise<LoadResult> {
    return engineInstance.load(doc, onProgress);
  },

  /** Push only what changed since the last load/update (loads when nothing is loaded). */
  async update(doc: unknown, options?: UpdateOptions, onProgress?: ProgressSink): Promise<UpdateResult> {
    return engineInstance.update(doc, options, onProgress);
  },

  /** Staged convergence: the updates still in flight reach their hosts (the next trace shows them). */
  async deliverPendingUpdates(): Promise<DeliveryResult> {
    return engineInstance.deliverPendingUpdates();
  },

  /** Replay a move on a scratch data plane: a packet during convergence, the update, the retry. */
  async traceConvergence(request: ConvergenceTraceRequest): Promise<ConvergenceResult> {
    return engineInstance.traceConvergence(request);
  },

  /** Allocation helpers: the next free CA / MAC / PAs / VSID / GUID / id of a document. */
  async nextFreeCa(doc: TopologyDocument, virtualSubnetId: string): Promise<string | undefined> {
    return nextFreeCa(doc, virtualSubnetId);
  },
  async nextFreeMac(doc: TopologyDocument): Promise<string | undefined> {
    return nextFreeMac(doc);
  },
  async nextFreeProviderAddresses(
    doc: TopologyDocument,
    hostOrLogicalSubnetId: string,
    count: number,
  ): Promise<string[] | undefined> {
    return nextFreeProviderAddresses(doc, hostOrLogicalSubnetId, count);
  },
  /** HNVv1: the lookup records the controller would push now, to hand over to PowerShell. */
  async lookupRecordsToSet(doc: TopologyDocument): Promise<ManualLookupRecord[]> {
    return lookupRecordsToSet(doc);
  },

  async nextFreeVsid(doc: TopologyDocument): Promise<number | undefined> {
    return nextFreeVsid(doc);
  },
  async newRoutingDomainId(doc: TopologyDocument): Promise<string> {
    return newRoutingDomainId(doc);
  },
  /** The same, as a dry run: how many tenants fit and why the next one fails; the document is not returned. */
  async tryAddTenantNetworks(doc: TopologyDocument, options: AddTenantOptions): Promise<AddTenantSummary> {
    return tryAddTenantNetworks(doc, options);
  },

  async trace(request: TraceRequest): Promise<Trace> {
    return engineInstance.trace(request);
  },

  async send(flow: TraceRequest, n: number): Promise<FlowCounters> {
    return engineInstance.send(flow, n);
  },

  async hostTables(hostId: string): Promise<HostTables | null> {
    return engineInstance.hostTables(hostId);
  },

  async resetState(): Promise<void> {
    engineInstance.resetState();
  },

  /** Let time pass on the lab's clock: idle connections of the stateful firewall expire. */
  async advanceClock(seconds: number): Promise<ClockResult> {
    return engineInstance.advanceClock(seconds);
  },

  /** One console line against the loaded document; a change comes back for the UI to apply (undoably). */
  async shell(line: string, session: ShellSession): Promise<ShellResult> {
    return engineInstance.shell(line, session);
  },

  /** Test-SdnVfpPortTuple: a 5-tuple through a port's VFP groups (a scratch data plane). */
  async testTuple(request: TupleRequest): Promise<TupleResult> {
    return engineInstance.testTuple(request);
  },

  async completeShell(line: string): Promise<string[]> {
    return engineInstance.completeShell(line);
  },

  async decode(bytes: Uint8Array): Promise<DecodedFrame> {
    return decodeFrame(bytes);
  },

  /** What each frame is from outside (tunnel, VNI, PAs, tag, inner packet): the canvas's envelope. */
  async envelopes(frames: Uint8Array[]): Promise<FrameEnvelope[]> {
    return frames.map(frameEnvelope);
  },

  /**
   * The inspector's sample frames. With a document: what the engine sends for a ping through
   * it (see samples.ts); without one, or when the document cannot ping, the codec's hand-built
   * golden frames.
   */
  async samples(doc?: TopologyDocument): Promise<SampleFrame[]> {
    const made = doc ? await engineSamples(doc) : null;
    if (made) return made;
    return sampleFrames().map((s) => ({
      id: s.id,
      title: s.title,
      description: s.description,
      bytes: s.bytes,
    }));
  },

  async importPcap(file: Uint8Array): Promise<PcapImport> {
    return importPcapBytes(file);
  },

  async exportPcap(frames: PcapFrameInput[]): Promise<Uint8Array> {
    return exportPcapBytes(frames);
  },

  /**
   * Test hook: kill this worker the way a real crash would (an uncaught error, then the
   * worker is gone). The client must restart and re-seed it. Never called by the UI.
   */
  async __crashForTest(): Promise<void> {
    setTimeout(() => {
      const scope = globalThis as unknown as { close?: () => void };
      scope.close?.();
      throw new Error('HNV Lab: simulated engine crash (test hook)');
    }, 0);
  },
};

export type EngineApi = typeof api;
export { api };

const START_US = Date.UTC(2026, 0, 1) * 1000;

function importPcapBytes(file: Uint8Array): PcapImport {
  try {
    const read = readPcap(file);
    const frames: CapturedFrame[] = read.records.map((r, i) => ({
      index: i + 1,
      timestampUs: r.timestampMicros,
      bytes: r.data,
      frame: decodeFrame(r.data),
    }));
    const problems = read.issues.filter((x) => x.severity === 'error');
    if (read.linkType !== undefined && read.linkType !== 1) {
      problems.unshift({
        code: 'link-type',
        severity: 'error',
        start: 20,
        length: 4,
        message: `link type ${read.linkType} is not Ethernet: frames are shown as Ethernet anyway`,
      });
    }
    return problems.length ? { frames, error: problems.map((x) => x.message).join('; ') } : { frames };
  } catch (e) {
    return { frames: [], error: e instanceof Error ? e.message : String(e) };
  }
}

function exportPcapBytes(frames: PcapFrameInput[]): Uint8Array {
  return writePcap(
    frames.map((f, i) => ({ data: f.bytes, timestampMicros: f.timestampUs ?? START_US + i * 1000 })),
  );
}
