// The console pane: PowerShell cmdlets, NC REST verbs and vfpctrl against the lab's datacenter.
// Enter runs, Tab completes (a second Tab lists the choices), Up/Down walk the history.
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useDocumentStore } from '../store/document';
import { promptFor, useConsoleStore } from './store';

const EXAMPLES = [
  'Get-NetVirtualizationLookupRecord -VirtualSubnetID 5001',
  'Get-PACAMapping',
  'GET /networking/v1/virtualNetworks',
  'vfpctrl /list-vmswitch-port',
  'Get-Command',
];

export function ConsolePanel() {
  const entries = useConsoleStore((s) => s.entries);
  const history = useConsoleStore((s) => s.history);
  const session = useConsoleStore((s) => s.session);
  const busy = useConsoleStore((s) => s.busy);
  const run = useConsoleStore((s) => s.run);
  const complete = useConsoleStore((s) => s.complete);
  useDocumentStore((s) => s.doc.hosts); // the prompt names the session's host
  const [line, setLine] = useState('');
  const [choices, setChoices] = useState<string[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (entries.length > 0) end.current?.scrollIntoView({ block: 'end' });
  }, [entries]);

  const submit = async () => {
    const text = line;
    setLine('');
    setChoices([]);
    setCursor(null);
    await run(text);
    input.current?.focus();
  };

  const onKey = async (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (!busy) await submit();
    } else if (e.key === 'Tab') {
      e.preventDefault();
      const found = await complete(line);
      const word = line.match(/(\S*)$/)?.[1] ?? '';
      const head = line.slice(0, line.length - word.length);
      if (found.length === 1) {
        setLine(`${head}${found[0]} `);
        setChoices([]);
      } else if (found.length > 1) {
        const common = found.reduce((a, b) => {
          let i = 0;
          while (i < a.length && i < b.length && a[i].toLowerCase() === b[i].toLowerCase()) i++;
          return a.slice(0, i);
        });
        if (common.length > word.length) setLine(`${head}${common}`);
        setChoices(found);
      } else setChoices([]);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      if (history.length === 0) return;
      e.preventDefault();
      const at = cursor ?? history.length;
      const next = e.key === 'ArrowUp' ? Math.max(0, at - 1) : Math.min(history.length, at + 1);
      setCursor(next);
      setLine(next === history.length ? '' : history[next]);
    } else if (e.key === 'Escape') setChoices([]);
  };

  return (
    <section
      aria-label="Console"
      data-testid="console"
      className="flex h-full min-h-0 flex-col bg-slate-950 font-mono text-[12px] leading-snug text-slate-100"
    >
      <div className="min-h-0 flex-1 overflow-y-auto px-3 py-2" data-testid="console-output">
        {entries.length === 0 && (
          <div className="text-slate-400">
            <p>
              PowerShell and Network Controller REST, against this datacenter. Changes are undoable (Ctrl+Z).
            </p>
            <p className="mt-1">Try:</p>
            <ul className="mt-0.5">
              {EXAMPLES.map((x) => (
                <li key={x}>
                  <button
                    type="button"
                    className="text-sky-300 hover:underline"
                    onClick={() => {
                      setLine(x);
                      input.current?.focus();
                    }}
                  >
                    {x}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {entries.map((entry) => (
          <div key={entry.id} data-testid="console-entry" className="mb-1">
            <div>
              <span className="text-slate-400">{entry.prompt} </span>
              <span className="text-amber-200">{entry.line}</span>
            </div>
            {entry.output && (
              <pre className="whitespace-pre-wrap break-words">{entry.output.replace(/^\n+|\n+$/g, '')}</pre>
            )}
            {entry.error && (
              <pre
                role="alert"
                data-testid="console-error"
                className="whitespace-pre-wrap break-words text-red-400"
              >
                {entry.error}
              </pre>
            )}
            {entry.changed && (
              <p data-testid="console-changed" className="text-emerald-300">
                Changed: {entry.changed} (Ctrl+Z undoes it)
              </p>
            )}
          </div>
        ))}
        <div ref={end} />
      </div>
      {choices.length > 0 && (
        <div
          data-testid="console-choices"
          className="max-h-20 overflow-y-auto border-t border-slate-800 px-3 py-1 text-slate-300"
        >
          {choices.join('   ')}
        </div>
      )}
      <div className="flex items-center gap-2 border-t border-slate-800 px-3 py-1.5">
        <label htmlFor="console-input" className="shrink-0 text-slate-400">
          {promptFor(session)}
        </label>
        <input
          id="console-input"
          ref={input}
          data-testid="console-input"
          value={line}
          onChange={(e) => {
            setLine(e.target.value);
            setCursor(null);
          }}
          onKeyDown={(e) => void onKey(e)}
          aria-busy={busy}
          spellCheck={false}
          autoComplete="off"
          className="min-w-0 flex-1 bg-transparent text-amber-200 outline-none placeholder:text-slate-600"
          placeholder="Get-Command"
        />
      </div>
    </section>
  );
}
