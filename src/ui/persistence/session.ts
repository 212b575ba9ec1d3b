// The saved session: the document, the UI layout and lesson progress, as one plain JSON
// value under one IndexedDB key. Building, checking and applying it are separate, pure
// where they can be, so the autosave is testable without a browser.
import type { TopologyDocument } from '../../engine/model/schema';
import { type LessonProgress, parseProgress } from '../../scenarios/lessons/progress';
import type { View } from '../actions/types';
import type { PanelSizes, RightTab, Theme } from '../store/document';

export const SESSION_KEY = 'session';
export const SESSION_FORMAT = 'hnv-lab-session';
export const SESSION_VERSION = 1;

export interface SessionUi {
  view: View;
  theme: Theme;
  panels: PanelSizes;
  rightTab: RightTab;
  lessonsOpen: boolean;
}

export interface SessionSnapshot {
  format: typeof SESSION_FORMAT;
  version: typeof SESSION_VERSION;
  savedAt: string;
  doc: TopologyDocument;
  scenarioId: string;
  ui: SessionUi;
  lessons: LessonProgress;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Check a value read back from storage. The document's own validity is the engine's job
 * (an invalid document still restores, so the user can fix it); here we only make sure it
 * has the document's shape, so the UI can render it.
 */
export function parseSnapshot(value: unknown): SessionSnapshot | null {
  if (!isRecord(value) || value.format !== SESSION_FORMAT || value.version !== SESSION_VERSION) return null;
  const doc = value.doc;
  const collections = ['tenants', 'vmNetworks', 'virtualSubnets', 'acls', 'vms', 'hosts', 'logicalNetworks'];
  if (!isRecord(doc) || typeof doc.name !== 'string' || !collections.every((c) => Array.isArray(doc[c])))
    return null;
  const ui = isRecord(value.ui) ? value.ui : {};
  const panels = isRecord(ui.panels) ? ui.panels : {};
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    savedAt: typeof value.savedAt === 'string' ? value.savedAt : '',
    doc: doc as unknown as TopologyDocument,
    scenarioId: typeof value.scenarioId === 'string' ? value.scenarioId : 'empty',
    ui: {
      view: ui.view === 'virtual' ? 'virtual' : 'physical',
      theme: ui.theme === 'dark' ? 'dark' : 'light',
      panels: {
        left: num(panels.left, 200),
        right: num(panels.right, 360),
        bottom: num(panels.bottom, 260),
        lessons: num(panels.lessons, 320),
        trace: num(panels.trace, 0),
      },
      rightTab: ui.rightTab === 'tables' ? 'tables' : 'properties',
      lessonsOpen: ui.lessonsOpen === true,
    },
    lessons: parseProgress(value.lessons),
  };
}

/**
 * Two tabs' lesson progress as one (a tab taking over the save from a closed one): every answer
 * and finished step of either, the further step of each lesson, and this tab's open lesson.
 */
export function mergeProgress(saved: LessonProgress, mine: LessonProgress): LessonProgress {
  const stepIndex = { ...saved.stepIndex };
  for (const [lesson, step] of Object.entries(mine.stepIndex)) {
    stepIndex[lesson] = Math.max(step, stepIndex[lesson] ?? 0);
  }
  return {
    activeLessonId: mine.activeLessonId ?? saved.activeLessonId,
    stepIndex,
    answers: { ...saved.answers, ...mine.answers },
    tasksDone: { ...saved.tasksDone, ...mine.tasksDone },
    skipped: { ...saved.skipped, ...mine.skipped },
  };
}
