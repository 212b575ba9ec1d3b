// A question the lab asks without stopping the user: one banner at the top of the canvas with a
// line of text and two or three buttons ("Open shared lab" / "Keep mine"). It stays until
// answered; a newer question replaces it. Notices tell, this asks.
import { create } from 'zustand';

export interface ChoiceAction {
  label: string;
  run: () => void;
  primary?: boolean;
}

export interface Choice {
  id: number;
  text: string;
  actions: ChoiceAction[];
}

export const useChoice = create<{ choice: Choice | null }>()(() => ({ choice: null }));

let choiceId = 1;

export function offerChoice(text: string, actions: ChoiceAction[]): void {
  useChoice.setState({ choice: { id: choiceId++, text, actions } });
}

export function dismissChoice(): void {
  useChoice.setState({ choice: null });
}

export function ChoiceBanner() {
  const choice = useChoice((s) => s.choice);
  if (!choice) return null;
  return (
    <div className="pointer-events-none absolute inset-x-0 top-3 z-40 flex justify-center px-4">
      <div
        role="alertdialog"
        aria-label={choice.text}
        data-testid="choice-banner"
        className="pointer-events-auto flex max-w-[640px] items-center gap-3 rounded-md border border-sky-200 bg-white px-3 py-2 text-[13px] text-slate-700 shadow-lg dark:border-sky-900 dark:bg-slate-800 dark:text-slate-200"
      >
        <span>{choice.text}</span>
        <span className="flex shrink-0 gap-1.5">
          {choice.actions.map((a) => (
            <button
              key={a.label}
              type="button"
              onClick={() => {
                dismissChoice();
                a.run();
              }}
              className={`rounded-md px-2.5 py-1 text-[12.5px] font-medium ${
                a.primary
                  ? 'bg-sky-600 text-white hover:bg-sky-700'
                  : 'border border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-700'
              }`}
            >
              {a.label}
            </button>
          ))}
        </span>
      </div>
    </div>
  );
}
