// SLB benchmark: prints figures, never pass/fail. The VIP path with its flows cached: a client's
// TCP frame onto the Internet link, the L3 router (BGP route to the VIP, ECMP over the MUXes),
// the MUX (Toeplitz hash, flow-affinity hit, VXLAN to the DIP host), the PA link, the DIP host's
// uplink (UFT hit, VIP->DIP NAT, decap) and delivery to the web VM; untraced, through the
// forwarder's one loop. The MUX rewrites the frame in place, so each packet is copied back
// into its slot first (54 bytes), as a NIC's DMA would deliver a fresh one. Beside it, the
// VM-to-VM real path of bench/engine.ts on the same machine state. `npx tsx bench/slb.ts`
import { Datacenter } from '../src/engine/dataplane/datacenter.ts';
import { Decision } from '../src/engine/dataplane/forwarder.ts';
import { parse } from '../src/engine/dataplane/packet.ts';
import { loadBalancer } from '../src/scenarios/builders.ts';
import { realPath } from './engine.ts';

const now = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function vipPath(): number {
  const dc = new Datacenter(loadBalancer());
  const FLOWS = 8;
  const frames = Array.from({ length: FLOWS }, (_, f) => {
    const t = dc.trace({
      from: 'Internet/Client',
      to: '203.0.113.10',
      protocol: 'tcp',
      srcPort: 50_000 + f,
      dstPort: 80,
    });
    const wire = t.frames.find((x) => x.where === "link 'Internet'" && parse(x.frame).proto === 6);
    if (!wire) throw new Error('no client frame');
    return wire.frame;
  });
  const ls = dc.controller.doc.logicalSubnets.find((l) => l.name === 'Internet') ?? null;
  const HEAD = 128;
  const len = frames[0].length;
  const buf = new Uint8Array(HEAD + len + 64);
  const pkt = { buf, off: HEAD, len };
  const fw = dc.forwarder;
  const n = 1_000_000;
  const rates: number[] = [];
  const before = fw.stats.delivered;
  for (let round = 0; round < 8; round++) {
    const t0 = now();
    for (let i = 0; i < n; i++) {
      buf.set(frames[i & (FLOWS - 1)], HEAD);
      pkt.off = HEAD;
      pkt.len = len;
      fw.link = ls;
      fw.hopFresh = false;
      fw.run(Decision.OnLink, pkt);
    }
    const dt = now() - t0;
    if (round > 0) rates.push(n / (dt / 1000));
  }
  if (fw.stats.delivered - before !== 8 * n)
    throw new Error(`VIP path: ${fw.stats.delivered - before} of ${8 * n} delivered`);
  return median(rates);
}

const vip = vipPath();
const vm = realPath();
console.log(
  `VIP path (client -> router -> MUX -> DIP host -> VM), cached: ${(vip / 1e6).toFixed(2)} Mpps per core`,
);
console.log(
  `VM-to-VM real path (bench/engine.ts), same run:           ${(vm / 1e6).toFixed(2)} Mpps per core`,
);
