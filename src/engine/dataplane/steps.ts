// What the data plane modules share: packets in buffers with headroom, and where a trace step
// happened (its frame is a copy of the bytes after it).
import type { HostRt, PortRt } from './runtime';
import type { TraceWhere } from './trace-types';

/** Bytes in front of every frame: encapsulation prepends its headers there without copying. */
export const HEADROOM = 128;

/** A frame in a buffer with headroom, so encapsulation prepends without copying the payload. */
export interface Pkt {
  buf: Uint8Array;
  off: number;
  len: number;
}

export const portWhere = (p: PortRt): TraceWhere => ({
  hostId: p.host.id,
  hostName: p.host.name,
  portId: p.id,
  vm: p.label,
  vmId: p.resolved.vm.id,
});

/**
 * `where` with more fields. Not `{ ...where, layer }`: an object spread followed by more
 * properties takes V8's slow path (Node 20: ~15x slower than this), once per traced step.
 */
export const whereWith = (where: TraceWhere, more: TraceWhere): TraceWhere => Object.assign({}, where, more);

export const hostWhere = (h: HostRt): TraceWhere => ({ hostId: h.id, hostName: h.name });

/** The `where` of an untraced step: only trace nodes read it, so untraced packets build none. */
export const NO_WHERE: TraceWhere = Object.freeze({});

export const copyOf = (pkt: Pkt): Uint8Array => pkt.buf.slice(pkt.off, pkt.off + pkt.len);

export function pktOf(frame: Uint8Array): Pkt {
  const buf = new Uint8Array(HEADROOM + frame.length + 64);
  buf.set(frame, HEADROOM);
  return { buf, off: HEADROOM, len: frame.length };
}
