import { InspectorPanel } from './inspector';

// Placeholder until the real layout lands: the first screen is the packet inspector.
export function App() {
  return (
    <main className="flex h-screen flex-col bg-white text-slate-900">
      <h1 className="border-b border-slate-200 px-3 py-2 text-lg font-semibold">HNV Lab</h1>
      <div className="min-h-0 flex-1">
        <InspectorPanel />
      </div>
    </main>
  );
}
