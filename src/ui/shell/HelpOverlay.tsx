import { useDocumentStore } from '../store/document';
import { SHORTCUTS } from './shortcuts';

export function HelpOverlay() {
  const open = useDocumentStore((s) => s.helpOpen);
  const setOpen = useDocumentStore((s) => s.setHelpOpen);
  if (!open) return null;
  return (
    <div
      className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 backdrop-blur-[1px]"
      onClick={() => setOpen(false)}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        className="w-[520px] max-w-[92vw] rounded-lg border border-slate-200 bg-white p-5 shadow-xl dark:border-slate-700 dark:bg-slate-900"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-base font-semibold text-slate-900 dark:text-slate-50">Keyboard shortcuts</h2>
          <button
            type="button"
            aria-label="Close help"
            onClick={() => setOpen(false)}
            className="rounded px-2 py-0.5 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
          >
            ×
          </button>
        </div>
        <table className="w-full text-[13px]">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1.5 pr-4 align-top">
                  <kbd className="whitespace-nowrap rounded border border-slate-300 bg-slate-50 px-1.5 py-px font-mono text-[11px] text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200">
                    {s.keys}
                  </kbd>
                </td>
                <td className="py-1.5 text-slate-600 dark:text-slate-300">{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
