// The trace as an event list (Packet Tracer's simulation mode): a row per step with its step
// number, where the packet came from, where it is, what happened and which layer acted.
// A summary level keeps the HNV flow's steps; each packet folds, opens to its summary or shows
// all its steps; filter chips hide a protocol or a kind of detail. The selected row feeds the
// inspector and the canvas; play and step walk the rows shown here (see the trace store).
import { memo, useEffect, useMemo, useRef } from 'react';
import { type TraceStep, useTraceStore } from '../store/trace';
import {
  DETAIL_FILTERS,
  type EventFilter,
  type EventRow,
  filterLabel,
  type PacketMode,
  PROTOCOL_FILTERS,
} from './eventList';
import { PathBadge } from './PathBadge';

const ICONS: Record<TraceStep['kind'], string> = {
  packet: '▣',
  hop: '→',
  stage: '▤',
  rule: '◆',
  lookup: '⌕',
  action: '⚙',
  'flow-cache': '⚡',
  output: '⇥',
  deliver: '✔',
  drop: '✖',
  'control-plane': '☁',
};

/** Step · from · at · what · layer; on a narrow pane (a phone) step · at · what. */
const COLUMNS =
  'grid grid-cols-[1.75rem_4.5rem_minmax(0,1fr)] @md:grid-cols-[1.75rem_4.5rem_4.5rem_minmax(0,1fr)_3.75rem] gap-x-1.5';
const WIDE_ONLY = 'hidden @md:block';

/** Summary or all steps, and the button that opens the filter chips (in the timeline's row). */
export function EventLevelControls() {
  const level = useTraceStore((s) => s.view.level);
  const hidden = useTraceStore((s) => s.view.hidden);
  const filtersOpen = useTraceStore((s) => s.view.filtersOpen);
  const setLevel = useTraceStore((s) => s.setLevel);
  const setFiltersOpen = useTraceStore((s) => s.setFiltersOpen);
  return (
    <>
      <fieldset
        className="flex shrink-0 rounded border border-slate-300 text-[11px] dark:border-slate-700"
        aria-label="Level"
      >
        {(
          [
            [
              'summary',
              'Summary',
              'The steps of the HNV forwarding flow; open a packet for all of its steps',
            ],
            [
              'detail',
              'All steps',
              'Every step: VFP layers, groups and rules, PA ARP, flow-table bookkeeping',
            ],
          ] as const
        ).map(([id, label, title]) => (
          <button
            key={id}
            type="button"
            data-level={id}
            aria-pressed={level === id}
            title={title}
            onClick={() => setLevel(id)}
            className={`whitespace-nowrap px-1.5 py-0.5 first:rounded-l last:rounded-r ${
              level === id
                ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900'
                : 'hover:bg-slate-100 dark:hover:bg-slate-800'
            }`}
          >
            {label}
          </button>
        ))}
      </fieldset>
      <button
        type="button"
        data-testid="event-filters"
        aria-expanded={filtersOpen}
        onClick={() => setFiltersOpen(!filtersOpen)}
        title="Show or hide protocols and kinds of detail"
        className={`shrink-0 whitespace-nowrap rounded border px-1.5 py-0.5 text-[11px] ${
          hidden.length
            ? 'border-amber-400 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100'
            : 'border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800'
        }`}
      >
        Filters{hidden.length ? ` · ${hidden.length} off` : ''} {filtersOpen ? '▴' : '▾'}
      </button>
    </>
  );
}

/** The filter chips: a chip pressed shows its rows; one released hides them. */
export function EventFilterChips() {
  const hidden = useTraceStore((s) => s.view.hidden);
  const open = useTraceStore((s) => s.view.filtersOpen);
  const toggleFilter = useTraceStore((s) => s.toggleFilter);
  const clearFilters = useTraceStore((s) => s.clearFilters);
  const rows = useTraceStore((s) => s.rows);
  const v1 = useTraceStore((s) => s.trace?.hnvMode === 'v1');
  // Only the protocols this trace has; every kind of detail.
  const protocols = useMemo(() => {
    const present = new Set(rows.map((r) => r.protocol));
    return PROTOCOL_FILTERS.filter((p) => present.has(p));
  }, [rows]);
  if (!open) return null;
  const chip = (f: EventFilter) => {
    const shown = !hidden.includes(f);
    return (
      <button
        key={f}
        type="button"
        data-filter={f}
        aria-pressed={shown}
        onClick={() => toggleFilter(f)}
        title={shown ? `Hide ${filterLabel(f, v1)} rows` : `Show ${filterLabel(f, v1)} rows`}
        className={`whitespace-nowrap rounded border px-1 leading-4 ${
          shown
            ? 'border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100'
            : 'border-slate-200 text-slate-400 line-through dark:border-slate-800'
        }`}
      >
        {filterLabel(f, v1)}
      </button>
    );
  };
  return (
    <div
      className="flex flex-wrap items-center gap-1 border-b border-slate-200 px-3 py-0.5 text-[11px] dark:border-slate-800"
      data-testid="event-filter-chips"
      role="toolbar"
      aria-label="Filters"
    >
      <span className="text-slate-500">Show</span>
      {protocols.map(chip)}
      <span className="text-slate-300 dark:text-slate-700">|</span>
      {DETAIL_FILTERS.map(chip)}
      {hidden.length > 0 && (
        <button
          type="button"
          onClick={clearFilters}
          className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-300"
        >
          show all
        </button>
      )}
    </div>
  );
}

export function EventList() {
  const steps = useTraceStore((s) => s.steps);
  const rows = useTraceStore((s) => s.rows);
  const visible = useTraceStore((s) => s.visible);
  const packets = useTraceStore((s) => s.view.packets);
  const selected = useTraceStore((s) => s.stepIndex);
  const trace = useTraceStore((s) => s.trace);
  const selectStep = useTraceStore((s) => s.selectStep);
  const setPacketMode = useTraceStore((s) => s.setPacketMode);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.querySelector(`[data-step-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  // Steps per packet, for the folded rows' "n steps".
  const counts = useMemo(() => {
    const out: number[] = [];
    for (const s of steps) out[s.packetIndex] = (out[s.packetIndex] ?? 0) + 1;
    return out;
  }, [steps]);
  return (
    <div className="@container flex min-h-0 flex-1 flex-col" data-testid="event-list">
      <div
        aria-hidden="true"
        className={`${COLUMNS} border-b border-slate-200 py-0.5 pr-2 pl-[10px] text-[10px] font-semibold text-slate-500 dark:border-slate-800`}
      >
        <span title="The step's number in the whole trace, in the order the engine executed it">Step</span>
        <span className={WIDE_ONLY} title="Where the packet was before (Packet Tracer's last device)">
          From
        </span>
        <span>At</span>
        <span>What</span>
        <span className={WIDE_ONLY}>Layer</span>
      </div>
      <ol ref={list} className="min-h-0 flex-1 overflow-auto pb-1" data-testid="trace-steps">
        {visible.map((i, k) => {
          const step = steps[i];
          const row = rows[i];
          const above = k > 0 ? rows[visible[k - 1]] : undefined;
          if (step.kind === 'packet') {
            const packet = trace?.packets[step.packetIndex];
            return (
              <PacketRow
                key={i}
                step={step}
                mode={packets[step.packetIndex] ?? 'summary'}
                steps={counts[step.packetIndex] ?? 0}
                verdict={packet?.verdict}
                selected={i === selected}
                onSelect={selectStep}
                onMode={setPacketMode}
              />
            );
          }
          return (
            <StepRow
              key={i}
              step={step}
              row={row}
              sameFrom={above?.from === row.from}
              sameAt={above?.at === row.at}
              selected={i === selected}
              onSelect={selectStep}
            />
          );
        })}
      </ol>
    </div>
  );
}

const PacketRow = memo(function PacketRow({
  step,
  mode,
  steps,
  verdict,
  selected,
  onSelect,
  onMode,
}: {
  step: TraceStep;
  mode: PacketMode;
  steps: number;
  verdict?: { outcome: 'delivered' | 'dropped'; at: string };
  selected: boolean;
  onSelect(i: number): void;
  onMode(packetIndex: number, mode: PacketMode): void;
}) {
  const open = mode !== 'collapsed';
  const v1 = useTraceStore((s) => s.trace?.hnvMode === 'v1');
  return (
    <li
      data-step-index={step.index}
      data-kind="packet"
      data-packet={step.packetIndex}
      data-mode={mode}
      data-selected={selected ? 'true' : undefined}
      onClick={() => onSelect(step.index)}
      className={`mt-0.5 flex cursor-pointer items-center gap-1 border-l-2 py-0.5 pr-2 pl-1 font-semibold ${
        selected
          ? 'border-sky-600 bg-sky-50 dark:bg-sky-950'
          : 'border-transparent bg-slate-50 hover:bg-slate-100 dark:bg-slate-900 dark:hover:bg-slate-800'
      }`}
    >
      <button
        type="button"
        aria-expanded={open}
        aria-label={open ? `Fold ${step.packetLabel}` : `Open ${step.packetLabel}`}
        onClick={(e) => {
          e.stopPropagation();
          onMode(step.packetIndex, open ? 'collapsed' : 'summary');
        }}
        className="w-4 shrink-0 text-slate-500 hover:text-slate-900 dark:hover:text-slate-100"
      >
        {open ? '▾' : '▸'}
      </button>
      <span className="min-w-0 flex-1 truncate" title={step.title}>
        {step.title}
      </span>
      {!open && verdict && (
        <span
          className={`shrink-0 text-[11px] font-normal ${verdict.outcome === 'delivered' ? 'text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'}`}
        >
          {verdict.outcome === 'delivered' ? '✔' : '✖'} {steps} steps
        </span>
      )}
      <PathBadge path={step.path} v1={v1} />
      <button
        type="button"
        data-testid="packet-detail"
        aria-pressed={mode === 'detail'}
        title={
          mode === 'detail'
            ? 'Back to the summary of this packet'
            : `Every step of this packet (${steps}): VFP layers, groups and rules, PA ARP, flow-table bookkeeping`
        }
        onClick={(e) => {
          e.stopPropagation();
          onMode(step.packetIndex, mode === 'detail' ? 'summary' : 'detail');
        }}
        className="shrink-0 rounded border border-slate-300 px-1 text-[10px] font-normal leading-4 text-slate-600 hover:bg-white dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-950"
      >
        {mode === 'detail' ? 'summary' : 'all steps'}
      </button>
    </li>
  );
});

/**
 * A rule hit's title and its origin apart (read from the step's typed event); other steps as
 * they are. HNVv1 has no VFP rules: its policy entries are not named by rule id and priority.
 */
function splitTitle(step: TraceStep, v1: boolean): { title: string; origin?: string } {
  const what = step.node.what;
  if (what?.type === 'rule' && what.hit)
    return {
      title: v1
        ? what.isDefault
          ? 'default'
          : 'policy applies'
        : `${what.isDefault ? 'default rule' : 'rule'} ${what.ruleId} (priority ${what.priority}) matches`,
      origin: what.origin,
    };
  // A CA-PA lookup's origin is the record its title already names.
  if (what?.type === 'ca-pa') return { title: step.title };
  return { title: step.title, origin: step.origin };
}

// Memoised: while playing, only the two rows whose selection changed re-render. The selected
// row opens up: the whole sentence, the VFP chips and the rule's origin.
const StepRow = memo(function StepRow({
  step,
  row,
  sameFrom,
  sameAt,
  selected,
  onSelect,
}: {
  step: TraceStep;
  row: EventRow;
  /** The row above says the same: this one's text is faint, so changes of place stand out. */
  sameFrom: boolean;
  sameAt: boolean;
  selected: boolean;
  onSelect(i: number): void;
}) {
  const miss = step.kind === 'rule' && step.node.kind === 'rule' && !step.node.hit;
  const w = step.where;
  // HNVv1's steps carry no VFP layer, group or rule to show.
  const v1 = useTraceStore((s) => s.trace?.hnvMode === 'v1');
  const vfp = !v1 && (step.kind === 'rule' || step.kind === 'stage');
  const { title, origin } = splitTitle(step, v1);
  const cell = 'truncate text-[10.5px]';
  return (
    <li
      data-step-index={step.index}
      data-kind={step.kind}
      data-category={row.category}
      data-summary={row.summary ? 'true' : undefined}
      data-selected={selected ? 'true' : undefined}
      data-dropped={step.dropped ? 'true' : undefined}
      onClick={() => onSelect(step.index)}
      className={`${COLUMNS} cursor-pointer items-baseline border-l-2 py-[1px] pr-2 pl-2 text-[11.5px] ${
        selected
          ? 'border-sky-600 bg-sky-50 dark:bg-sky-950'
          : step.dropped
            ? 'border-rose-600 bg-rose-50 dark:bg-rose-950/50'
            : 'border-transparent hover:bg-slate-50 dark:hover:bg-slate-900'
      } ${miss ? 'text-slate-400' : ''} ${step.dropped ? 'font-semibold text-rose-700 dark:text-rose-300' : ''}`}
    >
      <span className="text-right font-mono text-[10px] text-slate-400">{step.index + 1}</span>
      <span
        className={`${WIDE_ONLY} ${cell} ${sameFrom ? 'text-slate-300 dark:text-slate-600' : 'text-slate-500'}`}
        title={row.from}
      >
        {row.from}
      </span>
      <span className={`${cell} ${sameAt ? 'text-slate-300 dark:text-slate-600' : ''}`} title={row.at}>
        {row.at}
      </span>
      <div className="min-w-0">
        <div className="flex items-baseline gap-1" style={{ paddingLeft: Math.max(0, step.depth - 1) * 10 }}>
          <span className="w-3 shrink-0 text-center text-slate-400">{ICONS[step.kind]}</span>
          <span
            className={`min-w-0 flex-1 ${selected ? '' : 'truncate'}`}
            title={selected ? undefined : title}
          >
            {title}
          </span>
          {step.kind === 'flow-cache' &&
            step.node.kind === 'flow-cache' &&
            step.node.event !== 'invalidate' && (
              <PathBadge path={step.node.event === 'hit' ? 'fast' : 'slow'} v1={v1} />
            )}
          {step.frameIsOwn && step.frame && (
            <span
              className="shrink-0 font-mono text-[10px] text-slate-400"
              title="This step carries a frame: see the inspector"
            >
              {step.frame.length} B
            </span>
          )}
        </div>
        {selected && vfp && !miss && (w.layer || w.group || w.ruleId) && (
          <div className="ml-4 flex flex-wrap gap-1 text-[10px] text-slate-500">
            {w.layer && <Chip label="layer" value={w.layer} />}
            {w.group && <Chip label="group" value={w.group} />}
            {step.kind === 'rule' && w.ruleId && <Chip label="rule" value={w.ruleId} />}
            {w.hostName && <Chip label="on" value={w.hostName} />}
          </div>
        )}
        {origin && !miss && (
          <div
            className={`ml-4 text-[11px] text-teal-700 dark:text-teal-300 ${selected ? '' : 'truncate'}`}
            data-origin
          >
            <span className="text-slate-400">origin:</span> {origin}
          </div>
        )}
        {step.reason && !step.title.includes(step.reason) && (
          <div className="ml-4 text-[11px] font-medium text-rose-700 dark:text-rose-300">{step.reason}</div>
        )}
      </div>
      <span className={`${WIDE_ONLY} ${cell} text-slate-500`} title={row.layer}>
        {row.layer}
      </span>
    </li>
  );
});

function Chip({ label, value }: { label: string; value: string }) {
  return (
    <span className="rounded bg-slate-100 px-1 dark:bg-slate-800">
      {label} <span className="font-mono text-slate-700 dark:text-slate-200">{value}</span>
    </span>
  );
}
