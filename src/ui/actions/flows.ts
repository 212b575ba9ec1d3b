// The trace panel's list of flows, kept in the document (so saved, shared and exported with it):
// add one from the trace form, remove one, and drop the flows whose VM adapter went away.
import type { Flow, TopologyDocument } from '../../engine/model/schema';
import { ActionError, defineAction } from './types';
import { newObjectId } from './util';

export const addFlow = defineAction<Omit<Flow, 'id'> & { id?: string }>(
  'addFlow',
  'Add flow',
  (doc, args) => {
    const flows = doc.flows ?? [];
    if (
      flows.some(
        (f) =>
          f.from === args.from &&
          f.to === args.to &&
          f.protocol === args.protocol &&
          f.dstPort === args.dstPort,
      )
    )
      throw new ActionError(`'${args.name}' is already in the list.`);
    const flow: Flow = { ...args, id: args.id ?? newObjectId('flow') };
    if (flow.dstPort === undefined) delete flow.dstPort;
    return { ...doc, flows: [...flows, flow] };
  },
);

export const removeFlow = defineAction<{ id: string }>('removeFlow', 'Remove flow', (doc, args) => {
  return withFlows(
    doc,
    (doc.flows ?? []).filter((f) => f.id !== args.id),
  );
});

/** After an edit that removed adapters: flows from or to a vanished vNIC go with it. */
export function dropFlowsOfGoneVnics(before: TopologyDocument, after: TopologyDocument): TopologyDocument {
  if (!after.flows?.length) return after;
  const kept = new Set<string>();
  for (const vm of after.vms) for (const nic of vm.nics) kept.add(nic.id);
  const gone = new Set<string>();
  for (const vm of before.vms) for (const nic of vm.nics) if (!kept.has(nic.id)) gone.add(nic.id);
  if (gone.size === 0) return after;
  const flows = after.flows.filter((f) => !gone.has(f.from) && !gone.has(f.to));
  if (flows.length === after.flows.length) return after;
  return withFlows(after, flows);
}

/** The document with these flows; none leaves the field out (the JSON stays as it was). */
function withFlows(doc: TopologyDocument, flows: Flow[]): TopologyDocument {
  const { flows: _old, ...rest } = doc;
  return flows.length === 0 ? rest : { ...rest, flows };
}
