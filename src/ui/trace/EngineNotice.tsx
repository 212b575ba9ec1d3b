// "The engine restarted; nothing was lost": shown when the worker died and was re-seeded.
import { useEffect, useSyncExternalStore } from 'react';
import { engineStatus } from '../../worker/client';

export function EngineNotice() {
  const status = useSyncExternalStore(engineStatus.subscribe, engineStatus.get);
  const crash = status.lastCrash;
  // Once recovered, the notice steps aside by itself after a while.
  useEffect(() => {
    if (!crash?.recovered) return;
    const timer = setTimeout(() => engineStatus.dismissNotice(), 15_000);
    return () => clearTimeout(timer);
  }, [crash]);
  if (status.state === 'failed') {
    return (
      <div
        role="alert"
        data-testid="engine-notice"
        className="fixed right-4 bottom-4 z-50 max-w-sm rounded-lg border border-rose-300 bg-rose-50 px-4 py-3 text-[13px] text-rose-900 shadow-lg"
      >
        <strong>The engine keeps crashing.</strong> Your document is safe in this tab; reload the page to
        start a fresh engine.
      </div>
    );
  }
  if (!crash) return null;
  return (
    <div
      role="status"
      data-testid="engine-notice"
      className="fixed right-4 bottom-4 z-50 flex max-w-sm items-start gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-[13px] text-amber-950 shadow-lg"
    >
      <div>
        {crash.recovered ? (
          <>
            <strong>The engine restarted; nothing was lost.</strong>
            <div className="text-[12px] text-amber-800">
              Cause: {crash.reason}. A fresh engine was started and given your current document.
            </div>
          </>
        ) : (
          <strong>The engine stopped; restarting it…</strong>
        )}
      </div>
      <button
        type="button"
        aria-label="Dismiss"
        className="ml-auto text-amber-700 hover:text-amber-950"
        onClick={() => engineStatus.dismissNotice()}
      >
        ✕
      </button>
    </div>
  );
}
