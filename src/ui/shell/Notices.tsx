import { PickBanner } from '../canvas/PickBanner';
import { type Notice, useDocumentStore } from '../store/document';
import { JobProgress } from './JobProgress';

export function Notices() {
  const notices = useDocumentStore((s) => s.notices);
  const dismiss = useDocumentStore((s) => s.dismissNotice);
  return (
    <>
      <JobProgress />
      <PickBanner />
      {notices.length > 0 && <NoticeList notices={notices} dismiss={dismiss} />}
    </>
  );
}

function NoticeList({ notices, dismiss }: { notices: Notice[]; dismiss: (id: number) => void }) {
  return (
    // A strip above the canvas, in the layout's flow: a notice never covers a node.
    <div
      data-testid="notices"
      className="flex shrink-0 flex-col items-center gap-1 border-b border-slate-200 bg-slate-100/80 px-3 py-1 dark:border-slate-800 dark:bg-slate-900/80"
    >
      {notices.map((n) => (
        <div
          key={n.id}
          role={n.kind === 'error' ? 'alert' : 'status'}
          className={`flex max-w-[640px] items-start gap-3 rounded-md border px-3 py-1 text-[13px] shadow-sm ${
            n.kind === 'error'
              ? 'border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200'
              : 'border-slate-200 bg-white text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200'
          }`}
        >
          <span>{n.text}</span>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => dismiss(n.id)}
            className="opacity-60 hover:opacity-100"
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
