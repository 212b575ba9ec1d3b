// The File menu: import (the lab's JSON or a Network Controller REST export), export both
// formats, and start over. Plus the quiet "Saved" indicator of the autosave.
import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { commandsSettled } from '../actions/commands';
import { startOver, useSaveStatus } from '../persistence';
import { useDocumentStore } from '../store/document';
import { download, fileSlug, importText, labJson, ncRestJson } from './client';

const item =
  'flex w-full items-center justify-between gap-4 rounded-md px-2.5 py-1.5 text-left text-[13px] text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800';

export function SaveIndicator() {
  const { state, error } = useSaveStatus();
  const label =
    state === 'error'
      ? 'Not saved'
      : state === 'other-tab'
        ? 'Not saving: open in another tab'
        : state === 'pending' || state === 'saving'
          ? 'Saving…'
          : state === 'saved'
            ? 'Saved'
            : '';
  return (
    <span
      data-testid="save-status"
      data-state={state}
      title={
        error ??
        (state === 'other-tab'
          ? 'Another tab of HNV Lab saves your work. Changes here are not saved until it closes; File › Export keeps a copy.'
          : 'Your work is saved in this browser on every change')
      }
      className={`inline-block min-w-[64px] text-[11.5px] ${state === 'error' ? 'font-medium text-red-600 dark:text-red-400' : state === 'other-tab' ? 'font-medium text-amber-700 dark:text-amber-400' : 'text-slate-400 dark:text-slate-500'}`}
    >
      {state === 'saved' ? '✓ ' : ''}
      {label}
    </span>
  );
}

export function ImportExportMenu() {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const boxRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (boxRef.current && !boxRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('pointerdown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  useEffect(() => {
    if (!open) setConfirming(false);
  }, [open]);

  const close = () => setOpen(false);
  const notify = (kind: 'error' | 'info', text: string) => useDocumentStore.getState().notify(kind, text);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = '';
    if (!file) return;
    // The job shows from the first moment: reading a 90 MB file takes a while too.
    await importText(file.text(), `“${file.name}”`);
  };

  const exportLab = async () => {
    close();
    await commandsSettled();
    const { doc } = useDocumentStore.getState();
    download(`${fileSlug(doc.name)}.hnv.json`, labJson(doc));
  };

  const exportRest = async () => {
    close();
    await commandsSettled();
    const { doc } = useDocumentStore.getState();
    try {
      download(`${fileSlug(doc.name)}.nc-rest.json`, await ncRestJson(doc));
    } catch (err) {
      notify('error', err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div className="relative flex items-center gap-2" ref={boxRef}>
      <input
        ref={fileRef}
        type="file"
        accept=".json,application/json"
        className="hidden"
        data-testid="import-file"
        onChange={(e) => void onFile(e)}
      />
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="inline-flex items-center gap-1 rounded-md px-2.5 py-1.5 text-[13px] font-medium text-slate-700 transition hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        File
        <svg viewBox="0 0 16 16" className="size-3.5 opacity-60" aria-hidden="true" fill="currentColor">
          <path d="M4 6l4 4 4-4z" />
        </svg>
      </button>
      <SaveIndicator />
      {open && (
        <div
          role="menu"
          aria-label="File"
          className="absolute left-0 top-full z-50 mt-1.5 w-[300px] rounded-lg border border-slate-200 bg-white p-1.5 shadow-xl dark:border-slate-700 dark:bg-slate-900"
        >
          <button
            type="button"
            role="menuitem"
            className={item}
            onClick={() => {
              close();
              fileRef.current?.click();
            }}
          >
            Import JSON…
            <span className="text-[11px] text-slate-400">lab or NC REST</span>
          </button>
          <button type="button" role="menuitem" className={item} onClick={() => void exportLab()}>
            Export lab JSON
          </button>
          <button type="button" role="menuitem" className={item} onClick={() => void exportRest()}>
            Export Network Controller REST JSON
          </button>
          <div className="my-1 border-t border-slate-200 dark:border-slate-700" />
          {confirming ? (
            <div className="flex flex-col gap-2 px-2.5 py-1.5 text-[12.5px] text-slate-600 dark:text-slate-300">
              <span>Clear the saved session and lesson progress, and open the first scenario?</span>
              <span className="flex gap-2">
                <button
                  type="button"
                  role="menuitem"
                  className="rounded-md bg-red-600 px-2.5 py-1 text-[12.5px] font-medium text-white hover:bg-red-700"
                  onClick={() => {
                    close();
                    void startOver().then(() =>
                      notify('info', 'Started over. Undo brings back the previous document.'),
                    );
                  }}
                >
                  Start over
                </button>
                <button
                  type="button"
                  className="rounded-md px-2.5 py-1 text-[12.5px] hover:bg-slate-100 dark:hover:bg-slate-800"
                  onClick={() => setConfirming(false)}
                >
                  Cancel
                </button>
              </span>
            </div>
          ) : (
            <button type="button" role="menuitem" className={item} onClick={() => setConfirming(true)}>
              Start over…
            </button>
          )}
        </div>
      )}
    </div>
  );
}
