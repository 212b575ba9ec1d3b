// The generic, data-driven field reader. A protocol describes its header as a FieldSpec[]
// table; this turns the table into FieldNode[] at absolute positions. Decoders only add
// what a table cannot say (variable layouts, checksums, next-layer choice).
import { formatMac, hex, numberToIpv4 } from './bytes.ts';
import type {
  AnyHeader,
  DecodedLayer,
  DecodeIssue,
  FieldNode,
  FieldSpec,
  FieldValue,
  IssueSeverity,
  ProtocolName,
} from './types.ts';

/** Which registry table picks the next decoder. */
export type DispatchTable = 'ethertype' | 'ipProtocol' | 'udpPort' | 'greProtocol';

/** State threaded through one frame's decode. */
export interface DecodeContext {
  view: DataView;
  issues: DecodeIssue[];
  /** Inside an ICMP error's quoted datagram: partial headers are expected; lengths and checksums are not checked. */
  quoted: boolean;
  /** Addresses of the innermost IPv4 header so far (for the UDP/TCP pseudo-header). */
  ipSrc: number;
  ipDst: number;
  /** The enclosing IPv4 datagram is longer than what was captured: transport checksums cannot be checked. */
  payloadCut: boolean;
}

/** Where a layer's payload lies and how to choose its decoder. */
export interface NextLayer {
  start: number;
  end: number;
  /** Look these values up, in order, in a registry table (UDP tries both ports). */
  dispatch?: { table: DispatchTable; values: number[] };
  /** Or name the next protocol directly (VXLAN always carries Ethernet). */
  protocol?: ProtocolName;
  /** The payload is a quoted datagram (ICMP error). */
  quoted?: boolean;
}

export interface LayerResult {
  layer: DecodedLayer;
  next?: NextLayer;
}

export type Decoder = (bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext) => LayerResult;

export function createContext(bytes: Uint8Array): DecodeContext {
  return {
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    issues: [],
    quoted: false,
    ipSrc: 0,
    ipDst: 0,
    payloadCut: false,
  };
}

/** Unsigned big-endian integer of 1..4 bytes. */
export function readUint(bytes: Uint8Array, pos: number, length: number): number {
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + bytes[pos + i];
  return v;
}

function trailingZeros(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

/** '0x00'..'0xff' and, filled as values are seen, '0x0000'..'0xffff': most hex fields are 1 or 2 bytes. */
const HEX8: string[] = Array.from({ length: 256 }, (_, i) => `0x${i.toString(16).padStart(2, '0')}`);
const HEX16: (string | undefined)[] = new Array(65536).fill(undefined);

export function hexValue(v: number, byteLength: number): string {
  if (byteLength === 1 && v < 256) return HEX8[v];
  if (byteLength === 2 && v < 65536) {
    let s = HEX16[v];
    if (s === undefined) {
      s = `0x${v.toString(16).padStart(4, '0')}`;
      HEX16[v] = s;
    }
    return s;
  }
  return `0x${v.toString(16).padStart(byteLength * 2, '0')}`;
}

/** Issue helper; keeps decoders to one line per problem. */
export function addIssue(
  ctx: DecodeContext,
  code: string,
  severity: IssueSeverity,
  start: number,
  length: number,
  message: string,
): void {
  ctx.issues.push({ code, severity, start, length: Math.max(0, length), message });
}

export function truncated(ctx: DecodeContext, what: string, start: number, need: number, end: number): void {
  const have = Math.max(0, end - start);
  addIssue(
    ctx,
    'truncated',
    ctx.quoted ? 'info' : 'error',
    Math.min(start, end),
    have,
    `${what} needs ${need} byte${need === 1 ? '' : 's'} at offset ${start}, only ${have} available`,
  );
}

/** A FieldNode for a value computed by the decoder (derived rows, option sub-fields). */
export function makeNode(
  key: string,
  label: string,
  start: number,
  length: number,
  value: FieldValue,
  display: string,
  meaning?: string,
): FieldNode {
  // Every node has the same properties in the same order: one hidden class keeps V8's access fast.
  return { key, label, start, length, mask: undefined, value, display, meaning, children: undefined };
}

/** Read one field at absolute `start`. The caller has checked the bytes exist. */
export function readField(bytes: Uint8Array, spec: FieldSpec, start: number): FieldNode {
  let value: FieldValue;
  let display: string;
  switch (spec.format) {
    case 'mac':
      value = display = formatMac(bytes, start);
      break;
    case 'ipv4':
      value = display = numberToIpv4(readUint(bytes, start, 4));
      break;
    case 'bytes':
      value = hex(bytes, start, start + spec.length);
      display = spec.length > 32 ? `${value.slice(0, 64)}… (${spec.length} bytes)` : value;
      break;
    default: {
      let n = readUint(bytes, start, spec.length);
      if (spec.mask !== undefined) n = (n & spec.mask) >>> trailingZeros(spec.mask); // >>> keeps it unsigned
      if (spec.scale !== undefined) n *= spec.scale;
      const name = spec.names?.[n];
      if (spec.format === 'bool') {
        value = n !== 0;
        display = value ? 'Set' : 'Not set';
      } else if (spec.format === 'hex') {
        value = hexValue(n, spec.length);
        display = name ? `${value} (${name})` : value;
      } else {
        value = n;
        display = name ? `${n} (${name})` : String(n);
      }
    }
  }
  return {
    key: spec.key,
    label: spec.label,
    start,
    length: spec.length,
    mask: spec.mask,
    value,
    display,
    meaning: spec.meaning,
    children: undefined,
  };
}

const uniformTables = new WeakMap<readonly FieldSpec[], readonly FieldSpec[]>();

/**
 * The table with every spec given every property in one order. Tables are written with only
 * the properties they need, so V8 sees a dozen object shapes in readField's loads and makes
 * them megamorphic (slower than the reads themselves); one shape keeps them monomorphic.
 */
function uniform(table: readonly FieldSpec[]): readonly FieldSpec[] {
  let specs = uniformTables.get(table);
  if (specs === undefined) {
    specs = table.map(
      (s): FieldSpec => ({
        key: s.key,
        label: s.label,
        offset: s.offset,
        length: s.length,
        mask: s.mask,
        format: s.format,
        names: s.names,
        meaning: s.meaning,
        scale: s.scale,
        parent: s.parent,
      }),
    );
    uniformTables.set(table, specs);
  }
  return specs;
}

/**
 * Read a table whose offsets are relative to `base`, appending to `out`. Rows with `parent`
 * nest under that row. Stops at the first row that runs past `end`, records a 'truncated'
 * issue and returns false.
 */
export function readFields(
  bytes: Uint8Array,
  table: readonly FieldSpec[],
  base: number,
  end: number,
  ctx: DecodeContext,
  out: FieldNode[],
  what: string,
): boolean {
  const specs = uniform(table);
  let last: FieldNode | undefined;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const start = base + spec.offset;
    if (start + spec.length > end) {
      truncated(ctx, `${what}: ${spec.label}`, start, spec.length, end);
      return false;
    }
    const node = readField(bytes, spec, start);
    if (spec.parent !== undefined) {
      const parent = findParent(out, last, spec.parent);
      if (parent) {
        if (parent.children) parent.children.push(node);
        else parent.children = [node];
        continue;
      }
    }
    out.push(node);
    last = node;
  }
  return true;
}

function findParent(out: FieldNode[], last: FieldNode | undefined, key: string): FieldNode | undefined {
  if (last?.key === key) return last;
  for (let i = out.length - 1; i >= 0; i--) if (out[i].key === key) return out[i];
  return undefined;
}

export function layer(
  protocol: ProtocolName,
  title: string,
  start: number,
  headerLength: number,
  fields: FieldNode[],
  header: AnyHeader,
): DecodedLayer {
  return { protocol, title, start, headerLength, fields, header };
}

/** What the frame encoder's fix-up pass knows about one encoded layer. */
export interface FixupSpan {
  start: number; // header start
  headerEnd: number; // where the next layer starts
  end: number; // end of this layer's payload (end of the frame)
}

export interface FixupOptions {
  fixLengths: boolean;
  computeChecksums: boolean;
  /** Inside an ICMP error's quoted datagram: lengths describe the original packet, leave them. */
  quoted: boolean;
  /** Addresses of the nearest enclosing IPv4 header (pseudo-header). */
  ipSrc: number;
  ipDst: number;
  /** Protocol of the layer that follows, if any. */
  next?: ProtocolName;
}

export type Fixup = (frame: Uint8Array, view: DataView, span: FixupSpan, opts: FixupOptions) => void;

/** Checksum mismatch issue with the expected and found values, as the brief for lessons needs. */
export function checksumIssue(
  ctx: DecodeContext,
  protocol: string,
  start: number,
  found: number,
  expected: number,
): void {
  addIssue(
    ctx,
    'bad-checksum',
    'error',
    start,
    2,
    `${protocol} checksum is wrong: expected ${hexValue(expected, 2)}, found ${hexValue(found, 2)}`,
  );
}
