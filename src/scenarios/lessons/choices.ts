import type { Choice } from './types';

/**
 * Build choices from [id, label, feedback] rows, naming the right one. Derived labels can
 * coincide (e.g. two VMs on one host share a PA): a wrong row that repeats a label is dropped.
 */
export function choices(correctId: string, rows: [id: string, label: string, feedback: string][]): Choice[] {
  const correctLabel = rows.find(([id]) => id === correctId)?.[1];
  const seen = new Set<string>();
  const out: Choice[] = [];
  for (const [id, label, feedback] of rows) {
    const correct = id === correctId;
    if (!correct && (seen.has(label) || label === correctLabel)) continue;
    seen.add(label);
    out.push({ id, label, feedback, correct });
  }
  return out;
}
