// The UI's view of the worker's import/export/share functions (src/worker/documentIo.ts),
// and applying their results to the store. Nothing here parses or validates a document.
import { useEffect } from 'react';
import { create } from 'zustand';
import type { TopologyDocument } from '../../engine/model/schema';
import type { ValidationError } from '../../engine/model/validate';
import type { AsyncApi } from '../../worker/client';
import { EngineCancelledError, engine, runEngineJob } from '../../worker/client';
import type { DocumentIoApi, ImportResult } from '../../worker/documentIo';
import { restoreSession } from '../persistence';
import { offerChoice } from '../shell/ChoiceBanner';
import { useDocumentStore } from '../store/document';
import { useTraceStore } from '../store/trace';

/** The worker's import/export functions (documentIoApi, spread into its api). */
const io: AsyncApi<DocumentIoApi> = engine;

export interface ImportProblem {
  /** What was being opened: 'lab.json', 'the share link', ... */
  source: string;
  errors: ValidationError[];
}

/** The last failed import or link, shown in a dialog until dismissed. */
export const useImportProblem = create<{ problem: ImportProblem | null }>()(() => ({ problem: null }));

export function dismissImportProblem(): void {
  useImportProblem.setState({ problem: null });
}

function accept(
  result: ImportResult,
  source: string,
  scenarioId: string,
): result is Extract<ImportResult, { ok: true }> {
  if (!result.ok) {
    useImportProblem.setState({ problem: { source, errors: result.errors } });
    return false;
  }
  useTraceStore.getState().clearTrace();
  // Undoable: the document the user had stays one Ctrl+Z away.
  useDocumentStore.getState().loadDocument(result.document, scenarioId);
  return true;
}

async function safely(run: () => Promise<ImportResult>): Promise<ImportResult> {
  try {
    return await run();
  } catch (e) {
    return {
      ok: false,
      format: 'unknown',
      errors: [
        {
          objectKind: 'file',
          field: '',
          rule: 'engine',
          message: `The engine could not read it: ${String(e)}`,
        },
      ],
    };
  }
}

/** The import running now (one at a time): what is read, and how to cancel it. */
export interface ImportJob {
  source: string;
  startedAt: number;
  abort: AbortController;
}

export const useImportJob = create<{ job: ImportJob | null }>()(() => ({ job: null }));

/** Start an import job (the file is still being read): shown at once, cancellable. */
export function beginImport(source: string): ImportJob {
  useImportJob.getState().job?.abort.abort();
  const job: ImportJob = { source, startedAt: Date.now(), abort: new AbortController() };
  useImportJob.setState({ job });
  return job;
}

/** Cancel the running import: the engine's worker is stopped; the document stays as it was. */
export function cancelImport(): void {
  useImportJob.getState().job?.abort.abort();
}

function endImport(job: ImportJob): void {
  if (useImportJob.getState().job === job) useImportJob.setState({ job: null });
}

async function runImport(
  text: string | Promise<string>,
  job: ImportJob,
): Promise<ImportResult | 'cancelled'> {
  try {
    const content = await text;
    if (job.abort.signal.aborted) return 'cancelled';
    return await runEngineJob('importDocument', [content], { signal: job.abort.signal });
  } catch (e) {
    if (e instanceof EngineCancelledError) return 'cancelled';
    return safely(() => Promise.reject(e));
  }
}

/**
 * Import a file's text (the lab's JSON or a Network Controller REST export), as a long job:
 * its progress shows, and Cancel leaves the document as it was. `text` may be a promise (the
 * file still being read); `job` is the job begun for it.
 */
export async function importText(
  text: string | Promise<string>,
  source: string,
  job: ImportJob = beginImport(source),
): Promise<boolean> {
  const result = await runImport(text, job);
  endImport(job);
  if (result === 'cancelled') {
    useDocumentStore.getState().notify('info', `Import of ${source} cancelled. Your document is as it was.`);
    return false;
  }
  const ok = accept(result, source, 'imported');
  if (ok) {
    const kind = result.format === 'nc-rest' ? 'Network Controller REST' : 'lab';
    useDocumentStore
      .getState()
      .notify(
        'info',
        `Imported “${result.document.name}” (${kind} JSON). Undo brings back your previous document.`,
      );
  }
  return ok;
}

export function shareFragmentFromLocation(): string | null {
  const hash = typeof location === 'undefined' ? '' : location.hash;
  return hash.startsWith('#doc=') ? hash.slice(1) : null;
}

/** Open the document a share link carries (if the URL has one). The fragment is then removed from the URL. */
export async function openShareLink(fragment = shareFragmentFromLocation()): Promise<boolean> {
  if (!fragment) return false;
  const result = await safely(() => io.decodeShareLink(fragment));
  history.replaceState(null, '', location.pathname + location.search);
  const ok = accept(result, 'the share link', 'shared');
  if (ok) useDocumentStore.getState().notify('info', `Opened “${result.document.name}” from a share link.`);
  return ok;
}

/**
 * A share link opened in a tab where the lab is already open (only the URL's fragment changed):
 * offer it rather than replace the work on the canvas. Opening it is undoable; a damaged link
 * explains itself and changes nothing. The fragment is removed from the URL either way.
 */
export async function offerShareLink(fragment = shareFragmentFromLocation()): Promise<void> {
  if (!fragment) return;
  const result = await safely(() => io.decodeShareLink(fragment));
  history.replaceState(null, '', location.pathname + location.search);
  if (!result.ok) {
    accept(result, 'the share link', 'shared');
    return;
  }
  offerChoice(`Open the shared lab “${result.document.name}” in place of your work?`, [
    {
      label: 'Open shared lab',
      primary: true,
      run: () => {
        if (!accept(result, 'the share link', 'shared')) return;
        useDocumentStore
          .getState()
          .notify(
            'info',
            `Opened “${result.document.name}” from a share link. Undo brings back your previous document.`,
          );
      },
    },
    { label: 'Keep mine', run: () => undefined },
  ]);
}

let shareLinkOpened = false;

/**
 * React hook for App: once the saved session is restored, open the share link the URL carries;
 * later share links (a new fragment in this tab) are offered.
 */
export function useOpenShareLink(): void {
  useEffect(() => {
    if (!shareLinkOpened) {
      shareLinkOpened = true;
      void restoreSession().then(() => openShareLink());
    }
    const onHashChange = () => void offerShareLink();
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
}

export async function shareUrl(doc: TopologyDocument): Promise<string> {
  const fragment = await io.encodeShareLink(doc);
  return `${location.origin}${location.pathname}#${fragment}`;
}

export async function ncRestJson(doc: TopologyDocument): Promise<string> {
  return JSON.stringify(await io.exportNcRest(doc), null, 2);
}

export function labJson(doc: TopologyDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function fileSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'datacenter'
  );
}

export function download(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
