// The palette: drag an object onto the canvas (or press its button) to create it.
import { type DragEvent, memo } from 'react';
import type { PaletteKind } from '../actions/commands';
import { useDocumentStore } from '../store/document';
import { placeFromPalette } from './place';

export const PALETTE_MIME = 'application/x-hnv-kind';

interface Item {
  kind: PaletteKind;
  label: string;
  hint: string;
}

const PHYSICAL: Item[] = [
  { kind: 'lsubnet', label: 'Logical subnet', hint: 'PA prefix, VLAN, gateway' },
  { kind: 'router', label: 'Router', hint: 'L3 / ToR between PA subnets' },
  { kind: 'host', label: 'Hyper-V host', hint: 'Drop on a logical subnet' },
  { kind: 'vm', label: 'VM', hint: 'Drop on a host or a subnet' },
];
const VIRTUAL: Item[] = [
  { kind: 'tenant', label: 'Tenant', hint: 'A customer; owns VM networks' },
  { kind: 'vmnet', label: 'VM network', hint: 'Routing domain; drop on tenant' },
  { kind: 'vsubnet', label: 'Virtual subnet', hint: 'VSID + prefix; drop on VM net' },
  { kind: 'routetable', label: 'Route table', hint: 'User-defined routes; drop on a subnet' },
  { kind: 'loadbalancer', label: 'Load balancer', hint: 'SLB VIP; drop on a subnet for its DIPs' },
  { kind: 'vgateway', label: 'Virtual gateway', hint: 'RAS compartment; drop on a VM net' },
];

function onDragStart(event: DragEvent, kind: PaletteKind) {
  event.dataTransfer.setData(PALETTE_MIME, kind);
  event.dataTransfer.effectAllowed = 'copy';
}

function addAtSelection(kind: PaletteKind) {
  const { view, selection, doc } = useDocumentStore.getState();
  const targets: Partial<Record<PaletteKind, string>> = {};
  for (const id of selection) {
    if (doc.hosts.some((h) => h.id === id)) targets.host = id;
    if (doc.logicalSubnets.some((s) => s.id === id)) targets.lsubnet = id;
    if (doc.tenants.some((t) => t.id === id)) targets.tenant = id;
    if (doc.vmNetworks.some((n) => n.id === id)) targets.vmnet = id;
    if (doc.virtualSubnets.some((s) => s.id === id)) targets.vsubnet = id;
  }
  void placeFromPalette(kind, { view, targets });
}

const PaletteItem = memo(function PaletteItem({ item, compact }: { item: Item; compact: boolean }) {
  return (
    <li>
      <button
        type="button"
        draggable
        onDragStart={(e) => onDragStart(e, item.kind)}
        onClick={() => addAtSelection(item.kind)}
        aria-label={`Palette: ${item.label}`}
        title={`${item.label}: ${item.hint}. Drag onto the canvas, or click to add next to the selection.`}
        className={`group flex w-full cursor-grab items-center gap-2.5 rounded-md border border-slate-200 bg-white ${compact ? 'justify-center px-0' : 'px-2.5'} py-2 text-left text-[13px] text-slate-700 shadow-xs transition hover:border-sky-400 hover:shadow-sm active:cursor-grabbing dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200 dark:hover:border-sky-500`}
      >
        <KindIcon kind={item.kind} />
        {compact ? null : (
          <span className="min-w-0">
            <span className="block truncate font-medium">{item.label}</span>
            <span className="block truncate text-[11px] text-slate-500 dark:text-slate-400">{item.hint}</span>
          </span>
        )}
      </button>
    </li>
  );
});

/** `compact`: icons only (the labels stay in the tooltips), when the lessons need the width. */
export function Palette({ compact = false }: { compact?: boolean }) {
  return (
    <nav
      aria-label="Palette"
      data-compact={compact ? 'true' : undefined}
      className={`flex h-full flex-col overflow-y-auto ${compact ? 'gap-3 p-1.5' : 'gap-4 p-3'}`}
    >
      <section>
        <h2
          className={`mb-2 font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400 ${compact ? 'text-center text-[9px]' : 'text-[11px]'}`}
        >
          {compact ? 'Phys' : 'Physical'}
        </h2>
        <ul className="flex flex-col gap-1.5">
          {PHYSICAL.map((item) => (
            <PaletteItem key={item.kind} item={item} compact={compact} />
          ))}
        </ul>
      </section>
      <section>
        <h2
          className={`mb-2 font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400 ${compact ? 'text-center text-[9px]' : 'text-[11px]'}`}
        >
          {compact ? 'Virt' : 'Virtual'}
        </h2>
        <ul className="flex flex-col gap-1.5">
          {VIRTUAL.map((item) => (
            <PaletteItem key={item.kind} item={item} compact={compact} />
          ))}
        </ul>
      </section>
      {compact ? null : (
        <p className="mt-auto text-[11px] leading-relaxed text-slate-500 dark:text-slate-400">
          Drag a VM onto another host to live-migrate it. Draw a link from a host or router handle to a
          logical subnet to connect it.
        </p>
      )}
    </nav>
  );
}

function KindIcon({ kind }: { kind: PaletteKind }) {
  const common = 'h-5 w-5 shrink-0 text-slate-500 group-hover:text-sky-600 dark:text-slate-400';
  switch (kind) {
    case 'loadbalancer':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <path d="M2 10h5M7 10l5-5h5M7 10h10M7 10l5 5h5" />
        </svg>
      );
    case 'vgateway':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <rect x="3" y="4" width="14" height="12" rx="2" />
          <path d="M6.5 10h7M11 7.5l2.5 2.5-2.5 2.5" />
        </svg>
      );
    case 'host':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <rect x="3" y="3" width="14" height="6" rx="1.5" />
          <rect x="3" y="11" width="14" height="6" rx="1.5" />
        </svg>
      );
    case 'vm':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <rect x="3" y="4" width="14" height="10" rx="1.5" />
          <path d="M7 17h6" />
        </svg>
      );
    case 'router':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <circle cx="10" cy="10" r="7" />
          <path d="M6 10h8M12 7.5l2 2.5-2 2.5M8 7.5 6 10l2 2.5" />
        </svg>
      );
    case 'lsubnet':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <path d="M2 10h16M5 10v5M10 10v5M15 10v5M10 5v5" />
        </svg>
      );
    case 'tenant':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <circle cx="10" cy="7" r="3" />
          <path d="M4 17c1-3 3.5-4.5 6-4.5s5 1.5 6 4.5" />
        </svg>
      );
    case 'vmnet':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <rect x="2.5" y="3.5" width="15" height="13" rx="2.5" strokeDasharray="3 2" />
        </svg>
      );
    case 'routetable':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <path d="M3 6h9M3 10h6M3 14h9M13 4l3 2-3 2M11 12l3 2-3 2" />
        </svg>
      );
    case 'vsubnet':
      return (
        <svg viewBox="0 0 20 20" className={common} fill="none" stroke="currentColor" aria-hidden>
          <rect x="4" y="5" width="12" height="10" rx="1.5" />
          <path d="M4 8.5h12" />
        </svg>
      );
  }
}
