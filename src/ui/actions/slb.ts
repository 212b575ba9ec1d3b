// Software load balancing edits: the lab's switch for a DIP whose health probe stops answering.
import { defineAction } from './types';

/** Mark a DIP's probe failing (or answering again) on one load balancer. */
export const setProbeFailing = defineAction<{ loadBalancerId: string; vnicId: string; failing: boolean }>(
  'setProbeFailing',
  'Set health probe',
  (doc, args) => ({
    ...doc,
    loadBalancers: (doc.loadBalancers ?? []).map((lb) => {
      if (lb.id !== args.loadBalancerId) return lb;
      const others = (lb.probeFailures ?? []).filter((id) => id !== args.vnicId);
      return { ...lb, probeFailures: args.failing ? [...others, args.vnicId] : others };
    }),
  }),
);
