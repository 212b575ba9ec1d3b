// output: where the frame leaves the layers. Egress: to the uplink (an encapsulated frame, with
// the PA route's template; a VLAN-tagged frame, bridged at L2), or to a port on this host
// (whose inbound layers must let it in). Ingress: the port the inbound layers deliver to.
import { FlowOp } from '../../flowTable';
import { portWhere } from '../../steps';
import { vlanBridge } from '../../vswitch/vlanBridge';
import { dropEntry, ingressSlow } from '../executor';
import { type ActionHandler, Step } from '../walk';

export const output: ActionHandler<'output'> = {
  type: 'output',
  describe: (a) =>
    a.port === 'uplink'
      ? 'output uplink'
      : `output port ${a.label ?? a.port}${a.sameHost ? ' (same host)' : ''}`,
  egress(w, a) {
    const { fw, port, entry } = w;
    const host = port.host;
    if (a.port === 'uplink') {
      if (w.vlanId > 0) {
        vlanBridge(fw, port, w.frame, w.vlanId);
        return Step.PerPacket;
      }
      if (!w.outer) return Step.Next;
      entry.op = FlowOp.Encap;
      entry.outPort = null;
      entry.actions.push(a);
      return Step.Done;
    }
    const dst = host.portById.get(a.port);
    if (!dst) return dropEntry(w, host.name, `port of ${w.record?.vmLabel ?? a.port} not found`, w.where);
    entry.deps.push({ kind: 'port', portId: dst.id });
    const reason = ingressSlow(fw, dst, w.frame, 0, w.vsid, null, entry).reason;
    if (reason) return dropEntry(w, `${host.name} / port ${dst.label}`, reason, portWhere(dst));
    entry.op = FlowOp.Local;
    entry.outPort = dst;
    entry.actions.push({ type: 'output', port: dst.id, label: dst.label, sameHost: true });
    return Step.Done;
  },
  ingress(w, a) {
    w.outPort = w.port.host.portById.get(a.port) ?? null;
    return Step.Next;
  },
};
