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
  if (length === 4)
    return ((bytes[pos] << 24) | (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3]) >>> 0;
  if (length === 3) return (bytes[pos] << 16) | (bytes[pos + 1] << 8) | bytes[pos + 2];
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

/**
 * Small direct-mapped caches of address texts: a capture repeats a few addresses on every
 * frame, and building the text costs more than finding it. A slot holds the last address
 * that hashed to it; a miss (a scan's fresh address) only costs the compare.
 */
const TEXT_SLOTS = 1024;
const macHi = new Int32Array(TEXT_SLOTS).fill(-1);
const macLo = new Int32Array(TEXT_SLOTS);
const macTexts: string[] = new Array(TEXT_SLOTS).fill('');
const ipv4Keys = new Int32Array(TEXT_SLOTS);
const ipv4Texts: string[] = new Array(TEXT_SLOTS).fill('0.0.0.0');

/** formatMac(bytes, start), the same string object for the same address while it stays cached. */
export function macText(bytes: Uint8Array, start: number): string {
  const hi = (bytes[start] << 16) | (bytes[start + 1] << 8) | bytes[start + 2];
  const lo = (bytes[start + 3] << 16) | (bytes[start + 4] << 8) | bytes[start + 5];
  const slot = (lo ^ (lo >>> 10) ^ hi) & (TEXT_SLOTS - 1);
  if (macHi[slot] === hi && macLo[slot] === lo) return macTexts[slot];
  const s = formatMac(bytes, start);
  macHi[slot] = hi;
  macLo[slot] = lo;
  macTexts[slot] = s;
  return s;
}

/** numberToIpv4(n), cached as macText is (0.0.0.0 is every slot's start). */
export function ipv4Text(n: number): string {
  const key = n | 0;
  const slot = (key ^ (key >>> 10) ^ (key >>> 20)) & (TEXT_SLOTS - 1);
  if (ipv4Keys[slot] === key) return ipv4Texts[slot];
  const s = numberToIpv4(n);
  ipv4Keys[slot] = key;
  ipv4Texts[slot] = s;
  return s;
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
  return readUniform(bytes, toUniform(spec, false), start); // a one-off row: no display cache
}

enum Kind {
  Dec,
  Hex,
  Bool,
  Mac,
  Ipv4,
  Bytes,
}

const KINDS: Record<FieldSpec['format'], Kind> = {
  dec: Kind.Dec,
  hex: Kind.Hex,
  bool: Kind.Bool,
  mac: Kind.Mac,
  ipv4: Kind.Ipv4,
  bytes: Kind.Bytes,
};

function readUniform(bytes: Uint8Array, spec: UniformSpec, start: number): FieldNode {
  let value: FieldValue;
  let display: string;
  const kind = spec.kind;
  const length = spec.length;
  if (kind <= Kind.Bool) {
    let n =
      length === 1
        ? bytes[start]
        : length === 2
          ? (bytes[start] << 8) | bytes[start + 1]
          : readUint(bytes, start, length);
    if (spec.mask !== undefined) n = (n & spec.mask) >>> spec.shift; // >>> keeps it unsigned
    if (kind === Kind.Bool) {
      value = n !== 0;
      display = value ? 'Set' : 'Not set';
    } else {
      const displays = spec.displays;
      const cached = displays === undefined ? undefined : displays[n];
      const raw = n;
      if (spec.scale !== undefined) n *= spec.scale;
      value = kind === Kind.Hex ? hexValue(n, length) : n;
      if (cached !== undefined) display = cached;
      else {
        const name = spec.names?.[n];
        if (kind === Kind.Hex) display = name ? `${value} (${name})` : (value as string);
        else display = name ? `${n} (${name})` : String(n);
        // Wide fields keep only named values: a scan's random ports would fill the cache for nothing.
        if (spec.displaySize > 0 && (spec.displaySize <= 256 || name)) {
          if (spec.displays === undefined) spec.displays = new Array(spec.displaySize);
          spec.displays[raw] = display;
        }
      }
    }
  } else if (kind === Kind.Mac) value = display = macText(bytes, start);
  else if (kind === Kind.Ipv4) value = display = ipv4Text(readUint(bytes, start, 4));
  else {
    value = hex(bytes, start, start + length);
    display = length > 32 ? `${value.slice(0, 64)}… (${length} bytes)` : value;
  }
  return {
    key: spec.key,
    label: spec.label,
    start,
    length,
    mask: spec.mask,
    value,
    display,
    meaning: spec.meaning,
    children: undefined,
  };
}

/** A table row as readFields holds it: every property present, and a cache of displays. */
interface UniformSpec extends FieldSpec {
  /**
   * For numbers of at most 16 bits: the display per raw (masked, unscaled) value, filled as
   * values are seen (of 16-bit fields, only named values). Displays are built once, and
   * repeat as the same string (cheap to compare).
   */
  displays: (string | undefined)[] | undefined;
  /** How many raw values the cache holds (0: none), allocated at the first display built. */
  displaySize: number;
  kind: Kind;
  /** The mask's trailing zeros. */
  shift: number;
}

/** Largest raw value of a numeric row (after its mask is applied and shifted down). */
function rawMax(spec: FieldSpec): number {
  if (spec.mask !== undefined) return spec.mask >>> trailingZeros(spec.mask);
  return spec.length >= 4 ? 0xffffffff : 2 ** (8 * spec.length) - 1;
}

const uniformTables = new WeakMap<readonly FieldSpec[], readonly UniformSpec[]>();

/**
 * The table with every spec given every property in one order. Tables are written with only
 * the properties they need, so V8 sees a dozen object shapes in readField's loads and makes
 * them megamorphic (slower than the reads themselves); one shape keeps them monomorphic.
 */
function uniform(table: readonly FieldSpec[]): readonly UniformSpec[] {
  let specs = uniformTables.get(table);
  if (specs === undefined) {
    specs = table.map((spec) => toUniform(spec));
    uniformTables.set(table, specs);
  }
  return specs;
}

function toUniform(s: FieldSpec, cache = true): UniformSpec {
  return {
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
    displays: undefined,
    displaySize:
      cache && (s.format === 'dec' || s.format === 'hex') && rawMax(s) < 0x10000 ? rawMax(s) + 1 : 0,
    kind: KINDS[s.format],
    shift: s.mask === undefined ? 0 : trailingZeros(s.mask),
  };
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
    const node = readUniform(bytes, spec, start);
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
