// Malformed input: every problem becomes a DecodeIssue on its byte range; nothing throws.
import { describe, expect, it } from 'vitest';
import { ethernetHeader, ipv4Header, nvgreHeader, udpHeader, vxlanHeader } from './builders.ts';
import { fromHex, hex } from './bytes.ts';
import { decodeFrame, encodeFrame, fieldsByKey } from './frame.ts';
import { goldenFrames } from './golden.ts';
import type { DecodeIssue, GreHeader, LayerSpec } from './types.ts';

const golden = Object.fromEntries(goldenFrames().map((g) => [g.id, g.bytes]));
const copy = (id: string) => golden[id].slice();
const codes = (issues: DecodeIssue[]) => issues.map((i) => i.code);

const eth = ethernetHeader('00:15:5d:00:00:02', '00:15:5d:00:00:01', 0x0800);
const udpFrame = (): LayerSpec[] => [
  { protocol: 'eth', header: eth },
  { protocol: 'ip', header: ipv4Header({ src: '10.1.1.12', dst: '10.1.1.11', protocol: 17 }) },
  { protocol: 'udp', header: udpHeader({ srcPort: 50000, dstPort: 53000 }) },
  { protocol: 'data', header: { bytes: Uint8Array.of(1, 2, 3, 4, 5) } },
];

describe('checksum issues name the protocol, the expected and the found value', () => {
  it('IPv4 header', () => {
    const b = copy('icmp-echo');
    b[25] ^= 0xff; // low byte of ip.checksum (0xca7d)
    const [issue, ...rest] = decodeFrame(b).issues;
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ code: 'bad-checksum', severity: 'error', start: 24, length: 2 });
    expect(issue.message).toBe('IPv4 header checksum is wrong: expected 0xca7d, found 0xca82');
  });

  it('the outer IPv4 header of a VXLAN packet (the inner frame is still decoded)', () => {
    const b = copy('vxlan');
    b[24] ^= 0x01; // ip.checksum of the outer (PA) header
    const f = decodeFrame(b);
    expect(f.issues).toEqual([
      {
        code: 'bad-checksum',
        severity: 'error',
        start: 24,
        length: 2,
        message: expect.stringMatching(
          /^IPv4 header checksum is wrong: expected 0x[0-9a-f]{4}, found 0x[0-9a-f]{4}$/,
        ),
      },
    ]);
    expect(f.layers.map((l) => l.protocol)).toEqual([
      'eth',
      'ip',
      'udp',
      'vxlan',
      'eth',
      'ip',
      'icmp',
      'data',
    ]);
  });

  it('ICMP over the whole message', () => {
    const b = copy('icmp-echo');
    b[b.length - 1] ^= 1; // a payload byte
    const issues = decodeFrame(b).issues;
    expect(codes(issues)).toEqual(['bad-checksum']);
    expect(issues[0].start).toBe(36);
    expect(issues[0].message).toMatch(/^ICMP checksum is wrong: expected 0x[0-9a-f]{4}, found 0x4d54$/);
  });

  it('UDP with the pseudo-header; checksum 0 means none', () => {
    const b = encodeFrame(udpFrame());
    expect(decodeFrame(b).issues).toEqual([]);
    expect(b[40] | b[41]).not.toBe(0);
    const bad = b.slice();
    bad[42] ^= 0x10;
    const issues = decodeFrame(bad).issues;
    expect(codes(issues)).toEqual(['bad-checksum']);
    expect(issues[0]).toMatchObject({ start: 40, length: 2 });
    expect(issues[0].message).toContain('UDP checksum is wrong');
    const none = b.slice();
    none[40] = 0;
    none[41] = 0;
    expect(decodeFrame(none).issues).toEqual([]);
  });

  it('TCP with the pseudo-header', () => {
    const b = copy('tcp-syn');
    b[50] ^= 0x01;
    const issues = decodeFrame(b).issues;
    expect(codes(issues)).toEqual(['bad-checksum']);
    expect(issues[0]).toMatchObject({ start: 50, length: 2 });
    expect(issues[0].message).toBe('TCP checksum is wrong: expected 0x7d5d, found 0x7c5d');
  });
});

describe('structural issues', () => {
  it('IHL below 5 stops the IPv4 layer cleanly', () => {
    const b = copy('icmp-echo');
    b[14] = 0x44;
    const f = decodeFrame(b);
    expect(f.layers.map((l) => l.protocol)).toEqual(['eth', 'ip']);
    expect(f.issues.find((i) => i.code === 'ihl-too-small')).toMatchObject({
      start: 14,
      length: 1,
      severity: 'error',
    });
    expect(fieldsByKey(f)['ip.hdr_len']).toEqual([16]);
  });

  it('VXLAN with the I flag clear is reported, and the inner frame still decoded', () => {
    const b = copy('vxlan');
    b[42] = 0x00;
    const f = decodeFrame(b);
    expect(codes(f.issues)).toEqual(['vxlan-i-flag-clear']);
    expect(f.issues[0]).toMatchObject({ start: 42, length: 1 });
    expect(f.layers.map((l) => l.protocol)).toEqual([
      'eth',
      'ip',
      'udp',
      'vxlan',
      'eth',
      'ip',
      'icmp',
      'data',
    ]);
  });

  it('non-zero reserved VXLAN bits are accepted', () => {
    const b = copy('vxlan');
    b[43] = 0x12;
    b[44] = 0x34;
    b[49] = 0x9a;
    const f = decodeFrame(b);
    expect(f.issues).toEqual([]);
    expect(f.layers[3].header).toEqual({ flags: 0x08, reserved1: 0x123400, vni: 5001, reserved2: 0x9a });
  });

  it('GRE 0x6558 without the K bit: nvgre-k-bit-clear', () => {
    const gre = { ...nvgreHeader(5001, 1), keyPresent: false };
    const b = encodeFrame([
      { protocol: 'eth', header: eth },
      { protocol: 'ip', header: ipv4Header({ src: '192.168.2.20', dst: '192.168.1.10', protocol: 47 }) },
      { protocol: 'gre', header: gre },
      ...goldenFrames()[0].layers,
    ]);
    const f = decodeFrame(b);
    expect(codes(f.issues)).toEqual(['nvgre-k-bit-clear']);
    expect(f.issues[0]).toMatchObject({ start: 34, length: 2 });
  });

  describe('GRE (RFC 2784) and NVGRE (RFC 7637: C = 0, K = 1, S = 0, version 0) rules', () => {
    const nvgre = goldenFrames().find((g) => g.id === 'nvgre');
    const withGre = (change: Partial<GreHeader>) =>
      encodeFrame(
        (nvgre?.layers ?? []).map((l) =>
          l.protocol === 'gre' ? { ...l, header: { ...l.header, ...change } } : l,
        ),
      );
    const inner = ['eth', 'ip', 'gre', 'eth', 'ip', 'icmp', 'data'];

    it('R = 1 (with C = 0): an error, and the bytes after the base header are data, not an inner frame', () => {
      const b = withGre({ routingPresent: true });
      expect(hex(b, 34, 38)).toBe('60006558');
      const f = decodeFrame(b);
      expect(f.issues).toEqual([
        {
          code: 'gre-routing-present',
          severity: 'error',
          start: 34,
          length: 2,
          message: 'GRE Routing present (R) is 1: RFC 2784 requires 0 and discards the packet',
        },
      ]);
      expect(f.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'gre', 'data']);
      expect(f.layers[2]).toMatchObject({
        headerLength: 4,
        title: 'Generic Routing Encapsulation (not valid NVGRE)',
      });
      expect(f.layers[3].start).toBe(38);
      expect(fieldsByKey(f)['nvgre.vsid']).toBeUndefined();
    });

    it('each broken NVGRE rule is its own issue naming the field and the rule; the key loses its VSID reading', () => {
      const f = decodeFrame(
        withGre({ checksumPresent: true, sequencePresent: true, sequence: 1, version: 1 }),
      );
      expect(f.issues.map((i) => [i.code, i.start, i.length, i.message])).toEqual([
        ['gre-version', 34, 2, 'GRE Version is 1: RFC 2784 requires 0'],
        [
          'nvgre-c-bit-set',
          34,
          2,
          'NVGRE Checksum present (C) is 1: RFC 7637 requires 0; not a valid NVGRE frame',
        ],
        [
          'nvgre-s-bit-set',
          34,
          2,
          'NVGRE Sequence number present (S) is 1: RFC 7637 requires 0; not a valid NVGRE frame',
        ],
      ]);
      // The layout is still RFC 2890's, so the inner frame is shown (as tshark shows it).
      expect(f.layers.map((l) => l.protocol)).toEqual(inner);
      expect(f.layers[2].title).toBe('Generic Routing Encapsulation (not valid NVGRE)');
      const fields = fieldsByKey(f);
      expect(fields['gre.key']).toEqual(['0x0013892a']);
      expect(fields['nvgre.vsid']).toBeUndefined();
    });

    it('K = 0 names the rule', () => {
      const f = decodeFrame(withGre({ keyPresent: false }));
      expect(f.issues.map((i) => i.message)).toEqual([
        'NVGRE Key present (K) is 0: RFC 7637 requires 1 (the key carries the VSID); not a valid NVGRE frame',
      ]);
    });

    it('valid NVGRE keeps its title and VSID; GRE with another protocol is not held to NVGRE rules', () => {
      const ok = decodeFrame(withGre({}));
      expect(ok.issues).toEqual([]);
      expect(ok.layers[2].title).toBe('Generic Routing Encapsulation (NVGRE)');
      // (0x0800 now dispatches to IPv4, which reads the inner Ethernet bytes as a bad IP header:
      // only the GRE layer's own issues matter here.)
      const plain = decodeFrame(withGre({ protocolType: 0x0800, checksumPresent: true }));
      expect(plain.issues.filter((i) => /^(nvgre|gre)-/.test(i.code))).toEqual([]);
      expect(plain.layers[2].title).toBe('Generic Routing Encapsulation');
    });
  });

  it('unknown EtherType: an issue, and the rest is a data layer', () => {
    const b = copy('icmp-echo');
    b[12] = 0x88;
    b[13] = 0xb5;
    const f = decodeFrame(b);
    expect(f.layers.map((l) => l.protocol)).toEqual(['eth', 'data']);
    expect(f.issues).toEqual([
      {
        code: 'unknown-ethertype',
        severity: 'warning',
        start: 12,
        length: 2,
        message: 'Unknown EtherType 0x88b5: the rest is shown as data',
      },
    ]);
    expect(fieldsByKey(f)['data.data'][0]).toBe(hex(b, 14));
  });

  it('enumerations keep unknown values', () => {
    const b = copy('icmp-echo');
    b[23] = 253; // ip.proto: experimental
    const f = decodeFrame(b);
    const proto = f.layers[1].fields.find((n) => n.key === 'ip.proto');
    expect(proto).toMatchObject({ value: 253, display: '253' });
    expect(f.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'data']);
    expect(codes(f.issues)).toEqual(['bad-checksum']); // we changed the header, not its checksum
  });

  it('truncation mid-header: the truncated field is named, decoding keeps what it has', () => {
    const b = golden.vxlan.slice(0, 47); // inside the VNI
    const f = decodeFrame(b);
    expect(f.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'udp', 'vxlan']);
    const t = f.issues.filter((i) => i.code === 'truncated');
    expect(t.map((i) => i.message)).toContain(
      'VXLAN: VXLAN network identifier (VNI) needs 3 bytes at offset 46, only 1 available',
    );
    expect(fieldsByKey(f)['vxlan.gbp']).toEqual([0]);
  });

  it('an empty buffer is a truncated Ethernet header', () => {
    const f = decodeFrame(new Uint8Array(0));
    expect(codes(f.issues)).toEqual(['truncated']);
    expect(f.issues[0]).toMatchObject({ start: 0, length: 0 });
  });

  it('Ethernet announcing IPv4 with nothing after it', () => {
    const f = decodeFrame(golden['icmp-echo'].slice(0, 14));
    expect(codes(f.issues)).toEqual(['truncated']);
  });
});

describe('encode options off: lessons can build broken packets', () => {
  it('writes lengths and checksums exactly as given', () => {
    const layers = udpFrame();
    const ip = {
      ...ipv4Header({ src: '10.1.1.12', dst: '10.1.1.11', protocol: 17 }),
      totalLength: 999,
      checksum: 0xbeef,
    };
    layers[1] = { protocol: 'ip', header: ip };
    layers[2] = {
      protocol: 'udp',
      header: udpHeader({ srcPort: 1, dstPort: 2, length: 3, checksum: 0x1234 }),
    };
    const b = encodeFrame(layers, { fixLengths: false, computeChecksums: false });
    expect(hex(b, 14, 42)).toBe('450003e7000040008011beef0a01010c0a01010b0001000200031234');
    const f = decodeFrame(b);
    expect(codes(f.issues)).toContain('bad-checksum');
    expect(codes(f.issues)).toContain('truncated');
  });

  it('fixLengths alone keeps the given checksums', () => {
    const layers = udpFrame();
    const b = encodeFrame(layers, { fixLengths: true, computeChecksums: false });
    expect(b[16] * 256 + b[17]).toBe(b.length - 14);
    expect(hex(b, 24, 26)).toBe('0000');
  });

  it('the VXLAN carrier keeps UDP checksum 0 while a plain UDP datagram gets one', () => {
    const vx = encodeFrame([
      { protocol: 'eth', header: eth },
      { protocol: 'ip', header: ipv4Header({ src: '192.168.2.20', dst: '192.168.1.10', protocol: 17 }) },
      { protocol: 'udp', header: udpHeader({ srcPort: 50000, dstPort: 4789 }) },
      { protocol: 'vxlan', header: vxlanHeader(5001) },
      ...goldenFrames()[0].layers,
    ]);
    expect(hex(vx, 40, 42)).toBe('0000');
    expect(decodeFrame(vx).issues).toEqual([]);
  });

  it('hex helpers round trip', () => {
    expect(hex(fromHex('00:15:5d:aa bb-cc'))).toBe('00155daabbcc');
  });
});
