// lookup: the CA-PA mapping space of the VSID: the host agent's lookup record of the
// destination CA decides where the frame goes (and the frame's MAC must agree with it).

import { u32ToIp } from '../../../controller/addr';
import type { LookupRecord } from '../../../controller/types';
import { formatMac } from '../../../wire/bytes';
import type { Forwarder } from '../../forwarder';
import type { HostRt, PortRt } from '../../runtime';
import { layerPlace } from '../../trace/wording';
import type { TraceWhere } from '../../trace-types';
import { dropEntry } from '../executor';
import { toDestination } from '../unicast';
import type { ActionHandler } from '../walk';

/** The host agent's lookup record for a CA (as this host holds it), traced. */
export function lookupRecord(
  fw: Forwarder,
  host: HostRt,
  vsid: number,
  ip: number,
  where: TraceWhere,
): LookupRecord | null {
  const seen = fw.ctx.agents.lookup(host, vsid, ip);
  const record = seen.record ?? null;
  if (fw.sink.on)
    fw.sink.emit(
      {
        type: 'ca-pa',
        host: host.name,
        vsid,
        ca: u32ToIp(ip),
        record: record
          ? {
              caIp: record.caIp,
              vsid: record.vsid,
              mac: record.mac,
              pa: record.pa,
              encapsulation: record.encapsulation,
              vm: record.vmLabel,
            }
          : null,
        stalePa: seen.stale && record ? (seen.current?.pa ?? '?') : undefined,
      },
      where,
    );
  return record;
}

/**
 * The vSwitch forwards on the inner destination MAC: a frame for an on-link CA must be
 * addressed to that CA's MAC (the VNet layer's route rule already took frames to the gateway
 * MAC). Why not, or null when the MAC agrees. Checked at the source port, so a mis-addressed
 * frame never enters a tunnel.
 */
function l2Mismatch(fw: Forwarder, port: PortRt, frame: Uint8Array, record: LookupRecord): string | null {
  const mac = formatMac(frame, 0);
  if (mac === record.mac) return null;
  const ip = u32ToIp(((frame[30] << 24) | (frame[31] << 16) | (frame[32] << 8) | frame[33]) >>> 0);
  const mine = fw.ctx.agents.recordsOfVsid(port.host, port.vsid).find((r) => r.mac === mac);
  if (mine)
    return `frame to MAC ${mac} (${mine.vmLabel}) carries IP ${ip}, which is ${record.vmLabel}'s (MAC ${record.mac}): the vSwitch forwards on the MAC, and the IP must agree with the MAC's lookup record`;
  const elsewhere = fw.ctx.controller.locateMac(mac);
  const known = elsewhere
    ? ` (it is ${elsewhere.vmLabel}'s, in VSID ${elsewhere.vsid}: another virtual subnet, unreachable at L2)`
    : '';
  return `unknown unicast: no vNIC with MAC ${mac} in VSID ${port.vsid}${known}; the vSwitch drops it at the source port, before any tunnel`;
}

export const lookup: ActionHandler<'lookup'> = {
  type: 'lookup',
  describe: (a) => `lookup CA-PA VSID ${a.vsid}`,
  egress(w, a) {
    const record = lookupRecord(w.fw, w.port.host, a.vsid, w.inner.ipDst, w.where);
    if (!record)
      return dropEntry(
        w,
        `${w.at} / ${layerPlace(w.fw.ctx.controller.doc.hnvMode, 'vnet')}`,
        `no lookup record for ${u32ToIp(w.inner.ipDst)} in VSID ${a.vsid}`,
        w.where,
      );
    const mismatch = l2Mismatch(w.fw, w.port, w.frame, record);
    if (mismatch) return dropEntry(w, `${w.at} / vSwitch`, mismatch, w.where);
    return toDestination(w, record, a.vsid);
  },
};
