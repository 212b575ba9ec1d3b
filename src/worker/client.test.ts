import { describe, expect, it } from 'vitest';
import { type AsyncApi, EngineClient, EngineCrashedError, type EngineTransport } from './client.ts';

// A fake engine: remembers the document it was seeded with; `hang` never answers; `boom`
// makes the worker die mid-call.
interface FakeApi {
  ping(): 'pong';
  load(doc: string): void;
  update(doc: string): void;
  current(): string | undefined;
  hang(): void;
  boom(): void;
}

function fakeWorld() {
  const workers: { alive: boolean; doc?: string; die?: (r: string) => void; calls: string[] }[] = [];
  const spawn = (): EngineTransport<FakeApi> => {
    const w: (typeof workers)[number] = { alive: true, calls: [] };
    workers.push(w);
    const answer = <R>(name: string, f: () => R): Promise<R> => {
      w.calls.push(name);
      return w.alive ? Promise.resolve().then(f) : new Promise<R>(() => undefined);
    };
    const remote: AsyncApi<FakeApi> = {
      ping: () => answer('ping', () => 'pong' as const),
      load: (doc) =>
        answer('load', () => {
          w.doc = doc;
        }),
      update: (doc) =>
        answer('update', () => {
          w.doc = doc;
        }),
      current: () => answer('current', () => w.doc),
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
  noRetry: ['boom'] as const,
  pingMethod: 'ping' as const,
  watchdogMs: 100,
  pingTimeoutMs: 50,
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
});
