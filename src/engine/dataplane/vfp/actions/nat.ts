// nat: the RAS gateway's SNAT of a tenant flow to its public IP and port (out), and the reverse
// mapping of the answer (in). The gateway's NAT table does the work (dataplane/gateway/nat.ts).
import type { ActionHandler } from '../walk';

export const nat: ActionHandler<'nat'> = {
  type: 'nat',
  describe: (a) => `${a.direction === 'out' ? 'SNAT' : 'un-SNAT'} ${a.from} -> ${a.to}`,
};
