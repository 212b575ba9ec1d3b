// What the text and JSON templates share: the printed form of a frame layout as constant
// segments with value slots between them, and the folding of values that stay the same from
// frame to frame (a TTL of 128, a VNI-valid flag, the inner MACs) into those segments. A slot
// starts out stable, with the value of the frame the template was learned from; the first
// frame with another value there makes it variable for good. A frame is only written once
// every stable slot has been checked, so the bytes are always those of the frame itself.
import type { Utf8Bytes } from './utf8Bytes.ts';

export class SlotTemplate<V> {
  /** segments[i] comes before the i-th value written; the last one ends the template. */
  readonly segments: Uint8Array[] = [];
  /** Per value written, the slot it takes its value from (for JSON, grouping reorders them). */
  readonly order: number[] = [];
  /** Per slot, the value it was learned with, and whether every frame since had it too. */
  readonly expected: V[] = [];
  readonly stable: boolean[] = [];
  /** Per slot, the current frame's value (filled while matching). */
  readonly values: V[] = [];
  /** The compiled form: pieces[i] then the value of slot slots[i], then the last piece. */
  private pieces: Uint8Array[] = [];
  private slots: number[] = [];
  private dirty = true;

  constructor(private readonly encode: (value: V, out: Utf8Bytes) => void) {}

  /** While matching: the frame's value for `slot`. */
  take(slot: number, value: V): void {
    this.values[slot] = value;
    if (this.stable[slot] && value !== this.expected[slot]) {
      this.stable[slot] = false;
      this.dirty = true;
    }
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
    // Encode stable values at the end of `out`, past what is written, and copy them out.
    const mark = out.length;
    const pieces: Uint8Array[] = [];
    const slots: number[] = [];
    let run: Uint8Array[] = [];
    const { segments, order, stable, expected } = this;
    for (let i = 0; i < order.length; i++) {
      run.push(segments[i]);
      const slot = order[i];
      if (stable[slot]) {
        this.encode(expected[slot], out);
        run.push(out.copy(mark, out.length));
        out.length = mark;
      } else {
        pieces.push(Buffer.concat(run));
        slots.push(slot);
        run = [];
      }
    }
    run.push(segments[order.length]);
    pieces.push(Buffer.concat(run));
    this.pieces = pieces;
    this.slots = slots;
    this.dirty = false;
  }
}

/** A capture rarely has more layouts in play than this; past it, the oldest is replaced. */
const MAX_TEMPLATES = 32;

/** A few templates, the one that matched last tried first. */
export class TemplateSet<T extends { match: (frame: F) => boolean }, F> {
  private readonly templates: T[] = [];
  private last = 0;
  private replace = 0;

  /** The template the frame matches (its values taken), or undefined. */
  find(frame: F): T | undefined {
    const n = this.templates.length;
    for (let t = 0; t < n; t++) {
      const k = (this.last + t) % n;
      const template = this.templates[k];
      if (template.match(frame)) {
        this.last = k;
        return template;
      }
    }
    return undefined;
  }

  add(template: T): void {
    if (this.templates.length < MAX_TEMPLATES) {
      this.last = this.templates.length;
      this.templates.push(template);
    } else {
      this.last = this.replace;
      this.templates[this.replace] = template;
      this.replace = (this.replace + 1) % MAX_TEMPLATES;
    }
  }
}
