// allow: the rule lets the packet on to the next group (an ACL's permit, a default rule).
import { type ActionHandler, Step } from '../walk';

export const allow: ActionHandler<'allow'> = {
  type: 'allow',
  describe: () => 'allow',
  egress: () => Step.Next,
  ingress: () => Step.Next,
};
