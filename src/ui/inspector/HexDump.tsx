// Offset / 16 hex bytes / ASCII. Each byte carries data-offset and, when it belongs to the
// highlighted field or layer, data-highlighted="true". Rows are memoised: a hover
// re-renders only the rows whose highlight changed.
import { memo, useMemo } from 'react';
import type { DecodedFrame } from '../../engine/wire/types';
import { layerColor } from './layerColors';
import { layerAt } from './model';

export interface ByteRange {
  start: number;
  end: number; // exclusive
}

interface HexDumpProps {
  bytes: Uint8Array;
  frame: DecodedFrame;
  highlight: ByteRange | null;
  /** Byte offsets changed since the previous step (shown underlined). */
  changed?: ReadonlySet<number>;
  onHoverByte(offset: number | null): void;
  onClickByte(offset: number): void;
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const printable = (n: number) => (n >= 0x20 && n < 0x7f ? String.fromCharCode(n) : '·');

export function HexDump({ bytes, frame, highlight, changed, onHoverByte, onClickByte }: HexDumpProps) {
  const rows: number[] = [];
  for (let i = 0; i < bytes.length; i += 16) rows.push(i);
  const tint = useMemo(() => {
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const li = layerAt(frame, i);
      out.push(li >= 0 ? layerColor(frame.layers[li].protocol) : '');
    }
    return out;
  }, [bytes, frame]);
  return (
    <div
      className="font-mono text-[12px] leading-[20px] select-none @max-[56rem]:text-[11px]"
      data-testid="hex-dump"
      onMouseLeave={() => onHoverByte(null)}
    >
      {rows.map((rowStart) => {
        const rowEnd = Math.min(rowStart + 16, bytes.length);
        const hl =
          highlight && highlight.start < rowEnd && highlight.end > rowStart
            ? `${Math.max(highlight.start, rowStart)}-${Math.min(highlight.end, rowEnd)}`
            : '';
        let changedKey = '';
        if (changed) for (let i = rowStart; i < rowEnd; i++) if (changed.has(i)) changedKey += `${i},`;
        return (
          <HexRow
            key={rowStart}
            bytes={bytes}
            rowStart={rowStart}
            rowEnd={rowEnd}
            tint={tint}
            hl={hl}
            changedKey={changedKey}
            onHoverByte={onHoverByte}
            onClickByte={onClickByte}
          />
        );
      })}
    </div>
  );
}

interface HexRowProps {
  bytes: Uint8Array;
  rowStart: number;
  rowEnd: number;
  tint: string[];
  /** 'a-b' of the highlighted part of this row, or ''. Memo key. */
  hl: string;
  changedKey: string;
  onHoverByte(offset: number | null): void;
  onClickByte(offset: number): void;
}

const HexRow = memo(function HexRow({
  bytes,
  rowStart,
  rowEnd,
  tint,
  hl,
  changedKey,
  onHoverByte,
  onClickByte,
}: HexRowProps) {
  const [a, b] = hl ? hl.split('-').map(Number) : [-1, -1];
  const changed = new Set(changedKey ? changedKey.split(',').filter(Boolean).map(Number) : []);
  const cells = [];
  const ascii = [];
  for (let i = rowStart; i < rowStart + 16; i++) {
    const gap = i - rowStart === 8 ? 'ml-2' : '';
    if (i >= rowEnd) {
      cells.push(<span key={i} className={`inline-block w-[1.667em] ${gap}`} />);
      continue;
    }
    const on = i >= a && i < b;
    const color = tint[i];
    const style = on
      ? undefined
      : color
        ? { backgroundColor: `${color}1f`, boxShadow: `inset 0 -2px 0 ${color}66` }
        : undefined;
    cells.push(
      <span
        key={i}
        data-offset={i}
        data-highlighted={on ? 'true' : undefined}
        onMouseEnter={() => onHoverByte(i)}
        onClick={() => onClickByte(i)}
        style={style}
        className={`inline-block w-[1.667em] cursor-pointer text-center ${gap} ${
          on
            ? 'rounded-sm bg-amber-300 font-bold text-slate-950 ring-1 ring-amber-500'
            : 'text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-700'
        } ${changed.has(i) ? 'underline decoration-rose-500 decoration-2 underline-offset-2' : ''}`}
      >
        {hex2(bytes[i])}
      </span>,
    );
    ascii.push(
      <span
        key={i}
        className={on ? 'bg-amber-300 text-slate-950' : 'text-slate-400 dark:text-slate-500'}
        onMouseEnter={() => onHoverByte(i)}
      >
        {printable(bytes[i])}
      </span>,
    );
  }
  return (
    <div className="flex items-center gap-3 whitespace-pre">
      <span className="w-[3em] shrink-0 text-right text-slate-400 dark:text-slate-500">
        {rowStart.toString(16).padStart(4, '0')}
      </span>
      <span className="flex">{cells}</span>
      <span className="border-l border-slate-200 pl-2 @max-[70rem]:hidden dark:border-slate-700">
        {ascii}
      </span>
    </div>
  );
});
