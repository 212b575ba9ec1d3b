// A virtual subnet's gateway MAC (the distributed router's MAC in it), configured or derived,
// PTF-style through the microflow entry point: the host agent answers ARP for the gateway with
// it, a frame sent to it is routed, and a routed frame enters its subnet with it as source.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { run as hnvTrace } from '../../cli/trace.ts';
import { scenarioById } from '../../scenarios/index.ts';
import { createEngine, type Trace } from '../index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { derivedGatewayMac, ipv4ToNumber, parseMac } from '../net/index.ts';
import { hex } from '../wire/bytes.ts';
import { decodeFrame, fieldsByKey } from '../wire/index.ts';
import { BROADCAST_MAC, buildArp, parse, ZERO_MAC } from './packet.ts';

const DEV1_MAC = '00:15:5d:a0:01:11';
const TEST_MAC = '00:15:5d:a0:03:11';
const RND1_GATEWAY = '00:15:5d:ff:01:01';
const RND3_GATEWAY = '00:15:5d:ff:03:01';

/** Routing domains with the gateway MACs of R&D 1 and R&D 3 configured. */
function configured(): TopologyDocument {
  const doc = structuredClone(scenarioById('routing-domains')?.document) as TopologyDocument;
  for (const s of doc.virtualSubnets) {
    if (s.id === 'rnd-1') s.gatewayMac = RND1_GATEWAY;
    if (s.id === 'rnd-3') s.gatewayMac = RND3_GATEWAY;
  }
  return doc;
}

function engineFor(doc: TopologyDocument) {
  const engine = createEngine();
  expect(engine.load(doc).errors).toEqual([]);
  return engine;
}

const mac = (text: string) => parseMac(text) ?? new Uint8Array(6);
const toVms = (t: Trace) => t.frames.filter((f) => / vSwitch -> /.test(f.where));
const fields = (frame: Uint8Array) => fieldsByKey(decodeFrame(frame)) as Record<string, unknown[]>;
/** Dev1's ARP request for its gateway 10.1.1.1, as its guest sends it. */
const arpForGateway = () =>
  buildArp(
    1,
    mac(DEV1_MAC),
    BROADCAST_MAC,
    mac(DEV1_MAC),
    ipv4ToNumber('10.1.1.11'),
    ZERO_MAC,
    ipv4ToNumber('10.1.1.1'),
  );

/** The echo request Dev1's guest sends to Test (after its ARP for the gateway), to send again raw. */
function echoToTest(doc: TopologyDocument): Uint8Array {
  const t = engineFor(doc).trace({ from: 'Contoso/Dev1', to: 'Contoso/Test', protocol: 'icmp' });
  const f = t.frames.find(
    (x) => x.where === 'Contoso/Dev1 -> Host 1 vSwitch' && parse(x.frame).icmpType === 8,
  );
  if (!f) throw new Error('no echo request');
  return f.frame.slice();
}

describe('gateway MAC per virtual subnet', () => {
  it('ARP for the gateway: exactly one reply back at Dev1, with the configured MAC', () => {
    const t = engineFor(configured()).trace({
      from: 'Contoso/Dev1',
      to: '',
      protocol: 'arp',
      frame: arpForGateway(),
    });
    const out = toVms(t);
    expect(out.map((f) => f.where)).toEqual(['Host 1 vSwitch -> Contoso/Dev1']);
    const reply = fields(out[0].frame);
    expect(reply['arp.opcode']).toEqual([2]);
    expect(reply['arp.src.hw_mac']).toEqual([RND1_GATEWAY]);
    expect(reply['arp.src.proto_ipv4']).toEqual(['10.1.1.1']);
    expect(reply['eth.src']).toEqual([RND1_GATEWAY]);
    expect(t.frames.filter((f) => f.where.startsWith('link '))).toEqual([]); // ARP never leaves the host
  });

  it('absent, the gateway MAC is derived from the VSID (as before)', () => {
    const doc = structuredClone(scenarioById('routing-domains')?.document) as TopologyDocument;
    const t = engineFor(doc).trace({ from: 'Contoso/Dev1', to: '', protocol: 'arp', frame: arpForGateway() });
    expect(fields(toVms(t)[0].frame)['arp.src.hw_mac']).toEqual([derivedGatewayMac(5001)]);
  });

  it('a frame to the configured MAC is routed, and leaves into R&D 3 with R&D 3 gateway MAC as source', () => {
    const doc = configured();
    const frame = echoToTest(doc);
    expect(hex(frame, 0, 6)).toBe(RND1_GATEWAY.replaceAll(':', '')); // the guest learnt it by ARP
    const t = engineFor(doc).trace({ from: 'Contoso/Dev1', to: '', protocol: 'icmp', frame });
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Test' });
    const out = toVms(t);
    expect(out.map((f) => f.where)).toEqual(['Host 2 vSwitch -> Contoso/Test']);
    // Exactly the sent frame, routed: MACs rewritten, TTL - 1, checksum patched; nothing else.
    const expected = frame.slice();
    expected.set(mac(TEST_MAC), 0);
    expected.set(mac(RND3_GATEWAY), 6);
    expected[22] -= 1;
    const sum = ((expected[24] << 8) | expected[25]) + 0x0100;
    const folded = (sum & 0xffff) + (sum >>> 16);
    expected[24] = folded >>> 8;
    expected[25] = folded & 255;
    expect(hex(out[0].frame)).toBe(hex(expected));
    expect(decodeFrame(out[0].frame).issues).toEqual([]);
  });

  it('a changed gateway MAC reaches the flows already cached (the customer route changed)', () => {
    const doc = configured();
    const engine = engineFor(doc);
    const ping = { from: 'Contoso/Dev1', to: 'Contoso/Test', protocol: 'icmp' as const };
    engine.trace(ping);
    const next = structuredClone(doc);
    const rnd3 = next.virtualSubnets.find((s) => s.id === 'rnd-3');
    if (!rnd3) throw new Error('no R&D 3');
    rnd3.gatewayMac = '00:15:5d:ff:03:99';
    const result = engine.update(next);
    expect(result.ok).toBe(true);
    expect(result.updates.some((u) => u.kind === 'customer-route' && u.op === 'update')).toBe(true);
    const t = engine.trace(ping);
    const atTest = toVms(t).filter((f) => f.where.endsWith('Contoso/Test') && parse(f.frame).icmpType === 8);
    expect(atTest.map((f) => fields(f.frame)['eth.src'])).toEqual([['00:15:5d:ff:03:99']]);
  });
});

describe('hnv trace DOC --from VM --frame HEX, with gateway MACs configured', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hnv-gwmac-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());

  it('prints the ARP reply with the configured MAC and the routed frame with the target subnet MAC', async () => {
    const file = join(dir, 'doc.json');
    const doc = configured();
    writeFileSync(file, JSON.stringify(doc));
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const traceJson = async (frame: Uint8Array) => {
      out.length = 0;
      expect(
        await hnvTrace([file, '--from', 'Contoso/Dev1', '--frame', hex(frame), '--format', 'json']),
      ).toBe(0);
      return JSON.parse(out.join('\n')) as { frames: { where: string; frame: string }[] };
    };
    const arp = await traceJson(arpForGateway());
    const reply = arp.frames.filter((f) => f.where === 'Host 1 vSwitch -> Contoso/Dev1');
    expect(reply).toHaveLength(1);
    expect(reply[0].frame.slice(12, 24)).toBe(RND1_GATEWAY.replaceAll(':', '')); // eth.src
    const routed = await traceJson(echoToTest(doc));
    const atTest = routed.frames.filter((f) => / vSwitch -> /.test(f.where));
    expect(atTest.map((f) => [f.where, f.frame.slice(0, 24)])).toEqual([
      ['Host 2 vSwitch -> Contoso/Test', (TEST_MAC + RND3_GATEWAY).replaceAll(':', '')],
    ]);
  });
});
