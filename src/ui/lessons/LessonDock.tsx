// The lessons panel as a column beside the canvas, and the button that opens it.
import { Highlight } from './Highlight';
import { LessonPanel, useActiveHighlights } from './LessonPanel';
import { useLessonStore } from './store';

/** A top-bar button that opens and closes the lessons. */
export function LessonsButton({ className = '' }: { className?: string }) {
  const open = useLessonStore((s) => s.open);
  const setOpen = useLessonStore((s) => s.setOpen);
  return (
    <button
      type="button"
      onClick={() => setOpen(!open)}
      aria-pressed={open}
      aria-label="Lessons"
      title="Guided lessons"
      className={`inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-[13px] font-medium transition ${
        open
          ? 'bg-sky-600 text-white hover:bg-sky-700'
          : 'text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800'
      } ${className}`}
    >
      <svg
        viewBox="0 0 16 16"
        className="size-4"
        aria-hidden="true"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      >
        <path d="M2 3.5C4 2.5 6 2.5 8 4c2-1.5 4-1.5 6-.5v9c-2-1-4-1-6 .5-2-1.5-4-1.5-6-.5z" />
        <path d="M8 4v9" />
      </svg>
      Lessons
    </button>
  );
}

/**
 * Mount once in App's main row, between the palette and the canvas: a column that appears
 * when the lessons are open (so it never covers the canvas the lessons ask you to use),
 * plus the highlight rings of the step on screen.
 */
export function LessonDock({ width = 340 }: { width?: number }) {
  const open = useLessonStore((s) => s.open);
  const setOpen = useLessonStore((s) => s.setOpen);
  const highlights = useActiveHighlights();
  return (
    <>
      {open && (
        <aside
          data-testid="lesson-dock"
          aria-label="Lessons panel"
          style={{ width }}
          className="flex shrink-0 flex-col border-r border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
        >
          <div className="flex h-9 shrink-0 items-center justify-between border-b border-slate-200 px-4 dark:border-slate-800">
            <h2 className="text-[11px] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
              Guided lessons
            </h2>
            <button
              type="button"
              onClick={() => setOpen(false)}
              aria-label="Close lessons"
              className="rounded px-1.5 text-[16px] leading-none text-slate-400 hover:bg-slate-100 hover:text-slate-700 dark:hover:bg-slate-800"
            >
              ×
            </button>
          </div>
          <div className="flex min-h-0 flex-1 flex-col">
            <LessonPanel />
          </div>
        </aside>
      )}
      <Highlight targets={highlights} />
    </>
  );
}
