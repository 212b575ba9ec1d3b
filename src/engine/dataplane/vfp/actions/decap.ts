// decap: the VNet layer's inbound rule for a tunnel packet to this port's CA: the outer
// Ethernet/IP/UDP+VXLAN or GRE headers come off (the cached entry strips them per packet).
import { type ActionHandler, Step } from '../walk';

export const decap: ActionHandler<'decap'> = {
  type: 'decap',
  describe: (a) => `decap ${a.encapsulation.toUpperCase()} VSID ${a.vsid}`,
  ingress(w, a) {
    if (w.fw.sink.on)
      w.fw.sink.emit(
        {
          type: 'action',
          action: a,
          text: `decapsulate: strip outer Ethernet/IP/${a.encapsulation === 'vxlan' ? 'UDP/VXLAN' : 'GRE'} (${w.innerAt} bytes)`,
        },
        w.where,
        w.frame.slice(w.innerAt),
      );
    return Step.Next;
  },
};
