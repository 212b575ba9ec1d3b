// The codec's public API. Engine code, the worker, the CLI and the tests import from here.

export { arpFields, decodeArp, encodeArp } from './arp.ts';
export * from './builders.ts';
export {
  ByteWriter,
  bytesToMac,
  formatMac,
  fromHex,
  hex,
  ipv4ToNumber,
  macToBytes,
  numberToIpv4,
  parseMac,
} from './bytes.ts';
export { CaptureReader } from './capture.ts';
export { internetChecksum, onesComplementSum, pseudoHeaderSum } from './checksum.ts';
export { type EnvelopeProtocol, type FrameEnvelope, frameEnvelope } from './envelope.ts';
export { decodeEsp, ESP_ENCRYPTED_KEY, encodeEsp, espFields, IP_ESP } from './esp.ts';
export { decodeEthernet, ETHERTYPE_NAMES, encodeEthernet, ethernetFields } from './ethernet.ts';
export type { DecodeContext, Decoder, DispatchTable, LayerResult, NextLayer } from './fields.ts';
export { createContext, readField, readFields } from './fields.ts';
export { decodeFrame, deepestFieldAt, encodeFrame, encodeLayer, fieldsByKey } from './frame.ts';
export { decodeGre, encodeGre, greFields, NVGRE_PROTOCOL } from './gre.ts';
export { decodeIcmp, encodeIcmp, ICMP_TYPE_NAMES, ICMP_UNREACHABLE_CODES, icmpFields } from './icmp.ts';
export { decodeIpv4, encodeIpv4, IP_PROTOCOL_NAMES, ipv4Fields } from './ipv4.ts';
export type { PcapReadResult, PcapRecord } from './pcap.ts';
export { LINKTYPE_ETHERNET, PcapReader, readPcap, writePcap } from './pcap.ts';
export { PCAPNG_MAGIC, PcapngReader } from './pcapng.ts';
export { decodeRaw, encodeRaw, rawFields } from './raw.ts';
export { codecs, dispatch } from './registry.ts';
export type { SampleFrame } from './samples.ts';
export { CONTOSO, sampleFrames, sampleLayers } from './samples.ts';
export { decodeTcp, encodeTcp, tcpFields } from './tcp.ts';
export * from './types.ts';
export { decodeUdp, encodeUdp, udpFields, VXLAN_PORT } from './udp.ts';
export { decodeVlan, encodeVlan, vlanFields } from './vlan.ts';
export { decodeVxlan, encodeVxlan, VXLAN_I_FLAG, vxlanFields } from './vxlan.ts';
