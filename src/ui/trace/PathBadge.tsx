// Slow, fast or mixed path, as a small badge with its meaning on hover.
import type { TraceStep } from '../store/trace';

const PATH_BADGE = {
  slow: {
    title: 'Slow path: no flow-table entry yet, so every layer and group was walked',
    className: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100',
  },
  fast: {
    title: 'Fast path: the unified flow table already held the actions for this flow',
    className: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100',
  },
  mixed: {
    title:
      'Mixed: one vSwitch on the way used its cached actions, another walked its layers (a cached entry that leads somewhere new)',
    className: 'bg-violet-100 text-violet-800 dark:bg-violet-900 dark:text-violet-100',
  },
} as const;

/** HNVv1's words for the same paths: the HNV filter's cache and policy, no VFP. */
const V1_PATH_TITLE = {
  slow: 'Slow path: nothing cached for this flow yet, so the HNV filter looked its policy up',
  fast: "Fast path: the HNV filter's flow cache already held the decision for this flow",
  mixed: 'Mixed: one host on the way used its cached decision, another looked its policy up',
} as const;

export function PathBadge({ path, v1 = false }: { path: TraceStep['path']; v1?: boolean }) {
  if (path === 'none') return null;
  const badge = PATH_BADGE[path];
  return (
    <span
      data-path={path}
      title={v1 ? V1_PATH_TITLE[path] : badge.title}
      className={`shrink-0 whitespace-nowrap rounded-full px-1.5 py-[1px] text-[10px] font-semibold uppercase ${badge.className}`}
    >
      {path} path
    </span>
  );
}
