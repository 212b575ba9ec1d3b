// replicate: a broadcast or subnet multicast becomes one unicast copy per other VM of the
// VSID (destination MAC and IP replaced), each forwarded on its own (HNV has no multicast
// underlay). Handled per packet: nothing is cached.
import { ipToU32, macToBytes } from '../../../controller/addr';
import { FlowOp, newEntry } from '../../flowTable';
import { ipChecksum, l4Checksum, parse, put32, writeMac } from '../../packet';
import type { PortRt } from '../../runtime';
import { pktOf, portWhere } from '../../steps';
import { executeEntry } from '../../vswitch/port';
import { walkFrom } from '../executor';
import { toDestination } from '../unicast';
import { type ActionHandler, type EgressWalk, Step } from '../walk';

export const replicate: ActionHandler<'replicate'> = {
  type: 'replicate',
  describe: (a) => `replicate VSID ${a.vsid}`,
  egress(w, a) {
    const { fw, port } = w;
    const targets = fw.ctx.agents.recordsOfVsid(port.host, port.vsid).filter((r) => r.vnicId !== port.id);
    if (targets.length === 0) fw.dropped(port.host.name, `no other VM in VSID ${port.vsid}`, portWhere(port));
    for (const r of targets) {
      const copy = w.frame.slice();
      writeMac(copy, 0, macToBytes(r.mac));
      put32(copy, 14 + 16, ipToU32(r.caIp));
      ipChecksum(copy, 14);
      l4Checksum(copy, 14);
      if (fw.sink.on)
        fw.sink.open(
          {
            type: 'action',
            action: a,
            text: `unicast copy for ${r.vmLabel}: eth.dst ${r.mac}, ip.dst ${r.caIp}`,
          },
          portWhere(port),
          copy.slice(),
        );
      const inner = parse(copy);
      const branch: EgressWalk = {
        ...w,
        frame: copy,
        inner,
        view: { inner, vsid: port.vsid, outer: null },
        entry: newEntry<PortRt>(FlowOp.Drop),
        record: null,
        outer: null,
      };
      let step = toDestination(branch, r, port.vsid);
      if (step === Step.Next) step = walkFrom(branch, w.groupIndex + 1);
      const entry = branch.entry;
      fw.spawn(pktOf(copy), (f) => executeEntry(f, port.host, port, entry, f.pkt));
      if (fw.sink.on) fw.sink.close();
    }
    return Step.PerPacket;
  },
};
