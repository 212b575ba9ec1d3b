import { defineAction, type Point, type View } from './types';

/** Positions the user dragged, stored in the document so both views keep them. */
export const moveNodes = defineAction<{ view: View; positions: Record<string, Point> }>(
  'moveNodes',
  'Move',
  (doc, args) => {
    const layout = doc.layout ?? { physical: {}, virtual: {} };
    const rounded: Record<string, Point> = {};
    for (const [id, p] of Object.entries(args.positions))
      rounded[id] = { x: Math.round(p.x), y: Math.round(p.y) };
    return { ...doc, layout: { ...layout, [args.view]: { ...layout[args.view], ...rounded } } };
  },
);
