// Every built-in scenario's stored layout is one the canvas honours: the objects sit where
// the document says (a layout that overlaps is ignored as a whole, and then no drag sticks).
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios';
import { physicalGraph, virtualGraph } from './geometry';

describe('built-in scenario layouts', () => {
  it.each(scenarios.map((s) => [s.id, s.document] as const))(
    '%s: the canvas draws its objects where the layout puts them, and a dragged router stays put',
    (_id, doc) => {
      for (const [view, graphOf] of [
        ['physical', physicalGraph],
        ['virtual', virtualGraph],
      ] as const) {
        const saved = doc.layout?.[view] ?? {};
        expect(Object.keys(saved).length).toBeGreaterThan(0);
        for (const node of graphOf(doc).nodes.filter((n) => !n.parentId)) {
          const at = saved[node.data.objectId];
          if (at) expect(node.position, `${view} ${node.id}`).toEqual(at);
        }
      }
      const router = doc.routers[0];
      if (!router || !doc.layout) return;
      const moved = {
        ...doc,
        layout: { ...doc.layout, physical: { ...doc.layout.physical, [router.id]: { x: -400, y: -300 } } },
      };
      const drawn = physicalGraph(moved).nodes.find((n) => n.data.objectId === router.id);
      expect(drawn?.position).toEqual({ x: -400, y: -300 });
    },
  );
});
