// Work in progress: the datacenter (controller + hosts + fabric). Stub for the API commit.
import type { SouthboundUpdate } from '../controller/types';
import type { HostTables } from '../index';
import type { TopologyDocument } from '../model/schema';
import type { FlowCounters, Trace, TraceRequest } from './trace-types';

export class Datacenter {
  constructor(private document: TopologyDocument) {}
  initialUpdates(): SouthboundUpdate[] {
    return [];
  }
  update(next: TopologyDocument): { updates: SouthboundUpdate[]; invalidatedFlows: number } {
    this.document = next;
    return { updates: [], invalidatedFlows: 0 };
  }
  trace(_request: TraceRequest): Trace {
    throw new Error(`trace not implemented yet (${this.document.name})`);
  }
  send(_flow: TraceRequest, _n: number): FlowCounters {
    throw new Error('send not implemented yet');
  }
  hostTables(_hostId: string): HostTables | null {
    return null;
  }
  resetState(): void {}
}
