// Bridges the trace store (UI-B) to per-object canvas marks.
// TODO(ui-a): read src/ui/store/trace.ts once it lands; until then nothing is marked.
export function TraceOverlay() {
  return null;
}
