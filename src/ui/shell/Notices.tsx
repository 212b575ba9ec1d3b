import { type Notice, useDocumentStore } from '../store/document';
import { JobProgress } from './JobProgress';

export function Notices() {
  const notices = useDocumentStore((s) => s.notices);
  const dismiss = useDocumentStore((s) => s.dismissNotice);
  return (
    <>
      <JobProgress />
      {notices.length > 0 && <NoticeList notices={notices} dismiss={dismiss} />}
    </>
  );
}

function NoticeList({ notices, dismiss }: { notices: Notice[]; dismiss: (id: number) => void }) {
  return (
    <div className="pointer-events-none absolute bottom-4 left-1/2 z-40 flex -translate-x-1/2 flex-col items-center gap-2">
      {notices.map((n) => (
        <div
          key={n.id}
          role={n.kind === 'error' ? 'alert' : 'status'}
          className={`pointer-events-auto flex max-w-[560px] items-start gap-3 rounded-md border px-3 py-2 text-[13px] shadow-lg ${
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
