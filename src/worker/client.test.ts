import { describe, expect, it } from 'vitest';
import type { Progress } from '../engine/progress.ts';
import {
  type AsyncApi,
  EngineCancelledError,
  EngineClient,
  EngineCrashedError,
  type EngineStatus,
  type EngineTransport,
} from './client.ts';

// A fake engine: remembers the document it was seeded with; `hang` never answers; `boom`
// makes the worker die mid-call. Like a real worker it runs one call at a time: while `job`
// works (reporting progress every 20 ms), a ping waits behind it, unanswered; `wedge` reports
// twice, then neither answers nor reports again.
type Sink = (p: Progress) => void;
interface FakeApi {
  ping(): 'pong';
  load(doc: string, onProgress?: Sink): void;
  update(doc: string, onProgress?: Sink): void;
  current(): string | undefined;
  hang(): void;
  boom(): void;
  job(reports: number, onProgress?: Sink): string;
  wedge(onProgress?: Sink): void;
  lateStart(silentMs: number, onProgress?: Sink): string;
  mute(onProgress?: Sink): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fakeWorld(options: { slowDocs?: Set<string> } = {}) {
  const workers: {
    alive: boolean;
    doc?: string;
    die?: (r: string) => void;
    calls: string[];
    queue: Promise<unknown>;
  }[] = [];
  const spawn = (): EngineTransport<FakeApi> => {
    const w: (typeof workers)[number] = { alive: true, calls: [], queue: Promise.resolve() };
    workers.push(w);
    const answer = <R>(name: string, f: () => R | Promise<R>): Promise<R> => {
      w.calls.push(name);
      if (!w.alive) return new Promise<R>(() => undefined);
      const run = w.queue.then(f);
      w.queue = run.catch(() => undefined);
      // A terminated worker answers nothing, even a call it had started.
      return run.then((r) => (w.alive ? r : new Promise<R>(() => undefined)));
    };
    const work = async (reports: number, onProgress?: Sink) => {
      for (let i = 0; i < reports && w.alive; i++) {
        onProgress?.({ phase: 'Working', done: i, total: reports });
        await sleep(20);
      }
    };
    const takeDoc = async (doc: string, onProgress?: Sink) => {
      if (options.slowDocs?.has(doc)) await work(20, onProgress);
      if (w.alive) w.doc = doc;
    };
    const remote: AsyncApi<FakeApi> = {
      ping: () => answer('ping', () => 'pong' as const),
      load: (doc, onProgress) => answer('load', () => takeDoc(doc, onProgress)),
      update: (doc, onProgress) => answer('update', () => takeDoc(doc, onProgress)),
      current: () => answer('current', () => w.doc),
      job: (reports, onProgress) =>
        answer('job', async () => {
          await work(reports, onProgress);
          return 'done';
        }),
      wedge: (onProgress) =>
        answer('wedge', async () => {
          await work(2, onProgress);
          return new Promise<void>(() => undefined);
        }),
      // Silent for a while (taking a big argument, say), then a long job that reports.
      lateStart: (silentMs, onProgress) =>
        answer('lateStart', async () => {
          await sleep(silentMs);
          await work(5, onProgress);
          return 'done';
        }),
      mute: () => answer('mute', () => new Promise<void>(() => undefined)),
      hang: () => new Promise<void>(() => undefined),
      boom: () => {
        setTimeout(() => {
          w.alive = false;
          w.die?.('simulated crash');
        }, 1);
        return new Promise<void>(() => undefined);
      },
    };
    return {
      remote,
      onDeath(cb) {
        w.die = cb;
      },
      terminate() {
        w.alive = false;
      },
    };
  };
  return { workers, spawn };
}

const options = {
  seedMethods: ['load', 'update'] as const,
  reseedMethod: 'load' as const,
  noRetry: ['boom', 'wedge'] as const,
  pingMethod: 'ping' as const,
  watchdogMs: 100,
  pingTimeoutMs: 50,
  progressArgs: { load: 1, update: 1, job: 1, wedge: 0, lateStart: 1, mute: 0 },
  busySilenceMs: 300,
  firstReportMs: 600,
};

describe('EngineClient', () => {
  it('passes calls through', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, options);
    await client.api.load('doc-1');
    expect(await client.api.current()).toBe('doc-1');
    expect(client.getStatus().state).toBe('ready');
  });

  it('restarts a crashed worker, re-seeds it with the last document and reports it', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, options);
    const seen: string[] = [];
    client.subscribe(() => seen.push(client.getStatus().state));
    await client.api.load('doc-1');
    await client.api.update('doc-2');
    await expect(client.api.boom()).rejects.toBeInstanceOf(EngineCrashedError);
    expect(world.workers).toHaveLength(2);
    expect(await client.api.current()).toBe('doc-2');
    expect(world.workers[1].calls[0]).toBe('load');
    const status = client.getStatus();
    expect(status.restarts).toBe(1);
    expect(status.lastCrash?.recovered).toBe(true);
    expect(seen).toContain('restarting');
    expect(seen.at(-1)).toBe('ready');
  });

  it('retries a call that was in flight on a silently terminated worker (watchdog)', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, options);
    await client.api.load('doc-A');
    client.terminateSilently();
    // This call hangs on the dead worker; the watchdog notices, restarts, re-seeds and retries it.
    expect(await client.api.current()).toBe('doc-A');
    expect(world.workers).toHaveLength(2);
    expect(client.getStatus().lastCrash?.reason).toMatch(/stopped responding/);
  });

  it('gives up after too many crashes and rejects clearly', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, { ...options, maxCrashes: 1 });
    await expect(client.api.boom()).rejects.toBeInstanceOf(EngineCrashedError);
    await expect(client.api.boom()).rejects.toBeInstanceOf(EngineCrashedError);
    expect(client.getStatus().state).toBe('failed');
    await expect(client.api.current()).rejects.toThrow(/keeps crashing/);
  });

  it('a long job that reports progress is busy, not dead: no restart however long it takes', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, options);
    await client.api.load('doc-1');
    const jobs: (EngineStatus['job'] | undefined)[] = [];
    client.subscribe(() => jobs.push(client.getStatus().job));
    const heard: Progress[] = [];
    // 40 reports, 20 ms apart: 800 ms, eight times the watchdog's 100 ms (+ 50 ms ping).
    const result = await client.call('job', [40], { onProgress: (p) => heard.push(p) });
    expect(result).toBe('done');
    expect(world.workers).toHaveLength(1);
    expect(world.workers[0].calls).not.toContain('ping'); // the reports were the signs of life
    expect(client.getStatus().lastCrash).toBeUndefined();
    expect(heard).toHaveLength(40);
    expect(heard.at(-1)).toEqual({ phase: 'Working', done: 39, total: 40 });
    expect(jobs.some((j) => j?.method === 'job' && j.progress.done > 0)).toBe(true);
    expect(client.getStatus().job).toBeUndefined(); // gone once the job is done
  });

  it('a job that falls silent is dead: the worker is restarted after busySilenceMs without a report', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, options);
    await client.api.load('doc-1');
    await expect(client.api.wedge()).rejects.toBeInstanceOf(EngineCrashedError);
    expect(world.workers).toHaveLength(2);
    expect(client.getStatus().lastCrash?.reason).toMatch(/stopped reporting progress/);
    expect(await client.api.current()).toBe('doc-1');
  });

  it('a long job silent before its first report is given firstReportMs, not the watchdog period', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, options);
    await client.api.load('doc-1');
    // 350 ms of silence: past the watchdog's 100 ms + 50 ms ping, within the 600 ms first report.
    expect(await client.call('lateStart', [350], {})).toBe('done');
    expect(world.workers).toHaveLength(1);
    expect(client.getStatus().lastCrash).toBeUndefined();
  });

  it('a long job that never reports is dead once firstReportMs has passed', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, { ...options, noRetry: ['mute'] });
    await client.api.load('doc-1');
    const started = Date.now();
    await expect(client.call('mute', [], {})).rejects.toBeInstanceOf(EngineCrashedError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(world.workers).toHaveLength(2);
    expect(client.getStatus().lastCrash?.reason).toMatch(/stopped responding/);
  });

  it('a call waiting behind a busy job is not taken for a sign of death', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, options);
    await client.api.load('doc-1');
    const job = client.call('job', [30], {});
    const behind = client.api.current(); // queued in the worker until the job ends
    expect(await job).toBe('done');
    expect(await behind).toBe('doc-1');
    expect(world.workers).toHaveLength(1);
  });

  it('cancel stops the worker, starts a fresh one with the document it had, and reports no crash', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, options);
    await client.api.load('doc-1');
    const abort = new AbortController();
    const job = client.call('job', [1000], {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done === 2) abort.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(EngineCancelledError);
    expect(world.workers).toHaveLength(2);
    expect(world.workers[0].alive).toBe(false); // terminated, not left working
    expect(await client.api.current()).toBe('doc-1');
    expect(world.workers[1].calls[0]).toBe('load');
    const status = client.getStatus();
    expect(status).toMatchObject({ state: 'ready', restarts: 0 });
    expect(status.lastCrash).toBeUndefined();
    expect(status.job).toBeUndefined();
  });

  it('a cancelled document call leaves the engine with the document before it', async () => {
    const world = fakeWorld({ slowDocs: new Set(['big-doc']) });
    const client = new EngineClient<FakeApi>(world.spawn, options);
    await client.api.load('doc-1');
    const abort = new AbortController();
    const update = client.call('update', ['big-doc'], {
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(update).rejects.toBeInstanceOf(EngineCancelledError);
    expect(await client.api.current()).toBe('doc-1');
    expect(client.lastSeed()?.args).toEqual(['doc-1']);
  });

  it('a call cancelled before it was sent never reaches a worker', async () => {
    const world = fakeWorld();
    const client = new EngineClient<FakeApi>(world.spawn, options);
    const abort = new AbortController();
    abort.abort();
    await expect(client.call('job', [5], { signal: abort.signal })).rejects.toBeInstanceOf(
      EngineCancelledError,
    );
    expect(world.workers[0].calls).not.toContain('job');
    expect(world.workers).toHaveLength(1);
  });

  it('a restarted worker compiling a big document is given time while it reports progress', async () => {
    const world = fakeWorld({ slowDocs: new Set(['big-doc']) });
    // The reseed takes 400 ms, four times startTimeoutMs, but reports all along.
    const client = new EngineClient<FakeApi>(world.spawn, { ...options, startTimeoutMs: 100 });
    await client.api.load('big-doc');
    client.terminateSilently();
    expect(await client.api.current()).toBe('big-doc');
    expect(world.workers).toHaveLength(2);
  });
});
