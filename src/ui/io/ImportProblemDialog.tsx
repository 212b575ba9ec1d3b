// The dialog that explains why an import or a share link was refused: every error names
// the object, the field and the rule. The current document was not touched.
import { useEffect, useRef } from 'react';
import { dismissImportProblem, useImportProblem } from './client';

export function ImportProblemDialog() {
  const problem = useImportProblem((s) => s.problem);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (problem && !dialog.open) dialog.showModal();
    if (!problem && dialog.open) dialog.close();
  }, [problem]);
  const shown = problem?.errors.slice(0, 12) ?? [];
  const more = (problem?.errors.length ?? 0) - shown.length;
  return (
    <dialog
      ref={ref}
      onClose={dismissImportProblem}
      aria-labelledby="import-problem-title"
      className="m-auto w-[min(560px,92vw)] rounded-xl border border-slate-200 bg-white p-0 text-slate-800 shadow-2xl backdrop:bg-slate-900/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {problem && (
        <div className="flex flex-col gap-3 p-5">
          <h2 id="import-problem-title" className="text-[15px] font-semibold">
            Could not open {problem.source}
          </h2>
          <p className="text-[13px] text-slate-600 dark:text-slate-300">
            Nothing was changed: your current document is as it was. The problems found:
          </p>
          <ul className="flex max-h-[50vh] flex-col gap-1.5 overflow-y-auto" data-testid="import-errors">
            {shown.map((e) => (
              <li
                key={`${e.objectKind}|${e.objectId ?? ''}|${e.field}|${e.rule}|${e.message}`}
                className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[12.5px] dark:border-red-900 dark:bg-red-950/40"
              >
                <span className="block text-red-900 dark:text-red-100">{e.message}</span>
                <span className="mt-0.5 block font-mono text-[11px] text-red-700/80 dark:text-red-300/80">
                  {[
                    e.objectName ? `${e.objectKind} “${e.objectName}”` : e.objectKind,
                    e.field && `field ${e.field}`,
                    `rule ${e.rule}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </li>
            ))}
          </ul>
          {more > 0 && <p className="text-[12px] text-slate-500">…and {more} more.</p>}
          <div className="flex justify-end">
            <button
              type="button"
              onClick={dismissImportProblem}
              className="rounded-md bg-slate-800 px-3.5 py-1.5 text-[13px] font-medium text-white hover:bg-slate-900 dark:bg-slate-200 dark:text-slate-900"
            >
              OK
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
