// The event list's model against the real engine's traces: the summary is the HNV flow's steps
// (read from typed events), filters hide by protocol and kind, and the store walks shown rows.
import { beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type TraceEvent, type TraceRequest } from '../../engine/index';
import type { TopologyDocument } from '../../engine/model/schema';
import { scenarioById } from '../../scenarios/index';
import { flattenTrace, useTraceStore } from '../store/trace';
import { compareTraces, defaultPacketModes, type EventView, eventRows, visibleSteps } from './eventList';

const PING: TraceRequest = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' };

function traced(doc: TopologyDocument, request: TraceRequest = PING) {
  const engine = createEngine();
  expect(engine.load(doc).ok).toBe(true);
  const trace = engine.trace(request);
  const steps = flattenTrace(trace);
  return { trace, steps, rows: eventRows(steps) };
}

function multiTenant(): TopologyDocument {
  const doc = scenarioById('multi-tenant')?.document;
  if (!doc) throw new Error('no multi-tenant scenario');
  return structuredClone(doc);
}

/** What a step did, in a word: its event type (and the action's type). */
const what = (e: TraceEvent | undefined) =>
  e?.type === 'action'
    ? `${e.action.type}${e.action.type === 'set-field' ? ` ${e.action.field}` : ''}`
    : e?.type;

describe('the summary level', () => {
  it('a ping shows the HNV flow: ARP by the host agent, then the request end to end; the reply folded', () => {
    const { trace, steps, rows } = traced(multiTenant());
    const view: EventView = { level: 'summary', hidden: [], packets: defaultPacketModes(trace) };
    expect(view.packets).toEqual(['summary', 'summary', 'collapsed', 'collapsed']);
    const shown = visibleSteps(rows, view);
    const events = shown.filter((i) => steps[i].kind !== 'packet').map((i) => what(steps[i].node.what));
    expect(events).toEqual([
      // ARP: the VM asks, its host agent answers from the policy store, the answer reaches the VM
      'vm-send',
      'host-agent-arp',
      'deliver',
      // the echo request (DOMAIN.md §5 steps 4-9)
      'vm-send',
      'uft',
      'ca-pa',
      'encap',
      'pa-next-hop',
      'set-field ip.ttl',
      'uplink-receive',
      'decap',
      'deliver',
    ]);
    // Every packet keeps its header row: the reply is one click away.
    expect(shown.filter((i) => steps[i].kind === 'packet')).toHaveLength(trace.packets.length);
    expect(steps.length).toBeGreaterThan(80);
  });

  it('from and at follow the packet device to device', () => {
    const { steps, rows } = traced(multiTenant());
    const row = (type: string) => {
      const i = steps.findIndex((s) => s.packetIndex === 1 && what(s.node.what) === type);
      return rows[i];
    };
    expect(row('vm-send')).toMatchObject({ from: 'Contoso/Web', at: 'Host 2', layer: 'VM' });
    expect(row('encap')).toMatchObject({ at: 'Host 2', layer: 'VFP vnet' });
    expect(row('set-field ip.ttl')).toMatchObject({
      from: 'PA Subnet 2',
      at: 'L3 Router',
      layer: 'PA network',
    });
    expect(row('uplink-receive')).toMatchObject({ from: 'PA Subnet 1', at: 'Host 1' });
    expect(row('deliver')).toMatchObject({ from: 'Host 1', at: 'Contoso/SQL' });
    const arp = rows[steps.findIndex((s) => s.node.what?.type === 'pa-arp')];
    expect(arp).toMatchObject({ category: 'pa-arp', from: 'Host 2', at: 'PA Subnet 2', summary: false });
  });

  it('a drop stays in view: its packet is open and the drop is a summary row', () => {
    const { trace, steps, rows } = traced(multiTenant(), { ...PING, to: '10.1.1.99' });
    const shown = visibleSteps(rows, { level: 'summary', hidden: [], packets: defaultPacketModes(trace) });
    expect(shown.some((i) => steps[i].dropped)).toBe(true);
  });
});

describe('levels and filters', () => {
  let t: ReturnType<typeof traced>;
  beforeEach(() => {
    t = traced(multiTenant());
  });
  const view = (over: Partial<EventView>): EventView => ({
    level: 'detail',
    hidden: [],
    packets: defaultPacketModes(t.trace, over.level ?? 'detail'),
    ...over,
  });

  it('all steps shows every step', () => {
    expect(visibleSteps(t.rows, view({}))).toEqual(t.steps.map((s) => s.index));
  });

  it('ARP alone: only the ARP packets', () => {
    const shown = visibleSteps(t.rows, view({ hidden: ['icmp'] }));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((i) => t.rows[i].protocol === 'arp')).toBe(true);
    expect(shown.filter((i) => t.steps[i].kind === 'packet')).toHaveLength(2);
  });

  it('PA ARP, VFP detail and control plane hide their rows and nothing else', () => {
    const all = visibleSteps(t.rows, view({}));
    for (const [filter, test] of [
      ['pa-arp', (e?: TraceEvent) => e?.type === 'pa-arp'],
      ['vfp', (e?: TraceEvent) => e?.type === 'stage' || e?.type === 'rule'],
    ] as const) {
      const shown = visibleSteps(t.rows, view({ hidden: [filter] }));
      const gone = all.filter((i) => !shown.includes(i));
      expect(gone.length, filter).toBeGreaterThan(0);
      expect(gone.every((i) => t.rows[i].category === filter)).toBe(true);
      expect(shown.some((i) => test(t.steps[i].node.what))).toBe(false);
    }
  });

  it('a packet opened to all its steps shows its VFP layers; folded, only its header', () => {
    const packets = defaultPacketModes(t.trace);
    packets[1] = 'detail';
    const shown = visibleSteps(t.rows, { level: 'summary', hidden: [], packets });
    expect(shown.some((i) => t.steps[i].packetIndex === 1 && t.steps[i].kind === 'rule')).toBe(true);
    expect(shown.some((i) => t.steps[i].packetIndex === 0 && t.steps[i].kind === 'rule')).toBe(false);
    packets[1] = 'collapsed';
    const folded = visibleSteps(t.rows, { level: 'summary', hidden: [], packets });
    expect(folded.filter((i) => t.steps[i].packetIndex === 1).map((i) => t.steps[i].kind)).toEqual([
      'packet',
    ]);
  });
});

describe('what-if', () => {
  it('VSID 5001 -> 7777: packets paired by label, the first difference is the VSID', () => {
    const doc = multiTenant();
    const engine = createEngine();
    expect(engine.load(doc).ok).toBe(true);
    const before = flattenTrace(engine.trace(PING));
    const edited = structuredClone(doc);
    const subnet = edited.virtualSubnets.find((s) => s.vsid === 5001);
    if (!subnet) throw new Error('no VSID 5001');
    subnet.vsid = 7777;
    expect(engine.update(edited).ok).toBe(true);
    const after = flattenTrace(engine.trace(PING));
    const { rows, first } = compareTraces(before, after);
    // The VM's ARP cache held SQL's MAC already: the ARP packets went only before the edit.
    expect(rows.filter((r) => r.only === 'before' && r.before?.kind === 'packet')).toHaveLength(2);
    expect(rows.some((r) => r.only === 'after')).toBe(false);
    // The controller's updates come first in the new trace but are not the packet's way.
    expect(after.some((s) => s.kind === 'control-plane')).toBe(true);
    expect(rows.some((r) => r.after?.kind === 'control-plane')).toBe(false);
    const row = rows[first];
    expect(row.before?.packetLabel).toMatch(/ICMP echo request/);
    expect(row.before?.node.what?.type).toBe('ca-pa');
    expect(row.before?.title).toContain('VSID 5001');
    expect(row.after?.title).toContain('VSID 7777');
    // The same trace twice: nothing differs.
    const again = traced(multiTenant());
    expect(compareTraces(again.steps, traced(multiTenant()).steps).first).toBe(-1);
  });
});

describe('the store walks the shown rows', () => {
  it('step, play and the end of play follow the visible list', () => {
    const { trace } = traced(multiTenant());
    const store = useTraceStore.getState();
    store.setLevel('summary');
    store.showTrace(trace, 0);
    const { visible } = useTraceStore.getState();
    expect(visible.length).toBeLessThan(useTraceStore.getState().steps.length / 4);
    store.stepBy(1);
    expect(useTraceStore.getState().stepIndex).toBe(visible[1]);
    store.stepBy(3);
    expect(useTraceStore.getState().stepIndex).toBe(visible[4]);
    store.stepBy(-1);
    expect(useTraceStore.getState().stepIndex).toBe(visible[3]);
    // A hidden step picked elsewhere (the canvas) opens its packet to all its steps.
    const hiddenRule = useTraceStore.getState().steps.find((s) => s.kind === 'rule' && s.packetIndex === 1);
    if (!hiddenRule) throw new Error('no rule step');
    store.selectStep(hiddenRule.index);
    expect(useTraceStore.getState().view.packets[1]).toBe('detail');
    expect(useTraceStore.getState().visible).toContain(hiddenRule.index);
    // Stepping from it goes to the next shown row.
    store.stepBy(1);
    expect(useTraceStore.getState().stepIndex).toBe(hiddenRule.index + 1);
    store.clearTrace();
  });
});
