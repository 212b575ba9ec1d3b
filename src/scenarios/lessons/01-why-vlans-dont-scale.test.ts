import { describe, expect, it } from 'vitest';
import type { TopologyDocument } from '../../engine/model/schema';
import { vlanVsOverlay } from '../builders';
import { tracedVlanPing, vlanIdsInUse, whyVlansDontScale } from './01-why-vlans-dont-scale';
import type { LessonFacts, TraceFacts } from './types';

function facts(document: TopologyDocument, trace: Partial<TraceFacts> | null): LessonFacts {
  return {
    document,
    scenarioId: 'vlan-vs-overlay',
    view: 'virtual',
    selection: [],
    trace:
      trace === null
        ? null
        : {
            protocol: 'icmp',
            fromVmId: 'contoso-vlan-web',
            toVmId: 'contoso-vlan-sql',
            toIp: '10.1.1.11',
            outcome: 'delivered',
            encaps: [],
            arp: 'none',
            leftHost: true,
            routed: false,
            vsids: [],
            path: 'slow',
            hosts: ['host-2', 'host-1'],
            vlans: [101],
            ...trace,
          },
  };
}

const stepOf = (id: string) => {
  const s = whyVlansDontScale.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};

function moved(vmId: string): TopologyDocument {
  const doc = vlanVsOverlay();
  const vm = doc.vms.find((v) => v.id === vmId);
  if (vm) vm.hostId = 'host-3';
  return doc;
}

describe("lesson 1: why VLANs don't scale, on the VLAN vs overlay scenario", () => {
  it('the scenario has the VMs the lesson names', () => {
    const ids = vlanVsOverlay().vms.map((v) => v.id);
    expect(ids).toEqual(
      expect.arrayContaining(['contoso-vlan-web', 'contoso-vlan-sql', 'contoso-web', 'contoso-sql']),
    );
  });

  it('wants a delivered VLAN ping that carried tag 101', () => {
    const doc = vlanVsOverlay();
    expect(tracedVlanPing(facts(doc, null)).done).toBe(false);
    expect(tracedVlanPing(facts(doc, {})).done).toBe(true);
    expect(tracedVlanPing(facts(doc, { vlans: undefined })).note).toBe('The trace carried no VLAN 101 tag.');
    expect(tracedVlanPing(facts(doc, { fromVmId: 'contoso-web' })).done).toBe(false);
  });

  it('derives the VLANs left from the document', () => {
    const doc = vlanVsOverlay();
    expect(vlanIdsInUse(doc)).toBe(4);
    const question = stepOf('add-tenants').question;
    const right = question?.choices(facts(doc, null)).find((c) => c.correct);
    expect(right?.label).toBe('4,090');
    expect(stepOf('add-tenants').tool).toBe('add-tenant');
  });

  it('the VLAN move task needs the VM in Rack 2 and the trace dropped for the VLAN', () => {
    const check = stepOf('move-vlan-vm').task?.check;
    if (!check) throw new Error('no task');
    expect(check(facts(vlanVsOverlay(), {})).done).toBe(false);
    const reason =
      "VLAN 101 is not carried on logical subnet 'Rack 2': under VLAN isolation a VM can only live where its VLAN is trunked; it would need a new IP in that rack's subnet";
    const doc = moved('contoso-vlan-sql');
    expect(check(facts(doc, {})).done).toBe(false);
    expect(check(facts(doc, { outcome: 'dropped', dropReason: reason })).done).toBe(true);
  });

  it('the overlay move task needs the overlay VM in Rack 2 and the ping delivered', () => {
    const check = stepOf('move-overlay-vm').task?.check;
    if (!check) throw new Error('no task');
    const overlayTrace = { fromVmId: 'contoso-web', toVmId: 'contoso-sql', vlans: undefined };
    expect(check(facts(vlanVsOverlay(), overlayTrace)).done).toBe(false);
    const doc = moved('contoso-sql');
    expect(check(facts(doc, overlayTrace)).done).toBe(true);
    expect(check(facts(doc, { ...overlayTrace, outcome: 'dropped' })).done).toBe(false);
  });
});
