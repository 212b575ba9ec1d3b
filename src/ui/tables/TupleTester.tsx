// Test-SdnVfpPortTuple in the host tables: pick one of the host's ports, a direction and a
// 5-tuple; the engine runs it through the port's VFP groups and shows each group's decision.
import { useState } from 'react';
import type { HostTables, TupleResult } from '../../engine/index';
import { engine } from '../../worker/client';

const input =
  'w-full rounded border border-slate-300 bg-white px-1 py-0.5 font-mono dark:border-slate-700 dark:bg-slate-900';

export function TupleTester({ tables }: { tables: HostTables }) {
  const [portId, setPortId] = useState(tables.ports[0]?.portId ?? '');
  const [direction, setDirection] = useState<'out' | 'in'>('out');
  const [protocol, setProtocol] = useState<'tcp' | 'udp' | 'icmp'>('tcp');
  const [peerIp, setPeerIp] = useState('');
  const [srcPort, setSrcPort] = useState('50000');
  const [dstPort, setDstPort] = useState('80');
  const [result, setResult] = useState<TupleResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const port = tables.ports.find((p) => p.portId === portId) ?? tables.ports[0];
  if (!port) return <p className="px-1 py-3 text-slate-500">This host has no VM ports.</p>;

  const run = async () => {
    setError(null);
    const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
    try {
      const r = await engine.testTuple({
        port: port.portId,
        direction,
        protocol,
        srcIp: direction === 'in' ? peerIp : undefined,
        dstIp: direction === 'out' ? peerIp : undefined,
        srcPort: protocol === 'icmp' ? undefined : num(srcPort),
        dstPort: protocol === 'icmp' ? undefined : num(dstPort),
      });
      setResult(r);
    } catch (e) {
      setResult(null);
      setError(e instanceof Error ? e.message.replace(/^Error: /, '') : String(e));
    }
  };

  return (
    <div data-testid="tuple-tester" className="flex flex-col gap-2">
      <p className="px-1 text-[11px] text-slate-500">
        Test-SdnVfpPortTuple: one packet through the port's VFP groups, as the data plane would walk them.
        Nothing in the lab changes.
      </p>
      <div className="grid grid-cols-[88px_1fr] items-center gap-x-2 gap-y-1 px-1">
        <label htmlFor="tuple-port">Port</label>
        <select
          id="tuple-port"
          value={port.portId}
          onChange={(e) => setPortId(e.target.value)}
          className={input}
        >
          {tables.ports.map((p) => (
            <option key={p.portId} value={p.portId}>
              {p.vmLabel} · {p.caIp}
            </option>
          ))}
        </select>
        <span>Direction</span>
        <div className="flex gap-1" role="radiogroup" aria-label="Direction">
          {(['out', 'in'] as const).map((d) => (
            <label key={d} className="flex items-center gap-1">
              <input
                type="radio"
                name="tuple-dir"
                checked={direction === d}
                onChange={() => setDirection(d)}
              />
              {d === 'out' ? 'OUT (the VM sends)' : 'IN (to the VM)'}
            </label>
          ))}
        </div>
        <label htmlFor="tuple-proto">Protocol</label>
        <select
          id="tuple-proto"
          value={protocol}
          onChange={(e) => setProtocol(e.target.value as 'tcp' | 'udp' | 'icmp')}
          className={input}
        >
          <option value="tcp">TCP</option>
          <option value="udp">UDP</option>
          <option value="icmp">ICMP</option>
        </select>
        <label htmlFor="tuple-peer">{direction === 'out' ? 'Destination IP' : 'Source IP'}</label>
        <input
          id="tuple-peer"
          value={peerIp}
          onChange={(e) => setPeerIp(e.target.value)}
          placeholder="10.1.1.11"
          className={input}
        />
        {protocol !== 'icmp' && (
          <>
            <label htmlFor="tuple-sport">Source port</label>
            <input
              id="tuple-sport"
              value={srcPort}
              onChange={(e) => setSrcPort(e.target.value)}
              className={input}
            />
            <label htmlFor="tuple-dport">Destination port</label>
            <input
              id="tuple-dport"
              value={dstPort}
              onChange={(e) => setDstPort(e.target.value)}
              className={input}
            />
          </>
        )}
      </div>
      <button
        type="button"
        onClick={() => void run()}
        data-testid="tuple-run"
        className="self-start rounded bg-sky-600 px-3 py-1 font-medium text-white hover:bg-sky-700"
      >
        Test
      </button>
      {error && (
        <p role="alert" className="px-1 text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {result && (
        <div data-testid="tuple-result" data-verdict={result.verdict} className="flex flex-col gap-1">
          <p
            className={`rounded px-2 py-1 font-medium ${
              result.verdict === 'allow'
                ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200'
                : 'bg-rose-50 text-rose-800 dark:bg-rose-950 dark:text-rose-200'
            }`}
          >
            {result.direction.toUpperCase()} {result.tuple} at {result.port}:{' '}
            {result.verdict === 'allow' ? 'allowed' : `blocked: ${result.reason ?? ''}`}
          </p>
          <table className="w-full border-collapse text-left text-[11px]">
            <thead className="bg-slate-100 dark:bg-slate-800">
              <tr>
                {['Layer', 'Group', 'Rule (hit)', 'Prio', 'Actions'].map((h) => (
                  <th key={h} className="px-1.5 py-0.5 font-semibold text-slate-600 dark:text-slate-300">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.groups.map((g) => {
                const hit = g.rules.find((r) => r.hit);
                const missed = g.rules.filter((r) => !r.hit).length;
                return (
                  <tr
                    key={`${g.layer}/${g.group}`}
                    data-group={g.group}
                    className="border-b border-slate-100 align-top dark:border-slate-800"
                    title={hit?.origin}
                  >
                    <td className="px-1.5 py-0.5 font-mono">{g.layer}</td>
                    <td className="px-1.5 py-0.5 font-mono">{g.group}</td>
                    <td className="px-1.5 py-0.5 font-mono">
                      {hit ? `${hit.ruleId}${hit.isDefault ? ' (default)' : ''}` : '–'}
                      {missed > 0 && <span className="ml-1 font-sans text-slate-400">({missed} missed)</span>}
                      {hit && (
                        <div className="font-sans text-[10px] text-teal-700 dark:text-teal-300">
                          {hit.origin}
                        </div>
                      )}
                    </td>
                    <td className="px-1.5 py-0.5 text-right font-mono">{hit?.priority}</td>
                    <td className="px-1.5 py-0.5">{g.actions.join('; ') || 'allow'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
