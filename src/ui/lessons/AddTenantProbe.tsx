// The "add tenant" tool of lesson 1: asks the worker to add tenants under VLAN and under
// overlay isolation until one does not fit, and shows what it answered. A dry run: the
// engine reports, the document is never touched. The UI computes nothing about IDs.
import { useState } from 'react';
import type { AddTenantSummary } from '../../engine/model/tenants';
import { engine } from '../../worker/client';
import { useDocumentStore } from '../store/document';

/** How many tenants each button tries to add: more than a 12-bit tag can hold. */
const PROBE_TENANTS = 5000;

type Isolation = 'vlan' | 'overlay';

function resultText(result: AddTenantSummary, isolation: Isolation): string {
  if (!result.ok) return result.error;
  const { first, last } = result;
  const ids =
    isolation === 'vlan'
      ? `VLANs ${first.vlanId} to ${last.vlanId}`
      : `VSIDs ${first.vsid} to ${last.vsid}, all on 10.1.1.0/24`;
  return `${result.added.toLocaleString('en-US')} tenants added (${ids}); ${result.remaining.toLocaleString('en-US')} ${isolation === 'vlan' ? 'VLAN IDs' : 'VSIDs'} still free.`;
}

export function AddTenantProbe() {
  const [results, setResults] = useState<Partial<Record<Isolation, AddTenantSummary | 'busy'>>>({});
  const run = async (isolation: Isolation) => {
    setResults((r) => ({ ...r, [isolation]: 'busy' }));
    const doc = useDocumentStore.getState().doc;
    try {
      const result = await engine.tryAddTenantNetworks(doc, { isolation, count: PROBE_TENANTS });
      setResults((r) => ({ ...r, [isolation]: result }));
    } catch (e) {
      setResults((r) => ({ ...r, [isolation]: { ok: false, added: 0, error: String(e) } }));
    }
  };
  const rows: [Isolation, string][] = [
    ['vlan', `Add ${PROBE_TENANTS.toLocaleString('en-US')} tenants with VLANs`],
    ['overlay', `Add ${PROBE_TENANTS.toLocaleString('en-US')} tenants on the overlay`],
  ];
  return (
    <div className="flex flex-col gap-2" data-testid="add-tenant-probe">
      {rows.map(([isolation, label]) => {
        const result = results[isolation];
        return (
          <div key={isolation} className="flex flex-col gap-1">
            <button
              type="button"
              onClick={() => void run(isolation)}
              disabled={result === 'busy'}
              className="self-start rounded-md border border-slate-300 px-2.5 py-1 text-[12px] font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-50 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              {label}
            </button>
            {result !== undefined && result !== 'busy' && (
              <p
                role="status"
                data-testid={`add-tenant-${isolation}`}
                data-ok={result.ok ? 'true' : 'false'}
                className={`rounded-md px-2.5 py-1.5 text-[12px] leading-snug ${
                  result.ok
                    ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200'
                    : 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200'
                }`}
              >
                {result.ok ? '✓ ' : '✗ '}
                {resultText(result, isolation)}
              </p>
            )}
          </div>
        );
      })}
      <p className="text-[11px] text-slate-500 dark:text-slate-400">A dry run: your document is unchanged.</p>
    </div>
  );
}
