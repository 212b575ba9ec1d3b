// The lessons panel: the list of lessons, then one step at a time — text, the task and
// its live status, a "predict before you look" question with feedback, Back / Next.
import { useEffect, useMemo } from 'react';
import { lessons } from '../../scenarios/lessons';
import { answerKey, lessonScore, type StepStatus, stepStatus } from '../../scenarios/lessons/progress';
import type { Lesson, LessonFacts, LessonStep } from '../../scenarios/lessons/types';
import { openScenario } from '../shell/scenarios';
import { useDocumentStore } from '../store/document';
import { useTraceStore } from '../store/trace';
import { AddTenantProbe } from './AddTenantProbe';
import { lessonFacts } from './facts';
import { RichText } from './RichText';
import { scenarioTitle } from './scenarios';
import { useLessonStore } from './store';

/** Everything the checks read, recomputed when any of it changes. */
export function useLessonFacts(): LessonFacts {
  const doc = useDocumentStore((s) => s.doc);
  const scenarioId = useDocumentStore((s) => s.scenarioId);
  const view = useDocumentStore((s) => s.view);
  const selection = useDocumentStore((s) => s.selection);
  const trace = useTraceStore((s) => s.trace);
  return useMemo(
    () => lessonFacts({ doc, scenarioId, view, selection, trace }),
    [doc, scenarioId, view, selection, trace],
  );
}

function LessonList({ facts }: { facts: LessonFacts }) {
  const progress = useLessonStore((s) => s.progress);
  const openLesson = useLessonStore((s) => s.openLesson);
  return (
    <ol className="flex min-h-0 flex-1 flex-col gap-2 overflow-y-auto p-3" aria-label="Lessons">
      {lessons.map((lesson, i) => {
        const score = lessonScore(lesson, facts, progress);
        const complete = score.complete === score.total;
        const started = score.complete > 0 || progress.stepIndex[lesson.id] !== undefined;
        return (
          <li key={lesson.id}>
            <button
              type="button"
              onClick={() => openLesson(lesson.id)}
              className="flex w-full items-start gap-3 rounded-lg border border-slate-200 bg-white p-3 text-left transition hover:border-sky-400 hover:shadow-sm dark:border-slate-700 dark:bg-slate-900 dark:hover:border-sky-500"
            >
              <span
                className={`mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full text-[12px] font-semibold ${
                  complete
                    ? 'bg-emerald-500 text-white'
                    : 'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300'
                }`}
                aria-hidden="true"
              >
                {complete ? '✓' : i + 1}
              </span>
              <span className="min-w-0 flex-1">
                <span
                  data-testid="lesson-title"
                  className="block text-[13px] font-semibold text-slate-800 dark:text-slate-100"
                >
                  {lesson.title}
                </span>
                <span className="block text-[12px] leading-snug text-slate-500 dark:text-slate-400">
                  {lesson.summary}
                </span>
                {started && (
                  <span className="mt-1.5 flex items-center gap-2 text-[11px] text-slate-500 dark:text-slate-400">
                    <span className="h-1 w-20 overflow-hidden rounded bg-slate-200 dark:bg-slate-700">
                      <span
                        className="block h-full bg-emerald-500"
                        style={{ width: `${(100 * score.complete) / score.total}%` }}
                      />
                    </span>
                    {complete
                      ? 'Completed'
                      : `${score.complete} of ${score.total} steps${score.skipped ? ` · ${score.skipped} skipped` : ''}`}
                  </span>
                )}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function TaskList({ status, step }: { status: StepStatus; step: LessonStep }) {
  if (status.tasks.length === 0) return null;
  return (
    <ul className="flex flex-col gap-1.5" aria-label="Tasks">
      {status.tasks.map(({ task, result }, i) => {
        const isScenario = i === 0 && step.scenario !== undefined;
        return (
          <li
            key={task.text}
            data-testid="lesson-task"
            data-done={result.done}
            className={`flex items-start gap-2 rounded-md border px-2.5 py-2 text-[12.5px] ${
              result.done
                ? 'border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-100'
                : 'border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-800/60 dark:text-slate-200'
            }`}
          >
            <span
              role="img"
              aria-label={result.done ? 'done' : 'to do'}
              className={`mt-px flex size-4 shrink-0 items-center justify-center rounded-full border text-[10px] ${
                result.done ? 'border-emerald-500 bg-emerald-500 text-white' : 'border-slate-400'
              }`}
            >
              {result.done ? '✓' : ''}
            </span>
            <span className="min-w-0 flex-1">
              <span className="block font-medium">{task.text}</span>
              {!result.done && result.note && !isScenario && (
                <span className="block text-[11.5px] text-slate-500 dark:text-slate-400">{result.note}</span>
              )}
              {!result.done && task.hint && (
                <span className="block text-[11.5px] italic text-slate-500 dark:text-slate-400">
                  {task.hint}
                </span>
              )}
              {isScenario && !result.done && step.scenario && (
                <button
                  type="button"
                  onClick={() => step.scenario && openScenario(step.scenario)}
                  className="mt-1.5 rounded-md bg-sky-600 px-2.5 py-1 text-[12px] font-medium text-white hover:bg-sky-700"
                >
                  Open the scenario
                </button>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function QuestionCard({
  lesson,
  step,
  facts,
  blocked,
}: {
  lesson: Lesson;
  step: LessonStep;
  facts: LessonFacts;
  blocked?: string;
}) {
  const chosen = useLessonStore((s) =>
    step.question ? s.progress.answers[answerKey(lesson, step.question.id)] : undefined,
  );
  const answer = useLessonStore((s) => s.answer);
  const question = step.question;
  const choices = useMemo(() => {
    if (blocked) return [];
    try {
      return question ? question.choices(facts) : [];
    } catch {
      return [];
    }
  }, [question, facts, blocked]);
  if (!question) return null;
  const picked = choices.find((c) => c.id === chosen);
  return (
    <fieldset className="flex flex-col gap-1.5" data-testid="lesson-question">
      <legend className="mb-1.5 text-[12.5px] font-semibold text-slate-800 dark:text-slate-100">
        <span className="mr-1.5 rounded bg-amber-100 px-1.5 py-px text-[10.5px] font-semibold uppercase tracking-wide text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
          Predict
        </span>
        {question.prompt}
      </legend>
      {blocked ? (
        <p
          data-testid="lesson-question-blocked"
          className="rounded-md border border-amber-300 bg-amber-50 px-2.5 py-2 text-[12px] leading-snug text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
        >
          {blocked}
        </p>
      ) : (
        choices.length === 0 && (
          <p className="text-[12px] italic text-slate-500">Open this lesson's scenario to answer.</p>
        )
      )}
      {choices.map((choice) => {
        const selected = choice.id === chosen;
        const tone = !selected
          ? 'border-slate-200 hover:border-sky-400 dark:border-slate-700'
          : choice.correct
            ? 'border-emerald-500 bg-emerald-50 dark:bg-emerald-950/40'
            : 'border-amber-500 bg-amber-50 dark:bg-amber-950/40';
        return (
          <label
            key={choice.id}
            className={`flex cursor-pointer items-start gap-2 rounded-md border px-2.5 py-1.5 text-[12.5px] text-slate-700 transition dark:text-slate-200 ${tone}`}
          >
            <input
              type="radio"
              name={`${lesson.id}/${question.id}`}
              checked={selected}
              onChange={() => answer(lesson.id, question.id, choice.id)}
              className="mt-0.5 accent-sky-600"
            />
            <span>{choice.label}</span>
          </label>
        );
      })}
      {picked && (
        <p
          role="status"
          data-testid="lesson-feedback"
          data-correct={picked.correct}
          className={`rounded-md px-2.5 py-2 text-[12px] leading-snug ${
            picked.correct
              ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100'
              : 'bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100'
          }`}
        >
          <strong>{picked.correct ? 'Yes. ' : 'Not quite. '}</strong>
          {picked.feedback}
          {!picked.correct && ' Try another answer.'}
        </p>
      )}
    </fieldset>
  );
}

function StepCard({ lesson, facts }: { lesson: Lesson; facts: LessonFacts }) {
  const progress = useLessonStore((s) => s.progress);
  const gotoStep = useLessonStore((s) => s.gotoStep);
  const closeLesson = useLessonStore((s) => s.closeLesson);
  const markDone = useLessonStore((s) => s.markDone);
  const index = Math.min(progress.stepIndex[lesson.id] ?? 0, lesson.steps.length - 1);
  const step = lesson.steps[index];
  const status = stepStatus(lesson, step, facts, progress, scenarioTitle);
  const liveTasksDone = status.tasksDone;
  // Remember a task once it was seen done: later steps may change the document or trace.
  useEffect(() => {
    if (liveTasksDone && status.tasks.length > 0) markDone(lesson.id, step.id);
  }, [liveTasksDone, status.tasks.length, lesson.id, step.id, markDone]);
  const last = index === lesson.steps.length - 1;
  const score = lessonScore(lesson, facts, progress);
  const lessonComplete = score.complete === score.total;
  const skip = useLessonStore((s) => s.skip);
  /** Moving forward past unfinished steps marks them skipped: Next never skips in silence. */
  const goTo = (target: number) => {
    for (let i = index; i < target; i++) {
      const s = lesson.steps[i];
      if (!stepStatus(lesson, s, facts, progress, scenarioTitle).complete) skip(lesson.id, s.id);
    }
    gotoStep(lesson.id, target);
  };
  const skippedSteps = lesson.steps
    .map((s, i) => ({ s, i, st: stepStatus(lesson, s, facts, progress, scenarioTitle) }))
    .filter((x) => x.st.skipped && x.i !== index);
  return (
    <article className="flex min-h-0 flex-1 flex-col" aria-label={`Lesson: ${lesson.title}`}>
      <header className="border-b border-slate-200 px-4 pb-3 pt-2 dark:border-slate-700">
        <button
          type="button"
          onClick={closeLesson}
          className="text-[11.5px] font-medium text-sky-700 hover:underline dark:text-sky-400"
        >
          ← All lessons
        </button>
        <h3 className="mt-1 text-[14px] font-semibold text-slate-900 dark:text-slate-50">{lesson.title}</h3>
        <ol className="mt-2 flex gap-1" aria-label="Steps">
          {lesson.steps.map((s, i) => {
            const st = stepStatus(lesson, s, facts, progress, scenarioTitle);
            return (
              <li key={s.id} className="flex-1">
                <button
                  type="button"
                  onClick={() => goTo(i)}
                  aria-label={`Step ${i + 1}: ${s.title}${st.complete ? ' (done)' : st.skipped ? ' (skipped)' : ''}`}
                  aria-current={i === index ? 'step' : undefined}
                  data-state={st.complete ? 'done' : st.skipped ? 'skipped' : 'open'}
                  className={`block h-1.5 w-full rounded-full transition ${
                    i === index
                      ? 'bg-sky-500'
                      : st.complete
                        ? 'bg-emerald-400'
                        : st.skipped
                          ? 'bg-amber-400'
                          : 'bg-slate-200 hover:bg-slate-300 dark:bg-slate-700'
                  }`}
                />
              </li>
            );
          })}
        </ol>
      </header>
      <div className="flex min-h-0 flex-1 flex-col gap-3 overflow-y-auto px-4 py-3 text-[13px] text-slate-700 dark:text-slate-300">
        <h4 className="text-[13px] font-semibold text-slate-900 dark:text-slate-100">
          <span className="mr-1.5 text-slate-400">
            {index + 1}/{lesson.steps.length}
          </span>
          {step.title}
        </h4>
        <RichText text={step.body} />
        {step.tool === 'add-tenant' && <AddTenantProbe />}
        <TaskList status={status} step={step} />
        {status.skipped && (
          <p
            data-testid="lesson-step-skipped"
            className="rounded-md bg-amber-100 px-2.5 py-1.5 text-[12px] text-amber-900 dark:bg-amber-900/50 dark:text-amber-100"
          >
            You skipped this step: it does not count as done until its tasks and question are.
          </p>
        )}
        <QuestionCard lesson={lesson} step={step} facts={facts} blocked={status.blocked} />
      </div>
      {last && lessonComplete && (
        <p
          role="status"
          data-testid="lesson-complete"
          className="mx-4 mb-2 rounded-md bg-emerald-600 px-3 py-2 text-[12.5px] font-medium text-white"
        >
          ✓ Lesson complete. Well done.
        </p>
      )}
      {last && !lessonComplete && skippedSteps.length > 0 && (
        <div
          role="status"
          data-testid="lesson-skipped-summary"
          className="mx-4 mb-2 rounded-md bg-amber-100 px-3 py-2 text-[12px] text-amber-900 dark:bg-amber-900/50 dark:text-amber-100"
        >
          Skipped, not done yet:{' '}
          {skippedSteps.map(({ s, i }, k) => (
            <span key={s.id}>
              {k > 0 && ', '}
              <button type="button" className="font-medium underline" onClick={() => gotoStep(lesson.id, i)}>
                {i + 1}. {s.title}
              </button>
            </span>
          ))}
        </div>
      )}
      <footer className="flex items-center justify-between gap-2 border-t border-slate-200 px-4 py-2.5 dark:border-slate-700">
        <button
          type="button"
          onClick={() => gotoStep(lesson.id, index - 1)}
          disabled={index === 0}
          className="rounded-md px-3 py-1.5 text-[12.5px] font-medium text-slate-600 hover:bg-slate-100 disabled:opacity-40 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          Back
        </button>
        <span className="text-[11.5px] text-slate-500 dark:text-slate-400">
          {status.complete
            ? 'Step done'
            : status.blocked
              ? 'Do the earlier task first'
              : status.tasksDone
                ? 'Answer the question'
                : 'Task pending'}
        </span>
        {last ? (
          <button
            type="button"
            onClick={closeLesson}
            className="rounded-md bg-slate-800 px-3 py-1.5 text-[12.5px] font-medium text-white hover:bg-slate-900 dark:bg-slate-200 dark:text-slate-900"
          >
            {lessonComplete ? 'Finish' : 'Close'}
          </button>
        ) : (
          <button
            type="button"
            onClick={() => goTo(index + 1)}
            title={status.complete ? undefined : 'Move on without finishing: the step is marked skipped'}
            className={`rounded-md px-3 py-1.5 text-[12.5px] font-medium ${
              status.complete
                ? 'bg-sky-600 text-white hover:bg-sky-700'
                : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
            }`}
          >
            {status.complete ? 'Next' : 'Skip'}
          </button>
        )}
      </footer>
    </article>
  );
}

/** The lessons panel's content: fills its container. */
export function LessonPanel() {
  const facts = useLessonFacts();
  const activeId = useLessonStore((s) => s.progress.activeLessonId);
  const lesson = lessons.find((l) => l.id === activeId);
  return (
    <section className="flex h-full min-h-0 flex-col" aria-label="Guided lessons">
      {lesson ? <StepCard lesson={lesson} facts={facts} /> : <LessonList facts={facts} />}
    </section>
  );
}

/** The highlight targets of the step on screen (none when the list is shown or the panel closed). */
export function useActiveHighlights(): readonly string[] {
  const open = useLessonStore((s) => s.open);
  const progress = useLessonStore((s) => s.progress);
  const lesson = lessons.find((l) => l.id === progress.activeLessonId);
  if (!open || !lesson) return [];
  const index = Math.min(progress.stepIndex[lesson.id] ?? 0, lesson.steps.length - 1);
  return lesson.steps[index]?.highlight ?? [];
}
