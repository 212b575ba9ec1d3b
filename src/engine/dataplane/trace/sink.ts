// Where the forwarder's typed events go. Untraced packets use `NULL_SINK` (`on` is false: the
// pieces build no event, no string, no node); a trace uses a `TreeSink` with a root, which renders each event
// into a node of the trace tree. A piece that groups steps (a VFP stage, a replicated copy)
// opens its node and closes it after; everything else lands under the current one.
import type { HnvMode } from '../../model/schema';
import type { TraceNode, TraceWhere } from '../trace-types';
import type { TraceEvent } from './events';
import { renderEvent } from './render';

export interface TraceSink {
  /** False for untraced packets: emit nothing, build nothing. */
  readonly on: boolean;
  /** Record a step under the current node. */
  emit(e: TraceEvent, where: TraceWhere, frame?: Uint8Array, aside?: boolean): void;
  /** Record a step and make it the current node until `close`. */
  open(e: TraceEvent, where: TraceWhere, frame?: Uint8Array): void;
  close(): void;
  /** A frame that crossed a wire or port (the trace's pcap). */
  frame(where: string, frame: Uint8Array): void;
}

/**
 * Builds the trace tree under a packet's root node; with no root it is the null sink. One class
 * for both, so the data plane's `sink.on` checks see one object shape (a monomorphic load).
 */
export class TreeSink implements TraceSink {
  readonly on: boolean;
  private stack: TraceNode[];

  constructor(
    root: TraceNode | null,
    private readonly frames: { where: string; frame: Uint8Array }[],
    /** Whose words the trace uses: VFP's (v2) or those of the WS2012 R2 HNV filter (v1). */
    private readonly mode: HnvMode = 'v2',
  ) {
    this.on = root !== null;
    this.stack = root ? [root] : [];
  }

  private add(e: TraceEvent, where: TraceWhere, frame?: Uint8Array, aside?: boolean): TraceNode {
    const node = renderEvent(e, where, this.mode);
    if (frame) node.frame = frame;
    if (aside) node.aside = true;
    this.stack[this.stack.length - 1].children.push(node);
    return node;
  }

  emit(e: TraceEvent, where: TraceWhere, frame?: Uint8Array, aside?: boolean): void {
    this.add(e, where, frame, aside);
  }

  open(e: TraceEvent, where: TraceWhere, frame?: Uint8Array): void {
    this.stack.push(this.add(e, where, frame));
  }

  close(): void {
    if (this.stack.length > 1) this.stack.pop();
  }

  frame(where: string, frame: Uint8Array): void {
    this.frames.push({ where, frame });
  }
}

/** The sink of untraced packets: records nothing. */
export const NULL_SINK: TraceSink = new TreeSink(null, []);
