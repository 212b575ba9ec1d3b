// A calm ring around the UI parts a lesson step points at. It follows layout changes by
// re-measuring a few times a second; it never intercepts the pointer.
import { useEffect, useState } from 'react';
import { findTarget } from './targets';

interface Ring {
  name: string;
  top: number;
  left: number;
  width: number;
  height: number;
}

function measure(names: readonly string[]): Ring[] {
  const rings: Ring[] = [];
  for (const name of names) {
    const rect = findTarget(name)?.getBoundingClientRect();
    if (rect && rect.width > 0 && rect.height > 0) {
      rings.push({ name, top: rect.top, left: rect.left, width: rect.width, height: rect.height });
    }
  }
  return rings;
}

const same = (a: Ring[], b: Ring[]) =>
  a.length === b.length &&
  a.every(
    (r, i) =>
      r.name === b[i].name &&
      r.top === b[i].top &&
      r.left === b[i].left &&
      r.width === b[i].width &&
      r.height === b[i].height,
  );

export function Highlight({ targets }: { targets: readonly string[] }) {
  const [rings, setRings] = useState<Ring[]>([]);
  const key = targets.join('|');
  useEffect(() => {
    const names = key ? key.split('|') : [];
    const update = () => setRings((prev) => (same(prev, measure(names)) ? prev : measure(names)));
    update();
    const timer = window.setInterval(update, 400);
    window.addEventListener('resize', update);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('resize', update);
    };
  }, [key]);
  return (
    <>
      {rings.map((r) => (
        <div
          key={r.name}
          data-testid={`tour-ring-${r.name}`}
          aria-hidden="true"
          className="pointer-events-none fixed z-40 rounded-lg ring-2 ring-amber-400/80 shadow-[0_0_0_6px_rgba(251,191,36,0.15)]"
          style={{ top: r.top + 2, left: r.left + 2, width: r.width - 4, height: r.height - 4 }}
        />
      ))}
    </>
  );
}
