// gre-encap / gre-decap: a site-to-site GRE tunnel of the RAS gateway (RFC 2784 + RFC 2890's
// key): outer IPv4 gateway -> site edge, GRE protocol 0x0800, the tenant's key. Built by
// dataplane/gateway/frames.ts.
import type { ActionHandler } from '../walk';

export const greEncap: ActionHandler<'gre-encap'> = {
  type: 'gre-encap',
  describe: (a) => `encap GRE key ${a.key} ${a.src} -> ${a.dst}`,
};

export const greDecap: ActionHandler<'gre-decap'> = {
  type: 'gre-decap',
  describe: (a) => `decap GRE key ${a.key}`,
};
