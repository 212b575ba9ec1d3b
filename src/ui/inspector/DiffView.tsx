// What changed since the previous step: encapsulation added/removed, then field by field.
import type { FrameDiff } from './diff';

interface DiffViewProps {
  diff: FrameDiff | null;
  /** What the frame is compared with, e.g. "the previous step" or "the plain ping sample". */
  against: string;
  /** Why there is nothing to compare with, when there is no diff. */
  none?: string;
  onHover(fieldId: string | null): void;
  onSelect(fieldId: string): void;
}

export function DiffView({ diff, against, none, onHover, onSelect }: DiffViewProps) {
  if (!diff) {
    return (
      <div className="text-[12px] text-slate-500">
        {none ?? 'Nothing to compare with: this is where the packet starts.'}
      </div>
    );
  }
  const main = diff.changes.filter((c) => !c.consequential);
  const follow = diff.changes.filter((c) => c.consequential);
  return (
    <div className="space-y-1 text-[12px]" data-testid="diff">
      <div className="text-slate-500">Compared with {against}:</div>
      <ul className="space-y-0.5">
        {diff.summary.map((line) => (
          <li key={line} className="font-medium text-slate-800 dark:text-slate-100">
            • {line}
          </li>
        ))}
      </ul>
      {main.length > 0 && (
        <table className="w-full text-left">
          <tbody>
            {main.map((c) => (
              <tr
                key={c.fieldId}
                data-diff-key={c.key}
                className="cursor-pointer hover:bg-slate-100 dark:hover:bg-slate-800"
                onMouseEnter={() => onHover(c.fieldId)}
                onMouseLeave={() => onHover(null)}
                onClick={() => onSelect(c.fieldId)}
              >
                <td className="pr-2 text-slate-500">{c.scope === 'plain' ? '' : c.scope}</td>
                <td className="pr-2">{c.label}</td>
                <td className="pr-1 font-mono text-slate-500 line-through">{c.before}</td>
                <td className="font-mono text-rose-700 dark:text-rose-300">{c.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {follow.length > 0 && (
        <div className="text-[11px] text-slate-400">
          Recomputed as a consequence: {follow.map((c) => c.label).join(', ')}
        </div>
      )}
    </div>
  );
}
