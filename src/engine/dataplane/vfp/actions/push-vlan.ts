// push-vlan: a VLAN-isolated port's outbound rule tags the frame with the tenant's VLAN (the
// rule's next action, output to the uplink, bridges it at L2).
import { pushVlanTag } from '../../packet';
import { whereWith } from '../../steps';
import { type ActionHandler, Step } from '../walk';

export const pushVlan: ActionHandler<'push-vlan'> = {
  type: 'push-vlan',
  describe: (a) => `push VLAN ${a.vlanId}`,
  egress(w, a) {
    w.vlanId = a.vlanId;
    if (w.fw.sink.on)
      w.fw.sink.emit(
        {
          type: 'action',
          action: a,
          text: `802.1Q push: the vSwitch port tags the frame VLAN ${a.vlanId} (no encapsulation, no CA-PA lookup: the tag alone isolates the tenant)`,
        },
        whereWith(w.where, { layer: 'vnet' }),
        pushVlanTag(w.frame, a.vlanId),
      );
    return Step.Next;
  },
};
