// Bridges the trace store to per-object canvas marks: the current step's place is
// 'here' (red when the packet is dropped there), the places the same packet already
// went through are 'path'. As the timeline plays, the ring and the packet dot move
// from node to node along the physical path; the virtual view marks the VMs and
// subnets involved.
import { useEffect } from 'react';
import type { TraceWhere } from '../../engine/index';
import { useDocumentStore } from '../store/document';
import { useTraceStore } from '../store/trace';
import { type TraceMark, useTraceMarks } from './traceMarks';

function placesOf(where: TraceWhere | undefined): string[] {
  if (!where) return [];
  const ids: (string | undefined)[] = [
    where.vmId,
    where.hostId,
    where.routerId,
    where.logicalSubnetId,
    where.edgeId,
    where.serviceId,
  ];
  return ids.filter((id): id is string => Boolean(id));
}

export function TraceOverlay() {
  const steps = useTraceStore((s) => s.steps);
  const stepIndex = useTraceStore((s) => s.stepIndex);
  const setMarks = useTraceMarks((s) => s.setMarks);

  useEffect(() => {
    const current = steps[stepIndex];
    if (!current) {
      setMarks({});
      return;
    }
    const doc = useDocumentStore.getState().doc;
    const marks: Record<string, TraceMark> = {};
    const subnetOfVm = (vmId: string) =>
      doc.vms.find((v) => v.id === vmId)?.nics.map((n) => n.virtualSubnetId) ?? [];
    for (const step of steps) {
      if (step.packetIndex !== current.packetIndex || step.index > current.index) continue;
      for (const id of placesOf(step.where)) {
        marks[id] = 'path';
        for (const subnetId of subnetOfVm(id)) marks[subnetId] = 'path';
      }
    }
    for (const id of placesOf(current.where)) marks[id] = current.dropped ? 'drop' : 'here';
    setMarks(marks);
  }, [steps, stepIndex, setMarks]);

  return null;
}
