// The console's state: what was typed and answered, the command history (kept in
// localStorage: it is the user's, not the document's), and the Enter-PSSession host.
// Running a line: the engine first holds the current document, then answers; a change
// comes back as a document and becomes one undoable step named after the command.
import { create } from 'zustand';
import type { ShellSession } from '../../engine/index';
import { engine, syncDocument } from '../../worker/client';
import { useDocumentStore } from '../store/document';

export interface ConsoleEntry {
  id: number;
  prompt: string;
  line: string;
  output: string;
  error?: string;
  /** The undo history's name for the change this line made. */
  changed?: string;
}

const HISTORY_KEY = 'hnv-lab:console-history';
const HISTORY_LIMIT = 200;
const ENTRY_LIMIT = 300;

function loadHistory(): string[] {
  try {
    const raw = globalThis.localStorage?.getItem(HISTORY_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed)
      ? parsed.filter((x): x is string => typeof x === 'string').slice(-HISTORY_LIMIT)
      : [];
  } catch {
    return [];
  }
}

function saveHistory(history: string[]): void {
  try {
    globalThis.localStorage?.setItem(HISTORY_KEY, JSON.stringify(history.slice(-HISTORY_LIMIT)));
  } catch {
    // A full or disabled storage loses the history, never the document.
  }
}

export function promptFor(session: ShellSession): string {
  const host = useDocumentStore.getState().doc.hosts.find((h) => h.id === session.hostId);
  return host ? `[${host.name}]: PS C:\\>` : 'PS C:\\>';
}

interface ConsoleState {
  entries: ConsoleEntry[];
  history: string[];
  session: ShellSession;
  busy: boolean;
  run(line: string): Promise<void>;
  complete(line: string): Promise<string[]>;
  clear(): void;
}

let nextId = 1;

export const useConsoleStore = create<ConsoleState>()((set, get) => ({
  entries: [],
  history: loadHistory(),
  session: {},
  busy: false,

  async run(line) {
    const trimmed = line.trim();
    const history =
      trimmed === '' || get().history.at(-1) === trimmed ? get().history : [...get().history, trimmed];
    if (history !== get().history) saveHistory(history);
    const prompt = promptFor(get().session);
    if (/^(cls|clear|clear-host)$/i.test(trimmed)) {
      set({ entries: [], history });
      return;
    }
    const add = (entry: Omit<ConsoleEntry, 'id' | 'prompt' | 'line'>) =>
      set((s) => ({ entries: [...s.entries, { id: nextId++, prompt, line, ...entry }].slice(-ENTRY_LIMIT) }));
    if (trimmed === '') {
      add({ output: '' });
      return;
    }
    set({ busy: true, history });
    try {
      const docs = useDocumentStore.getState();
      const revision = docs.revision;
      const check = await syncDocument(docs.doc);
      if (!check.ok) {
        add({
          output: '',
          error: `The topology has ${check.errors.length} problem${check.errors.length === 1 ? '' : 's'} (first: ${check.errors[0]?.message}). Fix ${check.errors.length === 1 ? 'it' : 'them'} first: the console runs against a valid datacenter.`,
        });
        return;
      }
      const result = await engine.shell(trimmed, get().session);
      let changed: string | undefined;
      if (result.change) {
        const now = useDocumentStore.getState();
        if (now.revision !== revision) {
          add({
            output: result.output,
            error: 'The document changed while the command ran; nothing was applied. Run it again.',
          });
          return;
        }
        const change = result.change;
        now.perform({ name: 'console', label: change.label, perform: () => change.document }, undefined);
        changed = change.label;
      }
      set({ session: result.session });
      add({ output: result.output, error: result.error, changed });
    } catch (e) {
      add({ output: '', error: e instanceof Error ? e.message : String(e) });
    } finally {
      set({ busy: false });
    }
  },

  async complete(line) {
    try {
      const check = await syncDocument(useDocumentStore.getState().doc);
      if (!check.ok) return [];
      return await engine.completeShell(line);
    } catch {
      return [];
    }
  },

  clear: () => set({ entries: [] }),
}));
