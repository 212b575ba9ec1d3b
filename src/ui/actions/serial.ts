// Commands that ask the engine for free values (MACs, PAs, VSIDs, CAs) and then change the document.
// The engine answers asynchronously, so without care two quick clicks on "Hyper-V host" are both given
// the first free PAs and MACs. Such commands go through a queue: one runs at a time, each on the
// document the last one left. A command whose document changed while the engine answered (an edit
// typed meanwhile, an undo) starts over on the new document, so what it was given is free in the
// document it changes.

/** Thrown by `unchanged()` when the document moved on while a command waited for the engine. */
export class DocumentMoved extends Error {
  constructor() {
    super('the document changed while the engine allocated values for it');
  }
}

/** A command: reads `doc`, awaits the engine, calls `unchanged()` right before it changes anything. */
export type Command<D, R> = (doc: D, unchanged: () => void) => Promise<R>;

/** A queue of commands on the document `current()` returns. A command is tried `attempts` times. */
export function commandQueue<D>(current: () => D, attempts = 3) {
  let tail: Promise<unknown> = Promise.resolve();

  async function attempt<R>(command: Command<D, R>): Promise<R> {
    for (let i = 1; ; i++) {
      const doc = current();
      const unchanged = () => {
        if (current() !== doc) throw new DocumentMoved();
      };
      try {
        return await command(doc, unchanged);
      } catch (e) {
        if (!(e instanceof DocumentMoved) || i >= attempts) throw e;
      }
    }
  }

  function run<R>(command: Command<D, R>): Promise<R> {
    const result = tail.then(() => attempt(command));
    tail = result.catch(() => undefined);
    return result;
  }
  /** Resolves once every command queued so far has finished (however it ended). */
  const idle = (): Promise<void> => tail.then(() => undefined);
  return Object.assign(run, { idle });
}
