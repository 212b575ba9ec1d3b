// Lesson progress as UI state: which lesson is open, the step, the answers and the
// tasks seen done. Plain JSON, saved by the autosave with the document.
import { create } from 'zustand';
import { lessonById } from '../../scenarios/lessons';
import {
  chooseAnswer,
  emptyProgress,
  type LessonProgress,
  markSkipped,
  markTasksDone,
} from '../../scenarios/lessons/progress';

export interface LessonState {
  progress: LessonProgress;
  /** The lessons panel is shown. */
  open: boolean;
  setOpen(open: boolean): void;
  openLesson(lessonId: string): void;
  closeLesson(): void;
  gotoStep(lessonId: string, index: number): void;
  answer(lessonId: string, questionId: string, choiceId: string): void;
  markDone(lessonId: string, stepId: string): void;
  /** The learner moves on from an unfinished step: it is shown as skipped until it is done. */
  skip(lessonId: string, stepId: string): void;
  restore(progress: LessonProgress, open: boolean): void;
  reset(): void;
}

export const useLessonStore = create<LessonState>()((set, get) => ({
  progress: emptyProgress(),
  open: false,
  setOpen: (open) => set({ open }),
  openLesson: (lessonId) => set({ open: true, progress: { ...get().progress, activeLessonId: lessonId } }),
  closeLesson: () => set({ progress: { ...get().progress, activeLessonId: null } }),
  gotoStep: (lessonId, index) => {
    const lesson = lessonById(lessonId);
    if (!lesson) return;
    const i = Math.max(0, Math.min(lesson.steps.length - 1, index));
    const { progress } = get();
    set({ progress: { ...progress, stepIndex: { ...progress.stepIndex, [lessonId]: i } } });
  },
  answer: (lessonId, questionId, choiceId) => {
    const lesson = lessonById(lessonId);
    if (lesson) set({ progress: chooseAnswer(get().progress, lesson, questionId, choiceId) });
  },
  markDone: (lessonId, stepId) => {
    const lesson = lessonById(lessonId);
    const step = lesson?.steps.find((s) => s.id === stepId);
    if (!lesson || !step) return;
    const next = markTasksDone(get().progress, lesson, step);
    if (next !== get().progress) set({ progress: next });
  },
  skip: (lessonId, stepId) => {
    const lesson = lessonById(lessonId);
    const step = lesson?.steps.find((s) => s.id === stepId);
    if (!lesson || !step) return;
    const next = markSkipped(get().progress, lesson, step);
    if (next !== get().progress) set({ progress: next });
  },
  restore: (progress, open) => set({ progress, open }),
  reset: () => set({ progress: emptyProgress() }),
}));
