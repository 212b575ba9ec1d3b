// Lesson and scenario text names only controls that exist: every "the X dropdown / field /
// button / tab / menu" and every "press / click / use X" must be a label the UI renders.
// (Lesson 8 once said "use Migrate in its properties"; the control is the Host dropdown.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios';
import { lessons } from '../../scenarios/lessons';

const uiDir = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !e.name.includes('.test.') ? [readFileSync(path, 'utf8')] : [];
  });
}

/** Every label the UI renders: label/aria-label/title props, field specs, and JSX text. */
function uiLabels(): Set<string> {
  const labels = new Set<string>();
  const add = (s: string) => {
    const t = s.replace(/\s+/g, ' ').trim().toLowerCase();
    if (t) labels.add(t);
  };
  for (const src of sources(uiDir)) {
    for (const m of src.matchAll(/\b(?:label|aria-label|ariaLabel|title)[=:]\s*["'`]([^"'`{}$]+)["'`]/g))
      add(m[1]);
    for (const m of src.matchAll(/>([^<>{}]+)</g)) add(m[1]);
    for (const m of src.matchAll(/'([A-Z][\w ]{1,30})'/g)) add(m[1]);
  }
  return labels;
}

function texts(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const l of lessons) {
    for (const s of l.steps) {
      for (const text of [s.body, s.task?.text, s.task?.hint, s.question?.prompt])
        if (text) out.push({ where: `lesson ${l.id} / ${s.id}`, text });
    }
  }
  for (const s of scenarios)
    for (const text of [s.description, ...s.tryThis]) out.push({ where: `scenario ${s.id}`, text });
  return out;
}

/** The controls a text names, in the words it uses. */
function controlMentions(text: string): string[] {
  const names: string[] = [];
  // "press **All steps**": the bold words are the control's whole name.
  const boldVerb = /\b(?:[Pp]ress|[Cc]lick|[Uu]se) \*\*([^*]+)\*\*/g;
  for (const m of text.matchAll(boldVerb)) names.push(m[1]);
  const plain = text.replace(boldVerb, '').replace(/\*\*/g, '');
  for (const m of plain.matchAll(/\b(\w[\w']*) (dropdown|field|button|tab|menu)\b/g)) {
    const word = m[1].replace(/'s$/, '');
    if (!['two', 'the', 'its', 'a', 'one'].includes(word.toLowerCase())) names.push(word);
  }
  for (const m of plain.matchAll(
    /\b(?:[Pp]ress|[Cc]lick|[Uu]se) ((?:[A-Z][\w]*)(?: (?:again|more|\d+ more|[A-Z]\w*))*)/g,
  ))
    names.push(m[1]);
  return names;
}

describe('lesson text names real controls', () => {
  it('finds the mentions it is meant to find', () => {
    expect(controlMentions('select it and pick that host in the **Host** dropdown')).toEqual(['Host']);
    expect(controlMentions('or use Migrate in its properties')).toEqual(['Migrate']);
    expect(controlMentions('press **All steps** above it')).toEqual(['All steps']);
    expect(controlMentions("Type 1500 in the trace panel's size field and press Run again")).toEqual([
      'size',
      'Run again',
    ]);
  });

  it('every control a lesson or a scenario brief names is on screen', () => {
    const labels = uiLabels();
    expect(labels).toContain('host');
    const missing: string[] = [];
    for (const { where, text } of texts()) {
      for (const name of controlMentions(text)) {
        if (!labels.has(name.toLowerCase())) missing.push(`${where}: “${name}”`);
      }
    }
    expect(missing).toEqual([]);
  });
});
