// PTF-style tests of staged convergence after a live migration: while Host 2's update is in
// flight, Contoso/Web's packets go to SQL's old PA and die at the old host; once it arrives the
// stale flow entry is invalidated and the retried packet goes to the new PA.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import { createEngine, type Trace, type TraceNode, traceToJson } from '../index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { decodeFrame, fieldsByKey } from '../wire/index.ts';

const OLD_PA = '192.168.1.10';
const NEW_PA = '192.168.2.30';
const PING = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' } as const;

function documents(): { before: TopologyDocument; after: TopologyDocument } {
  const s = scenarioById('live-migration');
  if (!s) throw new Error('no live-migration scenario');
  const before = structuredClone(s.document);
  const after: TopologyDocument = {
    ...before,
    vms: before.vms.map((vm) => (vm.id === 'contoso-sql' ? { ...vm, hostId: 'host-3' } : vm)),
  };
  return { before, after };
}

function nodes(root: TraceNode): TraceNode[] {
  return [root, ...root.children.flatMap(nodes)];
}

/** Outer ip.dst of every encapsulated frame the trace put on a link (PA ARP aside). */
function outerDsts(trace: Trace): string[] {
  return trace.frames
    .filter((f) => f.where.startsWith('link'))
    .map((f) => fieldsByKey(decodeFrame(f.frame)))
    .filter((f) => f['arp.opcode'] === undefined)
    .map((f) => String(f['ip.dst']?.[0]));
}

function firstPacket(trace: Trace) {
  const p = trace.packets.find((x) => !x.label.includes('ARP'));
  if (!p) throw new Error('no IP packet');
  return p;
}

describe('staged convergence (engine primitives)', () => {
  it('holds the peer host update: the stale record sends to the old PA, the old host drops it; delivery fixes it', () => {
    const { before, after } = documents();
    const engine = createEngine();
    expect(engine.load(before).ok).toBe(true);
    const warm = engine.trace(PING);
    expect(warm.verdict.outcome).toBe('delivered');
    expect(outerDsts(warm)[0]).toBe(OLD_PA);

    const staged = engine.update(after, { convergence: 'staged' });
    expect(staged.ok).toBe(true);
    // Only Host 2 (the peer: neither source nor destination of the move) waits.
    expect([...new Set(staged.pending.map((u) => u.hostId))]).toEqual(['host-2']);
    expect(staged.pending).toContainEqual(
      expect.objectContaining({
        kind: 'lookup-record',
        op: 'update',
        key: '5001/10.1.1.11',
        record: expect.objectContaining({ pa: NEW_PA }),
        previous: expect.objectContaining({ pa: OLD_PA }),
      }),
    );
    // Every update is still listed, the held ones included.
    expect(staged.updates.filter((u) => u.hostId === 'host-2')).toEqual(staged.pending);
    // Host 2's cached flow survives: nothing invalidated it yet.
    const web = () => engine.hostTables('host-2')?.ports.find((p) => p.vmLabel === 'Contoso/Web');
    expect(web()?.flowTable).toHaveLength(1);

    const stale = engine.trace({ ...PING, sequence: 2 });
    const main = firstPacket(stale);
    // Host 2's cached action (fast), then Host 1's uplink no longer knows the flow (slow): mixed.
    expect(main.path).toBe('mixed');
    expect(main.verdict).toMatchObject({ outcome: 'dropped', at: 'Host 1' });
    expect(main.verdict.reason).toMatch(
      /no vSwitch port for CA 10\.1\.1\.11 .*in VSID 5001: Contoso\/SQL has moved to Host 3 \(PA 192\.168\.2\.30\)/,
    );
    expect(outerDsts(stale)).toEqual([OLD_PA]);

    const delivery = engine.deliverPendingUpdates();
    expect(delivery.updates).toEqual(staged.pending);
    expect(delivery.invalidatedFlows).toBe(1);
    expect(web()?.flowTable).toEqual([]);
    expect(engine.deliverPendingUpdates()).toEqual({ updates: [], invalidatedFlows: 0 });

    const retry = engine.trace({ ...PING, sequence: 3 });
    const all = nodes(retry.packets[0].root);
    expect(all.filter((n) => n.kind === 'control-plane').map((n) => n.where.hostId)).toEqual(
      staged.pending.map((u) => u.hostId),
    );
    const invalidated = all.filter((n) => n.kind === 'flow-cache' && n.event === 'invalidate');
    expect(invalidated).toHaveLength(1);
    expect(invalidated[0].title).toContain(`encap VXLAN VNI 5001 192.168.1.20 -> ${OLD_PA}`);
    expect(retry.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    expect(outerDsts(retry)[0]).toBe(NEW_PA);
  });

  it('immediate (the default) converges at once, and a later immediate update delivers what was in flight', () => {
    const { before, after } = documents();
    const engine = createEngine();
    engine.load(before);
    engine.trace(PING);
    const now = engine.update(after);
    expect(now.pending).toEqual([]);
    expect(outerDsts(engine.trace({ ...PING, sequence: 2 }))[0]).toBe(NEW_PA);

    const again = createEngine();
    again.load(before);
    expect(again.update(after, { convergence: 'staged' }).pending.length).toBeGreaterThan(0);
    const back = again.update(before);
    expect(back.pending).toEqual([]);
    expect(outerDsts(again.trace(PING))[0]).toBe(OLD_PA);
  });
});

describe('traceConvergence', () => {
  it('warm flow cache: the cached action sends to the old PA (no lookup), the update invalidates it', () => {
    const { before, after } = documents();
    const result = createEngine().traceConvergence({ before, after, warmFlowCache: true });
    expect(result.problem).toBeUndefined();
    expect(result.waitingHosts).toEqual(['Host 2']);
    expect(result.moved).toEqual({ vm: 'Contoso/SQL', oldPa: OLD_PA, newPa: NEW_PA });
    const trace = result.trace;
    if (!trace) throw new Error('no trace');
    const ip = trace.packets.filter((p) => !p.label.includes('ARP'));
    expect(ip.map((p) => p.label.replace(/ Contoso.*/, ''))).toEqual([
      'before the move · ICMP echo request',
      'before the move · ICMP echo reply',
      'during convergence · ICMP echo request',
      'after the update · ICMP echo request',
      'after the update · ICMP echo reply',
    ]);
    const during = ip[2];
    expect(during.path).toBe('mixed'); // the source's cached action, then a miss at the old host
    const duringNodes = nodes(during.root);
    const hit = duringNodes.find((n) => n.kind === 'flow-cache' && n.event === 'hit');
    expect(hit?.title).toContain(`fast path, cached action to old PA ${OLD_PA}`);
    expect(duringNodes.some((n) => n.kind === 'lookup' && n.table.includes('CA-PA'))).toBe(false);
    expect(
      duringNodes.filter((n) => n.kind === 'control-plane' && n.title.includes('still in flight')),
    ).not.toEqual([]);
    expect(result.stale).toMatchObject({ outcome: 'dropped', at: 'Host 1' });
    expect(result.corrected).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    const after1 = nodes(ip[3].root);
    expect(after1.find((n) => n.kind === 'control-plane')?.title).toBe(
      `update arrives at Host 2: lookup record 10.1.1.11 @ VSID 5001 -> PA ${NEW_PA} (was ${OLD_PA})`,
    );
    expect(after1.some((n) => n.kind === 'flow-cache' && n.event === 'invalidate')).toBe(true);
    expect(ip[3].path).toBe('slow');
    // Request and reply before; the stale request; the retried request (two links: routed) and its reply.
    expect(outerDsts(trace)).toEqual([
      OLD_PA,
      '192.168.1.20',
      OLD_PA,
      NEW_PA,
      NEW_PA,
      '192.168.1.20',
      '192.168.1.20',
    ]);
  });

  it('cold flow cache: the slow path reads the stale lookup record; its entry is the one invalidated', () => {
    const { before, after } = documents();
    const result = createEngine().traceConvergence({ before, after, warmFlowCache: false });
    const trace = result.trace;
    if (!trace) throw new Error('no trace');
    expect(trace.packets[0].label).toMatch(/^during convergence · ICMP echo request/);
    expect(trace.packets.slice(1).every((p) => p.label.startsWith('after the update · '))).toBe(true);
    const during = nodes(trace.packets[0].root);
    expect(trace.packets[0].path).toBe('slow');
    expect(during.some((n) => n.kind === 'flow-cache' && n.event === 'hit')).toBe(false);
    const lookup = during.find((n) => n.kind === 'lookup' && n.table.includes('CA-PA'));
    expect(lookup?.title).toMatch(
      new RegExp(
        `lookup record 10\\.1\\.1\\.11 @ VSID 5001 -> PA ${OLD_PA.replace(/\./g, '\\.')} \\(Contoso/SQL\\): stale`,
      ),
    );
    expect(trace.packets[0].verdict).toMatchObject({ outcome: 'dropped', at: 'Host 1' });
    const afterNodes = nodes(trace.packets[1].root);
    expect(afterNodes.filter((n) => n.kind === 'flow-cache' && n.event === 'invalidate')).toHaveLength(1);
    expect(result.corrected).toMatchObject({ outcome: 'delivered' });
    expect(outerDsts(trace)[0]).toBe(OLD_PA);
    expect(outerDsts(trace)[1]).toBe(NEW_PA);
  });

  it('is deterministic and leaves the loaded engine alone', () => {
    const { before, after } = documents();
    const engine = createEngine();
    engine.load(after);
    const a = engine.traceConvergence({ before, after, warmFlowCache: true });
    const b = createEngine().traceConvergence({ before, after, warmFlowCache: true });
    if (!a.trace || !b.trace) throw new Error('no trace');
    expect(traceToJson(a.trace)).toEqual(traceToJson(b.trace));
    expect(a.trace.frames.map((f) => [...f.frame])).toEqual(b.trace.frames.map((f) => [...f.frame]));
    const live = engine.trace(PING);
    expect(live.controlPlane).toEqual([]);
    expect(outerDsts(live)[0]).toBe(NEW_PA);
  });

  it('says why when nothing can be stale', () => {
    const { before } = documents();
    const engine = createEngine();
    expect(engine.traceConvergence({ before, after: before, warmFlowCache: true }).problem).toMatch(
      /moves no VM/,
    );
    // Web moves next to SQL's host: only the move's own hosts hold Contoso, nothing is in flight.
    const onlyMoveHosts: TopologyDocument = {
      ...before,
      vms: before.vms.map((vm) => (vm.id === 'contoso-web' ? { ...vm, hostId: 'host-1' } : vm)),
    };
    expect(engine.traceConvergence({ before, after: onlyMoveHosts, warmFlowCache: false }).problem).toMatch(
      /no other host runs a VM/,
    );
  });
});
