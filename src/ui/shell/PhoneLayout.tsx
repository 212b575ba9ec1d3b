// A phone-sized window (390 px): the full lab needs ~1024 px, so instead of a sliver of it
// the lab opens read-only: pick a scenario and a view, look at the canvas, run a trace and
// read it. Editing, lessons and the inspector say to open a larger screen.
import { Canvas } from '../canvas/Canvas';
import { useDocumentStore } from '../store/document';
import { TracePanel } from '../trace';
import { Notices } from './Notices';
import { openScenario, SCENARIOS } from './scenarios';

/** Narrower than this, the lab opens in its read-only phone layout. */
export const PHONE_MAX_WIDTH = 820;

export function PhoneLayout() {
  const scenarioId = useDocumentStore((s) => s.scenarioId);
  const view = useDocumentStore((s) => s.view);
  const setView = useDocumentStore((s) => s.setView);
  return (
    <div
      data-testid="phone-layout"
      className="flex min-h-screen flex-col bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100"
    >
      <header className="flex flex-col gap-2 border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-[15px] font-semibold tracking-tight">HNV Lab</h1>
        <div className="flex items-center gap-2">
          <select
            aria-label="Scenario"
            value={scenarioId}
            onChange={(e) => openScenario(e.target.value)}
            className="h-8 min-w-0 flex-1 rounded border border-slate-300 bg-white px-1.5 text-[14px] dark:border-slate-600 dark:bg-slate-800"
          >
            {SCENARIOS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
          <div
            role="toolbar"
            aria-label="View"
            className="flex shrink-0 rounded-md bg-slate-100 p-0.5 dark:bg-slate-800"
          >
            {(['physical', 'virtual'] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={view === v}
                onClick={() => setView(v)}
                className={`rounded px-2.5 py-1 text-[13px] font-medium ${
                  view === v ? 'bg-white shadow-sm dark:bg-slate-700' : 'text-slate-500 dark:text-slate-400'
                }`}
              >
                {v === 'physical' ? 'Physical' : 'Virtual'}
              </button>
            ))}
          </div>
        </div>
      </header>
      <p
        role="note"
        data-testid="larger-screen-notice"
        className="border-b border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100"
      >
        <strong>Read-only on a small screen.</strong> You can look at each scenario and run a trace here; to
        build a datacenter, follow the lessons and inspect packets byte by byte, open HNV Lab on a screen at
        least 1024 px wide.
      </p>
      <Notices />
      <section
        aria-label="Canvas"
        className="relative h-[50vh] shrink-0 border-b border-slate-200 dark:border-slate-800"
      >
        <Canvas readOnly />
      </section>
      <section aria-label="Trace" className="bg-white dark:bg-slate-900">
        <TracePanel />
      </section>
    </div>
  );
}
