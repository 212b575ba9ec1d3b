// Stand-ins for UI-B's panels until their modules land.
// TODO(ui-a): replace with InspectorPanel / TracePanel / HostTablesPanel from src/ui/{inspector,trace,tables}.
function Placeholder({ title, text }: { title: string; text: string }) {
  return (
    <section className="flex h-full flex-col p-3" aria-label={title}>
      <h2 className="text-[11px] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
        {title}
      </h2>
      <p className="mt-2 text-[12px] text-slate-500 dark:text-slate-400">{text}</p>
    </section>
  );
}

export function TracePanelPlaceholder() {
  return <Placeholder title="Trace" text="Pick a source VM and a destination, then run a trace." />;
}
export function InspectorPanelPlaceholder() {
  return <Placeholder title="Inspector" text="Select a trace step to see its headers and bytes." />;
}
export function HostTablesPanelPlaceholder() {
  return <Placeholder title="Host tables" text="The host agent's policy store and VFP tables appear here." />;
}
