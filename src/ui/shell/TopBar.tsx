import { useMemo } from 'react';
import type { VirtualSubnet } from '../../engine/model/schema';
import { ImportExportMenu, ShareButton } from '../io';
import { LessonsButton } from '../lessons';
import { useDocumentStore } from '../store/document';
import { openScenario, SCENARIOS } from './scenarios';

const button =
  'inline-flex h-7 items-center justify-center rounded px-2 text-[13px] text-slate-600 hover:bg-slate-100 disabled:opacity-35 disabled:hover:bg-transparent dark:text-slate-300 dark:hover:bg-slate-800';

export function TopBar() {
  const scenarioId = useDocumentStore((s) => s.scenarioId);
  const view = useDocumentStore((s) => s.view);
  const setView = useDocumentStore((s) => s.setView);
  const hnvMode = useDocumentStore((s) => s.doc.hnvMode);
  const subnets = useDocumentStore((s) => s.doc.virtualSubnets);
  const carriage = useMemo(() => carriageOf(subnets, hnvMode), [subnets, hnvMode]);
  const canUndo = useDocumentStore((s) => s.past.length > 0);
  const canRedo = useDocumentStore((s) => s.future.length > 0);
  const undoLabel = useDocumentStore((s) => s.past.at(-1)?.label);
  const redoLabel = useDocumentStore((s) => s.future[0]?.label);
  const errorCount = useDocumentStore((s) => s.validation.errors.length);
  const theme = useDocumentStore((s) => s.theme);
  const store = useDocumentStore.getState;

  return (
    <header className="flex h-11 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-3 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-center gap-2">
        <Logo />
        <h1 className="whitespace-nowrap text-[14px] font-semibold tracking-tight text-slate-900 dark:text-slate-50">
          HNV Lab
        </h1>
      </div>
      <div className="h-5 w-px bg-slate-200 dark:bg-slate-700" />
      <label className="flex items-center gap-1.5 text-[12px] text-slate-500 dark:text-slate-400">
        Scenario
        <select
          aria-label="Scenario"
          value={scenarioId}
          onChange={(e) => openScenario(e.target.value)}
          className="h-7 max-w-[260px] rounded border border-slate-300 bg-white px-1.5 text-[13px] text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
        >
          {SCENARIOS.map((s) => (
            <option key={s.id} value={s.id} title={s.description}>
              {s.title}
            </option>
          ))}
          <option value="empty">New (empty)</option>
        </select>
      </label>
      <div role="toolbar" aria-label="View" className="flex rounded-md bg-slate-100 p-0.5 dark:bg-slate-800">
        {(['physical', 'virtual'] as const).map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={view === v}
            onClick={() => setView(v)}
            className={`rounded px-3 py-0.5 text-[13px] font-medium capitalize transition ${
              view === v
                ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-700 dark:text-slate-50'
                : 'text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200'
            }`}
          >
            {v === 'physical' ? 'Physical' : 'Virtual'}
          </button>
        ))}
      </div>
      <span
        className="whitespace-nowrap rounded-full border border-slate-300 px-2 py-px text-[11px] font-medium text-slate-600 dark:border-slate-600 dark:text-slate-300"
        title={
          hnvMode === 'v2'
            ? 'Windows Server 2016+: VXLAN, one PA per team member'
            : 'Windows Server 2012 R2: NVGRE, one PA per VSID per host'
        }
      >
        {`HNV${hnvMode} · ${carriage}`}
      </span>
      <button
        type="button"
        aria-label={errorCount === 0 ? 'No validation problems' : `${errorCount} validation problems`}
        onClick={() => {
          store().select([]);
          store().setRightTab('properties');
        }}
        className={`inline-flex h-6 items-center gap-1 whitespace-nowrap rounded-full px-2 text-[11px] font-medium ${
          errorCount === 0
            ? 'bg-emerald-50 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300'
            : 'bg-red-50 text-red-700 dark:bg-red-950 dark:text-red-300'
        }`}
      >
        {errorCount === 0 ? '✓ valid' : `${errorCount} ${errorCount === 1 ? 'problem' : 'problems'}`}
      </button>
      <div className="ml-auto flex items-center gap-1">
        <LessonsButton />
        <ImportExportMenu />
        <ShareButton />
      </div>
      <div className="flex items-center gap-0.5">
        <button
          type="button"
          className={button}
          aria-label="Undo"
          title={`Undo ${undoLabel ?? ''} (Ctrl+Z)`}
          disabled={!canUndo}
          onClick={() => store().undo()}
        >
          <Icon d="M4 8h8a4 4 0 0 1 0 8H9M4 8l3-3M4 8l3 3" />
        </button>
        <button
          type="button"
          className={button}
          aria-label="Redo"
          title={`Redo ${redoLabel ?? ''} (Ctrl+Shift+Z)`}
          disabled={!canRedo}
          onClick={() => store().redo()}
        >
          <Icon d="M16 8H8a4 4 0 0 0 0 8h3M16 8l-3-3M16 8l-3 3" />
        </button>
        <div className="mx-1 h-5 w-px bg-slate-200 dark:bg-slate-700" />
        <button
          type="button"
          className={button}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          onClick={() => store().setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? (
            <Icon d="M10 3v1.5M10 15.5V17M3 10h1.5M15.5 10H17M5 5l1 1M14 14l1 1M5 15l1-1M14 6l1-1M13 10a3 3 0 1 1-6 0 3 3 0 0 1 6 0Z" />
          ) : (
            <Icon d="M15.5 12.5A6 6 0 0 1 7.5 4.5a6 6 0 1 0 8 8Z" />
          )}
        </button>
        <button
          type="button"
          className={button}
          aria-label="Keyboard shortcuts and help"
          onClick={() => store().setHelpOpen(true)}
        >
          <span className="flex h-5 w-5 items-center justify-center rounded-full border border-current text-[11px] font-semibold">
            ?
          </span>
        </button>
      </div>
    </header>
  );
}

function Icon({ d }: { d: string }) {
  return (
    <svg
      viewBox="0 0 20 20"
      className="h-4 w-4"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
    >
      <path d={d} />
    </svg>
  );
}

function Logo() {
  return (
    <svg viewBox="0 0 24 24" className="h-5 w-5" aria-hidden>
      <rect x="2" y="2" width="20" height="20" rx="5" className="fill-sky-600" />
      <path d="M7 8h10M7 12h10M7 16h10" stroke="white" strokeWidth="1.6" strokeLinecap="round" />
      <circle cx="10" cy="12" r="1.6" fill="white" />
    </svg>
  );
}

/**
 * How the overlay is carried, as the subnets say: 'VXLAN', 'NVGRE', 'VXLAN + NVGRE' (a mix), or
 * the mode's default when no subnet is on the overlay yet.
 */
function carriageOf(subnets: readonly VirtualSubnet[], hnvMode: 'v1' | 'v2'): string {
  const used = new Set(subnets.filter((s) => s.isolation !== 'vlan').map((s) => s.encapsulation));
  if (used.size === 0) return hnvMode === 'v2' ? 'VXLAN' : 'NVGRE';
  return ['vxlan', 'nvgre']
    .filter((e) => used.has(e as VirtualSubnet['encapsulation']))
    .map((e) => e.toUpperCase())
    .join(' + ');
}
