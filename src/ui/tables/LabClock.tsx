// The lab's clock and the buttons that let time pass. It moves only when the user says so:
// connections (the firewall's state) and the gateways' NAT mappings idle past their timeout then
// expire. Shown where those timers are: the firewall tables and the RAS gateway's tables.
import { useState } from 'react';
import type { ClockResult } from '../../engine/index';
import { engine } from '../../worker/client';

const STEPS = [
  { label: '+10 s', seconds: 10 },
  { label: '+1 min', seconds: 60 },
  { label: '+5 min', seconds: 300 },
  { label: '+1 h', seconds: 3600 },
];

export const seconds = (t: number) => `${Math.round(t * 10) / 10} s`;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function LabClock({ clock, onChanged }: { clock: number; onChanged(): void }) {
  const [last, setLast] = useState<ClockResult | null>(null);
  const advance = async (s: number) => {
    setLast(await engine.advanceClock(s));
    onChanged();
  };
  const expired = [
    last?.expired ? plural(last.expired, 'connection', 'connections') : '',
    last?.natExpired ? plural(last.natExpired, 'NAT mapping', 'NAT mappings') : '',
  ].filter(Boolean);
  return (
    <div className="flex flex-wrap items-center gap-1 px-1 text-[11px]">
      <span className="text-slate-500">Lab clock</span>
      <span className="font-mono" data-testid="lab-clock">
        {seconds(clock)}
      </span>
      <span className="ml-2 text-slate-500">Let time pass</span>
      {STEPS.map((s) => (
        <button
          key={s.seconds}
          type="button"
          onClick={() => void advance(s.seconds)}
          className="rounded border border-slate-300 px-1.5 py-0.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {s.label}
        </button>
      ))}
      {expired.length > 0 && (
        <span className="text-amber-700 dark:text-amber-300" data-testid="expired-note">
          {expired.join(' and ')} expired
        </span>
      )}
    </div>
  );
}
