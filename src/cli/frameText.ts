// `hnv decode`'s readable tree of a frame: one line per layer and per field, each field as
// "Label: display  [key @start+length]", nested fields indented under their parent.
//
// frameToText is the reference (a JS string). frameTextBytes writes the same bytes straight
// into a Utf8Bytes. TextTemplates is what the CLI uses: the frames of a capture are mostly
// laid out alike (the same layers, the same fields at the same offsets), so their trees differ
// only in the displayed values. A template keeps the constant bytes between the values, learned
// from the first frame of a layout (template.ts folds the values that never change into them); a
// later frame is checked against it field by field (key, label, offset, length, depth) and
// written as a few copies and its changing values.
import type { DecodedFrame, FieldNode } from '../engine/wire/types.ts';
import { layoutSignature, SlotTemplate, TemplateSet } from './template.ts';
import { EncodedStrings, type Utf8Bytes } from './utf8Bytes.ts';

function treeText(nodes: FieldNode[], indent: string): string {
  let s = '';
  for (const n of nodes) {
    s += `\n${indent}${n.label}: ${n.display}  [${n.key} @${n.start}+${n.length}]`;
    if (n.children) s += treeText(n.children, `${indent}  `);
  }
  return s;
}

/** The readable tree of one frame (no trailing newline): the reference the byte writers are tested against. */
export function frameToText(index: number, frame: DecodedFrame): string {
  let s = `Frame ${index + 1}: ${frame.length} bytes, `;
  for (let i = 0; i < frame.layers.length; i++)
    s += i ? ` / ${frame.layers[i].protocol}` : frame.layers[i].protocol;
  for (const l of frame.layers) {
    s += `\n  ${l.title} [${l.start}..${l.start + l.headerLength})`;
    s += treeText(l.fields, '    ');
  }
  for (const i of frame.issues) s += `\n  ! ${i.severity} ${i.code} @${i.start}+${i.length}: ${i.message}`;
  return s;
}

/** What a template needs to know of the nodes a direct write went through. */
interface Recorder {
  nodes: FieldNode[];
  depths: number[];
  /** Per node, where its display starts and ends in the output. */
  displayStarts: number[];
  displayEnds: number[];
  /** Per layer, the count of nodes up to its end. */
  layerEnds: number[];
}

/** Per depth, "\n    Label: "; and "  [key @". */
const linePrefixes: EncodedStrings[] = [];
const lineKeys = new EncodedStrings((key) => `  [${key} @`);

function treeBytes(nodes: FieldNode[], depth: number, out: Utf8Bytes, rec: Recorder | undefined): void {
  let prefixes = linePrefixes[depth];
  if (prefixes === undefined) {
    const indent = `\n${'  '.repeat(depth + 2)}`;
    prefixes = new EncodedStrings((label) => `${indent}${label}: `);
    linePrefixes[depth] = prefixes;
  }
  for (const n of nodes) {
    out.raw(prefixes.get(n.label));
    if (rec) {
      rec.nodes.push(n);
      rec.depths.push(depth);
      rec.displayStarts.push(out.length);
      out.str(n.display);
      rec.displayEnds.push(out.length);
    } else out.str(n.display);
    out.raw(lineKeys.get(n.key));
    out.int(n.start);
    out.byte(43); // '+'
    out.int(n.length);
    out.byte(93); // ']'
    if (n.children) treeBytes(n.children, depth + 1, out, rec);
  }
}

/** Everything after "Frame N: LENGTH" up to the issues. */
function treeAfterLength(frame: DecodedFrame, out: Utf8Bytes, rec: Recorder | undefined): void {
  out.str(' bytes, ');
  const layers = frame.layers;
  for (let i = 0; i < layers.length; i++) {
    if (i) out.str(' / ');
    out.str(layers[i].protocol);
  }
  for (const l of layers) {
    out.str('\n  ');
    out.str(l.title);
    out.str(' [');
    out.int(l.start);
    out.str('..');
    out.int(l.start + l.headerLength);
    out.str(')');
    treeBytes(l.fields, 0, out, rec);
    if (rec) rec.layerEnds.push(rec.nodes.length);
  }
}

function frameStart(index: number, frame: DecodedFrame, out: Utf8Bytes): void {
  out.str('Frame ');
  out.int(index + 1);
  out.str(': ');
  out.int(frame.length);
}

function issueLines(frame: DecodedFrame, out: Utf8Bytes): void {
  for (const i of frame.issues)
    out.str(`\n  ! ${i.severity} ${i.code} @${i.start}+${i.length}: ${i.message}`);
}

/** frameToText(index, frame), appended to `out` as UTF-8 bytes. */
export function frameTextBytes(index: number, frame: DecodedFrame, out: Utf8Bytes): void {
  frameStart(index, frame, out);
  treeAfterLength(frame, out, undefined);
  issueLines(frame, out);
}

const writeDisplay = (display: string, out: Utf8Bytes) => out.str(display);

/** One layout's tree: what a frame must match (layers, then per node key, label, offset, length, depth) and its bytes. */
class TextTemplate {
  readonly protocols: string[] = [];
  readonly titles: string[] = [];
  readonly layerStarts: number[] = [];
  readonly headerLengths: number[] = [];
  /** Per layer, the count of nodes up to its end (in tree order). */
  readonly layerEnds: number[] = [];
  readonly keys: string[] = [];
  readonly labels: string[] = [];
  readonly starts: number[] = [];
  readonly lengths: number[] = [];
  readonly depths: number[] = [];
  /** One slot per node: its display. */
  readonly slots = new SlotTemplate<string>(writeDisplay);
  private cursor = 0;

  /** Whether the frame has this layout; if so its displays are taken. */
  match(frame: DecodedFrame): boolean {
    const layers = frame.layers;
    if (layers.length !== this.protocols.length) return false;
    this.cursor = 0;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      if (
        layer.protocol !== this.protocols[l] ||
        layer.title !== this.titles[l] ||
        layer.start !== this.layerStarts[l] ||
        layer.headerLength !== this.headerLengths[l] ||
        !this.nodes(layer.fields, 0) ||
        this.cursor !== this.layerEnds[l]
      )
        return false;
    }
    return true;
  }

  private nodes(nodes: FieldNode[], depth: number): boolean {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const k = this.cursor;
      if (
        k >= this.keys.length ||
        n.key !== this.keys[k] ||
        n.label !== this.labels[k] ||
        n.start !== this.starts[k] ||
        n.length !== this.lengths[k] ||
        depth !== this.depths[k]
      )
        return false;
      this.slots.take(k, n.display);
      this.cursor = k + 1;
      if (n.children && !this.nodes(n.children, depth + 1)) return false;
    }
    return true;
  }
}

/** frameTextBytes through templates learned on the way: the same bytes, written faster. */
export class TextTemplates {
  private readonly templates = new TemplateSet<TextTemplate, DecodedFrame>();
  private readonly rec: Recorder = {
    nodes: [],
    depths: [],
    displayStarts: [],
    displayEnds: [],
    layerEnds: [],
  };

  write(index: number, frame: DecodedFrame, out: Utf8Bytes): void {
    frameStart(index, frame, out);
    const signature = layoutSignature(frame.layers);
    const template = this.templates.find(signature, frame);
    if (template) template.slots.write(out);
    else if (this.templates.learning) this.learn(signature, frame, out);
    else treeAfterLength(frame, out, undefined);
    issueLines(frame, out);
  }

  /** Write the tree directly, and keep its layout as a template. */
  private learn(signature: number, frame: DecodedFrame, out: Utf8Bytes): void {
    const mark = out.length;
    const rec = this.rec;
    rec.nodes.length = 0;
    rec.depths.length = 0;
    rec.displayStarts.length = 0;
    rec.displayEnds.length = 0;
    rec.layerEnds.length = 0;
    treeAfterLength(frame, out, rec);
    const t = new TextTemplate();
    for (const l of frame.layers) {
      t.protocols.push(l.protocol);
      t.titles.push(l.title);
      t.layerStarts.push(l.start);
      t.headerLengths.push(l.headerLength);
    }
    t.layerEnds.push(...rec.layerEnds);
    const slots = t.slots;
    let from = mark;
    for (let i = 0; i < rec.nodes.length; i++) {
      const node = rec.nodes[i];
      t.keys.push(node.key);
      t.labels.push(node.label);
      t.starts.push(node.start);
      t.lengths.push(node.length);
      t.depths.push(rec.depths[i]);
      slots.segment(from - mark, rec.displayStarts[i] - mark);
      slots.order.push(i);
      slots.expected.push(node.display);
      slots.stable.push(true);
      slots.values.push(node.display);
      from = rec.displayEnds[i];
    }
    slots.segment(from - mark, out.length - mark);
    slots.source = out.copy(mark, out.length);
    this.templates.add(signature, t);
  }
}
