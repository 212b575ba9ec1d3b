// The datacenter firewall of one port, as the host holds it: the connection state table (the
// flows its ACL allowed, whose replies pass without the rules, with their idle timers) and the
// firewall audit log (every ACL rule hit on a new flow). The lab's clock moves only when the user
// lets time pass here: idle connections then expire, and their replies are dropped again.
import { Fragment, useState } from 'react';
import type { HostTables, PortTables } from '../../engine/index';
import { LabClock, seconds } from './LabClock';

const isStateful = (p: PortTables) =>
  p.layers.some((l) => l.groups.some((g) => g.id.startsWith('acl_state_')));

export function FirewallTables({ tables, onChanged }: { tables: HostTables; onChanged(): void }) {
  const [portId, setPortId] = useState<string | undefined>(undefined);
  const port =
    tables.ports.find((p) => p.portId === portId) ?? tables.ports.find(isStateful) ?? tables.ports[0];
  if (!port) return <p className="px-1 py-3 text-slate-500">No VM runs on this host: no vSwitch ports.</p>;
  const stateful = isStateful(port);

  return (
    <div data-testid="firewall" className="flex flex-col gap-1">
      <label className="flex items-center gap-1.5 px-1">
        <span className="text-slate-500">vSwitch port</span>
        <select
          aria-label="Firewall port"
          value={port.portId}
          onChange={(e) => setPortId(e.target.value)}
          className="min-w-0 flex-1 rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900"
        >
          {tables.ports.map((p) => (
            <option key={p.portId} value={p.portId}>
              {p.vmLabel} · {p.caIp}
              {isStateful(p) ? '' : ' (no ACL)'}
            </option>
          ))}
        </select>
      </label>
      <LabClock clock={tables.clock} onChanged={onChanged} />
      {!stateful ? (
        <p className="px-1 py-2 text-slate-500">
          No ACL applies to {port.vmLabel} (neither on its port nor on its virtual subnet): every packet is
          allowed, so nothing is tracked or audited. Give it an ACL in its properties.
        </p>
      ) : (
        <>
          <h3 className="mt-1 px-1 text-[11px] font-semibold text-slate-500">
            Connection state of {port.vmLabel}: flows its ACL allowed; their replies pass without the rules
          </h3>
          {port.connections.length === 0 ? (
            <p className="px-1 text-slate-500">
              No connection tracked. Run a trace from or to {port.vmLabel} that its ACL allows.
            </p>
          ) : (
            <table className="w-full border-collapse text-left text-[11px]" data-testid="connections">
              <thead className="bg-slate-100 dark:bg-slate-800">
                <tr className="[&>th]:px-1.5 [&>th]:py-0.5 [&>th]:font-semibold [&>th]:text-slate-600 dark:[&>th]:text-slate-300">
                  <th>Flow (first packet)</th>
                  <th>Dir</th>
                  <th>State</th>
                  <th title="seconds left of the idle timeout">Idle left</th>
                  <th title="packets: original direction / reply">Pkts</th>
                </tr>
              </thead>
              <tbody className="[&>tr]:border-b [&>tr]:border-slate-100 dark:[&>tr]:border-slate-800 [&_td]:px-1.5 [&_td]:py-0.5 [&_td]:align-top">
                {port.connections.map((c) => (
                  <tr key={c.flow} data-connection={c.flow}>
                    <td className="font-mono break-all">{c.flow}</td>
                    <td>{c.direction === 'out' ? 'out' : 'in'}</td>
                    <td className="font-mono">{c.state}</td>
                    <td className="font-mono whitespace-nowrap">
                      {seconds(c.expiresIn)} / {c.idleTimeout} s
                    </td>
                    <td className="font-mono whitespace-nowrap">
                      {c.packetsOriginal} / {c.packetsReply}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3 className="mt-2 px-1 text-[11px] font-semibold text-slate-500">
            Firewall audit log of {port.vmLabel}: ACL rule hits on new flows
            {port.auditTotal > port.audit.length ? ` (last ${port.audit.length} of ${port.auditTotal})` : ''}
          </h3>
          {port.audit.length === 0 ? (
            <p className="px-1 text-slate-500">No ACL rule has decided a flow at this port yet.</p>
          ) : (
            <table className="w-full border-collapse text-left text-[11px]" data-testid="audit-log">
              <thead className="bg-slate-100 dark:bg-slate-800">
                <tr className="[&>th]:px-1.5 [&>th]:py-0.5 [&>th]:font-semibold [&>th]:text-slate-600 dark:[&>th]:text-slate-300">
                  <th>Time</th>
                  <th>Dir</th>
                  <th>Action</th>
                  <th>Rule</th>
                  <th>Flow</th>
                </tr>
              </thead>
              <tbody className="[&_td]:px-1.5 [&_td]:py-0.5 [&_td]:align-top">
                {port.audit.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a log: rows never move, the same rule and flow may repeat
                  <Fragment key={i}>
                    <tr data-audit={`${r.direction} ${r.action} ${r.rule}`}>
                      <td className="font-mono whitespace-nowrap">{seconds(r.time)}</td>
                      <td>{r.direction}</td>
                      <td
                        className={
                          r.action === 'deny'
                            ? 'font-semibold text-red-700 dark:text-red-300'
                            : 'text-emerald-700 dark:text-emerald-300'
                        }
                      >
                        {r.action}
                      </td>
                      <td className="font-mono" title={`rule id ${r.ruleId}`}>
                        {r.rule}
                      </td>
                      <td className="font-mono break-all">{r.flow}</td>
                    </tr>
                    <tr className="border-b border-slate-100 dark:border-slate-800">
                      <td colSpan={5} className="!pt-0 text-[10px] text-slate-500">
                        {r.origin}
                      </td>
                    </tr>
                  </Fragment>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
