// The UI's handle on the engine worker: wraps it with comlink, queues calls while the
// worker (re)starts, and restarts it when it dies, re-seeding it with the last document
// the UI gave it (the last `load`/`update`), so the user loses nothing. Calls in flight
// when it died are retried once on the new worker, or rejected with EngineCrashedError.
//
// Death is noticed two ways: the Worker's `error` event (an uncaught error in the worker),
// and a watchdog that pings the worker while a call has been pending for a while (a
// terminated or wedged worker answers nothing).
//
// Busy is not dead: a long job (an import, a compile) keeps the worker's thread, so it cannot
// answer a ping, but it reports progress through a callback and those reports arrive while it
// works. The watchdog counts silence from the last sign of life (a report or an answer): a
// worker whose job has reported progress may be silent for `busySilenceMs`, any other for
// `watchdogMs` plus an unanswered ping. A call can be cancelled (AbortSignal): its worker is
// terminated and a fresh one is given the last document, as after a crash, but it is no crash.
import { proxy, releaseProxy, wrap } from 'comlink';
import type { LoadResult, Progress, UpdateResult } from '../engine/index.ts';
import type { EngineApi } from './api.ts';

/** The async view of an API object: every method returns a promise of its plain result. */
export type AsyncApi<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** One running worker, as the client sees it. */
export interface EngineTransport<T> {
  remote: AsyncApi<T>;
  /** Register the callback for the worker's death (called at most once per transport). */
  onDeath(callback: (reason: string) => void): void;
  /** Stop the worker. No death callback follows. */
  terminate(): void;
  /** Free the comlink proxy once the client has given up on this worker. */
  release?(): void;
  /** Make a callback callable from the worker (a comlink proxy); by default it is passed as it is. */
  callback?<F extends (progress: Progress) => void>(fn: F): F;
}

export type EngineState = 'starting' | 'ready' | 'restarting' | 'failed';

/** The long job the engine works on, as its last progress report says. */
export interface EngineJob {
  method: string;
  progress: Progress;
  /** When the call was made (Date.now()). */
  since: number;
}

export interface EngineStatus {
  state: EngineState;
  /** How many times the worker was restarted since the page loaded. */
  restarts: number;
  /** The last crash, for the notice. */
  lastCrash?: { at: number; reason: string; recovered: boolean };
  /** The long job running now, once it has reported progress. */
  job?: EngineJob;
}

export class EngineCrashedError extends Error {
  constructor(method: string, reason: string) {
    super(`The engine crashed while running ${method} (${reason}) and the call could not be completed.`);
    this.name = 'EngineCrashedError';
  }
}

/** The call was cancelled: the worker that ran it was stopped, nothing it did was kept. */
export class EngineCancelledError extends Error {
  constructor(method: string) {
    super(`${method} was cancelled.`);
    this.name = 'EngineCancelledError';
  }
}

export interface CallOptions {
  /** Hears the job's progress (methods listed in `progressArgs` report it). */
  onProgress?: (progress: Progress) => void;
  /** Cancels the call: its worker is stopped and a fresh one gets the last document. */
  signal?: AbortSignal;
}

export interface EngineClientOptions<T> {
  /** Calls to these methods carry the document; the last one is replayed into a new worker. */
  seedMethods: readonly (keyof T & string)[];
  /** The method used to replay the remembered document (e.g. 'load'). */
  reseedMethod?: keyof T & string;
  /** Methods never retried after a crash (e.g. the crash hook itself). */
  noRetry?: readonly (keyof T & string)[];
  /** A liveness probe: resolves when the worker answers. */
  pingMethod?: keyof T & string;
  /** A call pending this long with no sign of life makes the watchdog ping the worker. */
  watchdogMs?: number;
  /** A ping not answered (and no progress heard) within this long means the worker is dead. */
  pingTimeoutMs?: number;
  /** Long jobs: the position of each method's progress-callback argument. */
  progressArgs?: Partial<Record<keyof T & string, number>>;
  /** A worker whose job has reported progress is pinged only after this long without a report. */
  busySilenceMs?: number;
  /**
   * A long job (a method in `progressArgs`) that has not reported yet is pinged only after this
   * long: before its first report the worker may still be taking its arguments (a big document
   * is cloned into the worker first) or finishing the call ahead of it, and cannot answer.
   */
  firstReportMs?: number;
  /** More crashes than this within `crashWindowMs` and the client gives up (state 'failed'). */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** A new worker that has not taken its document within this long (without progress) is restarted again. */
  startTimeoutMs?: number;
}

class WorkerDied extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

class Cancelled extends Error {}

interface Seed<T> {
  method: keyof T & string;
  args: unknown[];
  result?: Promise<unknown>;
}

interface PendingCall {
  method: string;
  startedAt: number;
  gen: number;
  /** The last progress report and when it came. */
  progress?: Progress;
  progressAt?: number;
}

interface Generation<T> {
  id: number;
  transport: EngineTransport<T>;
  /** Rejects with WorkerDied when this worker dies. */
  died: Promise<never>;
  kill: (reason: string) => void;
  /** Resolves when the worker is started and seeded. */
  ready: Promise<void>;
  /** The last sign of life: an answer or a progress report (Date.now()). */
  heardAt: number;
  /** When the last progress report came, if any did. */
  reportedAt?: number;
}

export class EngineClient<T extends object> {
  private gen: Generation<T>;
  private readonly pending = new Map<number, PendingCall>();
  private nextCallId = 1;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private pinging = false;
  private seedArgs: Seed<T> | undefined;
  /** The seed before the last one: what a cancelled document call falls back to. */
  private previousSeed: Seed<T> | undefined;
  private readonly crashTimes: number[] = [];
  private status: EngineStatus = { state: 'starting', restarts: 0 };
  private readonly listeners = new Set<() => void>();
  private readonly opts: Required<Omit<EngineClientOptions<T>, 'reseedMethod' | 'pingMethod'>> &
    Pick<EngineClientOptions<T>, 'reseedMethod' | 'pingMethod'>;

  constructor(
    private readonly spawn: () => EngineTransport<T>,
    options: EngineClientOptions<T>,
  ) {
    this.opts = {
      noRetry: [],
      watchdogMs: 5000,
      pingTimeoutMs: 3000,
      progressArgs: {},
      busySilenceMs: 60_000,
      firstReportMs: 10_000,
      startTimeoutMs: 20_000,
      maxCrashes: 5,
      crashWindowMs: 60_000,
      ...options,
    };
    this.gen = this.start(1);
  }

  /** The async API: `client.api.decode(bytes)`. */
  readonly api: AsyncApi<T> = new Proxy({} as AsyncApi<T>, {
    get: (_target, name) => {
      if (typeof name !== 'string' || name === 'then') return undefined;
      return (...args: unknown[]) => this.call(name as keyof T & string, args);
    },
  });

  getStatus = (): EngineStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Forget the crash notice (the user dismissed it). */
  dismissNotice(): void {
    if (this.status.lastCrash) this.setStatus({ ...this.status, lastCrash: undefined });
  }

  /** Test hook: kill the current worker without telling anyone, as a browser OOM kill would. */
  terminateSilently(): void {
    this.gen.transport.terminate();
  }

  /** The last document-carrying call (load/update): its arguments and its pending or settled result. */
  lastSeed(): { method: string; args: readonly unknown[]; result?: Promise<unknown> } | undefined {
    return this.seedArgs;
  }

  /**
   * Call a worker method. `options.onProgress` hears a long job's reports; `options.signal`
   * cancels it (the promise rejects with EngineCancelledError).
   */
  call<K extends keyof T & string>(method: K, args: unknown[], options: CallOptions = {}): Promise<unknown> {
    if (!this.opts.seedMethods.includes(method)) return this.attempt(method, args, options);
    const seed: Seed<T> = { method, args };
    this.previousSeed = this.seedArgs;
    this.seedArgs = seed;
    seed.result = this.attempt(method, args, options, seed);
    return seed.result;
  }

  private async attempt<K extends keyof T & string>(
    method: K,
    args: unknown[],
    options: CallOptions,
    seed?: Seed<T>,
  ): Promise<unknown> {
    const { signal } = options;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw this.cancelled(method, seed);
      if (this.status.state === 'failed') {
        throw new EngineCrashedError(method, 'the engine keeps crashing; reload the page');
      }
      const gen = this.gen;
      await gen.ready.catch(() => undefined);
      if (signal?.aborted) throw this.cancelled(method, seed);
      if (gen !== this.gen) continue; // it died while starting; use the new one
      const id = this.nextCallId++;
      const call: PendingCall = { method, startedAt: Date.now(), gen: gen.id };
      this.pending.set(id, call);
      this.armWatchdog();
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(new Cancelled());
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      aborted.catch(() => undefined);
      try {
        const fn = gen.transport.remote[method] as unknown as (...a: unknown[]) => Promise<unknown>;
        const callArgs = this.withProgress(method, args, gen, call, options.onProgress);
        const result = await Promise.race([fn(...callArgs), gen.died, aborted]);
        gen.heardAt = Date.now();
        return result;
      } catch (e) {
        if (e instanceof Cancelled) {
          const error = this.cancelled(method, seed); // first: the fresh worker gets the document before
          this.restartAfterCancel(gen);
          throw error;
        }
        if (!(e instanceof WorkerDied)) throw e;
        if (attempt >= 1 || this.opts.noRetry.includes(method))
          throw new EngineCrashedError(method, e.reason);
        // else retry on the new worker
      } finally {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
        if (call.progress !== undefined) this.updateJob();
      }
    }
  }

  /** A cancelled document call leaves the engine with the document before it. */
  private cancelled(method: string, seed: Seed<T> | undefined): EngineCancelledError {
    if (seed !== undefined && this.seedArgs === seed) this.seedArgs = this.previousSeed;
    return new EngineCancelledError(method);
  }

  /** The arguments with a progress callback in the method's progress position (if it has one). */
  private withProgress(
    method: keyof T & string,
    args: unknown[],
    gen: Generation<T>,
    call: PendingCall | undefined,
    onProgress: ((progress: Progress) => void) | undefined,
  ): unknown[] {
    const index = this.opts.progressArgs[method];
    if (index === undefined) return args;
    const sink = (progress: Progress) => {
      const now = Date.now();
      gen.heardAt = now;
      gen.reportedAt = now;
      if (call !== undefined && gen === this.gen) {
        call.progress = progress;
        call.progressAt = now;
        this.updateJob();
      }
      onProgress?.(progress);
    };
    const out = args.slice(0, index);
    while (out.length < index) out.push(undefined);
    out.push(gen.transport.callback ? gen.transport.callback(sink) : sink);
    return out;
  }

  /** The status's job: the pending call of this worker that reported last. */
  private updateJob(): void {
    let latest: PendingCall | undefined;
    for (const c of this.pending.values()) {
      if (c.gen !== this.gen.id || c.progressAt === undefined) continue;
      if (latest?.progressAt === undefined || c.progressAt >= latest.progressAt) latest = c;
    }
    if (latest?.progress === undefined) {
      if (this.status.job !== undefined) this.setStatus({ ...this.status, job: undefined });
      return;
    }
    this.setStatus({
      ...this.status,
      job: { method: latest.method, progress: latest.progress, since: latest.startedAt },
    });
  }

  private setStatus(next: EngineStatus): void {
    this.status = next;
    for (const l of this.listeners) l();
  }

  private start(id: number): Generation<T> {
    const transport = this.spawn();
    let kill: (reason: string) => void = () => undefined;
    const died = new Promise<never>((_resolve, reject) => {
      kill = (reason: string) => reject(new WorkerDied(reason));
    });
    died.catch(() => undefined);
    const gen: Generation<T> = { id, transport, died, kill, ready: Promise.resolve(), heardAt: Date.now() };
    transport.onDeath((reason) => this.handleDeath(gen, reason));
    gen.ready = this.seed(gen);
    gen.ready.catch(() => undefined);
    return gen;
  }

  private async seed(gen: Generation<T>): Promise<void> {
    const seed = this.seedArgs;
    const replay = this.opts.reseedMethod ?? seed?.method;
    if (seed && replay && gen.id > 1) {
      const fn = gen.transport.remote[replay] as unknown as (...a: unknown[]) => Promise<unknown>;
      // A big document takes a while to compile: stalled means silent, not slow.
      const startedAt = Date.now();
      let timer: ReturnType<typeof setInterval> | undefined;
      const stalled = new Promise<'stalled'>((resolve) => {
        const check = () => {
          const limit = gen.reportedAt === undefined ? this.opts.startTimeoutMs : this.opts.busySilenceMs;
          if (Date.now() - Math.max(startedAt, gen.heardAt) >= limit) resolve('stalled');
        };
        timer = setInterval(check, Math.max(50, Math.min(1000, this.opts.startTimeoutMs / 4)));
      });
      // A document the engine rejects is still the user's document: seeding must not fail the client.
      const args = this.withProgress(replay, seed.args, gen, undefined, undefined);
      const outcome = await Promise.race([fn(...args).catch(() => undefined), gen.died, stalled]);
      clearInterval(timer);
      gen.heardAt = Date.now();
      if (outcome === 'stalled') {
        this.handleDeath(gen, 'the restarted engine did not answer');
        return;
      }
    }
    if (gen === this.gen || gen.id === 1) {
      const lastCrash = this.status.lastCrash ? { ...this.status.lastCrash, recovered: true } : undefined;
      this.setStatus({ ...this.status, state: 'ready', lastCrash });
    }
  }

  private stop(gen: Generation<T>, reason: string): void {
    gen.kill(reason);
    try {
      gen.transport.terminate();
      gen.transport.release?.();
    } catch {
      // already gone
    }
  }

  /** After a cancel: a fresh worker with the last document. Not a crash: nothing is reported. */
  private restartAfterCancel(gen: Generation<T>): void {
    if (gen !== this.gen) return;
    this.stop(gen, 'cancelled');
    this.setStatus({ ...this.status, state: 'restarting', job: undefined });
    this.gen = this.start(gen.id + 1);
  }

  private handleDeath(gen: Generation<T>, reason: string): void {
    if (gen !== this.gen) return;
    this.stop(gen, reason);
    const now = Date.now();
    this.crashTimes.push(now);
    while (this.crashTimes.length && this.crashTimes[0] < now - this.opts.crashWindowMs)
      this.crashTimes.shift();
    if (this.crashTimes.length > this.opts.maxCrashes) {
      this.setStatus({
        ...this.status,
        state: 'failed',
        lastCrash: { at: now, reason, recovered: false },
        job: undefined,
      });
      return;
    }
    this.setStatus({
      state: 'restarting',
      restarts: this.status.restarts + 1,
      lastCrash: { at: now, reason, recovered: false },
    });
    this.gen = this.start(gen.id + 1);
  }

  private armWatchdog(): void {
    if (this.watchdog !== undefined) return;
    this.watchdog = setInterval(() => void this.checkLiveness(), Math.max(250, this.opts.watchdogMs / 2));
  }

  private async checkLiveness(): Promise<void> {
    if (this.pending.size === 0) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
      return;
    }
    if (this.pinging || !this.opts.pingMethod) return;
    const gen = this.gen;
    // The worker runs one call at a time: silence counts from the oldest call still waiting,
    // or from the last sign of life after it started.
    let oldest = Number.POSITIVE_INFINITY;
    let busy = false;
    let starting = false;
    for (const p of this.pending.values()) {
      if (p.gen !== gen.id) continue;
      oldest = Math.min(oldest, p.startedAt);
      if (p.progressAt !== undefined) busy = true;
      else if (this.opts.progressArgs[p.method as keyof T & string] !== undefined) starting = true;
    }
    if (oldest === Number.POSITIVE_INFINITY) return;
    const now = Date.now();
    const silence = now - Math.max(oldest, gen.heardAt);
    const limit = busy ? this.opts.busySilenceMs : starting ? this.opts.firstReportMs : this.opts.watchdogMs;
    if (silence < limit) return;
    this.pinging = true;
    try {
      const pingedAt = now;
      const ping = gen.transport.remote[this.opts.pingMethod] as unknown as () => Promise<unknown>;
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), this.opts.pingTimeoutMs),
      );
      const answer = await Promise.race([ping().then(() => 'alive' as const), timeout, gen.died]);
      if (answer === 'alive') gen.heardAt = Date.now();
      // A progress report during the ping: busy, not dead.
      if (answer === 'timeout' && gen.heardAt <= pingedAt)
        this.handleDeath(
          gen,
          busy ? 'the engine stopped reporting progress' : 'the engine stopped responding',
        );
    } catch {
      // died meanwhile: handled by handleDeath
    } finally {
      this.pinging = false;
    }
  }
}

// ---- the app's engine: one real worker ----

function spawnEngineWorker(): EngineTransport<EngineApi> {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'hnv-engine',
  });
  const remote = wrap<EngineApi>(worker);
  let onDeath: ((reason: string) => void) | undefined;
  let dead = false;
  const die = (reason: string) => {
    if (dead) return;
    dead = true;
    onDeath?.(reason);
  };
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    die(event.message || 'the engine worker failed');
  });
  worker.addEventListener('messageerror', () =>
    die('the engine worker sent a message that could not be read'),
  );
  return {
    remote: remote as unknown as AsyncApi<EngineApi>,
    onDeath(callback) {
      onDeath = callback;
    },
    terminate() {
      dead = true;
      worker.terminate();
    },
    release() {
      remote[releaseProxy]();
    },
    callback: (fn) => proxy(fn),
  };
}

let client: EngineClient<EngineApi> | undefined;

/** With ?testHooks&watchdog=<ms>: a stricter watchdog (ping after <ms>, answer within <ms>/2). */
function testWatchdog(): Pick<EngineClientOptions<EngineApi>, 'watchdogMs' | 'pingTimeoutMs'> {
  if (typeof window === 'undefined') return {};
  const params = new URLSearchParams(window.location.search);
  const ms = Number(params.get('watchdog'));
  return params.has('testHooks') && ms > 0 ? { watchdogMs: ms, pingTimeoutMs: ms / 2 } : {};
}

function getClient(): EngineClient<EngineApi> {
  client ??= new EngineClient<EngineApi>(spawnEngineWorker, {
    seedMethods: ['load', 'update'],
    reseedMethod: 'load',
    noRetry: ['__crashForTest'],
    pingMethod: 'ping',
    progressArgs: { importDocument: 1, load: 1, update: 2 },
    ...testWatchdog(),
  });
  return client;
}

/**
 * Run an engine method as a long job: `onProgress` hears its reports, `signal` cancels it
 * (EngineCancelledError; the engine keeps the document it had).
 */
export function runEngineJob<K extends keyof EngineApi>(
  method: K,
  args: Parameters<EngineApi[K]>,
  options: CallOptions,
): Promise<Awaited<ReturnType<EngineApi[K]>>> {
  return getClient().call(method, args, options) as Promise<Awaited<ReturnType<EngineApi[K]>>>;
}

/** The engine, as async functions. Import this; never the worker. */
export const engine: AsyncApi<EngineApi> = new Proxy({} as AsyncApi<EngineApi>, {
  get: (_target, name) => {
    if (typeof name !== 'string' || name === 'then') return undefined;
    return getClient().api[name as keyof EngineApi];
  },
});

const replacements = new WeakSet<object>();

/**
 * This document replaces the engine's wholesale (a scenario opened, a file imported, a share
 * link, New): its first sync is a fresh `load`, not an `update`, so the controller's diff from
 * the old datacenter (remove this record, that port...) never shows up in its first trace.
 */
export function markReplacement(doc: object): void {
  replacements.add(doc);
}

/**
 * Make sure the engine holds this document: a fresh `load` for a replacement (see
 * markReplacement), else an incremental `update` unless the last
 * load/update (from anyone: the document sync, a trace, the tables) carried this very
 * object, in which case its answer is reused. Cheap to call before every trace.
 */
export function syncDocument(doc: unknown): Promise<UpdateResult | LoadResult> {
  const last = getClient().lastSeed();
  if (last && last.args[0] === doc && last.result) {
    return (last.result as Promise<UpdateResult | LoadResult>).catch(() => engine.update(doc));
  }
  if (typeof doc === 'object' && doc !== null && replacements.has(doc)) {
    replacements.delete(doc);
    return engine.load(doc);
  }
  return engine.update(doc);
}

/** Subscribe to the engine's status (for useSyncExternalStore). */
export const engineStatus = {
  subscribe: (listener: () => void) => getClient().subscribe(listener),
  get: (): EngineStatus => getClient().getStatus(),
  dismissNotice: () => getClient().dismissNotice(),
};

declare global {
  interface Window {
    /** Test hooks (with ?testHooks): crash the engine worker, or terminate it without a word. */
    __hnvEngine?: { crash: () => Promise<void>; terminate: () => void; status: () => EngineStatus };
  }
}

// Only on request (?testHooks, as the end-to-end tests open the lab): a user's page has none.
if (typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('testHooks')) {
  window.__hnvEngine = {
    crash: () => engine.__crashForTest().catch(() => undefined),
    terminate: () => getClient().terminateSilently(),
    status: () => getClient().getStatus(),
  };
}
