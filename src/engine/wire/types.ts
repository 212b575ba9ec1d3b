// The codec's shared vocabulary. Every protocol module speaks it; the inspector,
// the CLI and the tests read nothing else.

/** Protocol names follow Wireshark's filter prefixes. */
export type ProtocolName =
  | 'eth'
  | 'vlan'
  | 'arp'
  | 'ip'
  | 'icmp'
  | 'udp'
  | 'tcp'
  | 'vxlan'
  | 'gre'
  | 'nvgre'
  | 'esp'
  | 'data';

/** How a field's value is shown (and how tshark shows it). */
export type FieldFormat =
  | 'dec' // unsigned decimal
  | 'hex' // 0x-prefixed, zero-padded to the field's width
  | 'mac'
  | 'ipv4'
  | 'bool'
  | 'bytes'; // hex string without separators

/** One row of a protocol's field table: data, not code. Offsets are relative to the header start. */
export interface FieldSpec {
  key: string; // Wireshark display-filter name, e.g. 'ip.ttl'
  label: string; // 'Time to live'
  offset: number; // byte offset from the header start
  length: number; // bytes covered
  mask?: number; // bit mask within those bytes (the value is shifted down by the mask's trailing zeros)
  format: FieldFormat;
  names?: Readonly<Record<number, string>>; // enumeration names; unknown values are kept
  meaning?: string; // short explanation for the inspector
  /** Multiply the (masked, shifted) value, e.g. 4 for IHL so that ip.hdr_len reads in bytes as tshark shows it. */
  scale?: number;
  /** Key of an earlier row in the same table this row is nested under (flag bits under their flags field). */
  parent?: string;
}

export type FieldValue = number | string | boolean;

/** A decoded field at an absolute position in the frame. */
export interface FieldNode {
  key: string;
  label: string;
  start: number; // absolute byte offset in the frame
  length: number; // bytes
  mask?: number;
  value: FieldValue; // numbers for integers (JSON numbers), strings for MAC/IP/hex/bytes
  display: string; // e.g. '0x0800 (IPv4)', '64', '00:15:5d:01:02:03'
  meaning?: string;
  /** Derived rows (e.g. NVGRE VSID and FlowID under gre.key) or option sub-fields. */
  children?: FieldNode[];
}

export type IssueSeverity = 'error' | 'warning' | 'info';

export interface DecodeIssue {
  code: string; // 'truncated', 'bad-checksum', 'ihl-too-small', 'vxlan-i-flag-clear', 'nvgre-k-bit-clear', 'unknown-ethertype', ...
  severity: IssueSeverity;
  start: number;
  length: number;
  message: string;
}

/** One decoded header. `start`/`headerLength` cover this header only; its payload follows. */
export interface DecodedLayer {
  protocol: ProtocolName;
  title: string; // 'Internet Protocol Version 4'
  start: number;
  headerLength: number;
  fields: FieldNode[];
  header: AnyHeader;
}

export interface DecodedFrame {
  length: number;
  layers: DecodedLayer[]; // outer -> inner
  issues: DecodeIssue[];
}

export interface EncodeOptions {
  /** Set length fields (IP total length, UDP length, IHL, GRE/TCP offsets) from what is actually encoded. Default true. */
  fixLengths?: boolean;
  /** Compute IPv4/ICMP/UDP/TCP checksums. Default true. VXLAN's outer UDP checksum stays 0 over IPv4. */
  computeChecksums?: boolean;
}

// ---- header types: plain objects, one per protocol ----

export interface EthernetHeader {
  dst: string; // 'aa:bb:cc:dd:ee:ff'
  src: string;
  type: number; // ethertype of what follows (0x8100 when a VLAN tag follows)
}

export interface VlanHeader {
  pcp: number; // 3 bits
  dei: number; // 1 bit
  id: number; // 12 bits
  type: number; // ethertype of what follows
}

export interface ArpHeader {
  hardwareType: number; // 1
  protocolType: number; // 0x0800
  hardwareSize: number; // 6
  protocolSize: number; // 4
  opcode: number; // 1 request, 2 reply
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export interface Ipv4Header {
  version: number; // 4
  ihl: number; // in 32-bit words; fixed by fixLengths from options
  dscp: number;
  ecn: number;
  totalLength: number; // fixed by fixLengths
  identification: number;
  flags: number; // 3 bits: 0x4 reserved, 0x2 DF, 0x1 MF
  fragmentOffset: number; // in 8-byte units
  ttl: number;
  protocol: number;
  checksum: number; // fixed by computeChecksums
  src: string;
  dst: string;
  options: Uint8Array; // raw options, padded to 4 bytes by the encoder
}

export interface IcmpHeader {
  type: number; // 0 echo reply, 3 unreachable, 8 echo request, 11 time exceeded
  code: number;
  checksum: number;
  /** Echo: identifier and sequence. Unreachable code 4: nextHopMtu. Others: the 4 'rest of header' bytes as a number. */
  identifier?: number;
  sequence?: number;
  nextHopMtu?: number;
  rest?: number;
}

export interface UdpHeader {
  srcPort: number;
  dstPort: number;
  length: number; // fixed by fixLengths
  checksum: number; // 0 = absent
}

export type TcpOption =
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sack-perm' }
  | { kind: 'timestamp'; value: number; echo: number }
  | { kind: 'nop' }
  | { kind: 'eol' }
  | { kind: 'unknown'; type: number; data: Uint8Array };

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  dataOffset: number; // in 32-bit words; fixed by fixLengths
  flags: number; // 12 bits: 0x001 FIN, 0x002 SYN, 0x004 RST, 0x008 PSH, 0x010 ACK, 0x020 URG, 0x040 ECE, 0x080 CWR, 0x100 AE
  window: number;
  checksum: number;
  urgentPointer: number;
  options: TcpOption[];
}

export interface VxlanHeader {
  flags: number; // 8 bits; 0x08 = I (VNI valid)
  reserved1: number; // 24 bits
  vni: number; // 24 bits = VSID
  reserved2: number; // 8 bits
}

export interface GreHeader {
  checksumPresent: boolean; // C
  keyPresent: boolean; // K
  sequencePresent: boolean; // S
  routingPresent?: boolean; // RFC 1701 R bit (bit 1); reserved (0) in RFC 2784
  reserved0: number; // 9 bits
  version: number; // 3 bits
  protocolType: number; // 0x6558 for NVGRE
  checksum?: number; // when C
  offset?: number; // when C: the 16 'Reserved1' bits after the checksum (tshark: gre.offset)
  key?: number; // when K; NVGRE: VSID << 8 | FlowID
  sequence?: number; // when S
}

export interface EspHeader {
  spi: number; // 32 bits
  sequence: number; // 32 bits
  /** Everything after the sequence number: IV, encrypted payload and trailer, ICV (opaque). */
  payload: Uint8Array;
}

export interface RawPayload {
  bytes: Uint8Array;
}

export type AnyHeader =
  | EthernetHeader
  | VlanHeader
  | ArpHeader
  | Ipv4Header
  | IcmpHeader
  | UdpHeader
  | TcpHeader
  | VxlanHeader
  | GreHeader
  | EspHeader
  | RawPayload;

/** A frame to encode: headers outer -> inner, then payload bytes. */
export type LayerSpec =
  | { protocol: 'eth'; header: EthernetHeader }
  | { protocol: 'vlan'; header: VlanHeader }
  | { protocol: 'arp'; header: ArpHeader }
  | { protocol: 'ip'; header: Ipv4Header }
  | { protocol: 'icmp'; header: IcmpHeader }
  | { protocol: 'udp'; header: UdpHeader }
  | { protocol: 'tcp'; header: TcpHeader }
  | { protocol: 'vxlan'; header: VxlanHeader }
  | { protocol: 'gre'; header: GreHeader }
  | { protocol: 'esp'; header: EspHeader }
  | { protocol: 'data'; header: RawPayload };
