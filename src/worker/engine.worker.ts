// The engine's worker: exposes api.ts with comlink. Results that are bare byte buffers
// (pcap files) are transferred, not copied.
import { expose, transfer } from 'comlink';
import { api, type EngineApi } from './api.ts';

type Method = (...args: unknown[]) => Promise<unknown>;

const exposed = Object.fromEntries(
  Object.entries(api).map(([name, fn]) => [
    name,
    async (...args: unknown[]) => {
      const result = await (fn as Method)(...args);
      return result instanceof Uint8Array ? transfer(result, [result.buffer]) : result;
    },
  ]),
) as unknown as EngineApi;

expose(exposed);
