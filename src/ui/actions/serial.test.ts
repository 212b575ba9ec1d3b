import { describe, expect, it } from 'vitest';
import { commandQueue, DocumentMoved } from './serial';

/** A fake engine: answers "the first free number" after `ms`, from the document it was given. */
const nextFree = (doc: number[], ms: number) =>
  new Promise<number>((resolve) =>
    setTimeout(() => resolve(doc.length === 0 ? 1 : Math.max(...doc) + 1), ms),
  );

describe('commandQueue', () => {
  it('runs commands one at a time, each on the document the last one left', async () => {
    let doc: number[] = [];
    const run = commandQueue(() => doc);
    let asked = 0;
    const add = () =>
      run(async (d, unchanged) => {
        asked++;
        const n = await nextFree(d, 5);
        unchanged();
        doc = [...doc, n];
        return n;
      });
    // Three clicks in the same task: without the queue all three would be given 1.
    expect(await Promise.all([add(), add(), add()])).toEqual([1, 2, 3]);
    expect(doc).toEqual([1, 2, 3]);
    expect(asked).toBe(3); // none had to start over
  });

  it('starts a command over when the document moved while the engine answered', async () => {
    let doc: number[] = [];
    const run = commandQueue(() => doc);
    let tries = 0;
    const added = run(async (d, unchanged) => {
      tries++;
      const n = await nextFree(d, 5);
      unchanged();
      doc = [...doc, n];
      return n;
    });
    await new Promise((resolve) => setTimeout(resolve, 1));
    doc = [7]; // an edit lands while the engine is answering the first try
    expect(await added).toBe(8);
    expect(tries).toBe(2);
    expect(doc).toEqual([7, 8]);
  });

  it('gives up after its attempts with DocumentMoved, and the commands after a failed one still run', async () => {
    let doc: number[] = [];
    const run = commandQueue(() => doc, 2);
    const restless = run(async (d, unchanged) => {
      await nextFree(d, 1);
      doc = [...doc, 0]; // moves on every time, as if the user kept typing
      unchanged();
      return 'changed';
    });
    await expect(restless).rejects.toBeInstanceOf(DocumentMoved);
    expect(doc).toEqual([0, 0]);
    const failing = run(async () => {
      throw new Error('engine down');
    });
    await expect(failing).rejects.toThrow('engine down');
    expect(await run(async (d) => d.length)).toBe(2);
  });

  it('idle() waits for every command queued so far, failed ones included', async () => {
    let doc: number[] = [];
    const run = commandQueue(() => doc);
    void run(async (d, unchanged) => {
      const n = await nextFree(d, 5);
      unchanged();
      doc = [...doc, n];
    });
    void run(async () => {
      throw new Error('engine down');
    }).catch(() => undefined);
    expect(doc).toEqual([]);
    await run.idle();
    expect(doc).toEqual([1]);
    await run.idle(); // an idle queue resolves at once
  });
});
