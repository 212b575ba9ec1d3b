// The inner CA frame drawn inside the outer PA envelope: one box per header, its size in
// bytes, and the total overhead the encapsulation adds.
import type { DecodedFrame } from '../../engine/wire/types';
import { layerColor, shortName } from './layerColors';
import { type EnvelopePart, envelopeOf } from './model';

interface EnvelopeViewProps {
  frame: DecodedFrame;
  vsidColor?: string;
  /** The frame was seen on a physical link or at a router: an unencapsulated frame there is the PA network's own. */
  onPaNetwork?: boolean;
  onHoverLayer(index: number | null): void;
}

function Part({ part, onHoverLayer }: { part: EnvelopePart; onHoverLayer(i: number | null): void }) {
  const color = layerColor(part.protocol);
  return (
    <div
      data-envelope-part={part.protocol}
      onMouseEnter={() => onHoverLayer(part.layerIndex)}
      onMouseLeave={() => onHoverLayer(null)}
      className="flex min-w-[1.9rem] cursor-default flex-col items-center justify-center rounded px-0.5 py-1 text-center leading-tight"
      style={{ backgroundColor: `${color}22`, border: `1px solid ${color}88`, flex: `${part.bytes} 1 auto` }}
    >
      <span className="text-[10px] font-semibold" style={{ color }}>
        {shortName(part.protocol)}
      </span>
      <span className="font-mono text-[10px] text-slate-600 dark:text-slate-300">{part.bytes} B</span>
    </div>
  );
}

export function EnvelopeView({ frame, vsidColor, onPaNetwork, onHoverLayer }: EnvelopeViewProps) {
  const env = envelopeOf(frame);
  const inner = (
    <div
      className="flex min-w-0 items-stretch gap-0.5 rounded-md border-2 border-dashed p-0.5"
      style={{ borderColor: vsidColor ?? '#94a3b8', flex: `${Math.max(env.innerLength, 1)} 1 auto` }}
      data-testid="envelope-inner"
    >
      {env.inner.map((p) => (
        <Part key={p.layerIndex} part={p} onHoverLayer={onHoverLayer} />
      ))}
      {env.payload > 0 && (
        <div
          className="flex min-w-[1.9rem] flex-col items-center justify-center rounded border border-slate-300 bg-slate-100 px-0.5 py-1 text-center leading-tight dark:border-slate-600 dark:bg-slate-800"
          style={{ flex: `${Math.min(env.payload, 14)} 1 auto` }}
        >
          <span className="text-[11px] font-semibold text-slate-500">data</span>
          <span className="font-mono text-[10px] text-slate-600 dark:text-slate-300">{env.payload} B</span>
        </div>
      )}
    </div>
  );
  return (
    <div data-testid="envelope" className="space-y-1.5 text-[12px]">
      {env.encapsulation ? (
        <>
          <div className="flex items-stretch gap-0.5 rounded-lg border border-slate-300 bg-slate-50 p-1 dark:border-slate-600 dark:bg-slate-900">
            {env.outer.map((p) => (
              <Part key={p.layerIndex} part={p} onHoverLayer={onHoverLayer} />
            ))}
            {inner}
          </div>
          <div className="flex flex-wrap items-baseline gap-x-4 text-slate-600 dark:text-slate-300">
            <span>
              PA envelope ({env.encapsulation.toUpperCase()}):{' '}
              <strong data-testid="envelope-overhead" className="text-slate-900 dark:text-white">
                {env.overhead} bytes
              </strong>{' '}
              of overhead
            </span>
            <span>
              CA frame <strong className="text-slate-900 dark:text-white">{env.innerLength} B</strong> → on
              the wire <strong className="text-slate-900 dark:text-white">{env.total} B</strong>
            </span>
          </div>
          <div className="text-[11px] text-slate-500">
            {env.outer.map((p) => `${shortName(p.protocol)} ${p.bytes}`).join(' + ')} = {env.overhead} B. The
            PA network's MTU must carry it (jumbo frames recommended).
          </div>
        </>
      ) : (
        <>
          <div className="flex items-stretch gap-1">{inner}</div>
          {onPaNetwork ? (
            <div className="text-slate-600 dark:text-slate-300">
              No envelope: a frame of the physical network itself, <strong>{env.total} B</strong>. Only tenant
              frames travel encapsulated.
            </div>
          ) : (
            <div className="text-slate-600 dark:text-slate-300">
              No envelope: a plain frame of <strong>{env.total} B</strong>. Encapsulation would add 50 B
              (VXLAN), 54 B (VXLAN with a VLAN tag) or 42 B (NVGRE).
            </div>
          )}
        </>
      )}
    </div>
  );
}
