// `hnv decode --json`: per frame an object with its layers, its field values grouped by
// Wireshark field name (outer -> inner, as tshark lists them) and its decode issues.
//
// frameToJson / frameToJsonText are the reference (JSON.stringify's layout). frameJsonBytes
// writes the same bytes into a Utf8Bytes. JsonTemplates is what the CLI uses: frames laid out
// alike (the same layers and the same field keys in the same order) differ only in their
// values, so a template keeps the constant bytes between them and the order in which the
// grouping puts the values; a later frame is checked key by key, then written.
import { fieldsByKey } from '../engine/wire/frame.ts';
import type { DecodedFrame, DecodeIssue, FieldNode, FieldValue } from '../engine/wire/types.ts';
import { layoutSignature, SlotTemplate, TemplateSet } from './template.ts';
import { EncodedStrings, type Utf8Bytes } from './utf8Bytes.ts';

export interface DecodedFrameJson {
  frame: number; // 1-based, like tshark's frame.number
  length: number;
  layers: string[];
  fields: Record<string, FieldValue[]>;
  issues: DecodeIssue[];
}

export function frameToJson(index: number, frame: DecodedFrame): DecodedFrameJson {
  return {
    frame: index + 1,
    length: frame.length,
    layers: frame.layers.map((l) => l.protocol),
    fields: fieldsByKey(frame),
    issues: frame.issues.map(({ code, severity, start, length, message }) => ({
      code,
      severity,
      start,
      length,
      message,
    })),
  };
}

const quoted = new Map<string, string>();
/** JSON string of a field key: few distinct keys, each quoted once. */
function quoteKey(key: string): string {
  let q = quoted.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    quoted.set(key, q);
  }
  return q;
}

const jsonValue = (v: FieldValue) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * frameToJson(index, frame) as JSON.stringify(_, null, 2) prints it, every line after the
 * first prefixed with `indent`: the reference frameJsonBytes is tested against.
 */
export function frameToJsonText(index: number, frame: DecodedFrame, indent = ''): string {
  const i1 = `${indent}  `;
  const i2 = `${indent}    `;
  const i3 = `${indent}      `;
  let s = `{\n${i1}"frame": ${index + 1},\n${i1}"length": ${frame.length},\n${i1}"layers": `;
  const layers = frame.layers;
  if (layers.length === 0) s += '[]';
  else {
    s += '[';
    for (let i = 0; i < layers.length; i++) s += `${i ? ',' : ''}\n${i2}"${layers[i].protocol}"`;
    s += `\n${i1}]`;
  }
  s += `,\n${i1}"fields": `;
  // Values grouped by key in first-seen order, as fieldsByKey builds them.
  const fields = fieldsByKey(frame);
  let first = true;
  for (const key in fields) {
    s += `${first ? '{' : ','}\n${i2}${quoteKey(key)}: [`;
    first = false;
    const values = fields[key];
    for (let i = 0; i < values.length; i++) s += `${i ? ',' : ''}\n${i3}${jsonValue(values[i])}`;
    s += `\n${i2}]`;
  }
  s += first ? '{}' : `\n${i1}}`;
  s += `,\n${i1}"issues": `;
  if (frame.issues.length === 0) s += '[]';
  else {
    s += '[';
    frame.issues.forEach((x, i) => {
      s += `${i ? ',' : ''}\n${i2}{\n${i3}"code": ${JSON.stringify(x.code)},\n${i3}"severity": ${JSON.stringify(x.severity)},\n${i3}"start": ${x.start},\n${i3}"length": ${x.length},\n${i3}"message": ${JSON.stringify(x.message)}\n${i2}}`;
    });
    s += `\n${i1}]`;
  }
  return `${s}\n${indent}}`;
}

/** Per key, '\n      "key": [' (the CLI's fields rows, inside the top-level array). */
const jsonKeyLines = new EncodedStrings((key) => `\n      ${JSON.stringify(key)}: [`);

/** A JSON string value; plain ASCII is copied, anything JSON must escape goes through JSON.stringify. */
function jsonStringBytes(s: string, out: Utf8Bytes): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) {
      out.str(JSON.stringify(s));
      return;
    }
  }
  out.byte(34);
  out.str(s);
  out.byte(34);
}

/** A field value as JSON: plain ASCII strings and non-negative integers without JSON.stringify. */
function jsonValueBytes(v: FieldValue, out: Utf8Bytes): void {
  if (typeof v === 'string') jsonStringBytes(v, out);
  else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out.int(v);
  else out.str(JSON.stringify(v));
}

/** Every field node of the frame in tree order (a parent before its children), appended to `out`. */
function collect(nodes: FieldNode[], out: FieldNode[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    out.push(n);
    if (n.children) collect(n.children, out);
  }
}

/** What a template needs of a direct write: the nodes, and per value written, which node and where. */
interface Recorder {
  nodes: FieldNode[];
  order: number[];
  valueStarts: number[];
  valueEnds: number[];
}

function frameStart(index: number, frame: DecodedFrame, out: Utf8Bytes): void {
  out.str('{\n    "frame": ');
  out.int(index + 1);
  out.str(',\n    "length": ');
  out.int(frame.length);
}

/** From after the length up to the issues' value; groups the values by key as fieldsByKey does. */
function layersAndFields(frame: DecodedFrame, out: Utf8Bytes, rec: Recorder): void {
  out.str(',\n    "layers": ');
  const layers = frame.layers;
  if (layers.length === 0) out.str('[]');
  else {
    for (let i = 0; i < layers.length; i++) {
      out.str(i ? ',\n      "' : '[\n      "');
      out.str(layers[i].protocol);
      out.byte(34);
    }
    out.str('\n    ]');
  }
  out.str(',\n    "fields": ');
  const nodes = rec.nodes;
  for (const l of layers) collect(l.fields, nodes);
  // Node indices by key, keys in first-seen order.
  const groups = new Map<string, number[]>();
  for (let i = 0; i < nodes.length; i++) {
    const list = groups.get(nodes[i].key);
    if (list) list.push(i);
    else groups.set(nodes[i].key, [i]);
  }
  let first = true;
  for (const [key, members] of groups) {
    out.byte(first ? 123 : 44); // '{' or ','
    first = false;
    out.raw(jsonKeyLines.get(key));
    for (let i = 0; i < members.length; i++) {
      out.str(i ? ',\n        ' : '\n        ');
      rec.order.push(members[i]);
      rec.valueStarts.push(out.length);
      jsonValueBytes(nodes[members[i]].value, out);
      rec.valueEnds.push(out.length);
    }
    out.str('\n      ]');
  }
  out.str(first ? '{}' : '\n    }');
  out.str(',\n    "issues": ');
}

function issuesAndEnd(frame: DecodedFrame, out: Utf8Bytes): void {
  const issues = frame.issues;
  if (issues.length === 0) out.str('[]');
  else {
    for (let i = 0; i < issues.length; i++) {
      const x = issues[i];
      out.str(i ? ',\n      {\n        "code": ' : '[\n      {\n        "code": ');
      jsonStringBytes(x.code, out);
      out.str(',\n        "severity": ');
      jsonStringBytes(x.severity, out);
      out.str(',\n        "start": ');
      out.str(String(x.start));
      out.str(',\n        "length": ');
      out.str(String(x.length));
      out.str(',\n        "message": ');
      jsonStringBytes(x.message, out);
      out.str('\n      }');
    }
    out.str('\n    ]');
  }
  out.str('\n  }');
}

const newRecorder = (): Recorder => ({ nodes: [], order: [], valueStarts: [], valueEnds: [] });

/** frameToJsonText(index, frame, '  ') (a frame inside the top-level array), appended to `out` as UTF-8. */
export function frameJsonBytes(index: number, frame: DecodedFrame, out: Utf8Bytes): void {
  frameStart(index, frame, out);
  layersAndFields(frame, out, newRecorder());
  issuesAndEnd(frame, out);
}

/** One layout's fields: what a frame must match (layers, then the key of every node in tree order) and its bytes. */
class JsonTemplate {
  readonly protocols: string[] = [];
  /** Per layer, the count of nodes up to its end (in tree order). */
  readonly layerEnds: number[] = [];
  readonly keys: string[] = [];
  /** One slot per node (in tree order): its value. */
  readonly slots = new SlotTemplate<FieldValue>(jsonValueBytes);
  private cursor = 0;

  /** Whether the frame has this layout; if so its values are taken. */
  match(frame: DecodedFrame): boolean {
    const layers = frame.layers;
    if (layers.length !== this.protocols.length) return false;
    this.cursor = 0;
    for (let l = 0; l < layers.length; l++) {
      if (
        layers[l].protocol !== this.protocols[l] ||
        !this.nodes(layers[l].fields) ||
        this.cursor !== this.layerEnds[l]
      )
        return false;
    }
    return true;
  }

  private nodes(nodes: FieldNode[]): boolean {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const k = this.cursor;
      if (k >= this.keys.length || n.key !== this.keys[k]) return false;
      this.slots.take(k, n.value);
      this.cursor = k + 1;
      if (n.children && !this.nodes(n.children)) return false;
    }
    return true;
  }
}

/** frameJsonBytes through templates learned on the way: the same bytes, written faster. */
export class JsonTemplates {
  private readonly templates = new TemplateSet<JsonTemplate, DecodedFrame>();

  write(index: number, frame: DecodedFrame, out: Utf8Bytes): void {
    frameStart(index, frame, out);
    const signature = layoutSignature(frame.layers);
    const template = this.templates.find(signature, frame);
    if (template) template.slots.write(out);
    else if (this.templates.learning) this.learn(signature, frame, out);
    else layersAndFields(frame, out, newRecorder());
    issuesAndEnd(frame, out);
  }

  /** Write the frame directly, and keep its layout as a template. */
  private learn(signature: number, frame: DecodedFrame, out: Utf8Bytes): void {
    const mark = out.length;
    const rec = newRecorder();
    const t = new JsonTemplate();
    layersAndFields(frame, out, rec);
    let count = 0;
    for (const l of frame.layers) {
      t.protocols.push(l.protocol);
      count = countNodes(l.fields, count);
      t.layerEnds.push(count);
    }
    const slots = t.slots;
    for (const node of rec.nodes) {
      t.keys.push(node.key);
      slots.expected.push(node.value);
      slots.stable.push(true);
      slots.values.push(node.value);
    }
    let from = mark;
    for (let i = 0; i < rec.order.length; i++) {
      slots.order.push(rec.order[i]);
      slots.segment(from - mark, rec.valueStarts[i] - mark);
      from = rec.valueEnds[i];
    }
    slots.segment(from - mark, out.length - mark);
    slots.source = out.copy(mark, out.length);
    this.templates.add(signature, t);
  }
}

function countNodes(nodes: FieldNode[], count: number): number {
  for (const n of nodes) count = n.children ? countNodes(n.children, count + 1) : count + 1;
  return count;
}
