// set-field: rewrite a header field of the VM's packet. Supported: 'ip.dscp' (QoS marking, as
// a VFP QoS layer or Hyper-V's DSCP tagging does), the IPv4 checksum patched (RFC 1624). The
// flow entry keeps it, so later packets of the flow are marked on the fast path too.
import { ETH_IPV4 } from '../../packet';
import { whereWith } from '../../steps';
import { type ActionHandler, Step } from '../walk';

/** Set the DSCP bits of the IPv4 header at `l3`, keeping ECN, with an incremental checksum update. */
export function setDscp(b: Uint8Array, l3: number, dscp: number): void {
  const old = (b[l3] << 8) | b[l3 + 1];
  b[l3 + 1] = (dscp << 2) | (b[l3 + 1] & 3);
  const now = (b[l3] << 8) | b[l3 + 1];
  // HC' = ~(~HC + ~m + m')
  let sum = (~((b[l3 + 10] << 8) | b[l3 + 11]) & 0xffff) + (~old & 0xffff) + now;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  b[l3 + 10] = c >>> 8;
  b[l3 + 11] = c & 255;
}

export const setField: ActionHandler<'set-field'> = {
  type: 'set-field',
  describe: (a) => `set ${a.field}=${a.value}`,
  egress(w, a) {
    if (a.field !== 'ip.dscp' || w.inner.etherType !== ETH_IPV4) return Step.Next;
    const dscp = Number(a.value) & 63;
    setDscp(w.frame, 14, dscp);
    w.entry.rewrites.push({ apply: (b, at) => setDscp(b, at + 14, dscp) });
    w.entry.actions.push(a);
    if (w.fw.sink.on)
      w.fw.sink.emit(
        { type: 'action', action: a, text: `set ip.dscp ${dscp}: the packet is marked for QoS` },
        whereWith(w.where, { layer: w.layer }),
        w.frame.slice(),
      );
    return Step.Next;
  },
};
