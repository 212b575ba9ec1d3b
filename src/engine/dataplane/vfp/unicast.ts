// After the CA-PA lookup (or the distributed router's), the VNet layer's decision for one
// destination: its port on this host (output), or the tunnel to its host (encap, then the
// PA routing layer).
import type { LookupRecord } from '../../controller/types';
import { egressAction } from './executor';
import type { EgressWalk, Step } from './walk';

export function toDestination(w: EgressWalk, record: LookupRecord, vsid: number): Step {
  w.entry.deps.push({ kind: 'record', vsid, ca: record.caIp });
  w.record = record;
  w.vsid = vsid;
  if (record.hostId === w.port.host.id) return egressAction(w, { type: 'output', port: record.vnicId });
  return egressAction(w, {
    type: 'encap',
    encapsulation: record.encapsulation,
    vsid,
    srcPa: w.port.policy.pa,
    dstPa: record.pa,
  });
}
