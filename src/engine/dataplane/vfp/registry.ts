// The VFP actions the executor can run: one file per action, one line each here (as the
// codec's wire/registry.ts). A rule's `actions` are data; this table gives each its code.
import type { Action } from '../../controller/types';
import { allow } from './actions/allow';
import { arpReply } from './actions/arp-reply';
import { conntrack } from './actions/conntrack';
import { decap } from './actions/decap';
import { drop } from './actions/drop';
import { encap } from './actions/encap';
import { espDecap, espEncap } from './actions/esp-encap';
import { greDecap, greEncap } from './actions/gre-encap';
import { lookup } from './actions/lookup';
import { nat } from './actions/nat';
import { output } from './actions/output';
import { paRoute } from './actions/pa-route';
import { popVlan } from './actions/pop-vlan';
import { pushVlan } from './actions/push-vlan';
import { replicate } from './actions/replicate';
import { route } from './actions/route';
import { setField } from './actions/set-field';
import { slbNat } from './actions/slb-nat';
import { slbSnat } from './actions/slb-snat';
import type { ActionHandler } from './walk';

type Registry = { [T in Action['type']]: ActionHandler<T> };

export const ACTIONS: Registry = {
  allow,
  drop,
  'arp-reply': arpReply,
  replicate,
  route,
  lookup,
  encap,
  'pa-route': paRoute,
  'push-vlan': pushVlan,
  'pop-vlan': popVlan,
  decap,
  output,
  'set-field': setField,
  conntrack,
  nat,
  'gre-encap': greEncap,
  'gre-decap': greDecap,
  'esp-encap': espEncap,
  'esp-decap': espDecap,
  'slb-nat': slbNat,
  'slb-snat': slbSnat,
};

export function handlerOf<T extends Action['type']>(type: T): ActionHandler<T> {
  return ACTIONS[type] as ActionHandler<T>;
}

/** An action as the host tables and the trace list it. */
export function describeAction(a: Action): string {
  return (handlerOf(a.type).describe as (a: Action) => string)(a);
}
