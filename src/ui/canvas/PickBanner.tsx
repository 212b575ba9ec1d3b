// While the trace form's "Pick on canvas" is on: a line above the canvas (in the notices' strip,
// so it never covers a node) says what to click next (the source VM, then the destination VM),
// with Cancel (or Escape).
import { useEffect } from 'react';
import type { TopologyDocument } from '../../engine/model/schema';
import { useDocumentStore } from '../store/document';
import { useTracePick } from '../trace/pick';

/** The vNIC a VM node stands for: physical `vm:VM` (its first adapter), virtual `vm:VM:SUBNET:slot`. */
export function vnicOfNode(nodeId: string, doc: TopologyDocument): string | undefined {
  const [kind, vmId, subnetId] = nodeId.split(':');
  if (kind !== 'vm') return undefined;
  const vm = doc.vms.find((v) => v.id === vmId);
  if (!vm) return undefined;
  return (subnetId ? vm.nics.find((n) => n.virtualSubnetId === subnetId) : vm.nics[0])?.id;
}

function vmNameOfVnic(doc: TopologyDocument, vnicId: string | undefined): string {
  const vm = doc.vms.find((v) => v.nics.some((n) => n.id === vnicId));
  return vm?.name ?? '';
}

export function PickBanner() {
  const mode = useTracePick((s) => s.mode);
  const from = useTracePick((s) => s.picked.from);
  const cancel = useTracePick((s) => s.cancel);
  const doc = useDocumentStore((s) => s.doc);
  useEffect(() => {
    if (mode === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') cancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mode, cancel]);
  if (mode === null) return null;
  return (
    <div className="flex shrink-0 justify-center border-b border-sky-200 bg-sky-50/80 px-3 py-1 dark:border-sky-900 dark:bg-sky-950/60">
      <div
        role="status"
        data-testid="pick-banner"
        className="flex items-center gap-3 rounded-md border border-sky-300 bg-white px-3 py-1 text-[13px] text-sky-900 shadow-sm dark:border-sky-800 dark:bg-slate-800 dark:text-sky-100"
      >
        <span>
          {mode === 'from' ? (
            <>
              <strong>Pick the source:</strong> click the VM that sends the packet.
            </>
          ) : (
            <>
              Source: <strong>{vmNameOfVnic(doc, from)}</strong>. Now click the <strong>destination</strong>{' '}
              VM.
            </>
          )}
        </span>
        <button
          type="button"
          onClick={cancel}
          className="rounded border border-sky-300 px-2 py-0.5 text-[12px] hover:bg-sky-100 dark:border-sky-700 dark:hover:bg-sky-900"
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
