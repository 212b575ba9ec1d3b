// fast-check arbitraries for valid headers and whole valid frames: the property tests and
// the tshark oracle draw from these. Values stay where tshark would not re-interpret them
// (unfragmented IP, TTL >= 5, ports away from well-known dissectors).
import fc from 'fast-check';
import { numberToIpv4 } from './bytes.ts';
import type {
  ArpHeader,
  EspHeader,
  EthernetHeader,
  GreHeader,
  IcmpHeader,
  Ipv4Header,
  LayerSpec,
  TcpHeader,
  TcpOption,
  UdpHeader,
  VlanHeader,
  VxlanHeader,
} from './types.ts';

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u24 = fc.integer({ min: 0, max: 0xffffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** Unicast MACs (I/G bit clear), Hyper-V style half the time. */
export const macArb = fc.oneof(
  fc
    .tuple(u8, u8, u8)
    .map(([a, b, c]) => `00:15:5d:${[a, b, c].map((x) => x.toString(16).padStart(2, '0')).join(':')}`),
  fc
    .uint8Array({ minLength: 6, maxLength: 6 })
    .map((b) => Array.from(b, (x, i) => (i === 0 ? x & 0xfe : x).toString(16).padStart(2, '0')).join(':')),
);
export const ipArb = fc.integer({ min: 0x01000000, max: 0xdfffffff }).map(numberToIpv4); // unicast A-C
export const payloadArb = (max = 64) => fc.uint8Array({ minLength: 0, maxLength: max });
/** Ephemeral ports, never 4789: no tshark dissector claims them. */
export const ephemeralPortArb = fc.integer({ min: 49152, max: 65535 });

export const ethernetArb = (type: number): fc.Arbitrary<EthernetHeader> =>
  fc.record({ dst: macArb, src: macArb, type: fc.constant(type) });

export const vlanArb = (type: number): fc.Arbitrary<VlanHeader> =>
  fc.record({
    pcp: fc.integer({ min: 0, max: 7 }),
    dei: fc.integer({ min: 0, max: 1 }),
    id: fc.integer({ min: 1, max: 4094 }),
    type: fc.constant(type),
  });

export const arpArb: fc.Arbitrary<ArpHeader> = fc.record({
  hardwareType: fc.constant(1),
  protocolType: fc.constant(0x0800),
  hardwareSize: fc.constant(6),
  protocolSize: fc.constant(4),
  opcode: fc.constantFrom(1, 2),
  senderMac: macArb,
  senderIp: ipArb,
  targetMac: macArb,
  targetIp: ipArb,
});

const ipOptionsArb = fc.constantFrom(
  new Uint8Array(0),
  new Uint8Array(0),
  Uint8Array.of(0x94, 4, 0, 0), // Router Alert
  Uint8Array.of(1, 0x94, 4, 0, 0, 0, 0, 0), // NOP, Router Alert, End of list + padding
);

/** An IPv4 header as the encoder would finish it (IHL/length/checksum are fixed up later). */
export const ipv4Arb = (protocol: number): fc.Arbitrary<Ipv4Header> =>
  fc.record({
    version: fc.constant(4),
    ihl: fc.constant(5),
    dscp: fc.integer({ min: 0, max: 63 }),
    ecn: fc.integer({ min: 0, max: 3 }),
    totalLength: fc.constant(0),
    identification: u16,
    flags: fc.constantFrom(0, 2),
    fragmentOffset: fc.constant(0),
    ttl: fc.integer({ min: 5, max: 255 }),
    protocol: fc.constant(protocol),
    checksum: fc.constant(0),
    src: ipArb,
    dst: ipArb,
    options: ipOptionsArb,
  });

export const icmpEchoArb: fc.Arbitrary<IcmpHeader> = fc.record({
  type: fc.constantFrom(0, 8),
  code: fc.constant(0),
  checksum: fc.constant(0),
  identifier: u16,
  sequence: u16,
});

export const udpArb = (dstPort?: number): fc.Arbitrary<UdpHeader> =>
  fc.record({
    srcPort: ephemeralPortArb,
    dstPort: dstPort === undefined ? ephemeralPortArb : fc.constant(dstPort),
    length: fc.constant(0),
    checksum: fc.constant(0),
  });

const tcpOptionArb: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.record({ kind: fc.constant('mss' as const), value: fc.integer({ min: 536, max: 9000 }) }),
  fc.record({ kind: fc.constant('wscale' as const), shift: fc.integer({ min: 0, max: 14 }) }),
  fc.constant({ kind: 'sack-perm' as const }),
  fc.record({ kind: fc.constant('timestamp' as const), value: u32, echo: u32 }),
); // NOPs come from padding only: tshark warns about 4 in a row

const optionLength = (o: TcpOption) =>
  ({ mss: 4, wscale: 3, 'sack-perm': 2, timestamp: 10, nop: 1, eol: 1 })[o.kind as string] ?? 2;

/** Options padded with NOPs to a 32-bit boundary (so decode gives back exactly these), at most 40 bytes. */
export function padTcpOptions(opts: TcpOption[]): TcpOption[] {
  const out: TcpOption[] = [];
  let len = 0;
  for (const o of opts) {
    if (len + optionLength(o) > 36) break;
    out.push(o);
    len += optionLength(o);
  }
  while (len % 4 !== 0) {
    out.push({ kind: 'nop' });
    len++;
  }
  return out;
}

export const tcpOptionsArb: fc.Arbitrary<TcpOption[]> = fc
  .array(tcpOptionArb, { maxLength: 4 })
  .map(padTcpOptions);

/** MSS, window scale and SACK-permitted belong on SYNs only (tshark warns otherwise). */
const synOnly = new Set(['mss', 'wscale', 'sack-perm', 'nop']); // and re-pad without the old NOPs

// No RST: tshark reads an RST's payload as a 'reset cause' text, not data.
const tcpFlagsArb = fc.constantFrom(0x002, 0x012, 0x010, 0x018, 0x011, 0x019, 0x0c2, 0x052);

export const tcpArb: fc.Arbitrary<TcpHeader> = fc
  .record({
    srcPort: ephemeralPortArb,
    dstPort: ephemeralPortArb,
    seq: u32,
    ack: u32,
    flags: tcpFlagsArb,
    window: u16,
    options: tcpOptionsArb,
  })
  .map((t) => {
    const options =
      t.flags & 0x002 ? t.options : padTcpOptions(t.options.filter((o) => !synOnly.has(o.kind)));
    return {
      ...t,
      options,
      ack: t.flags & 0x010 ? t.ack : 0,
      dataOffset: 5 + options.reduce((n, o) => n + optionLength(o), 0) / 4,
      checksum: 0,
      urgentPointer: 0,
    };
  });

export const vxlanArb: fc.Arbitrary<VxlanHeader> = fc.record({
  flags: fc.constant(0x08),
  reserved1: fc.constant(0),
  vni: u24,
  reserved2: fc.constant(0),
});

/** NVGRE as RFC 7637 has it: C = 0, K = 1, S = 0, version 0, protocol 0x6558; any 32-bit key. */
export const nvgreArb: fc.Arbitrary<GreHeader> = u32.map((key) => ({
  checksumPresent: false,
  keyPresent: true,
  sequencePresent: false,
  reserved0: 0,
  version: 0,
  protocolType: 0x6558,
  key,
}));

/** GRE carrying IPv4 with a key (a site-to-site tunnel): K = 1, protocol 0x0800. */
export const greIpv4Arb: fc.Arbitrary<GreHeader> = u32.map((key) => ({
  checksumPresent: false,
  keyPresent: true,
  sequencePresent: false,
  reserved0: 0,
  version: 0,
  protocolType: 0x0800,
  key,
}));

/** ESP with a valid (non-reserved) SPI, any sequence, and opaque 'encrypted' bytes. */
export const espArb: fc.Arbitrary<EspHeader> = fc
  .tuple(fc.integer({ min: 256, max: 0xffffffff }), u32, fc.uint8Array({ minLength: 0, maxLength: 120 }))
  .map(([spi, sequence, payload]) => ({ spi, sequence, payload }));

const data = (bytes: Uint8Array): LayerSpec[] =>
  bytes.length ? [{ protocol: 'data', header: { bytes } }] : [];

/** A VM's frame: CA Ethernet + ARP, ICMP echo, UDP or TCP. */
export const innerFrameArb: fc.Arbitrary<LayerSpec[]> = fc.oneof(
  fc.tuple(ethernetArb(0x0806), arpArb).map(([e, a]): LayerSpec[] => [
    { protocol: 'eth', header: e },
    { protocol: 'arp', header: a },
  ]),
  fc
    .tuple(ethernetArb(0x0800), ipv4Arb(1), icmpEchoArb, payloadArb())
    .map(([e, ip, icmp, p]): LayerSpec[] => [
      { protocol: 'eth', header: e },
      { protocol: 'ip', header: ip },
      { protocol: 'icmp', header: icmp },
      ...data(p),
    ]),
  fc
    .tuple(ethernetArb(0x0800), ipv4Arb(17), udpArb(), payloadArb())
    .map(([e, ip, udp, p]): LayerSpec[] => [
      { protocol: 'eth', header: e },
      { protocol: 'ip', header: ip },
      { protocol: 'udp', header: udp },
      ...data(p),
    ]),
  fc
    .tuple(ethernetArb(0x0800), ipv4Arb(6), tcpArb, payloadArb())
    .map(([e, ip, tcp, p]): LayerSpec[] => [
      { protocol: 'eth', header: e },
      { protocol: 'ip', header: ip },
      { protocol: 'tcp', header: tcp },
      ...data(p),
    ]),
);

/** The provider side: outer Ethernet (optionally VLAN-tagged) + IPv4 for a given protocol. */
const outerArb = (protocol: number): fc.Arbitrary<LayerSpec[]> =>
  fc
    .tuple(fc.boolean(), macArb, macArb, vlanArb(0x0800), ipv4Arb(protocol))
    .map(([tagged, dst, src, vlan, ip]) =>
      tagged
        ? [
            { protocol: 'eth', header: { dst, src, type: 0x8100 } },
            { protocol: 'vlan', header: vlan },
            { protocol: 'ip', header: ip },
          ]
        : [
            { protocol: 'eth', header: { dst, src, type: 0x0800 } },
            { protocol: 'ip', header: ip },
          ],
    );

/** ICMP fragmentation-needed quoting a VXLAN packet's IP header + UDP header. */
const fragNeededArb: fc.Arbitrary<LayerSpec[]> = fc
  .tuple(
    outerArb(1),
    fc.integer({ min: 576, max: 9000 }),
    ipv4Arb(17),
    udpArb(4789),
    fc.integer({ min: 100, max: 9000 }),
  )
  .map(([outer, mtu, quotedIp, quotedUdp, size]) => [
    ...outer,
    { protocol: 'icmp', header: { type: 3, code: 4, checksum: 0, nextHopMtu: mtu } },
    { protocol: 'ip', header: { ...quotedIp, options: new Uint8Array(0), flags: 2, totalLength: size + 28 } },
    { protocol: 'udp', header: { ...quotedUdp, length: size + 8 } },
  ]);

/** Other ICMP errors (port/host unreachable, TTL exceeded) quoting an inner ICMP echo or UDP header. */
const icmpErrorArb: fc.Arbitrary<LayerSpec[]> = fc
  .tuple(
    outerArb(1),
    fc.constantFrom([3, 1], [3, 3], [3, 13], [11, 0]),
    fc.boolean(),
    ipv4Arb(1),
    icmpEchoArb,
    udpArb(),
    fc.integer({ min: 0, max: 1400 }),
  )
  .map(([outer, [type, code], udp, quotedIp, echo, quotedUdp, size]) => [
    ...outer,
    { protocol: 'icmp', header: { type, code, checksum: 0, rest: 0 } } as LayerSpec,
    {
      protocol: 'ip',
      header: {
        ...quotedIp,
        protocol: udp ? 17 : 1,
        options: new Uint8Array(0),
        totalLength: size + 28,
        checksum: 0,
      },
    } as LayerSpec,
    udp
      ? ({ protocol: 'udp', header: { ...quotedUdp, length: size + 8, checksum: 0 } } as LayerSpec)
      : ({ protocol: 'icmp', header: { ...echo, type: 8, checksum: 0x1234 } } as LayerSpec),
  ]);

/** Any valid frame the lab produces: plain VM frames, VXLAN, NVGRE and ICMP errors. */
export const frameArb: fc.Arbitrary<LayerSpec[]> = fc.oneof(
  innerFrameArb,
  fc
    .tuple(outerArb(17), udpArb(4789), vxlanArb, innerFrameArb)
    .map(([outer, udp, vx, inner]) => [
      ...outer,
      { protocol: 'udp', header: udp } as LayerSpec,
      { protocol: 'vxlan', header: vx } as LayerSpec,
      ...inner,
    ]),
  fc
    .tuple(outerArb(47), nvgreArb, innerFrameArb)
    .map(([outer, gre, inner]) => [...outer, { protocol: 'gre', header: gre } as LayerSpec, ...inner]),
  fragNeededArb,
  icmpErrorArb,
  // A GRE site-to-site tunnel: outer IPv4 / GRE (key, 0x0800) / the customer's IPv4 packet.
  fc
    .tuple(outerArb(47), greIpv4Arb, innerFrameArb)
    .filter(([, , inner]) => inner[0].protocol === 'eth' && inner[1].protocol === 'ip')
    .map(([outer, gre, inner]) => [
      ...outer,
      { protocol: 'gre', header: gre } as LayerSpec,
      ...inner.slice(1),
    ]),
  fc
    .tuple(outerArb(50), espArb)
    .map(([outer, esp]) => [...outer, { protocol: 'esp', header: esp } as LayerSpec]),
);
