// The trace form's "Pick on canvas" toggle, and the hook that brings the canvas picks into the
// form's source and destination.
import { useEffect, useRef } from 'react';
import { useTracePick } from './pick';

export function usePickedEndpoints(setFrom: (vnic: string) => void, setTo: (vnic: string) => void) {
  const picked = useTracePick((s) => s.picked);
  const last = useRef(picked.seq);
  useEffect(() => {
    if (picked.seq === last.current) return;
    last.current = picked.seq;
    if (picked.to !== undefined) setTo(picked.to);
    else if (picked.from !== undefined) setFrom(picked.from);
  }, [picked, setFrom, setTo]);
  // Leaving the trace form (the Console tab, another layout) ends a pick in progress.
  useEffect(() => () => useTracePick.getState().cancel(), []);
}

export function PickOnCanvasButton() {
  const mode = useTracePick((s) => s.mode);
  const start = useTracePick((s) => s.start);
  const cancel = useTracePick((s) => s.cancel);
  const on = mode !== null;
  return (
    <button
      type="button"
      data-testid="trace-pick"
      aria-pressed={on}
      aria-label="Pick on canvas"
      onClick={() => (on ? cancel() : start())}
      title="Click the source VM on the canvas, then the destination VM"
      className={`shrink-0 rounded border px-1.5 py-0.5 text-[12px] ${
        on
          ? 'border-sky-600 bg-sky-600 text-white'
          : 'border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800'
      }`}
    >
      {/* Short on screen (the form fits one row at 1280 px); its name says it in full. */}
      {on ? 'Picking…' : 'Pick VMs'}
    </button>
  );
}
