import type { TopologyDocument } from '../../engine/model/schema';

export type View = 'physical' | 'virtual';
export interface Point {
  x: number;
  y: number;
}

/** An edit the user asked for that the document cannot take; the message says why, in the user's words. */
export class ActionError extends Error {
  override name = 'ActionError';
}

/** A named, pure edit: `perform(doc, args)` returns the next document and never mutates its input. */
export interface Action<Args> {
  name: string;
  /** What the undo history calls it ("Add host"). */
  label: string;
  perform(doc: TopologyDocument, args: Args): TopologyDocument;
}

export function defineAction<Args>(
  name: string,
  label: string,
  perform: Action<Args>['perform'],
): Action<Args> {
  return { name, label, perform };
}
