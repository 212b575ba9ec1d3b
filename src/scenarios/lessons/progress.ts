// Pure lesson progress: which checks a step has, whether it is complete, and where a
// learner stands in a lesson. The lesson panel and its tests share this logic.
import { done, notYet } from './query';
import type { CheckResult, Lesson, LessonFacts, LessonStep, Task } from './types';

/** Saved progress: plain JSON, part of the autosave. */
export interface LessonProgress {
  /** The lesson open in the panel, or null for the lesson list. */
  activeLessonId: string | null;
  /** The step each lesson was last on. */
  stepIndex: Record<string, number>;
  /** Chosen answers by `lessonId/questionId` -> choice id. */
  answers: Record<string, string>;
  /** Steps whose tasks were seen done, by `lessonId/stepId`. Sticky: later edits don't undo them. */
  tasksDone: Record<string, true>;
  /** Steps the learner left unfinished with Skip, by `lessonId/stepId` (shown as skipped until done). */
  skipped?: Record<string, true>;
}

export const emptyProgress = (): LessonProgress => ({
  activeLessonId: null,
  stepIndex: {},
  answers: {},
  tasksDone: {},
  skipped: {},
});

export const stepKey = (lesson: Lesson, step: LessonStep) => `${lesson.id}/${step.id}`;
export const answerKey = (lesson: Lesson, questionId: string) => `${lesson.id}/${questionId}`;

/** The tasks of a step: opening its scenario first (when it names one), then its own task. */
export function stepTasks(step: LessonStep, scenarioTitle: (id: string) => string = (id) => id): Task[] {
  const tasks: Task[] = [];
  const scenario = step.scenario;
  if (scenario) {
    const title = scenarioTitle(scenario);
    tasks.push({
      text: `Open the “${title}” scenario.`,
      check: (f) => (f.scenarioId === scenario ? done : notYet(`The lab shows another document.`)),
    });
  }
  if (step.task) tasks.push(step.task);
  return tasks;
}

export interface StepStatus {
  tasks: { task: Task; result: CheckResult }[];
  tasksDone: boolean;
  /** The chosen answer is the right one (true when the step asks nothing). */
  answeredRight: boolean;
  answered: boolean;
  /** The question waits for a state the document does not show yet: what to do first. */
  blocked?: string;
  complete: boolean;
  /** The learner skipped this step and it is still not complete. */
  skipped: boolean;
}

/** Evaluate a step against the facts and the saved progress. Throwing checks count as not done. */
export function stepStatus(
  lesson: Lesson,
  step: LessonStep,
  facts: LessonFacts | null,
  progress: LessonProgress,
  scenarioTitle?: (id: string) => string,
): StepStatus {
  const sticky = progress.tasksDone[stepKey(lesson, step)] === true;
  const tasks = stepTasks(step, scenarioTitle).map((task) => {
    if (sticky) return { task, result: done };
    if (!facts) return { task, result: notYet('Waiting for the lab…') };
    try {
      return { task, result: task.check(facts) };
    } catch {
      return { task, result: notYet('This step cannot be checked on the current document.') };
    }
  });
  const tasksDone = tasks.every((t) => t.result.done);
  let answered = true;
  let answeredRight = true;
  let blocked: string | undefined;
  if (step.question) {
    const chosen = progress.answers[answerKey(lesson, step.question.id)];
    blocked = facts ? questionBlocked(step, facts) : undefined;
    answered = chosen !== undefined;
    answeredRight = chosen !== undefined && facts !== null && isRight(step, chosen, facts);
  }
  const complete = tasksDone && answeredRight;
  const skipped = !complete && progress.skipped?.[stepKey(lesson, step)] === true;
  return { tasks, tasksDone, answered, answeredRight, blocked, complete, skipped };
}

/** Why the step's question cannot be answered on these facts yet (undefined: it can). */
export function questionBlocked(step: LessonStep, facts: LessonFacts): string | undefined {
  const needs = step.question?.needs;
  if (!needs) return undefined;
  try {
    const r = needs(facts);
    return r.done ? undefined : (r.note ?? 'Do the task before this question first.');
  } catch {
    return 'This question cannot be answered on the current document.';
  }
}

/** How many steps of a lesson are complete (tasks seen done and questions answered right). */
export function lessonScore(
  lesson: Lesson,
  facts: LessonFacts | null,
  progress: LessonProgress,
): { complete: number; total: number; skipped: number } {
  let complete = 0;
  let skipped = 0;
  for (const step of lesson.steps) {
    const hasTasks = !!(step.task || step.scenario);
    const tasksOk = !hasTasks || progress.tasksDone[stepKey(lesson, step)] === true;
    let questionOk = true;
    if (step.question) {
      const chosen = progress.answers[answerKey(lesson, step.question.id)];
      questionOk = chosen !== undefined && (!facts || isRight(step, chosen, facts));
    }
    if (tasksOk && questionOk) complete++;
    else if (progress.skipped?.[stepKey(lesson, step)]) skipped++;
  }
  return { complete, total: lesson.steps.length, skipped };
}

/** Graded on the facts the question is about: a blocked question has no right answer yet. */
function isRight(step: LessonStep, chosen: string, facts: LessonFacts): boolean {
  if (questionBlocked(step, facts) !== undefined) return false;
  try {
    return step.question?.choices(facts).some((c) => c.id === chosen && c.correct) ?? true;
  } catch {
    return false;
  }
}

/** Record that a step's tasks are done (idempotent; returns the same object when nothing changes). */
export function markTasksDone(progress: LessonProgress, lesson: Lesson, step: LessonStep): LessonProgress {
  const key = stepKey(lesson, step);
  if (progress.tasksDone[key]) return progress;
  return { ...progress, tasksDone: { ...progress.tasksDone, [key]: true } };
}

/** Record that the learner moved on from a step without finishing it (idempotent). */
export function markSkipped(progress: LessonProgress, lesson: Lesson, step: LessonStep): LessonProgress {
  const key = stepKey(lesson, step);
  if (progress.skipped?.[key]) return progress;
  return { ...progress, skipped: { ...progress.skipped, [key]: true } };
}

export function chooseAnswer(
  progress: LessonProgress,
  lesson: Lesson,
  questionId: string,
  choiceId: string,
): LessonProgress {
  return { ...progress, answers: { ...progress.answers, [answerKey(lesson, questionId)]: choiceId } };
}

/** Coerce untrusted saved data (IndexedDB, an old version) into progress, dropping what doesn't fit. */
export function parseProgress(value: unknown): LessonProgress {
  const out = emptyProgress();
  if (!value || typeof value !== 'object') return out;
  const v = value as Record<string, unknown>;
  if (typeof v.activeLessonId === 'string') out.activeLessonId = v.activeLessonId;
  const record = (x: unknown) => (x && typeof x === 'object' ? (x as Record<string, unknown>) : {});
  for (const [k, n] of Object.entries(record(v.stepIndex))) {
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) out.stepIndex[k] = n;
  }
  for (const [k, a] of Object.entries(record(v.answers))) if (typeof a === 'string') out.answers[k] = a;
  for (const [k, d] of Object.entries(record(v.tasksDone))) if (d === true) out.tasksDone[k] = true;
  const skipped: Record<string, true> = {};
  for (const [k, d] of Object.entries(record(v.skipped))) if (d === true) skipped[k] = true;
  out.skipped = skipped;
  return out;
}
