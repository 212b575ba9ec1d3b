// The UI's handle on the engine worker: wraps it with comlink, queues calls while the
// worker (re)starts, and restarts it when it dies, re-seeding it with the last document
// the UI gave it (the last `load`/`update`), so the user loses nothing. Calls in flight
// when it died are retried once on the new worker, or rejected with EngineCrashedError.
//
// Death is noticed two ways: the Worker's `error` event (an uncaught error in the worker),
// and a watchdog that pings the worker while a call has been pending for a while (a
// terminated or wedged worker answers nothing).
import { releaseProxy, wrap } from 'comlink';
import type { LoadResult, UpdateResult } from '../engine/index.ts';
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
}

export type EngineState = 'starting' | 'ready' | 'restarting' | 'failed';

export interface EngineStatus {
  state: EngineState;
  /** How many times the worker was restarted since the page loaded. */
  restarts: number;
  /** The last crash, for the notice. */
  lastCrash?: { at: number; reason: string; recovered: boolean };
}

export class EngineCrashedError extends Error {
  constructor(method: string, reason: string) {
    super(`The engine crashed while running ${method} (${reason}) and the call could not be completed.`);
    this.name = 'EngineCrashedError';
  }
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
  /** A call pending this long makes the watchdog ping the worker. */
  watchdogMs?: number;
  /** A ping not answered within this long means the worker is dead. */
  pingTimeoutMs?: number;
  /** More crashes than this within `crashWindowMs` and the client gives up (state 'failed'). */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** A new worker that has not taken its document within this long is restarted again. */
  startTimeoutMs?: number;
}

class WorkerDied extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

interface Generation<T> {
  id: number;
  transport: EngineTransport<T>;
  /** Rejects with WorkerDied when this worker dies. */
  died: Promise<never>;
  kill: (reason: string) => void;
  /** Resolves when the worker is started and seeded. */
  ready: Promise<void>;
}

export class EngineClient<T extends object> {
  private gen: Generation<T>;
  private readonly pending = new Map<number, { startedAt: number; gen: number }>();
  private nextCallId = 1;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private pinging = false;
  private seedArgs: { method: keyof T & string; args: unknown[]; result?: Promise<unknown> } | undefined;
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

  call<K extends keyof T & string>(method: K, args: unknown[]): Promise<unknown> {
    if (!this.opts.seedMethods.includes(method)) return this.attempt(method, args);
    const seed: { method: K; args: unknown[]; result?: Promise<unknown> } = { method, args };
    this.seedArgs = seed;
    seed.result = this.attempt(method, args);
    return seed.result;
  }

  private async attempt<K extends keyof T & string>(method: K, args: unknown[]): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      if (this.status.state === 'failed') {
        throw new EngineCrashedError(method, 'the engine keeps crashing; reload the page');
      }
      const gen = this.gen;
      await gen.ready.catch(() => undefined);
      if (gen !== this.gen) continue; // it died while starting; use the new one
      const id = this.nextCallId++;
      this.pending.set(id, { startedAt: Date.now(), gen: gen.id });
      this.armWatchdog();
      try {
        const fn = gen.transport.remote[method] as unknown as (...a: unknown[]) => Promise<unknown>;
        return await Promise.race([fn(...args), gen.died]);
      } catch (e) {
        if (!(e instanceof WorkerDied)) throw e;
        if (attempt >= 1 || this.opts.noRetry.includes(method))
          throw new EngineCrashedError(method, e.reason);
        // else retry on the new worker
      } finally {
        this.pending.delete(id);
      }
    }
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
    const gen: Generation<T> = { id, transport, died, kill, ready: Promise.resolve() };
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
      // A document the engine rejects is still the user's document: seeding must not fail the client.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<'stalled'>((resolve) => {
        timer = setTimeout(() => resolve('stalled'), this.opts.startTimeoutMs);
      });
      const outcome = await Promise.race([fn(...seed.args).catch(() => undefined), gen.died, stalled]);
      clearTimeout(timer);
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

  private handleDeath(gen: Generation<T>, reason: string): void {
    if (gen !== this.gen) return;
    gen.kill(reason);
    try {
      gen.transport.terminate();
      gen.transport.release?.();
    } catch {
      // already gone
    }
    const now = Date.now();
    this.crashTimes.push(now);
    while (this.crashTimes.length && this.crashTimes[0] < now - this.opts.crashWindowMs)
      this.crashTimes.shift();
    if (this.crashTimes.length > this.opts.maxCrashes) {
      this.setStatus({ ...this.status, state: 'failed', lastCrash: { at: now, reason, recovered: false } });
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
    const now = Date.now();
    const stale = [...this.pending.values()].some(
      (p) => p.gen === gen.id && now - p.startedAt >= this.opts.watchdogMs,
    );
    if (!stale) return;
    this.pinging = true;
    try {
      const ping = gen.transport.remote[this.opts.pingMethod] as unknown as () => Promise<unknown>;
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), this.opts.pingTimeoutMs),
      );
      const answer = await Promise.race([ping().then(() => 'alive' as const), timeout, gen.died]);
      if (answer === 'timeout') this.handleDeath(gen, 'the engine stopped responding');
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
  };
}

let client: EngineClient<EngineApi> | undefined;

function getClient(): EngineClient<EngineApi> {
  client ??= new EngineClient<EngineApi>(spawnEngineWorker, {
    seedMethods: ['load', 'update'],
    reseedMethod: 'load',
    noRetry: ['__crashForTest'],
    pingMethod: 'ping',
  });
  return client;
}

/** The engine, as async functions. Import this; never the worker. */
export const engine: AsyncApi<EngineApi> = new Proxy({} as AsyncApi<EngineApi>, {
  get: (_target, name) => {
    if (typeof name !== 'string' || name === 'then') return undefined;
    return getClient().api[name as keyof EngineApi];
  },
});

/**
 * Make sure the engine holds this document: an incremental `update` unless the last
 * load/update (from anyone: the document sync, a trace, the tables) carried this very
 * object, in which case its answer is reused. Cheap to call before every trace.
 */
export function syncDocument(doc: unknown): Promise<UpdateResult | LoadResult> {
  const last = getClient().lastSeed();
  if (last && last.args[0] === doc && last.result) {
    return (last.result as Promise<UpdateResult | LoadResult>).catch(() => engine.update(doc));
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
