// arp-reply: ARP from a VM goes to the host agent, which answers from its policy store (the
// CA's lookup record, or the distributed router for the gateway address). ARP never leaves
// the host; no record, no reply.
import { macToBytes, u32ToIp } from '../../../controller/addr';
import { formatMac } from '../../../wire/bytes';
import { Decision } from '../../forwarder';
import { buildArp, parse } from '../../packet';
import { pktOf, portWhere, whereWith } from '../../steps';
import { arpResponder } from '../../trace/wording';
import { type ActionHandler, Step } from '../walk';

export const arpReply: ActionHandler<'arp-reply'> = {
  type: 'arp-reply',
  describe: () => 'host agent ARP reply',
  egress(w, a) {
    const { fw, port, frame } = w;
    const sink = fw.sink;
    const p = parse(frame);
    const host = port.host;
    const where = whereWith(portWhere(port), { layer: 'vnet' });
    const target = p.arpTargetIp;
    let mac: string | null = null;
    let owner = '';
    if (target === port.gatewayIp) {
      mac = formatMac(port.gatewayMac);
      owner = `distributed router (gateway of VSID ${port.vsid})`;
    } else {
      const record = fw.ctx.agents.lookup(host, port.vsid, target).record;
      if (record) {
        mac = record.mac;
        owner = record.vmLabel;
      }
    }
    if (sink.on)
      sink.emit(
        { type: 'host-agent-arp', host: host.name, target: u32ToIp(target), vsid: port.vsid, mac, owner },
        where,
      );
    if (p.arpSenderIp === target && target === port.caIp) {
      // Gratuitous ARP (RFC 5227 announcement): the VM tells the subnet its MAC. The host agent
      // already maps this CA to this MAC from the controller's policy, so nothing is learnt and
      // nothing is answered; the frame goes no further (ARP never leaves the host under HNV).
      if (sink.on)
        sink.emit(
          {
            type: 'action',
            action: a,
            text: `gratuitous ARP from ${port.label} (${u32ToIp(target)} is-at ${formatMac(port.mac)}): the host agent already has this CA's MAC from the controller; consumed, no reply, not forwarded`,
          },
          where,
        );
      fw.outcome.delivered.push(`${host.name} host agent`);
      return Step.PerPacket;
    }
    if (!mac || p.arpOp !== 1) {
      const agent = arpResponder(fw.ctx.controller.doc.hnvMode);
      fw.dropped(
        `${host.name} ${agent}`,
        `no lookup record for ${u32ToIp(target)} in VSID ${port.vsid}: the ${agent} sends no ARP reply, ${port.label} marks ${u32ToIp(target)} unreachable`,
        where,
      );
      return Step.PerPacket;
    }
    const macBytes = macToBytes(mac);
    const reply = buildArp(2, macBytes, port.mac, macBytes, target, port.mac, port.caIp);
    if (sink.on)
      sink.emit(
        {
          type: 'action',
          action: a,
          text: `${host.name} ${arpResponder(fw.ctx.controller.doc.hnvMode)} injects the ARP reply ${u32ToIp(target)} is-at ${mac}`,
        },
        where,
        reply,
      );
    fw.spawn(pktOf(reply), (f) => {
      f.port = port;
      return Decision.ToVm;
    });
    return Step.PerPacket;
  },
};
