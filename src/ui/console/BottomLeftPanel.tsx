// The bottom-left pane: the packet trace, or the console.
import { useState } from 'react';
import { TracePanel } from '../trace';
import { ConsolePanel } from './ConsolePanel';

type Tab = 'trace' | 'console';

export function BottomLeftPanel() {
  const [tab, setTab] = useState<Tab>('trace');
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div
        role="tablist"
        aria-label="Trace or console"
        className="flex h-7 shrink-0 items-end gap-1 border-b border-slate-200 px-2 dark:border-slate-800"
      >
        {(['trace', 'console'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            onClick={() => setTab(t)}
            className={`-mb-px border-b-2 px-2 pb-1 text-[12px] font-medium ${
              tab === t
                ? 'border-sky-600 text-slate-900 dark:text-slate-50'
                : 'border-transparent text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200'
            }`}
          >
            {t === 'trace' ? 'Trace' : 'Console'}
          </button>
        ))}
      </div>
      {/* Both stay mounted: switching tabs keeps the trace form and the console's line. */}
      <section
        className={`min-h-0 flex-1 overflow-auto ${tab === 'trace' ? '' : 'hidden'}`}
        aria-label="Trace"
      >
        <TracePanel />
      </section>
      <section className={`min-h-0 flex-1 ${tab === 'console' ? '' : 'hidden'}`} aria-label="Console pane">
        <ConsolePanel />
      </section>
    </div>
  );
}
