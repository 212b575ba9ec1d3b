// The bar of a long job: an import (with Cancel) or the engine compiling a big document.
// A job shows once it has run for a moment, so everyday edits never flash it. What it says
// comes from the engine's progress reports (the worker client's status).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { type EngineJob, engineStatus } from '../../worker/client';
import { cancelImport, useImportJob } from '../io';

/** Jobs shorter than this never show. */
const SHOW_AFTER_MS = 300;

/** True once `since` is at least `delayMs` ago (re-renders when that moment comes). */
function useOlderThan(since: number | undefined, delayMs: number): boolean {
  const [, setTick] = useState(0);
  const old = since !== undefined && Date.now() - since >= delayMs;
  useEffect(() => {
    if (since === undefined || old) return;
    const timer = setTimeout(() => setTick((t) => t + 1), delayMs - (Date.now() - since));
    return () => clearTimeout(timer);
  }, [since, old, delayMs]);
  return old;
}

const JOB_TITLES: Record<string, string> = {
  load: 'Loading the document into the engine',
  update: 'Updating the engine',
};

export function JobProgress() {
  const importJob = useImportJob((s) => s.job);
  const status = useSyncExternalStore(engineStatus.subscribe, engineStatus.get);
  const engineJob: EngineJob | undefined = status.job;
  const since = importJob?.startedAt ?? engineJob?.since;
  const visible = useOlderThan(since, SHOW_AFTER_MS);
  if (!visible || (importJob === null && engineJob === undefined)) return null;

  const progress =
    importJob === null || engineJob?.method === 'importDocument' ? engineJob?.progress : undefined;
  const title = importJob
    ? `Importing ${importJob.source}`
    : (JOB_TITLES[engineJob?.method ?? ''] ?? 'The engine is working');
  const phase =
    progress?.phase ?? (status.state === 'restarting' ? 'Starting the engine' : 'Reading the file');
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : undefined;
  const percent = fraction === undefined ? undefined : Math.round(fraction * 100);

  return (
    <section
      aria-label="Job progress"
      data-testid="job-progress"
      className="pointer-events-auto fixed top-14 left-1/2 z-50 w-[min(440px,92vw)] -translate-x-1/2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-[13px] text-slate-700 shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200"
    >
      <div className="flex items-baseline justify-between gap-3">
        <span className="truncate font-medium text-slate-900 dark:text-slate-50">{title}</span>
        {percent !== undefined && (
          <span className="shrink-0 tabular-nums text-[12px] text-slate-500">{percent}%</span>
        )}
      </div>
      <div
        role="progressbar"
        aria-label={title}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={percent === undefined ? phase : `${phase}: ${percent}%`}
        className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div
          className={`h-full rounded-full bg-sky-600 transition-[width] duration-200 ${percent === undefined ? 'w-1/3 animate-pulse' : ''}`}
          style={percent === undefined ? undefined : { width: `${Math.max(2, percent)}%` }}
        />
      </div>
      <div className="mt-2 flex items-center justify-between gap-3">
        <span data-testid="job-phase" className="truncate text-[12px] text-slate-500 dark:text-slate-400">
          {phase}…
        </span>
        {importJob && (
          <button
            type="button"
            onClick={cancelImport}
            className="shrink-0 rounded-md border border-slate-300 px-2.5 py-1 text-[12.5px] font-medium text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            Cancel
          </button>
        )}
      </div>
    </section>
  );
}
