// The engine's worker: exposes api.ts with comlink. Results that are bare byte buffers
// (pcap files) are transferred, not copied. A callback argument (a long job's progress sink)
// arrives as a comlink proxy: calling it posts a message at once, even while the job keeps
// this thread busy; it is released when the call returns, so its message port is closed.
import { expose, releaseProxy, transfer } from 'comlink';
import { api, type EngineApi } from './api.ts';

type Method = (...args: unknown[]) => Promise<unknown>;

function release(args: unknown[]): void {
  for (const arg of args) {
    if (typeof arg !== 'function') continue;
    try {
      (arg as unknown as { [releaseProxy]: () => void })[releaseProxy]();
    } catch {
      // not a proxy, or already released
    }
  }
}

const exposed = Object.fromEntries(
  Object.entries(api).map(([name, fn]) => [
    name,
    async (...args: unknown[]) => {
      try {
        const result = await (fn as Method)(...args);
        return result instanceof Uint8Array ? transfer(result, [result.buffer]) : result;
      } finally {
        release(args);
      }
    },
  ]),
) as unknown as EngineApi;

expose(exposed);
