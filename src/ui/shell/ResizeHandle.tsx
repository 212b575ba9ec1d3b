// A drag handle between panels. Pointer capture keeps the drag smooth over the canvas;
// arrow keys resize too (it is a focusable separator).
import { type PointerEvent, useRef } from 'react';
import { type PanelSizes, useDocumentStore } from '../store/document';

export function ResizeHandle({
  panel,
  orientation,
  direction,
  label,
  shown,
}: {
  panel: keyof PanelSizes;
  /** The size on screen when the layout caps the stored one (a drag starts from what is seen). */
  shown?: number;
  /** 'vertical' = a vertical bar resizing widths. */
  orientation: 'vertical' | 'horizontal';
  /** +1 when moving right/down grows the panel, -1 when it shrinks it. */
  direction: 1 | -1;
  label: string;
}) {
  const stored = useDocumentStore((s) => s.panels[panel]);
  const size = shown ?? stored;
  const start = useRef<{ pointer: number; size: number } | null>(null);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { pointer: orientation === 'vertical' ? e.clientX : e.clientY, size };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    const delta = (orientation === 'vertical' ? e.clientX : e.clientY) - start.current.pointer;
    useDocumentStore.getState().setPanel(panel, start.current.size + direction * delta);
  };
  const onPointerUp = () => {
    start.current = null;
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable separator is the ARIA pattern for splitters
    <div
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={size}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 40 : 10;
        const grow = orientation === 'vertical' ? ['ArrowRight', 'ArrowLeft'] : ['ArrowDown', 'ArrowUp'];
        if (e.key === grow[0]) useDocumentStore.getState().setPanel(panel, size + direction * step);
        else if (e.key === grow[1]) useDocumentStore.getState().setPanel(panel, size - direction * step);
      }}
      className={`group relative z-10 shrink-0 bg-slate-200 outline-none transition-colors hover:bg-sky-400 focus-visible:bg-sky-500 dark:bg-slate-800 dark:hover:bg-sky-600 ${
        orientation === 'vertical' ? 'w-px cursor-col-resize' : 'h-px cursor-row-resize'
      }`}
    >
      <span
        className={`absolute ${orientation === 'vertical' ? '-left-1 -right-1 inset-y-0' : '-top-1 -bottom-1 inset-x-0'}`}
      />
    </div>
  );
}
