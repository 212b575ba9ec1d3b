// pop-vlan: a VLAN-isolated port's inbound rule takes the tenant's 802.1Q tag off the frame.
import { popVlanTag } from '../../packet';
import { portWhere, whereWith } from '../../steps';
import { type ActionHandler, Step } from '../walk';

export const popVlan: ActionHandler<'pop-vlan'> = {
  type: 'pop-vlan',
  describe: () => 'pop VLAN',
  ingress(w, a) {
    if (w.frame[12] !== 0x81 || w.frame[13] !== 0) return Step.Next; // untagged already
    const vlanId = ((w.frame[14] << 8) | w.frame[15]) & 0x0fff;
    w.frame = popVlanTag(w.frame);
    if (w.fw.sink.on)
      w.fw.sink.emit(
        {
          type: 'action',
          action: a,
          text: `802.1Q pop: VLAN ${vlanId} tag removed at the port of ${w.port.label} on ${w.port.host.name}`,
        },
        whereWith(portWhere(w.port), { layer: 'vnet' }),
        w.frame,
      );
    return Step.Next;
  },
};
