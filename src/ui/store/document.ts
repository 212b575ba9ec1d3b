// The main store: the document, its undo history, the selection, the view, the
// panel layout and theme, and the engine's verdict on the document. Edits go through
// named actions (src/ui/actions) so every change is pure, testable and undoable.
import { create } from 'zustand';
import type { TopologyDocument } from '../../engine/model/schema';
import { markReplacement } from '../../worker/client';
import { findEdgeCollection } from '../actions/edge';
import type { Clipboard } from '../actions/paste';
import type { Action, View } from '../actions/types';
import { ActionError } from '../actions/types';
import { findCollection } from '../actions/util';

/** One validation message from the engine, naming the object and field it is about. */
export interface FieldError {
  objectKind: string;
  objectId?: string;
  objectName?: string;
  field: string;
  rule: string;
  message: string;
}

export interface HistoryEntry {
  doc: TopologyDocument;
  label: string;
}

export type Theme = 'light' | 'dark';
export type RightTab = 'properties' | 'tables';

export interface PanelSizes {
  left: number;
  right: number;
  bottom: number;
  /** The lessons column beside the canvas. */
  lessons: number;
  /** The trace pane's width beside the inspector (0: two fifths of the window). */
  trace: number;
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface DocumentState {
  doc: TopologyDocument;
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** Which built-in scenario the document started from ('empty' for a blank canvas). */
  scenarioId: string;
  view: View;
  /** Selected object ids (VMs, hosts, subnets, ...), not canvas node ids. */
  selection: string[];
  theme: Theme;
  panels: PanelSizes;
  rightTab: RightTab;
  helpOpen: boolean;
  clipboard: Clipboard | null;
  /** The engine's last verdict on `doc` (debounced; `checking` while a newer one is pending). */
  validation: { errors: FieldError[]; checking: boolean; checkedRevision: number };
  /** Bumped on every document change; lets async work drop stale answers. */
  revision: number;
  notices: Notice[];

  perform<A>(action: Action<A>, args: A, options?: { coalesceKey?: string }): boolean;
  undo(): void;
  redo(): void;
  /** Replace the document, undoably; `label` names the step in the undo history. */
  loadDocument(doc: TopologyDocument, scenarioId: string, label?: string): void;
  setView(view: View): void;
  select(ids: string[]): void;
  setTheme(theme: Theme): void;
  setPanel(panel: keyof PanelSizes, size: number): void;
  setRightTab(tab: RightTab): void;
  setHelpOpen(open: boolean): void;
  setClipboard(clipboard: Clipboard | null): void;
  setValidation(revision: number, errors: FieldError[]): void;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
}

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1200;
export const PANEL_LIMITS: Record<keyof PanelSizes, [number, number]> = {
  left: [160, 360],
  right: [280, 640],
  bottom: [120, 640],
  lessons: [260, 520],
  trace: [360, 1000],
};

let lastCoalesce: { key: string; at: number } | null = null;
let noticeId = 1;

function initialTheme(): Theme {
  if (typeof window === 'undefined') return 'light';
  const saved = window.localStorage?.getItem('hnv-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * The canvas is the lab's main view and keeps the larger share of the height: the trace and
 * inspector get ~38% (308 px at 1280×800, 347 px at 1440×900), the canvas ~56%.
 */
export function defaultBottomPanel(viewportHeight: number): number {
  return Math.round(Math.max(240, Math.min(420, viewportHeight * 0.385)));
}

/**
 * The most the bottom panel may take at this viewport height, whatever size was saved: the
 * canvas above it keeps at least half of the window.
 */
export function maxBottomPanel(viewportHeight: number): number {
  return Math.max(PANEL_LIMITS.bottom[0], Math.round(viewportHeight * 0.5 - 44));
}

function initialPanels(): PanelSizes {
  const fallback = { left: 200, right: 360, bottom: 260, lessons: 320, trace: 0 };
  if (typeof window === 'undefined') return fallback;
  fallback.bottom = defaultBottomPanel(window.innerHeight);
  try {
    const saved = JSON.parse(
      window.localStorage?.getItem('hnv-panels') ?? 'null',
    ) as Partial<PanelSizes> | null;
    return { ...fallback, ...saved };
  } catch {
    return fallback;
  }
}

export function blankDocument(): TopologyDocument {
  return {
    version: 1,
    name: 'Untitled datacenter',
    hnvMode: 'v2',
    tenants: [],
    vmNetworks: [],
    virtualSubnets: [],
    acls: [],
    vms: [],
    hosts: [],
    logicalNetworks: [],
    logicalSubnets: [],
    routers: [],
    layout: { physical: {}, virtual: {} },
  };
}

export const useDocumentStore = create<DocumentState>()((set, get) => ({
  doc: blankDocument(),
  past: [],
  future: [],
  scenarioId: 'empty',
  view: 'physical',
  selection: [],
  theme: initialTheme(),
  panels: initialPanels(),
  rightTab: 'properties',
  helpOpen: false,
  clipboard: null,
  validation: { errors: [], checking: false, checkedRevision: 0 },
  revision: 0,
  notices: [],

  perform(action, args, options) {
    const state = get();
    let next: TopologyDocument;
    try {
      next = action.perform(state.doc, args);
    } catch (e) {
      if (e instanceof ActionError) {
        state.notify('error', e.message);
        return false;
      }
      throw e;
    }
    if (next === state.doc) return true;
    const now = Date.now();
    const key = options?.coalesceKey;
    const coalesce =
      key !== undefined &&
      lastCoalesce?.key === key &&
      now - lastCoalesce.at < COALESCE_MS &&
      state.past.length > 0;
    lastCoalesce = key === undefined ? null : { key, at: now };
    const past = coalesce
      ? state.past
      : [...state.past, { doc: state.doc, label: action.label }].slice(-HISTORY_LIMIT);
    // Keep the selection to objects that still exist.
    set({
      doc: next,
      past,
      future: [],
      revision: state.revision + 1,
      selection: state.selection.filter((id) => objectExists(next, id)),
    });
    return true;
  },

  undo() {
    const { past, doc, future, revision, selection } = get();
    const entry = past.at(-1);
    if (!entry) return;
    lastCoalesce = null;
    set({
      doc: entry.doc,
      past: past.slice(0, -1),
      future: [{ doc, label: entry.label }, ...future],
      revision: revision + 1,
      selection: selection.filter((id) => objectExists(entry.doc, id)),
    });
  },

  redo() {
    const { past, doc, future, revision, selection } = get();
    const entry = future[0];
    if (!entry) return;
    lastCoalesce = null;
    set({
      doc: entry.doc,
      past: [...past, { doc, label: entry.label }],
      future: future.slice(1),
      revision: revision + 1,
      selection: selection.filter((id) => objectExists(entry.doc, id)),
    });
  },

  loadDocument(doc, scenarioId, label = 'Open scenario') {
    const { past, revision } = get();
    lastCoalesce = null;
    // A new datacenter, not an edit of the old one: the engine starts clean with it.
    markReplacement(doc);
    // Switching scenario is undoable too: the user never loses a half-built topology to a mis-click.
    set({
      doc,
      scenarioId,
      past: revision === 0 ? [] : [...past, { doc: get().doc, label }].slice(-HISTORY_LIMIT),
      future: [],
      selection: [],
      revision: revision + 1,
    });
  },

  setView: (view) => set({ view }),
  select: (ids) => {
    const current = get().selection;
    if (current.length === ids.length && current.every((id, i) => id === ids[i])) return;
    set({ selection: ids });
  },
  setTheme: (theme) => {
    window.localStorage?.setItem('hnv-theme', theme);
    set({ theme });
  },
  setPanel: (panel, size) => {
    const [min, max] = PANEL_LIMITS[panel];
    const panels = { ...get().panels, [panel]: Math.round(Math.max(min, Math.min(max, size))) };
    if (typeof window !== 'undefined') window.localStorage?.setItem('hnv-panels', JSON.stringify(panels));
    set({ panels });
  },
  setRightTab: (rightTab) => set({ rightTab }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setClipboard: (clipboard) => set({ clipboard }),
  setValidation: (revision, errors) => {
    if (revision < get().validation.checkedRevision) return;
    set({ validation: { errors, checking: revision !== get().revision, checkedRevision: revision } });
  },
  notify: (kind, text) => {
    const id = noticeId++;
    set({ notices: [...get().notices.slice(-3), { id, kind, text }] });
    if (typeof window !== 'undefined')
      window.setTimeout(() => get().dismissNotice(id), kind === 'error' ? 7000 : 4000);
  },
  dismissNotice: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
}));

function objectExists(doc: TopologyDocument, id: string): boolean {
  return findCollection(doc, id) !== undefined || findEdgeCollection(doc, id) !== undefined;
}
