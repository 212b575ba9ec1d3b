// Each local virtual subnet's effective routes (system, peering, user-defined), best first, as
// the distributed router matches them: a system route a user-defined one overrides is Invalid.
import type { SubnetRoutes } from '../../engine/index';

const ORIGIN: Record<string, string> = { system: 'System', udr: 'User', peering: 'VNetPeering' };

export function EffectiveRoutes({ subnets }: { subnets: SubnetRoutes[] }) {
  if (!subnets.length) return null;
  return (
    <div data-testid="effective-routes">
      {subnets.map((s) => (
        <section key={s.vsid} aria-label={`Effective routes of ${s.subnet}`}>
          <h3 className="mt-2 mb-1 px-1 text-[11px] font-semibold text-slate-500">
            Effective routes: {s.vmNetwork} / {s.subnet} (VSID {s.vsid})
          </h3>
          <table className="w-full border-collapse text-left text-[11px]">
            <thead className="bg-slate-100 dark:bg-slate-800">
              <tr className="[&>th]:px-1.5 [&>th]:py-0.5 [&>th]:font-semibold [&>th]:text-slate-600 dark:[&>th]:text-slate-300">
                <th>Prefix</th>
                <th>Source</th>
                <th>Next hop</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody className="[&>tr]:border-b [&>tr]:border-slate-100 dark:[&>tr]:border-slate-800 [&_td]:px-1.5 [&_td]:py-0.5 [&_td]:align-top">
              {s.routes.map((r) => (
                <tr
                  key={`${r.origin}-${r.prefix}`}
                  data-state={r.state}
                  className={r.state === 'Invalid' ? 'text-slate-400 line-through' : ''}
                  title={r.source}
                >
                  <td className="font-mono">{r.prefix}</td>
                  <td>
                    {ORIGIN[r.origin]}
                    {r.origin !== 'system' && <div className="text-[10px] text-slate-500">{r.source}</div>}
                  </td>
                  <td>
                    {r.nextHopType}
                    {r.nextHop && <span className="ml-1 font-mono">{r.nextHop}</span>}
                  </td>
                  <td>{r.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
