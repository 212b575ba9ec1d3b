export function App() {
  return (
    <main className="flex h-screen items-center justify-center bg-slate-950 text-slate-100">
      <h1 className="text-2xl font-semibold">HNV Lab</h1>
    </main>
  );
}
