// How layers chain, as data. Adding a protocol = its file + one line in `codecs` + the
// dispatch entry that leads to it.

import { decodeArp, encodeArp } from './arp.ts';
import type { ByteWriter } from './bytes.ts';
import { decodeEsp, encodeEsp } from './esp.ts';
import { decodeEthernet, encodeEthernet } from './ethernet.ts';
import type { Decoder, DispatchTable, Fixup } from './fields.ts';
import { decodeGre, encodeGre, fixupGre } from './gre.ts';
import { decodeIcmp, encodeIcmp, fixupIcmp } from './icmp.ts';
import { decodeIpv4, encodeIpv4, fixupIpv4 } from './ipv4.ts';
import { decodeRaw, encodeRaw } from './raw.ts';
import { decodeTcp, encodeTcp, fixupTcp } from './tcp.ts';
import type { EncodeOptions, LayerSpec, ProtocolName } from './types.ts';
import { decodeUdp, encodeUdp, fixupUdp } from './udp.ts';
import { decodeVlan, encodeVlan } from './vlan.ts';
import { decodeVxlan, encodeVxlan } from './vxlan.ts';

export type EncodableProtocol = LayerSpec['protocol'];
type HeaderOf<P extends EncodableProtocol> = Extract<LayerSpec, { protocol: P }>['header'];

export interface Codec<P extends EncodableProtocol> {
  decode: Decoder;
  encode: (header: HeaderOf<P>, writer: ByteWriter, opts?: EncodeOptions) => void;
  /** Sets lengths/checksums after the whole frame is written (inner layers first). */
  fixup?: Fixup;
}

export const codecs: { [P in EncodableProtocol]: Codec<P> } = {
  eth: { decode: decodeEthernet, encode: encodeEthernet },
  vlan: { decode: decodeVlan, encode: encodeVlan },
  arp: { decode: decodeArp, encode: encodeArp },
  ip: { decode: decodeIpv4, encode: encodeIpv4, fixup: fixupIpv4 },
  icmp: { decode: decodeIcmp, encode: encodeIcmp, fixup: fixupIcmp },
  udp: { decode: decodeUdp, encode: encodeUdp, fixup: fixupUdp },
  tcp: { decode: decodeTcp, encode: encodeTcp, fixup: fixupTcp },
  vxlan: { decode: decodeVxlan, encode: encodeVxlan },
  gre: { decode: decodeGre, encode: encodeGre, fixup: fixupGre },
  esp: { decode: decodeEsp, encode: encodeEsp },
  data: { decode: decodeRaw, encode: encodeRaw },
};

/** Next-layer tables: a value in the enclosing header -> the protocol that decodes the payload. */
export const dispatch: Record<DispatchTable, ReadonlyMap<number, EncodableProtocol>> = {
  ethertype: new Map([
    [0x0800, 'ip'],
    [0x0806, 'arp'],
    [0x8100, 'vlan'],
  ]),
  ipProtocol: new Map([
    [1, 'icmp'],
    [6, 'tcp'],
    [17, 'udp'],
    [47, 'gre'],
    [50, 'esp'],
  ]),
  udpPort: new Map([[4789, 'vxlan']]),
  greProtocol: new Map([
    [0x6558, 'eth'],
    [0x0800, 'ip'],
  ]),
};

export function isEncodable(p: ProtocolName): p is EncodableProtocol {
  return p in codecs;
}
