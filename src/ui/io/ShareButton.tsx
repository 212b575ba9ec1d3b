// Share: the whole document compressed into the link's fragment (#doc=...). The fragment
// never reaches a server; opening the link validates the document like an import.
import { useEffect, useRef, useState } from 'react';
import { commandsSettled } from '../actions/commands';
import { useDocumentStore } from '../store/document';
import { shareUrl } from './client';

type State =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'ready'; url: string; copied: boolean }
  | { kind: 'error'; message: string };

export function ShareButton() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const boxRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (state.kind === 'idle' || state.kind === 'busy') return;
    const onDown = (e: PointerEvent) => {
      if (boxRef.current && !boxRef.current.contains(e.target as Node)) setState({ kind: 'idle' });
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setState({ kind: 'idle' });
    window.addEventListener('pointerdown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [state.kind]);
  useEffect(() => {
    if (state.kind === 'ready') inputRef.current?.select();
  }, [state]);

  const share = async () => {
    setState({ kind: 'busy' });
    try {
      await commandsSettled();
      const url = await shareUrl(useDocumentStore.getState().doc);
      let copied = false;
      try {
        await navigator.clipboard.writeText(url);
        copied = true;
      } catch {
        // No clipboard permission: the link is shown selected for Ctrl+C.
      }
      setState({ kind: 'ready', url, copied });
    } catch (e) {
      setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <div className="relative" ref={boxRef}>
      <button
        type="button"
        onClick={() => void share()}
        disabled={state.kind === 'busy'}
        aria-label="Share link"
        title="Copy a link that opens this topology"
        className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-[13px] font-medium text-slate-700 transition hover:bg-slate-100 disabled:opacity-60 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        <svg
          viewBox="0 0 16 16"
          className="size-4"
          aria-hidden="true"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
        >
          <path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8" />
        </svg>
        Share
      </button>
      {(state.kind === 'ready' || state.kind === 'error') && (
        <div
          role="dialog"
          aria-label="Share link"
          className="absolute right-0 top-full z-50 mt-1.5 w-[420px] rounded-lg border border-slate-200 bg-white p-3 text-[12.5px] shadow-xl dark:border-slate-700 dark:bg-slate-900"
        >
          {state.kind === 'error' ? (
            <p className="text-red-700 dark:text-red-300">Could not make a link: {state.message}</p>
          ) : (
            <>
              <p className="mb-2 text-slate-600 dark:text-slate-300">
                {state.copied ? 'Link copied. ' : ''}Anyone who opens it gets a copy of this topology (
                {Math.ceil(state.url.length / 1024)} KB link, nothing is uploaded).
              </p>
              <input
                ref={inputRef}
                readOnly
                value={state.url}
                aria-label="Share URL"
                onFocus={(e) => e.currentTarget.select()}
                className="w-full rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-[11.5px] text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200"
              />
            </>
          )}
        </div>
      )}
    </div>
  );
}
