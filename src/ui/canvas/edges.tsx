import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getSmoothStepPath } from '@xyflow/react';
import { memo } from 'react';
import type { LabEdge } from './geometry';

/** A drop onto a bus: straight down when the end sits over the bus, a step path otherwise. */
export const BusEdge = memo(function BusEdge(props: EdgeProps<LabEdge>) {
  const { sourceX, sourceY, targetX, targetY, data, selected, style } = props;
  const half = data?.busHalfWidth ?? 0;
  let path: string;
  let labelX: number;
  let labelY: number;
  // The bus is either end: straighten onto it when the other end is within its span.
  if (half > 0 && Math.abs(targetX - sourceX) < half - 8) {
    const x = props.source.startsWith('lsubnet:') ? targetX : sourceX;
    path = `M ${x} ${sourceY} L ${x} ${targetY}`;
    labelX = x;
    labelY = (sourceY + targetY) / 2;
  } else {
    [path, labelX, labelY] = getSmoothStepPath({ ...props, borderRadius: 8 });
  }
  return (
    <>
      <BaseEdge
        path={path}
        style={{
          strokeWidth: selected ? 3 : 2,
          stroke: selected ? '#0ea5e9' : 'var(--lab-link, #94a3b8)',
          ...style,
        }}
      />
      {data?.label ? (
        <EdgeLabelRenderer>
          <div
            className="nodrag nopan pointer-events-none absolute rounded bg-white px-1 font-mono text-[10px] text-slate-600 shadow-sm ring-1 ring-slate-200 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-700"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {data.label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});

export const edgeTypes = { bus: BusEdge };
