// The RAS gateway VM's tables, on the host that runs it: each tenant compartment's routes with
// their origin (a connection's static routes, "BGP peer …", the NAT connection's default route),
// its connections, the NAT mapping table with packet counters and idle timers (with the lab
// clock, to let them expire), and the flow cache with its hits. Read from the engine.
import { Fragment } from 'react';
import type { GatewayTables as Tables } from '../../engine/index';
import { LabClock, seconds } from './LabClock';

export function GatewayTables({
  gateways,
  clock,
  onChanged,
}: {
  gateways: Tables[];
  clock: number;
  onChanged(): void;
}) {
  return (
    <div data-testid="gateway-tables">
      {gateways.map((g) => (
        <Fragment key={g.gatewayId}>
          <p className="mb-1 text-slate-600 dark:text-slate-300">
            <span className="font-semibold">{g.name}</span> · PA <span className="font-mono">{g.pa}</span> ·
            front end <span className="font-mono">{g.frontEnd}</span>
          </p>
          {g.compartments.map((c) => (
            <section key={c.virtualGateway} className="mb-2">
              <h3 className="mt-2 mb-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">
                {c.tenant} compartment ({c.vmNetwork}) · routes
              </h3>
              <table className="w-full border-collapse text-left" data-testid={`gateway-routes-${c.tenant}`}>
                <thead className="text-slate-500">
                  <tr>
                    <th className="pr-2 font-normal">Prefix</th>
                    <th className="pr-2 font-normal">Connection</th>
                    <th className="font-normal">Origin</th>
                  </tr>
                </thead>
                <tbody>
                  {c.routes.map((r) => (
                    <tr
                      key={`${r.prefix}-${r.connection}-${r.origin}`}
                      className="border-t border-slate-100 dark:border-slate-800"
                    >
                      <td className="pr-2 font-mono">{r.prefix}</td>
                      <td className="pr-2">
                        {r.connection} <span className="text-slate-500">({r.type.toUpperCase()})</span>
                      </td>
                      <td className="text-slate-600 dark:text-slate-300">{r.origin}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ul className="mt-1 text-slate-600 dark:text-slate-300">
                {c.connections.map((k) => (
                  <li key={k.name}>
                    <span className="font-medium">{k.name}</span> ({k.type.toUpperCase()}): {k.detail}
                  </li>
                ))}
              </ul>
            </section>
          ))}
          <h3 className="mt-2 mb-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">
            NAT mappings
          </h3>
          <LabClock clock={clock} onChanged={onChanged} />
          {g.nat.length === 0 ? (
            <p className="text-slate-500">No mappings yet: trace a ping to the internet.</p>
          ) : (
            <table className="w-full border-collapse text-left" data-testid="gateway-nat">
              <thead className="text-slate-500">
                <tr>
                  <th className="pr-2 font-normal">Tenant</th>
                  <th className="pr-2 font-normal">Protocol</th>
                  <th className="pr-2 font-normal">Inside → public</th>
                  <th className="pr-2 font-normal">Packets</th>
                  <th className="font-normal" title="Seconds since its last packet, of its idle timeout">
                    Idle
                  </th>
                </tr>
              </thead>
              <tbody>
                {g.nat.map((m) => (
                  <tr
                    key={`${m.protocol}-${m.public}`}
                    className="border-t border-slate-100 dark:border-slate-800"
                  >
                    <td className="pr-2">{m.tenant}</td>
                    <td className="pr-2">{m.protocol}</td>
                    {/* Stacked: the panel is narrow, and an address:port does not wrap. */}
                    <td className="pr-2 font-mono">
                      <div>{m.inside}</div>
                      <div>→ {m.public}</div>
                    </td>
                    <td className="pr-2">{m.packets}</td>
                    <td className="font-mono">
                      {seconds(m.idle)} / {seconds(m.timeout)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3 className="mt-2 mb-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">
            Flow cache
          </h3>
          {g.flows.length === 0 ? (
            <p className="text-slate-500">No flows yet: the first packet of a flow walks the routes.</p>
          ) : (
            <table className="w-full border-collapse text-left" data-testid="gateway-flows">
              <thead className="text-slate-500">
                <tr>
                  <th className="pr-2 font-normal">Tenant</th>
                  <th className="pr-2 font-normal">Protocol</th>
                  <th className="pr-2 font-normal">Flow</th>
                  <th className="pr-2 font-normal">Connection</th>
                  <th className="font-normal">Hits</th>
                </tr>
              </thead>
              <tbody>
                {g.flows.map((f) => (
                  <tr
                    key={`${f.tenant}-${f.protocol}-${f.flow}`}
                    className="border-t border-slate-100 dark:border-slate-800"
                  >
                    <td className="pr-2">{f.tenant}</td>
                    <td className="pr-2">{f.protocol}</td>
                    <td className="pr-2 font-mono">{f.flow}</td>
                    <td className="pr-2">{f.connection}</td>
                    <td>{f.hits}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Fragment>
      ))}
    </div>
  );
}
