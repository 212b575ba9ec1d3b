// drop: the rule refuses the packet with a reason (an ACL's deny, a layer's default rule).
import { layerPlace } from '../../trace/wording';
import { dropEntry } from '../executor';
import { type ActionHandler, Step } from '../walk';

export const drop: ActionHandler<'drop'> = {
  type: 'drop',
  describe: (a) => `drop (${a.reason})`,
  egress: (w, a) =>
    dropEntry(w, `${w.at} / ${layerPlace(w.fw.ctx.controller.doc.hnvMode, w.layer)}`, a.reason, w.where),
  ingress(w, a) {
    if (w.fw.sink.on) w.fw.sink.emit({ type: 'action', action: a, text: `drop: ${a.reason}` }, w.where);
    w.reason = a.reason;
    return Step.Done;
  },
};
