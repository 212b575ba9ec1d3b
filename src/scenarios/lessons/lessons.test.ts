import { describe, expect, it } from 'vitest';
import { multiTenantFixture } from '../../engine/model/testDocument';
import { caVsPa } from './02-ca-vs-pa';
import { encapsulation } from './03-encapsulation';
import { arpHostAgent } from './04-arp-host-agent';
import { distributedRouter } from './05-distributed-router';
import { overlappingTenants } from './06-overlapping-tenants';
import { liveMigration } from './08-live-migration';
import { lessons } from './index';
import {
  chooseAnswer,
  emptyProgress,
  lessonScore,
  markTasksDone,
  parseProgress,
  stepStatus,
} from './progress';
import { findVm, gatewayOf, unusedCa } from './query';
import type { Lesson, LessonFacts, LessonStep, TraceFacts } from './types';

const doc = multiTenantFixture();

function facts(over: Partial<LessonFacts> = {}): LessonFacts {
  return { document: doc, scenarioId: 'multi-tenant', view: 'virtual', selection: [], trace: null, ...over };
}

function trace(over: Partial<TraceFacts> = {}): TraceFacts {
  return {
    protocol: 'icmp',
    fromVmId: 'contoso-web-vm',
    toVmId: 'contoso-sql',
    toIp: '10.1.1.11',
    outcome: 'delivered',
    encaps: [{ type: 'vxlan', vsid: 5001, outerSrcIp: '192.168.2.20', outerDstIp: '192.168.1.10' }],
    arp: 'host-agent',
    leftHost: true,
    routed: false,
    vsids: [5001],
    path: 'slow',
    hosts: ['host2', 'host1'],
    ...over,
  };
}

function step(lesson: Lesson, id: string): LessonStep {
  const s = lesson.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
}

const check = (lesson: Lesson, id: string, f: LessonFacts) => step(lesson, id).task?.check(f).done;

describe('the lesson catalogue', () => {
  it('has the twelve lessons with unique ids, each with tasks and questions', () => {
    expect(lessons.map((l) => l.id)).toHaveLength(12);
    expect(new Set(lessons.map((l) => l.id)).size).toBe(12);
    for (const lesson of lessons) {
      expect(lesson.steps.length).toBeGreaterThanOrEqual(3);
      expect(new Set(lesson.steps.map((s) => s.id)).size).toBe(lesson.steps.length);
      expect(lesson.steps[0].scenario).toBeTruthy();
      expect(lesson.steps.some((s) => s.question)).toBe(true);
      const questionIds = lesson.steps.flatMap((s) => (s.question ? [s.question.id] : []));
      expect(new Set(questionIds).size).toBe(questionIds.length);
    }
  });

  it('every question on the multi-tenant document has exactly one right answer and unique choice ids', () => {
    const f = facts({ trace: trace() });
    for (const lesson of lessons) {
      for (const s of lesson.steps) {
        if (!s.question) continue;
        const choices = s.question.choices(f);
        if (choices.length === 0) continue; // needs another scenario (e.g. routing domains)
        expect(
          choices.filter((c) => c.correct),
          `${lesson.id}/${s.question.id}`,
        ).toHaveLength(1);
        expect(new Set(choices.map((c) => c.id)).size).toBe(choices.length);
        expect(new Set(choices.map((c) => c.label)).size).toBe(choices.length);
        for (const c of choices) expect(c.feedback.length).toBeGreaterThan(5);
      }
    }
  });

  it('checks never throw on an empty document and without a trace', () => {
    const empty = { ...doc, tenants: [], vmNetworks: [], virtualSubnets: [], vms: [], hosts: [] };
    for (const lesson of lessons) {
      for (const s of lesson.steps) {
        expect(() => s.task?.check(facts({ document: empty }))).not.toThrow();
        expect(() => s.question?.choices(facts({ document: empty }))).not.toThrow();
      }
    }
  });
});

describe('queries', () => {
  it('finds VMs by Tenant/VM and derives gateways and unused CAs', () => {
    expect(findVm(doc, 'Fabrikam/SQL')?.id).toBe('fabrikam-sql');
    expect(findVm(doc, 'contoso/web')?.id).toBe('contoso-web-vm');
    expect(findVm(doc, 'Nobody/SQL')).toBeNull();
    expect(gatewayOf('10.1.2.0/24')).toBe('10.1.2.1');
    expect(gatewayOf('10.1.2.77/25')).toBe('10.1.2.1');
    const web = findVm(doc, 'Contoso/Web');
    expect(web && unusedCa(doc, web)).toBe('10.1.1.99');
  });
});

describe('CA vs PA', () => {
  it('derives the outer destination from the host running SQL', () => {
    const choices = step(caVsPa, 'predict-outer').question?.choices(facts()) ?? [];
    const right = choices.find((c) => c.correct);
    expect(right?.label).toBe('192.168.1.10 / 192.168.1.11 (PA of Host 1)');
    // Move SQL and the right answer follows the document.
    const moved = {
      ...doc,
      vms: doc.vms.map((v) => (v.id === 'contoso-sql' ? { ...v, hostId: 'host2' } : v)),
    };
    const after = step(caVsPa, 'predict-outer').question?.choices(facts({ document: moved })) ?? [];
    expect(after.find((c) => c.correct)?.label).toContain('Host 2');
  });

  it('the selection task and the trace task', () => {
    expect(check(caVsPa, 'two-spaces', facts())).toBe(false);
    expect(check(caVsPa, 'two-spaces', facts({ selection: ['contoso-web-vm'] }))).toBe(true);
    expect(check(caVsPa, 'trace-it', facts())).toBe(false);
    expect(check(caVsPa, 'trace-it', facts({ trace: trace() }))).toBe(true);
    expect(check(caVsPa, 'trace-it', facts({ trace: trace({ fromVmId: 'fabrikam-web-vm' }) }))).toBe(false);
    expect(check(caVsPa, 'trace-it', facts({ trace: trace({ protocol: 'tcp' }) }))).toBe(false);
    const wrongPa = trace({
      encaps: [{ type: 'vxlan', vsid: 5001, outerSrcIp: 'x', outerDstIp: '192.168.2.20' }],
    });
    expect(check(caVsPa, 'trace-it', facts({ trace: wrongPa }))).toBe(false);
    // A typed destination IP counts as the VM when it is its CA.
    expect(check(caVsPa, 'trace-it', facts({ trace: trace({ toVmId: null }) }))).toBe(true);
  });

  it('counts what the fabric learns: the PAs, not 30 CAs per host', () => {
    const choices = step(caVsPa, 'fewer-addresses').question?.choices(facts()) ?? [];
    expect(choices.find((c) => c.correct)?.label).toBe("4: the hosts' PAs");
    expect(choices.find((c) => c.id === 'cas')?.label).toBe('60: one per VM');
  });
});

describe('encapsulation', () => {
  it('needs a VXLAN step with the VSID of Web, then NVGRE after the switch', () => {
    expect(check(encapsulation, 'trace-vxlan', facts({ trace: trace() }))).toBe(true);
    const wrongVni = trace({ encaps: [{ type: 'vxlan', vsid: 6001, outerSrcIp: 'a', outerDstIp: 'b' }] });
    expect(check(encapsulation, 'trace-vxlan', facts({ trace: wrongVni }))).toBe(false);
    expect(check(encapsulation, 'switch-to-nvgre', facts())).toBe(false);
    const nvgre = {
      ...doc,
      virtualSubnets: doc.virtualSubnets.map((s) =>
        s.id === 'contoso-web' ? { ...s, encapsulation: 'nvgre' as const } : s,
      ),
    };
    expect(check(encapsulation, 'switch-to-nvgre', facts({ document: nvgre }))).toBe(true);
    const gre = trace({ encaps: [{ type: 'nvgre', vsid: 5001, outerSrcIp: 'a', outerDstIp: 'b' }] });
    expect(check(encapsulation, 'trace-nvgre', facts({ document: nvgre, trace: gre }))).toBe(true);
    expect(check(encapsulation, 'trace-nvgre', facts({ document: nvgre, trace: trace() }))).toBe(false);
  });

  it('overhead follows the PA subnet VLAN and the GRE key is the VSID in hex', () => {
    const right = (d = doc) =>
      step(encapsulation, 'vlan-tag')
        .question?.choices(facts({ document: d }))
        .find((c) => c.correct)?.label;
    expect(right()).toBe('54'); // VLAN 12
    const untagged = { ...doc, logicalSubnets: doc.logicalSubnets.map((s) => ({ ...s, vlanId: 0 })) };
    expect(right(untagged)).toBe('50');
    const key = step(encapsulation, 'trace-nvgre').question?.choices(facts());
    expect(key?.find((c) => c.correct)?.label).toBe('0x001389');
  });
});

describe('ARP', () => {
  it('is answered by the host agent and never leaves the host', () => {
    const arp = trace({ protocol: 'arp', encaps: [], leftHost: false });
    expect(check(arpHostAgent, 'trace-arp', facts({ trace: arp }))).toBe(true);
    expect(check(arpHostAgent, 'trace-arp', facts({ trace: { ...arp, leftHost: true } }))).toBe(false);
    expect(check(arpHostAgent, 'trace-arp', facts({ trace: trace() }))).toBe(false);
  });

  it('an unknown CA gets no reply', () => {
    const unknown = trace({
      protocol: 'arp',
      toVmId: null,
      toIp: '10.1.1.99',
      arp: 'no-reply',
      outcome: 'dropped',
    });
    expect(check(arpHostAgent, 'unknown-ca', facts({ trace: unknown }))).toBe(true);
    expect(check(arpHostAgent, 'unknown-ca', facts({ trace: { ...unknown, toIp: '10.1.1.11' } }))).toBe(
      false,
    );
  });
});

describe('distributed router', () => {
  const routed = {
    ...doc,
    virtualSubnets: [
      ...doc.virtualSubnets,
      {
        id: 'contoso-db',
        name: 'DB',
        vmNetworkId: 'contoso-net',
        vsid: 5002,
        prefix: '10.1.2.0/24',
        encapsulation: 'vxlan' as const,
      },
    ],
    vms: doc.vms.map((v) =>
      v.id === 'contoso-sql'
        ? { ...v, nics: [{ ...v.nics[0], caIp: '10.1.2.11', virtualSubnetId: 'contoso-db' }] }
        : v,
    ),
  };

  it('asks for the lowest address as gateway', () => {
    const choices = step(distributedRouter, 'gateway').question?.choices(facts({ document: routed })) ?? [];
    expect(choices.find((c) => c.correct)?.label).toBe('10.1.1.1 in 10.1.1.0/24');
  });

  it('checks a routed ping between subnets, and a drop across routing domains', () => {
    const f = (t: TraceFacts) => facts({ document: routed, trace: t });
    expect(check(distributedRouter, 'route-across-subnets', f(trace({ routed: true })))).toBe(true);
    expect(check(distributedRouter, 'route-across-subnets', f(trace({ routed: false })))).toBe(false);
    const across = trace({ toVmId: 'fabrikam-sql', outcome: 'dropped' });
    expect(check(distributedRouter, 'no-way-out', f(across))).toBe(true);
    expect(check(distributedRouter, 'no-way-out', f(trace({ outcome: 'dropped' })))).toBe(false);
  });
});

describe('overlapping tenants', () => {
  it("checks Fabrikam's VSID and knows both SQLs share a host", () => {
    const fab = trace({
      fromVmId: 'fabrikam-web-vm',
      toVmId: 'fabrikam-sql',
      encaps: [{ type: 'vxlan', vsid: 6001, outerSrcIp: 'a', outerDstIp: '192.168.1.10' }],
    });
    expect(check(overlappingTenants, 'trace-fabrikam', facts({ trace: fab }))).toBe(true);
    const leaked = { ...fab, encaps: [{ ...fab.encaps[0], vsid: 5001 }] };
    expect(check(overlappingTenants, 'trace-fabrikam', facts({ trace: leaked }))).toBe(false);
    const q = step(overlappingTenants, 'trace-fabrikam').question?.choices(facts());
    expect(q?.find((c) => c.correct)?.id).toBe('same');
  });
});

describe('slow and fast path', () => {
  it('the second trace of a flow must take the fast path', async () => {
    const { slowAndFastPath } = await import('./07-slow-and-fast-path');
    expect(check(slowAndFastPath, 'first-trace', facts({ trace: trace() }))).toBe(true);
    expect(check(slowAndFastPath, 'next-packet', facts({ trace: trace() }))).toBe(false);
    expect(check(slowAndFastPath, 'next-packet', facts({ trace: trace({ path: 'fast' }) }))).toBe(true);
  });
});

describe('live migration', () => {
  const moved = { ...doc, vms: doc.vms.map((v) => (v.id === 'contoso-sql' ? { ...v, hostId: 'host2' } : v)) };

  it('needs the VM on a host of another PA subnet, then the new PA in the trace', () => {
    expect(check(liveMigration, 'migrate', facts())).toBe(false);
    expect(check(liveMigration, 'migrate', facts({ document: moved }))).toBe(true);
    const newPa = trace({
      encaps: [{ type: 'vxlan', vsid: 5001, outerSrcIp: 'a', outerDstIp: '192.168.2.21' }],
    });
    expect(check(liveMigration, 'trace-after-move', facts({ document: moved, trace: newPa }))).toBe(true);
    expect(check(liveMigration, 'trace-after-move', facts({ document: moved, trace: trace() }))).toBe(false);
    const q = step(liveMigration, 'predict-new-pa').question?.choices(facts({ document: moved }));
    expect(q?.find((c) => c.correct)?.label).toContain('Host 2');
  });
});

describe('progress', () => {
  it('a step is complete when its scenario is open, its task done and its question answered right', () => {
    const s = step(caVsPa, 'two-spaces');
    let p = emptyProgress();
    expect(stepStatus(caVsPa, s, facts({ scenarioId: 'empty' }), p).tasks.map((t) => t.result.done)).toEqual([
      false,
      false,
    ]);
    const f = facts({ selection: ['contoso-web-vm'] });
    expect(stepStatus(caVsPa, s, f, p).complete).toBe(true);
    const q = step(caVsPa, 'predict-outer');
    expect(stepStatus(caVsPa, q, f, p).complete).toBe(false);
    p = chooseAnswer(p, caVsPa, 'outer-dst', 'ca');
    expect(stepStatus(caVsPa, q, f, p)).toMatchObject({
      answered: true,
      answeredRight: false,
      complete: false,
    });
    p = chooseAnswer(p, caVsPa, 'outer-dst', 'dst-pa');
    expect(stepStatus(caVsPa, q, f, p).complete).toBe(true);
  });

  it('done tasks are sticky, and the score counts complete steps', () => {
    const s = step(caVsPa, 'two-spaces');
    const p = markTasksDone(emptyProgress(), caVsPa, s);
    expect(markTasksDone(p, caVsPa, s)).toBe(p);
    expect(stepStatus(caVsPa, s, facts({ scenarioId: 'empty' }), p).complete).toBe(true);
    expect(lessonScore(caVsPa, facts(), p)).toEqual({ complete: 1, total: caVsPa.steps.length, skipped: 0 });
  });

  it('parses saved progress defensively', () => {
    expect(parseProgress(null)).toEqual(emptyProgress());
    const parsed = parseProgress({
      activeLessonId: 'ca-vs-pa',
      stepIndex: { 'ca-vs-pa': 2, bad: -1, worse: 'x' },
      answers: { 'ca-vs-pa/outer-dst': 'dst-pa', n: 3 },
      tasksDone: { 'ca-vs-pa/two-spaces': true, x: 'yes' },
      skipped: { 'ca-vs-pa/trace-it': true, y: 1 },
    });
    expect(parsed).toEqual({
      activeLessonId: 'ca-vs-pa',
      stepIndex: { 'ca-vs-pa': 2 },
      answers: { 'ca-vs-pa/outer-dst': 'dst-pa' },
      tasksDone: { 'ca-vs-pa/two-spaces': true },
      skipped: { 'ca-vs-pa/trace-it': true },
    });
  });
});

describe('lessons against their own scenarios', () => {
  it('every question has exactly one right answer on the scenario its lesson opens', async () => {
    const { scenarios } = await import('../index');
    for (const lesson of lessons) {
      let scenarioId = '';
      for (const s of lesson.steps) {
        scenarioId = s.scenario ?? scenarioId;
        const scenario = scenarios.find((x) => x.id === scenarioId);
        expect(scenario, `${lesson.id}: scenario ${scenarioId}`).toBeDefined();
        if (!s.question || !scenario) continue;
        const choices = s.question.choices(facts({ document: scenario.document, scenarioId }));
        expect(
          choices.filter((c) => c.correct),
          `${lesson.id}/${s.question.id}`,
        ).toHaveLength(1);
      }
    }
  });

  it('the live-migration scenario starts with SQL on Host 1 and has a host on another PA subnet', async () => {
    const { scenarioById } = await import('../index');
    const document = scenarioById('live-migration')?.document;
    if (!document) throw new Error('no live-migration scenario');
    expect(check(liveMigration, 'migrate', facts({ document, scenarioId: 'live-migration' }))).toBe(false);
    const host3 = document.hosts.find((h) => h.logicalSubnetId !== document.hosts[0].logicalSubnetId);
    const moved = {
      ...document,
      vms: document.vms.map((v) =>
        findVm(document, 'Contoso/SQL')?.id === v.id ? { ...v, hostId: host3?.id ?? '' } : v,
      ),
    };
    expect(check(liveMigration, 'migrate', facts({ document: moved }))).toBe(true);
  });
});
