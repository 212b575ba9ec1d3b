// What if: the packet traced before an edit and the same packet on the edited datacenter, side
// by side: both verdicts, both summaries (the HNV flow's steps of every packet, paired packet by
// packet), the first step where they part highlighted, the other differing steps tinted. The new trace is the current one: a row of it selects its
// step for the inspector and the canvas.
import { useMemo } from 'react';
import type { TraceVerdict } from '../../engine/index';
import { type TraceSide, useTraceStore } from '../store/trace';
import { compareTraces, type WhatIfRow } from './eventList';

export function WhatIfView() {
  const whatIf = useTraceStore((s) => s.whatIf);
  const close = useTraceStore((s) => s.closeWhatIf);
  const selectStep = useTraceStore((s) => s.selectStep);
  const selected = useTraceStore((s) => s.stepIndex);
  const compared = useMemo(
    () => (whatIf ? compareTraces(whatIf.before.steps, whatIf.after.steps) : null),
    [whatIf],
  );
  if (!whatIf || !compared) return null;
  return (
    <div
      className="flex min-h-0 flex-1 flex-col border-t border-slate-200 dark:border-slate-800"
      data-testid="what-if"
    >
      <div className="flex items-center gap-2 px-3 py-1">
        <h3 className="min-w-0 flex-1 truncate font-semibold">
          What if: the same packet before and after the edit
        </h3>
        <span className="shrink-0 text-[11px] text-slate-500" data-testid="what-if-summary">
          {compared.first < 0 ? 'the same steps' : `first difference: row ${compared.first + 1}`}
        </span>
        <button
          type="button"
          data-testid="what-if-close"
          onClick={close}
          title="Back to the event list of the new trace"
          className="shrink-0 rounded border border-slate-300 px-1.5 py-0.5 text-[11px] hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Close
        </button>
      </div>
      <div className="grid min-h-0 flex-1 grid-cols-2 gap-x-2 overflow-auto px-3 pb-1">
        <Side
          testId="what-if-before"
          title="Before"
          side={whatIf.before}
          rows={compared.rows}
          pick="before"
        />
        <Side
          testId="what-if-after"
          title="After"
          side={whatIf.after}
          rows={compared.rows}
          pick="after"
          selected={selected}
          onSelect={selectStep}
        />
      </div>
    </div>
  );
}

function Side({
  testId,
  title,
  side,
  rows,
  pick,
  selected,
  onSelect,
}: {
  testId: string;
  title: string;
  side: TraceSide;
  rows: WhatIfRow[];
  pick: 'before' | 'after';
  selected?: number;
  onSelect?(index: number): void;
}) {
  let first = true;
  const updates = side.steps.filter((s) => s.kind === 'control-plane').length;
  return (
    <section className="min-w-0" data-testid={testId} aria-label={`${title} the edit`}>
      <div className="sticky top-0 z-10 bg-white pb-0.5 dark:bg-slate-950">
        <div className="flex gap-2 text-[10px] font-semibold uppercase tracking-wide text-slate-500">
          {title}
          {updates > 0 && (
            <span
              className="font-normal normal-case tracking-normal"
              title="Shown with all steps in the event list"
            >
              after {updates} controller updates
            </span>
          )}
        </div>
        <Verdict verdict={side.trace.verdict} />
      </div>
      <ol>
        {rows.map((row, i) => {
          const step = row[pick];
          const firstDiff = row.differs && first;
          if (row.differs) first = false;
          const key = `${i}-${step?.index ?? 'none'}`;
          if (!step)
            return (
              <li
                key={key}
                aria-hidden="true"
                className="h-[18px] border-l-2 border-transparent pl-1 text-[11px] leading-[18px] text-slate-300 dark:text-slate-700"
              >
                {row.differs ? '—' : ''}
              </li>
            );
          const header = step.kind === 'packet';
          return (
            <li
              key={key}
              data-kind={step.kind}
              data-first-diff={firstDiff ? 'true' : undefined}
              data-differs={row.differs ? 'true' : undefined}
              data-only={row.only}
              data-selected={selected === step.index ? 'true' : undefined}
              title={row.only ? `${step.title} (only ${row.only} the edit)` : step.title}
              onClick={onSelect ? () => onSelect(step.index) : undefined}
              className={`h-[18px] truncate border-l-2 pl-1 text-[11px] leading-[18px] ${
                onSelect ? 'cursor-pointer' : ''
              } ${header ? 'font-semibold' : ''} ${row.only ? 'text-slate-400 italic' : ''} ${
                firstDiff
                  ? 'border-amber-500 bg-amber-100 dark:bg-amber-900/60'
                  : selected === step.index
                    ? 'border-sky-600 bg-sky-50 dark:bg-sky-950'
                    : row.differs
                      ? 'border-amber-300 bg-amber-50/60 dark:bg-amber-950/40'
                      : step.dropped
                        ? 'border-rose-500 text-rose-700 dark:text-rose-300'
                        : 'border-transparent'
              }`}
            >
              {header ? '▣ ' : ''}
              {step.title}
              {header && row.only ? ` · only ${row.only}` : ''}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function Verdict({ verdict }: { verdict: TraceVerdict }) {
  return (
    <div
      data-outcome={verdict.outcome}
      className={`truncate rounded px-1 text-[11px] font-medium ${
        verdict.outcome === 'delivered'
          ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200'
          : 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200'
      }`}
      title={verdict.reason}
    >
      {verdict.outcome === 'delivered' ? `✔ Delivered to ${verdict.at}` : `✖ Dropped at ${verdict.at}`}
      {verdict.reason ? `: ${verdict.reason}` : ''}
    </div>
  );
}
