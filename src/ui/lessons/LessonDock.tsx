// The lessons panel as a floating card over the canvas's top-left corner, beside the
// palette, so the properties, tables and trace panels the lessons point at stay visible.
import { useDocumentStore } from '../store/document';
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
 * Mount once in App: the floating lessons card (when open) and the highlight rings.
 * `top` is the height of the top bar.
 */
export function LessonDock({ top = 44 }: { top?: number }) {
  const open = useLessonStore((s) => s.open);
  const setOpen = useLessonStore((s) => s.setOpen);
  const panels = useDocumentStore((s) => s.panels);
  const highlights = useActiveHighlights();
  return (
    <>
      {open && (
        <aside
          data-testid="lesson-dock"
          className="fixed z-30 flex w-[360px] flex-col overflow-hidden rounded-xl border border-slate-200 bg-white/97 shadow-xl backdrop-blur dark:border-slate-700 dark:bg-slate-900/97"
          style={{
            left: panels.left + 12,
            top: top + 12,
            maxHeight: `calc(100vh - ${top + panels.bottom + 36}px)`,
            minHeight: 240,
          }}
        >
          <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2 dark:border-slate-700">
            <h2 className="text-[12px] font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
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
