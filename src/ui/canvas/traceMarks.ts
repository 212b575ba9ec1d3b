// Which canvas objects the current trace step touches. The trace store (UI-B's) says
// where the packet is; this small store turns that into per-object marks so each node
// subscribes to one string and re-renders only when its own mark changes.
import { create } from 'zustand';

export type TraceMark = 'here' | 'path' | 'drop';

interface TraceMarksState {
  marks: Record<string, TraceMark>;
  setMarks(marks: Record<string, TraceMark>): void;
}

export const useTraceMarks = create<TraceMarksState>()((set) => ({
  marks: {},
  setMarks: (marks) => set({ marks }),
}));

export function useTraceMark(objectId: string): TraceMark | null {
  return useTraceMarks((s) => s.marks[objectId] ?? null);
}
