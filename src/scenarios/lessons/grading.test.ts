// Lessons grade honestly: a question about the result of a task is graded against the state
// the document is really in, and a step left unfinished is recorded as skipped.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../index';
import { liveMigration } from './08-live-migration';
import { chooseAnswer, emptyProgress, lessonScore, markSkipped, parseProgress, stepStatus } from './progress';
import type { LessonFacts } from './types';

const step = (id: string) => {
  const s = liveMigration.steps.find((x) => x.id === id);
  if (!s) throw new Error(id);
  return s;
};

function facts(move?: string): LessonFacts {
  const document = structuredClone(scenarioById('live-migration')!.document);
  if (move) document.vms.find((v) => v.id === 'contoso-sql')!.hostId = move;
  return { document, scenarioId: 'live-migration', view: 'physical', selection: [], trace: null };
}

describe('Lesson 8: “outer destination now?” is about after the move', () => {
  const predict = step('predict-new-pa');

  it('is blocked while Contoso/SQL is still on Host 1: no answer counts, the note says what to do', () => {
    const before = facts();
    // The old grading took the answer labelled "PA of its new host", which was Host 1's PA.
    for (const choice of ['new', 'old', 'ca']) {
      const p = chooseAnswer(emptyProgress(), liveMigration, 'outer-after-move', choice);
      const st = stepStatus(liveMigration, predict, before, p);
      expect(st.blocked).toMatch(/still on Host 1.*Migrate it/);
      expect(st.answeredRight).toBe(false);
      expect(st.complete).toBe(false);
    }
  });

  it('after the move only the new host’s PA is right', () => {
    const after = facts('host-3');
    const right = chooseAnswer(emptyProgress(), liveMigration, 'outer-after-move', 'new');
    expect(stepStatus(liveMigration, predict, after, right)).toMatchObject({
      blocked: undefined,
      complete: true,
    });
    const label = predict.question?.choices(after).find((c) => c.id === 'new')?.label;
    expect(label).toContain('192.168.2.30');
    const old = chooseAnswer(emptyProgress(), liveMigration, 'outer-after-move', 'old');
    expect(stepStatus(liveMigration, predict, after, old).complete).toBe(false);
  });

  it('says what is on screen: the Host dropdown, not a “Migrate” control', () => {
    expect(step('migrate').body).toContain('**Host** dropdown');
    expect(step('migrate').body).not.toContain('Migrate in its properties');
  });
});

describe('skipping', () => {
  it('a skipped step shows as skipped until it is done, counts as skipped, and is saved', () => {
    const migrate = step('migrate');
    const p = markSkipped(emptyProgress(), liveMigration, migrate);
    expect(markSkipped(p, liveMigration, migrate)).toBe(p);
    expect(stepStatus(liveMigration, migrate, facts(), p)).toMatchObject({ skipped: true, complete: false });
    expect(lessonScore(liveMigration, facts(), p)).toMatchObject({ complete: 0, skipped: 1 });
    // Done later: no longer skipped.
    expect(stepStatus(liveMigration, migrate, facts('host-3'), p)).toMatchObject({
      skipped: false,
      complete: true,
    });
    expect(parseProgress(JSON.parse(JSON.stringify(p))).skipped).toEqual({ 'live-migration/migrate': true });
  });
});
