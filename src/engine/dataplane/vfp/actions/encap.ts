// encap: the VNet layer's tunnel to the destination's host: VXLAN (VNI) or NVGRE (key VSID),
// outer IPs local PA -> remote PA. The PA routing layer that follows picks the outer MACs and
// VLAN and builds the flow's header template.
import { ipToU32 } from '../../../controller/addr';
import { buildEncapHeader, innerFlowHash, parse, ZERO_MAC } from '../../packet';
import { whereWith } from '../../steps';
import { dropEntry } from '../executor';
import { type ActionHandler, Step } from '../walk';

export const encap: ActionHandler<'encap'> = {
  type: 'encap',
  describe: (a) =>
    `encap ${a.encapsulation.toUpperCase()} ${a.encapsulation === 'vxlan' ? 'VNI' : 'VSID'} ${a.vsid} ${a.srcPa} -> ${a.dstPa}`,
  egress(w, a) {
    const { port, frame } = w;
    const host = port.host;
    const flowHash = innerFlowHash(frame, 0);
    const plain = buildEncapHeader(
      {
        kind: a.encapsulation,
        vsid: a.vsid,
        srcMac: ZERO_MAC,
        dstMac: ZERO_MAC,
        vlanId: 0,
        srcPa: ipToU32(a.srcPa),
        dstPa: ipToU32(a.dstPa),
        // The id this packet leaves with: the cached entry gives a flow's nth packet base + n.
        ipId: (flowHash + 1) & 0xffff,
        flowHash,
      },
      frame.length,
    );
    w.entry.actions.push(a);
    if (w.fw.sink.on) {
      const f = new Uint8Array(plain.length + frame.length);
      f.set(plain);
      f.set(frame, plain.length);
      w.fw.sink.emit(
        {
          type: 'action',
          action: a,
          text: `encapsulate in ${a.encapsulation.toUpperCase()} ${a.encapsulation === 'vxlan' ? 'VNI' : 'key VSID'} ${a.vsid}: ${a.srcPa} -> ${a.dstPa}`,
        },
        whereWith(w.where, { layer: 'vnet' }),
        f,
      );
    }
    if (!host.logicalSubnet) return dropEntry(w, host.name, 'host has no logical subnet', w.where);
    w.outer = plain;
    w.flowHash = flowHash;
    w.view = { inner: parse(frame), vsid: a.vsid, outer: parse(plain) };
    return Step.Next;
  },
};
