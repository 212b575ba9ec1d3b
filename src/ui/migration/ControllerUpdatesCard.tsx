// After a live migration: which host agents got which southbound updates from the controller,
// and a replay of a packet sent while those updates converge (warm or cold flow cache).
import { useMemo, useState } from 'react';
import { useDocumentStore } from '../store/document';
import { useMigrationStore } from '../store/migration';
import { type HostRole, summarizeUpdates } from './summary';

const ROLE: Record<HostRole, string> = {
  source: 'the VM left',
  destination: 'the VM arrived',
  peer: 'talks to the VM',
};

export function ControllerUpdatesCard() {
  const doc = useDocumentStore((s) => s.doc);
  const { last, dismissed, convergence, dismiss, setWarmFlowCache, runConvergence } = useMigrationStore();
  // Folded, the card is one line: the properties panel below it gets the height back.
  const [folded, setFolded] = useState(false);
  const groups = useMemo(() => (last?.updates ? summarizeUpdates(last.updates, last.after) : []), [last]);
  // Undo (or a later move) puts the VM elsewhere: these updates no longer describe the document.
  const current = last && doc.vms.find((v) => v.id === last.vmId)?.hostId === last.toHostId;
  if (!last || dismissed || !current) return null;
  const hostName = (id: string) => last.after.hosts.find((h) => h.id === id)?.name ?? id;
  const result = convergence.result;
  const waiting = groups.filter((g) => g.role === 'peer').map((g) => g.hostName);
  return (
    <section
      aria-label="Controller updates"
      data-testid="controller-updates"
      data-folded={folded ? 'true' : undefined}
      className="flex max-h-[42%] shrink-0 flex-col border-b-4 border-sky-100 bg-sky-50/40 text-[12px] dark:border-sky-950 dark:bg-sky-950/20"
    >
      <header className="flex items-start gap-2 border-b border-slate-200 px-3 py-1.5 dark:border-slate-700">
        <button
          type="button"
          aria-expanded={!folded}
          aria-label={folded ? 'Show controller updates' : 'Fold controller updates'}
          onClick={() => setFolded(!folded)}
          className="w-3 text-slate-400 hover:text-slate-700 dark:hover:text-slate-200"
        >
          {folded ? '▸' : '▾'}
        </button>
        <div className="min-w-0 flex-1">
          <h2 className="truncate text-[13px] font-semibold">
            Controller updates{' '}
            <span className="font-normal text-slate-500 dark:text-slate-400">
              · {last.vmLabel}: {hostName(last.fromHostId)} → {hostName(last.toHostId)}
            </span>
          </h2>
        </div>
        <button
          type="button"
          aria-label="Close controller updates"
          onClick={dismiss}
          className="text-slate-400 hover:text-slate-700 dark:hover:text-slate-200"
        >
          ×
        </button>
      </header>
      <div className={`min-h-0 flex-1 overflow-y-auto px-3 py-1.5 ${folded ? 'hidden' : ''}`}>
        {last.updates === null ? (
          <p className="text-slate-500">The controller is computing the updates…</p>
        ) : last.error ? (
          <p role="alert" className="text-rose-700 dark:text-rose-300">
            {last.error}
          </p>
        ) : groups.length === 0 ? (
          <p className="text-slate-500">No host needed an update.</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {groups.map((g) => (
              <li
                key={g.hostId}
                data-testid="controller-updates-host"
                data-host={g.hostName}
                data-role={g.role}
              >
                <div className="flex items-baseline gap-1.5">
                  <span className="font-semibold">{g.hostName}</span>
                  <span className="text-[11px] text-slate-500 dark:text-slate-400">
                    {ROLE[g.role]} · {g.count} update{g.count === 1 ? '' : 's'}
                  </span>
                </div>
                <ul className="mt-0.5 flex flex-col gap-0.5">
                  {g.lines.map((line) => (
                    <li key={line.text} className="flex gap-1.5">
                      <span
                        aria-hidden="true"
                        className={`w-3 shrink-0 text-center font-semibold ${
                          line.sign === '+'
                            ? 'text-emerald-600'
                            : line.sign === '−'
                              ? 'text-rose-600'
                              : 'text-sky-600'
                        }`}
                      >
                        {line.sign}
                      </span>
                      <span className="min-w-0 break-words">{line.text}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </div>
      <footer
        className={`border-t border-slate-200 px-3 py-1.5 dark:border-slate-700 ${folded ? 'hidden' : ''}`}
      >
        <p className="mb-1 text-slate-600 dark:text-slate-300">
          {waiting.length
            ? `A packet sent before ${waiting.join(', ')} ${waiting.length === 1 ? 'gets its' : 'get their'} update:`
            : 'A packet sent while the updates are still in flight:'}
        </p>
        <div className="flex items-center gap-2">
          <label className="flex items-center gap-1 text-slate-600 dark:text-slate-300">
            <input
              type="checkbox"
              checked={convergence.warmFlowCache}
              onChange={(e) => setWarmFlowCache(e.target.checked)}
              data-testid="convergence-warm"
            />
            warm flow cache
          </label>
          <button
            type="button"
            data-testid="convergence-run"
            disabled={convergence.status === 'running' || last.updates === null}
            onClick={() => void runConvergence()}
            className="ml-auto rounded-md bg-sky-600 px-2.5 py-0.5 font-medium text-white hover:bg-sky-700 disabled:opacity-50"
          >
            {convergence.status === 'running' ? 'Tracing…' : 'Trace during convergence'}
          </button>
        </div>
        {convergence.status === 'error' && (
          <p role="alert" className="mt-1.5 text-rose-700 dark:text-rose-300">
            {convergence.error}
          </p>
        )}
        {convergence.status === 'done' && result?.stale && result.corrected && result.moved && (
          <ol className="mt-1.5 flex flex-col gap-0.5" data-testid="convergence-result">
            <li className="text-rose-700 dark:text-rose-300" data-outcome={result.stale.outcome}>
              ✖ Stale ({convergence.warmFlowCache ? 'cached flow' : 'slow path'}): sent to the old PA{' '}
              {result.moved.oldPa}, {result.stale.outcome} at {result.stale.at}
            </li>
            <li className="text-emerald-700 dark:text-emerald-300" data-outcome={result.corrected.outcome}>
              ✔ After the update: new PA {result.moved.newPa}, {result.corrected.outcome} to{' '}
              {result.corrected.at}
            </li>
          </ol>
        )}
      </footer>
    </section>
  );
}
