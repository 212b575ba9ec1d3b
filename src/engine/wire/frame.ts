// Whole frames: decode by walking the registry from Ethernet; encode all headers outer ->
// inner, then fix lengths and checksums inner -> outer (an outer checksum covers inner bytes).
import { ByteWriter, hex, ipv4ToNumber } from './bytes.ts';
import type { FixupOptions, LayerResult, NextLayer } from './fields.ts';
import { createContext, makeNode } from './fields.ts';
import type { EncodableProtocol } from './registry.ts';
import { codecs, dispatch } from './registry.ts';
import type {
  AnyHeader,
  DecodedFrame,
  DecodedLayer,
  EncodeOptions,
  FieldNode,
  FieldValue,
  LayerSpec,
} from './types.ts';

/** More layers than any sane stack: guards against pathological nesting (VXLAN in VXLAN in ...). */
const MAX_LAYERS = 64;

export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  const ctx = createContext(bytes);
  const layers: DecodedLayer[] = [];
  let next: NextLayer | undefined = { start: 0, end: bytes.length, protocol: 'eth' };
  try {
    while (next && layers.length < MAX_LAYERS) {
      let protocol: EncodableProtocol | undefined = next.protocol as EncodableProtocol | undefined;
      if (!protocol && next.dispatch) {
        const table: ReadonlyMap<number, EncodableProtocol> = dispatch[next.dispatch.table];
        for (const value of next.dispatch.values) {
          protocol = table.get(value);
          if (protocol) break;
        }
        if (!protocol && next.dispatch.table === 'ethertype') {
          const type = next.dispatch.values[0];
          ctx.issues.push({
            code: 'unknown-ethertype',
            severity: 'warning',
            start: next.start - 2,
            length: 2,
            message: `Unknown EtherType 0x${type.toString(16).padStart(4, '0')}: the rest is shown as data`,
          });
        }
      }
      if (layers.length > 0 && next.start >= next.end) {
        // A header said another protocol follows, but no bytes do.
        if (protocol && protocol !== 'data' && !next.quoted && !ctx.quoted) {
          ctx.issues.push({
            code: 'truncated',
            severity: 'error',
            start: next.end,
            length: 0,
            message: `Frame ends where a ${protocol} header should start (offset ${next.start})`,
          });
        }
        break;
      }
      if (next.quoted) ctx.quoted = true;
      const result: LayerResult = codecs[protocol ?? 'data'].decode(bytes, next.start, next.end, ctx);
      // The inspector should say these headers are a quotation, not packets on the wire.
      if (ctx.quoted) result.layer.title += ' (quoted by ICMP)';
      layers.push(result.layer);
      next = result.next;
    }
  } catch (e) {
    // Decoders check bounds themselves; this only keeps a bug from ever reaching the caller.
    ctx.issues.push({
      code: 'decoder-error',
      severity: 'error',
      start: 0,
      length: bytes.length,
      message: `Decoder failed: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  addTrailer(bytes, layers);
  return { length: bytes.length, layers, issues: ctx.issues };
}

/** Ethernet's minimum frame is 60 bytes without FCS: short frames carry padding (or a trailer)
 *  after the last header's payload. Show those bytes under the outer Ethernet header, as tshark does. */
function addTrailer(bytes: Uint8Array, layers: DecodedLayer[]): void {
  if (layers.length < 2 || layers[0].protocol !== 'eth') return;
  let covered = 0;
  for (const l of layers) {
    const last = l.fields[l.fields.length - 1];
    if (last) covered = Math.max(covered, last.start + last.length);
  }
  if (covered >= bytes.length) return;
  const length = bytes.length - covered;
  const value = hex(bytes, covered, bytes.length);
  // tshark, for frames up to the 60-byte minimum: zeros are padding, anything else a trailer.
  // Longer frames may end in an FCS that tshark guesses at; we only say the bytes are extra.
  const short = bytes.length <= 60;
  const padding = short && bytes.subarray(covered).every((b) => b === 0);
  const [key, label, meaning] = padding
    ? ['eth.padding', 'Padding', 'Zero bytes that bring the frame up to the 60-byte Ethernet minimum']
    : short
      ? ['eth.trailer', 'Trailer', 'Bytes after the last protocol, inside the 60-byte minimum']
      : ['hnv.trailer', 'Trailer', 'Bytes after the last protocol (perhaps a frame check sequence)'];
  const display = length > 32 ? `${value.slice(0, 64)}… (${length} bytes)` : value;
  layers[0].fields.push(makeNode(key, label, covered, length, value, display, meaning));
}

type AnyEncode = (header: AnyHeader, writer: ByteWriter, opts?: EncodeOptions) => void;

/** Write one header (no fix-ups). */
export function encodeLayer(spec: LayerSpec, writer: ByteWriter, opts?: EncodeOptions): void {
  (codecs[spec.protocol].encode as AnyEncode)(spec.header, writer, opts);
}

const isIcmpError = (spec: LayerSpec) =>
  spec.protocol === 'icmp' && (spec.header.type === 3 || spec.header.type === 11);

export function encodeFrame(layers: LayerSpec[], opts: EncodeOptions = {}): Uint8Array {
  const fixLengths = opts.fixLengths ?? true;
  const computeChecksums = opts.computeChecksums ?? true;
  const writer = new ByteWriter(256);
  const starts: number[] = [];
  for (const spec of layers) {
    starts.push(writer.position);
    encodeLayer(spec, writer, opts);
  }
  const frame = writer.finish();
  if (!fixLengths && !computeChecksums) return frame;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  // Per layer: nearest enclosing IPv4 addresses and whether it sits in an ICMP error's quote.
  const ipSrc: number[] = [];
  const ipDst: number[] = [];
  const quoted: boolean[] = [];
  let src = 0;
  let dst = 0;
  let inQuote = false;
  for (const spec of layers) {
    ipSrc.push(src);
    ipDst.push(dst);
    quoted.push(inQuote);
    if (spec.protocol === 'ip') {
      src = ipv4ToNumber(spec.header.src);
      dst = ipv4ToNumber(spec.header.dst);
    }
    if (isIcmpError(spec)) inQuote = true;
  }
  for (let i = layers.length - 1; i >= 0; i--) {
    const fixup = codecs[layers[i].protocol].fixup;
    if (!fixup) continue;
    const fo: FixupOptions = {
      fixLengths,
      computeChecksums,
      quoted: quoted[i],
      ipSrc: ipSrc[i],
      ipDst: ipDst[i],
      next: layers[i + 1]?.protocol,
    };
    fixup(frame, view, { start: starts[i], headerEnd: starts[i + 1] ?? frame.length, end: frame.length }, fo);
  }
  return frame;
}

function visit(nodes: FieldNode[], fn: (node: FieldNode, depth: number) => void, depth: number): void {
  for (const node of nodes) {
    fn(node, depth);
    if (node.children) visit(node.children, fn, depth + 1);
  }
}

/** Every field node's value by key, outer -> inner (children after their parent), as tshark lists them. */
export function fieldsByKey(frame: DecodedFrame): Record<string, FieldValue[]> {
  const out: Record<string, FieldValue[]> = {};
  for (const l of frame.layers) {
    visit(
      l.fields,
      (node) => {
        const list = out[node.key];
        if (list) list.push(node.value);
        else out[node.key] = [node.value];
      },
      0,
    );
  }
  return out;
}

/** The narrowest (then deepest) field covering a byte: what the hex view highlights on hover. */
export function deepestFieldAt(frame: DecodedFrame, byteIndex: number): FieldNode | undefined {
  let best: FieldNode | undefined;
  let bestDepth = -1;
  for (const l of frame.layers) {
    visit(
      l.fields,
      (node, depth) => {
        if (byteIndex < node.start || byteIndex >= node.start + node.length) return;
        if (!best || node.length < best.length || (node.length === best.length && depth > bestDepth)) {
          best = node;
          bestDepth = depth;
        }
      },
      0,
    );
  }
  return best;
}
