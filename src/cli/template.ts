// What the text and JSON templates share: the printed form of a frame layout as constant
// segments with value slots between them, and the folding of values that stay the same from
// frame to frame (a TTL of 128, a VNI-valid flag, the inner MACs) into those segments. A slot
// starts out stable, with the value of the frame the template was learned from; the first
// frame with another value there makes it variable for good. A frame is only written once
// every stable slot has been checked, so the bytes are always those of the frame itself.
import type { Utf8Bytes } from './utf8Bytes.ts';

export class SlotTemplate<V> {
  /** The learned frame's bytes; segment i is source[segStarts[i], segEnds[i]). */
  source: Buffer = Buffer.alloc(0);
  /** segments come before the i-th value written; the last one ends the template. */
  private readonly segStarts: number[] = [];
  private readonly segEnds: number[] = [];
  /** Per value written, the slot it takes its value from (for JSON, grouping reorders them). */
  readonly order: number[] = [];
  /** Per slot, the value it was learned with, and whether every frame since had it too. */
  readonly expected: V[] = [];
  readonly stable: boolean[] = [];
  /** Per variable slot, the current frame's value (filled while matching). */
  readonly values: V[] = [];
  /** The compiled form: pieces[i], then the value of slot slots[i]; the last piece ends it. */
  private pieces: Uint8Array[] = [];
  private slots: number[] = [];
  private dirty = true;

  constructor(private readonly encode: (value: V, out: Utf8Bytes) => void) {}

  /** While learning: the next constant stretch, as offsets into `source`. */
  segment(start: number, end: number): void {
    this.segStarts.push(start);
    this.segEnds.push(end);
  }

  /** While matching: the frame's value for `slot`. */
  take(slot: number, value: V): void {
    // A stable slot's value is the expected one: storing it would only cost a write barrier.
    if (this.stable[slot]) {
      if (value === this.expected[slot]) return;
      this.stable[slot] = false;
      this.dirty = true;
    }
    this.values[slot] = value;
  }

  /** Write the values taken, folded into the segments. */
  write(out: Utf8Bytes): void {
    if (this.dirty) this.compile(out);
    const { pieces, slots, values, encode } = this;
    for (let i = 0; i < slots.length; i++) {
      out.raw(pieces[i]);
      encode(values[slots[i]], out);
    }
    out.raw(pieces[slots.length]);
  }

  private compile(out: Utf8Bytes): void {
    // Lay the pieces out at the end of `out`, past what is written, and copy them out.
    const mark = out.length;
    const pieces: Uint8Array[] = [];
    const slots: number[] = [];
    const { source, segStarts, segEnds, order, stable, expected } = this;
    for (let i = 0; i < order.length; i++) {
      out.range(source, segStarts[i], segEnds[i]);
      const slot = order[i];
      if (stable[slot]) this.encode(expected[slot], out);
      else {
        pieces.push(out.copy(mark, out.length));
        out.length = mark;
        slots.push(slot);
      }
    }
    out.range(source, segStarts[order.length], segEnds[order.length]);
    pieces.push(out.copy(mark, out.length));
    out.length = mark;
    this.pieces = pieces;
    this.slots = slots;
    this.dirty = false;
  }
}

/** Templates kept per layout signature, and in all; past them, the oldest go. */
const PER_SIGNATURE = 4;
const MAX_TEMPLATES = 64;
/**
 * Learning costs more than writing a frame directly; a capture whose frames are laid out
 * each their own way (lengths that vary frame to frame) stops learning once this many
 * templates were learned and more than one frame in sixteen needed a new one.
 */
const LEARN_FREELY = 32;

/** A frame's layers in one number: the frames a template may match share it. */
export function layoutSignature(
  layers: readonly { start: number; headerLength: number; fields: readonly unknown[] }[],
): number {
  let h = layers.length;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    h = (Math.imul(h, 31) + l.start) | 0;
    h = (Math.imul(h, 31) + l.headerLength) | 0;
    h = (Math.imul(h, 31) + l.fields.length) | 0;
  }
  return h;
}

/** Templates by layout signature. */
export class TemplateSet<T extends { match: (frame: F) => boolean }, F> {
  private readonly bySignature = new Map<number, T[]>();
  private count = 0;
  private frames = 0;
  private learned = 0;

  /** The template the frame matches (its values taken), or undefined. */
  find(signature: number, frame: F): T | undefined {
    this.frames++;
    const list = this.bySignature.get(signature);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) if (list[i].match(frame)) return list[i];
    return undefined;
  }

  /** Whether a frame no template matched should be learned (else written directly). */
  get learning(): boolean {
    return this.learned < LEARN_FREELY || this.learned * 16 <= this.frames;
  }

  add(signature: number, template: T): void {
    this.learned++;
    if (this.count >= MAX_TEMPLATES) {
      this.bySignature.clear();
      this.count = 0;
    }
    let list = this.bySignature.get(signature);
    if (list === undefined) {
      list = [];
      this.bySignature.set(signature, list);
    }
    if (list.length >= PER_SIGNATURE) list.shift();
    else this.count++;
    list.push(template);
  }
}
