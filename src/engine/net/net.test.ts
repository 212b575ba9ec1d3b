import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  derivedGatewayMac,
  formatIpv4,
  formatMac,
  formatPrefix,
  gatewayOf,
  ipv4ToNumber,
  isUnicastMac,
  lowestHostAddress,
  parseIpv4,
  parseMac,
  parsePrefix,
  portName,
  prefixContains,
  prefixesOverlap,
  prefixMask,
  prefixOf,
} from './index';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const length = fc.integer({ min: 0, max: 32 });
const mac = fc.uint8Array({ minLength: 6, maxLength: 6 });

describe('IPv4', () => {
  it('format then parse is the identity on every 32-bit number', () => {
    fc.assert(fc.property(u32, (n) => parseIpv4(formatIpv4(n)) === n));
  });

  it('parse then format gives back a canonical dotted quad', () => {
    const quad = fc.tuple(...[0, 0, 0, 0].map(() => fc.integer({ min: 0, max: 255 })));
    fc.assert(fc.property(quad, (o) => formatIpv4(parseIpv4(o.join('.'))!) === o.join('.')));
  });

  it('rejects what is not a dotted quad; the lenient form says 0', () => {
    for (const bad of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '1..2.3',
      '1.2.3.4 ',
      'a.b.c.d',
      '1.2.3.1000',
      '.1.2.3',
    ]) {
      expect(parseIpv4(bad), bad).toBeUndefined();
      expect(ipv4ToNumber(bad)).toBe(0);
    }
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
  });
});

describe('MAC', () => {
  it('format then parse is the identity on every 6 bytes', () => {
    fc.assert(fc.property(mac, (b) => [...parseMac(formatMac(b))!].join() === [...b].join()));
  });

  it('accepts dashes and upper case, rejects the rest', () => {
    expect(formatMac(parseMac('00-15-5D-01-01-0B')!)).toBe('00:15:5d:01:01:0b');
    for (const bad of [
      '',
      '00:15:5d:01:01',
      '00:15:5d:01:01:0b:00',
      '00:15:5d:01:01:0g',
      '000:15:5d:01:01:0b',
    ]) {
      expect(parseMac(bad), bad).toBeUndefined();
    }
  });

  it('unicast: the I/G bit clear and not all zeros', () => {
    fc.assert(fc.property(mac, (b) => isUnicastMac(b) === ((b[0] & 1) === 0 && b.some((x) => x !== 0))));
    expect(isUnicastMac(parseMac('ff:ff:ff:ff:ff:ff')!)).toBe(false);
    expect(isUnicastMac(parseMac('01:00:5e:00:00:01')!)).toBe(false);
    expect(isUnicastMac(new Uint8Array(6))).toBe(false);
    expect(isUnicastMac(parseMac('00:15:5d:01:01:0b')!)).toBe(true);
  });

  it('the derived gateway MAC is a locally administered unicast MAC that spells the VSID', () => {
    expect(derivedGatewayMac(5001)).toBe('02:dd:01:00:13:89');
    fc.assert(
      fc.property(fc.integer({ min: 4096, max: 2 ** 24 - 2 }), (vsid) => {
        const b = parseMac(derivedGatewayMac(vsid))!;
        return isUnicastMac(b) && (b[0] & 2) === 2 && ((b[3] << 16) | (b[4] << 8) | b[5]) === vsid;
      }),
    );
  });
});

describe('prefixes', () => {
  it('format then parse keeps network and length; the network is the address with host bits cleared', () => {
    fc.assert(
      fc.property(u32, length, (address, len) => {
        const p = parsePrefix(`${formatIpv4(address)}/${len}`)!;
        expect(p.length).toBe(len);
        expect(p.network).toBe((address & prefixMask(len)) >>> 0);
        expect(p.hostBitsSet).toBe(p.network !== address);
        expect(p.broadcast - p.network).toBe(2 ** (32 - len) - 1);
        expect(parsePrefix(formatPrefix(p.network, len))).toMatchObject({
          network: p.network,
          hostBitsSet: false,
        });
      }),
    );
  });

  it('contains exactly the addresses from network to broadcast', () => {
    fc.assert(
      fc.property(u32, length, u32, (address, len, probe) => {
        const p = prefixOf(`${formatIpv4(address)}/${len}`);
        return prefixContains(p, probe) === (probe >= p.network && probe <= p.broadcast);
      }),
    );
  });

  it('two prefixes overlap exactly when one contains the other (and overlap is symmetric)', () => {
    fc.assert(
      fc.property(u32, length, u32, length, (a, la, b, lb) => {
        const pa = prefixOf(`${formatIpv4(a)}/${la}`);
        const pb = prefixOf(`${formatIpv4(b)}/${lb}`);
        const nested = prefixContains(pa, pb.network) || prefixContains(pb, pa.network);
        return prefixesOverlap(pa, pb) === nested && prefixesOverlap(pb, pa) === nested;
      }),
    );
  });

  it('the gateway is the lowest host address: inside, neither network nor broadcast up to /30', () => {
    expect(gatewayOf('10.1.2.0/24')).toBe('10.1.2.1');
    expect(gatewayOf('10.1.2.77/25')).toBe('10.1.2.1');
    expect(gatewayOf('10.1.2.0/31')).toBe('10.1.2.0');
    expect(gatewayOf('10.1.2/24')).toBeUndefined();
    fc.assert(
      fc.property(u32, fc.integer({ min: 0, max: 30 }), (address, len) => {
        const p = prefixOf(`${formatIpv4(address)}/${len}`);
        const gw = lowestHostAddress(p);
        return prefixContains(p, gw) && gw === p.network + 1 && gw !== p.broadcast;
      }),
    );
  });

  it('rejects malformed prefixes with undefined, and prefixOf names the text', () => {
    for (const bad of ['10.1.1.0', '10.1.1.0/33', '10.1.1.0/', '10.1.1.0/024', '10.1.1/24', '10.1.1.0/2a']) {
      expect(parsePrefix(bad), bad).toBeUndefined();
    }
    expect(() => prefixOf('10.1.1/24')).toThrow("'10.1.1/24' is not an IPv4 prefix");
  });
});

describe('well-known ports', () => {
  it('names the ports the lab uses', () => {
    expect(portName(4789)).toBe('vxlan');
    expect(portName(1433)).toBe('mssql');
    expect(portName(12345)).toBeUndefined();
  });
});
