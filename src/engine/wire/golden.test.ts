// Golden frames as hex with their expected field trees (key, start, length, value), and
// checksum vectors. The tshark oracle checks the same frames independently.
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from './bytes.ts';
import { internetChecksum, pseudoHeaderSum } from './checksum.ts';
import { decodeFrame, deepestFieldAt, encodeFrame, fieldsByKey } from './frame.ts';
import { goldenLayers } from './golden.ts';
import { decodeIpv4 } from './ipv4.ts';
import { sampleFrames } from './samples.ts';
import type { DecodedFrame, FieldNode, FieldValue } from './types.ts';

type Row = [key: string, start: number, length: number, value: FieldValue];

const GOLDEN_HEX: Record<string, string> = {
  'icmp-echo':
    '00155d01010b00155d01010c08004500003c1a2b40008001ca7d0a01010c0a01010b08004d54000100076162636465666768696a6b6c6d6e6f7071727374757677616263646566676869',
  vxlan:
    '00155d00020100155d00021408004500006e3c4d4000801139c3c0a80214c0a8010acfdb12b5005a0000080000000013890000155d01010b00155d01010c08004500003c1a2b40008001ca7d0a01010c0a01010b08004d54000100076162636465666768696a6b6c6d6e6f7071727374757677616263646566676869',
  'vxlan-vlan':
    '00155d00020100155d0002148100000c08004500006e3c4d4000801139c3c0a80214c0a8010acfdb12b5005a0000080000000013890000155d01010b00155d01010c08004500003c1a2b40008001ca7d0a01010c0a01010b08004d54000100076162636465666768696a6b6c6d6e6f7071727374757677616263646566676869',
  nvgre:
    '00155d00020100155d0002140800450000663c4d4000802f39adc0a80214c0a8010a200065580013892a00155d01010b00155d01010c08004500003c1a2b40008001ca7d0a01010c0a01010b08004d54000100076162636465666768696a6b6c6d6e6f7071727374757677616263646566676869',
  'arp-request': 'ffffffffffff00155d01010c0806000108000604000100155d01010c0a01010c0000000000000a01010b',
  'tcp-syn':
    '00155d01010b00155d01010c08004500003c4e204000800696830a01010c0a01010bc3cb05991122334400000000a002faf07d5d0000020405b4010303080402080a0000abcd00000000',
  'icmp-frag-needed':
    '00155d00021400155d000201080045000038010200008001b45dc0a80201c0a8021403040e95000005dc4500060e3c4d400080113423c0a80214c0a8010acfdb12b505fa0000',
  'gre-ipv4':
    '00155d00070100155d000a010800450000580a0b4000802f42c1836b000ac633640220000800000013894500003c1a2b00007e016b6f0a01010cac10000a08004d54000100076162636465666768696a6b6c6d6e6f7071727374757677616263646566676869',
  esp: '00155d00070100155d000a0108004500004c0a0c4000803242c8836b000ac63364036001a001000000010b30557a9fc4e90e33587da2c7ec11365b80a5caef14395e83a8cdf2173c6186abd0f51a3f6489aed3f81d42678cb1d6',
  'arp-reply': '00155d01010c00155d01010b0806000108000604000200155d01010b0a01010b00155d01010c0a01010c',
};

function rowsOf(frame: DecodedFrame, protocols?: string[]): Row[] {
  const out: Row[] = [];
  const visit = (nodes: FieldNode[]) => {
    for (const n of nodes) {
      out.push([n.key, n.start, n.length, n.value]);
      if (n.children) visit(n.children);
    }
  };
  for (const l of frame.layers) if (!protocols || protocols.includes(l.protocol)) visit(l.fields);
  return out;
}

describe('golden frames', () => {
  const layers = goldenLayers();

  it.each(Object.keys(GOLDEN_HEX))('%s encodes to the pinned bytes and decodes without issues', (id) => {
    const bytes = encodeFrame(layers[id]);
    expect(hex(bytes)).toBe(GOLDEN_HEX[id]);
    const frame = decodeFrame(fromHex(GOLDEN_HEX[id]));
    expect(frame.issues).toEqual([]);
    expect(frame.layers.map((l) => l.protocol)).toEqual(layers[id].map((l) => l.protocol));
    expect(frame.length).toBe(bytes.length);
  });

  it('samples are the golden frames the first screen shows', () => {
    const samples = sampleFrames();
    expect(samples.map((s) => s.id)).toEqual(['icmp-echo', 'vxlan', 'vxlan-vlan', 'nvgre', 'arp-request']);
    for (const s of samples) expect(hex(s.bytes)).toBe(GOLDEN_HEX[s.id]);
  });

  it('GRE site-to-site: key and protocol 0x0800 (no VSID reading), then the customer IPv4 packet', () => {
    const frame = decodeFrame(fromHex(GOLDEN_HEX['gre-ipv4']));
    expect(frame.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'gre', 'ip', 'icmp', 'data']);
    expect(rowsOf(frame, ['gre'])).toEqual([
      ['gre.flags_and_version', 34, 2, '0x2000'],
      ['gre.flags.checksum', 34, 2, false],
      ['gre.flags.routing', 34, 2, false],
      ['gre.flags.key', 34, 2, true],
      ['gre.flags.sequence_number', 34, 2, false],
      ['gre.flags.strict_source_route', 34, 2, false],
      ['gre.flags.recursion_control', 34, 2, 0],
      ['gre.flags.reserved', 34, 2, 0],
      ['gre.flags.version', 34, 2, 0],
      ['gre.proto', 36, 2, '0x0800'],
      ['gre.key', 38, 4, '0x00001389'],
    ]);
    expect(fieldsByKey(frame)['ip.dst']).toEqual(['198.51.100.2', '172.16.0.10']);
  });

  it('ESP: SPI and sequence in the clear, the rest one opaque encrypted field', () => {
    const frame = decodeFrame(fromHex(GOLDEN_HEX.esp));
    expect(frame.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'esp']);
    const rows = rowsOf(frame, ['esp']);
    expect(rows.slice(0, 2)).toEqual([
      ['esp.spi', 34, 4, '0x6001a001'],
      ['esp.sequence', 38, 4, 1],
    ]);
    expect(rows[2].slice(0, 3)).toEqual(['esp.encrypted', 42, 48]);
    expect(deepestFieldAt(frame, 60)?.key).toBe('esp.encrypted');
  });

  it('VXLAN: the whole stack in one decode, outer Ethernet to inner ICMP', () => {
    expect(rowsOf(decodeFrame(fromHex(GOLDEN_HEX.vxlan)))).toEqual([
      ['eth.dst', 0, 6, '00:15:5d:00:02:01'],
      ['eth.src', 6, 6, '00:15:5d:00:02:14'],
      ['eth.type', 12, 2, '0x0800'],
      ['ip.version', 14, 1, 4],
      ['ip.hdr_len', 14, 1, 20],
      ['ip.dsfield', 15, 1, '0x00'],
      ['ip.dsfield.dscp', 15, 1, 0],
      ['ip.dsfield.ecn', 15, 1, 0],
      ['ip.len', 16, 2, 110],
      ['ip.id', 18, 2, '0x3c4d'],
      ['ip.flags', 20, 1, '0x02'],
      ['ip.flags.rb', 20, 1, false],
      ['ip.flags.df', 20, 1, true],
      ['ip.flags.mf', 20, 1, false],
      ['ip.frag_offset', 20, 2, 0],
      ['ip.ttl', 22, 1, 128],
      ['ip.proto', 23, 1, 17],
      ['ip.checksum', 24, 2, '0x39c3'],
      ['ip.src', 26, 4, '192.168.2.20'],
      ['ip.dst', 30, 4, '192.168.1.10'],
      ['udp.srcport', 34, 2, 53211],
      ['udp.dstport', 36, 2, 4789],
      ['udp.length', 38, 2, 90],
      ['udp.checksum', 40, 2, '0x0000'],
      ['vxlan.flags', 42, 2, '0x0800'],
      ['vxlan.flag_g', 42, 2, false],
      ['vxlan.flag_i', 42, 2, true],
      ['vxlan.flag_d', 42, 2, false],
      ['vxlan.flag_a', 42, 2, false],
      ['vxlan.flags_reserved', 42, 2, '0x0000'],
      ['vxlan.gbp', 44, 2, 0],
      ['vxlan.vni', 46, 3, 5001],
      ['vxlan.reserved8', 49, 1, 0],
      ['eth.dst', 50, 6, '00:15:5d:01:01:0b'],
      ['eth.src', 56, 6, '00:15:5d:01:01:0c'],
      ['eth.type', 62, 2, '0x0800'],
      ['ip.version', 64, 1, 4],
      ['ip.hdr_len', 64, 1, 20],
      ['ip.dsfield', 65, 1, '0x00'],
      ['ip.dsfield.dscp', 65, 1, 0],
      ['ip.dsfield.ecn', 65, 1, 0],
      ['ip.len', 66, 2, 60],
      ['ip.id', 68, 2, '0x1a2b'],
      ['ip.flags', 70, 1, '0x02'],
      ['ip.flags.rb', 70, 1, false],
      ['ip.flags.df', 70, 1, true],
      ['ip.flags.mf', 70, 1, false],
      ['ip.frag_offset', 70, 2, 0],
      ['ip.ttl', 72, 1, 128],
      ['ip.proto', 73, 1, 1],
      ['ip.checksum', 74, 2, '0xca7d'],
      ['ip.src', 76, 4, '10.1.1.12'],
      ['ip.dst', 80, 4, '10.1.1.11'],
      ['icmp.type', 84, 1, 8],
      ['icmp.code', 85, 1, 0],
      ['icmp.checksum', 86, 2, '0x4d54'],
      ['icmp.ident', 88, 2, 1],
      ['icmp.seq', 90, 2, 7],
      ['data.data', 92, 32, '6162636465666768696a6b6c6d6e6f7071727374757677616263646566676869'],
    ]);
  });

  it('VXLAN overhead is 50 bytes, 54 with a VLAN tag; NVGRE 42', () => {
    const inner = fromHex(GOLDEN_HEX['icmp-echo']).length;
    expect(fromHex(GOLDEN_HEX.vxlan).length - inner).toBe(50);
    expect(fromHex(GOLDEN_HEX['vxlan-vlan']).length - inner).toBe(54);
    expect(fromHex(GOLDEN_HEX.nvgre).length - inner).toBe(42);
  });

  it('VXLAN with VLAN: 802.1Q tag of the PA subnet', () => {
    expect(rowsOf(decodeFrame(fromHex(GOLDEN_HEX['vxlan-vlan'])), ['vlan'])).toEqual([
      ['vlan.priority', 14, 2, 0],
      ['vlan.dei', 14, 2, false],
      ['vlan.id', 14, 2, 12],
      ['vlan.etype', 16, 2, '0x0800'],
    ]);
  });

  it('NVGRE: gre.key with derived VSID and FlowID rows', () => {
    expect(rowsOf(decodeFrame(fromHex(GOLDEN_HEX.nvgre)), ['gre'])).toEqual([
      ['gre.flags_and_version', 34, 2, '0x2000'],
      ['gre.flags.checksum', 34, 2, false],
      ['gre.flags.routing', 34, 2, false],
      ['gre.flags.key', 34, 2, true],
      ['gre.flags.sequence_number', 34, 2, false],
      ['gre.flags.strict_source_route', 34, 2, false],
      ['gre.flags.recursion_control', 34, 2, 0],
      ['gre.flags.reserved', 34, 2, 0],
      ['gre.flags.version', 34, 2, 0],
      ['gre.proto', 36, 2, '0x6558'],
      ['gre.key', 38, 4, '0x0013892a'],
      ['nvgre.vsid', 38, 3, 5001],
      ['nvgre.flowid', 41, 1, 42],
    ]);
    const gre = decodeFrame(fromHex(GOLDEN_HEX.nvgre)).layers[2];
    expect(gre.title).toContain('NVGRE');
    expect(gre.header).toMatchObject({ keyPresent: true, protocolType: 0x6558, key: (5001 << 8) | 0x2a });
  });

  it('TCP SYN: flags and options MSS, NOP, window scale, SACK permitted, timestamps', () => {
    expect(rowsOf(decodeFrame(fromHex(GOLDEN_HEX['tcp-syn'])), ['tcp'])).toEqual([
      ['tcp.srcport', 34, 2, 50123],
      ['tcp.dstport', 36, 2, 1433],
      ['tcp.seq_raw', 38, 4, 287454020],
      ['tcp.ack_raw', 42, 4, 0],
      ['tcp.hdr_len', 46, 1, 40],
      ['tcp.flags', 46, 2, '0x0002'],
      ['tcp.flags.res', 46, 2, false],
      ['tcp.flags.ae', 46, 2, false],
      ['tcp.flags.cwr', 46, 2, false],
      ['tcp.flags.ece', 46, 2, false],
      ['tcp.flags.urg', 46, 2, false],
      ['tcp.flags.ack', 46, 2, false],
      ['tcp.flags.push', 46, 2, false],
      ['tcp.flags.reset', 46, 2, false],
      ['tcp.flags.syn', 46, 2, true],
      ['tcp.flags.fin', 46, 2, false],
      ['tcp.window_size_value', 48, 2, 64240],
      ['tcp.checksum', 50, 2, '0x7d5d'],
      ['tcp.urgent_pointer', 52, 2, 0],
      ['tcp.options', 54, 20, '020405b4010303080402080a0000abcd00000000'],
      ['tcp.options.mss', 54, 4, '020405b4'],
      ['tcp.option_kind', 54, 1, 2],
      ['tcp.option_len', 55, 1, 4],
      ['tcp.options.mss_val', 56, 2, 1460],
      ['tcp.options.nop', 58, 1, '01'],
      ['tcp.option_kind', 58, 1, 1],
      ['tcp.options.wscale', 59, 3, '030308'],
      ['tcp.option_kind', 59, 1, 3],
      ['tcp.option_len', 60, 1, 3],
      ['tcp.options.wscale.shift', 61, 1, 8],
      ['tcp.options.wscale.multiplier', 61, 1, 256],
      ['tcp.options.sack_perm', 62, 2, '0402'],
      ['tcp.option_kind', 62, 1, 4],
      ['tcp.option_len', 63, 1, 2],
      ['tcp.options.timestamp', 64, 10, '080a0000abcd00000000'],
      ['tcp.option_kind', 64, 1, 8],
      ['tcp.option_len', 65, 1, 10],
      ['tcp.options.timestamp.tsval', 66, 4, 43981],
      ['tcp.options.timestamp.tsecr', 70, 4, 0],
    ]);
  });

  it('ICMP fragmentation needed: next-hop MTU and the quoted IP header + UDP header as inner layers', () => {
    const frame = decodeFrame(fromHex(GOLDEN_HEX['icmp-frag-needed']));
    expect(frame.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'icmp', 'ip', 'udp']);
    expect(frame.layers[3].title).toBe('Internet Protocol Version 4 (quoted by ICMP)');
    expect(frame.layers[3].header).toMatchObject({
      totalLength: 1550,
      src: '192.168.2.20',
      dst: '192.168.1.10',
    });
    expect(rowsOf(frame).slice(20)).toEqual([
      ['icmp.type', 34, 1, 3],
      ['icmp.code', 35, 1, 4],
      ['icmp.checksum', 36, 2, '0x0e95'],
      ['icmp.unused', 38, 2, '0000'],
      ['icmp.mtu', 40, 2, 1500],
      ['ip.version', 42, 1, 4],
      ['ip.hdr_len', 42, 1, 20],
      ['ip.dsfield', 43, 1, '0x00'],
      ['ip.dsfield.dscp', 43, 1, 0],
      ['ip.dsfield.ecn', 43, 1, 0],
      ['ip.len', 44, 2, 1550],
      ['ip.id', 46, 2, '0x3c4d'],
      ['ip.flags', 48, 1, '0x02'],
      ['ip.flags.rb', 48, 1, false],
      ['ip.flags.df', 48, 1, true],
      ['ip.flags.mf', 48, 1, false],
      ['ip.frag_offset', 48, 2, 0],
      ['ip.ttl', 50, 1, 128],
      ['ip.proto', 51, 1, 17],
      ['ip.checksum', 52, 2, '0x3423'],
      ['ip.src', 54, 4, '192.168.2.20'],
      ['ip.dst', 58, 4, '192.168.1.10'],
      ['udp.srcport', 62, 2, 53211],
      ['udp.dstport', 64, 2, 4789],
      ['udp.length', 66, 2, 1530],
      ['udp.checksum', 68, 2, '0x0000'],
    ]);
  });

  it('ARP reply from the host agent', () => {
    expect(rowsOf(decodeFrame(fromHex(GOLDEN_HEX['arp-reply'])))).toEqual([
      ['eth.dst', 0, 6, '00:15:5d:01:01:0c'],
      ['eth.src', 6, 6, '00:15:5d:01:01:0b'],
      ['eth.type', 12, 2, '0x0806'],
      ['arp.hw.type', 14, 2, 1],
      ['arp.proto.type', 16, 2, '0x0800'],
      ['arp.hw.size', 18, 1, 6],
      ['arp.proto.size', 19, 1, 4],
      ['arp.opcode', 20, 2, 2],
      ['arp.src.hw_mac', 22, 6, '00:15:5d:01:01:0b'],
      ['arp.src.proto_ipv4', 28, 4, '10.1.1.11'],
      ['arp.dst.hw_mac', 32, 6, '00:15:5d:01:01:0c'],
      ['arp.dst.proto_ipv4', 38, 4, '10.1.1.12'],
    ]);
  });
});

describe('checksums', () => {
  it('RFC 1071 example: sum 0xddf2, checksum 0x220d', () => {
    const bytes = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it('the well-known IPv4 header checksums to 0xb861, and to 0 with the checksum in place', () => {
    const header = fromHex('450000730000400040110000c0a80001c0a800c7');
    expect(internetChecksum(header)).toBe(0xb861);
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(internetChecksum(header)).toBe(0);
  });

  it('odd-length data is padded with a zero byte', () => {
    expect(internetChecksum(Uint8Array.of(0x12, 0x34, 0x56))).toBe(
      internetChecksum(Uint8Array.of(0x12, 0x34, 0x56, 0)),
    );
  });

  it('pseudo-header sum of 192.168.2.20 -> 192.168.1.10, UDP, 90 bytes', () => {
    expect(pseudoHeaderSum(0xc0a80214, 0xc0a8010a, 17, 90)).toBe(0xc0a8 + 0x0214 + 0xc0a8 + 0x010a + 17 + 90);
  });
});

describe('fieldsByKey and deepestFieldAt', () => {
  const frame = decodeFrame(fromHex(GOLDEN_HEX.vxlan));

  it('lists every key outer -> inner, children included', () => {
    const f = fieldsByKey(frame);
    expect(f['ip.src']).toEqual(['192.168.2.20', '10.1.1.12']);
    expect(f['eth.type']).toEqual(['0x0800', '0x0800']);
    expect(f['vxlan.vni']).toEqual([5001]);
    expect(f['vxlan.flag_i']).toEqual([true]);
    expect(f['ip.flags.df']).toEqual([true, true]);
  });

  it('finds the narrowest field under a byte', () => {
    expect(deepestFieldAt(frame, 47)?.key).toBe('vxlan.vni');
    expect(deepestFieldAt(frame, 26)?.key).toBe('ip.src');
    // Flag bits span the same 2 bytes as their parent: the deeper row wins (the first bit).
    expect(deepestFieldAt(frame, 42)?.key).toBe('vxlan.flag_g');
    expect(deepestFieldAt(frame, 100)?.key).toBe('data.data');
    expect(deepestFieldAt(frame, 9999)).toBeUndefined();
  });
});

describe('per-protocol decoders and display strings', () => {
  it('decoders run standalone with default end and context', () => {
    const r = decodeIpv4(fromHex(GOLDEN_HEX['icmp-echo']), 14);
    expect(r.layer.header).toMatchObject({
      src: '10.1.1.12',
      dst: '10.1.1.11',
      ttl: 128,
      flags: 2,
      protocol: 1,
    });
    expect(r.next).toMatchObject({ start: 34, end: 74, dispatch: { table: 'ipProtocol', values: [1] } });
  });

  it('displays read like Wireshark summaries', () => {
    const display = (id: string, key: string) => {
      const f = decodeFrame(fromHex(GOLDEN_HEX[id]));
      const find = (nodes: FieldNode[]): FieldNode | undefined => {
        for (const n of nodes) {
          if (n.key === key) return n;
          const c = n.children && find(n.children);
          if (c) return c;
        }
        return undefined;
      };
      for (const l of f.layers) {
        const n = find(l.fields);
        if (n) return n.display;
      }
      return undefined;
    };
    expect(display('tcp-syn', 'tcp.flags')).toBe('0x0002 (SYN)');
    expect(display('tcp-syn', 'tcp.flags.syn')).toBe('Set');
    expect(display('vxlan', 'ip.flags')).toBe("0x02 (Don't fragment)");
    expect(display('vxlan', 'eth.type')).toBe('0x0800 (IPv4)');
    expect(display('vxlan', 'udp.dstport')).toBe('4789 (VXLAN)');
    expect(display('vxlan', 'vxlan.flags')).toBe('0x0800 (VNI valid)');
    expect(display('nvgre', 'gre.flags_and_version')).toBe('0x2000 (K set, version 0)');
    expect(display('icmp-frag-needed', 'icmp.code')).toBe('4 (Fragmentation needed)');
    expect(display('arp-request', 'arp.opcode')).toBe('1 (request)');
  });
});
