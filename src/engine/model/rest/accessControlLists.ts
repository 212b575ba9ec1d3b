// accessControlLists (with their aclRules), both ways.
import type { Acl, AclRule } from '../schema';
import type { ImportState } from './context';
import { ACTIONS, DIRECTIONS, type Json, own, PROTOCOLS, type Who } from './reader';
import { PROTOCOL_TO_NC, refs } from './refs';
import type { NcAccessControlList } from './types';

export function aclToNc(acl: Acl): NcAccessControlList {
  return {
    resourceId: acl.id,
    resourceRef: refs.acl(acl.id),
    resourceMetadata: { name: acl.name },
    properties: {
      aclRules: acl.rules.map((rule) => ({
        resourceId: rule.id,
        resourceRef: refs.aclRule(acl.id, rule.id),
        properties: {
          protocol: PROTOCOL_TO_NC[rule.protocol],
          sourcePortRange: rule.sourcePortRange,
          destinationPortRange: rule.destinationPortRange,
          action: rule.action === 'allow' ? 'Allow' : 'Deny',
          sourceAddressPrefix: rule.sourceAddressPrefix,
          destinationAddressPrefix: rule.destinationAddressPrefix,
          priority: rule.priority,
          type: rule.direction === 'inbound' ? 'Inbound' : 'Outbound',
          description: rule.name,
          logging: 'Disabled',
        },
      })),
      hnvLab: { defaultAction: acl.defaultAction },
    },
  };
}

export function readAcl(a: Json, aclIndex: number, state: ImportState): void {
  const { reader, doc } = state;
  const { id, who } = reader.resource(a, 'access control list', aclIndex);
  const p = reader.props(a, who);
  const rules: AclRule[] = reader.list(p, 'aclRules', who, 'properties.aclRules').map((r, ruleIndex) => {
    const raw = own(r, 'resourceId');
    const ruleWho: Who = {
      kind: 'ACL rule',
      name: `${id}/${typeof raw === 'string' && raw !== '' ? raw : `#${ruleIndex + 1}`}`,
    };
    const ruleId = reader.text(r, 'resourceId', ruleWho, 'resourceId');
    const rp = reader.props(r, ruleWho);
    const description = reader.optionalText(rp, 'description', ruleWho, 'properties.description');
    const wildcard = (key: string): string =>
      reader.optionalText(rp, key, ruleWho, `properties.${key}`) ?? '*';
    return {
      id: ruleId,
      name: description !== undefined && description.trim() !== '' ? description : ruleId,
      priority: reader.number(rp, 'priority', ruleWho, 'properties.priority'),
      direction:
        reader.choice(rp, 'type', ruleWho, 'properties.type', DIRECTIONS, 'Inbound, Outbound') ?? 'inbound',
      action: reader.choice(rp, 'action', ruleWho, 'properties.action', ACTIONS, 'Allow, Deny') ?? 'allow',
      protocol:
        reader.choice(rp, 'protocol', ruleWho, 'properties.protocol', PROTOCOLS, 'All, TCP, UDP, ICMP') ??
        'all',
      sourceAddressPrefix: wildcard('sourceAddressPrefix'),
      sourcePortRange: wildcard('sourcePortRange'),
      destinationAddressPrefix: wildcard('destinationAddressPrefix'),
      destinationPortRange: wildcard('destinationPortRange'),
    };
  });
  const extra = reader.object(p, 'hnvLab', who, 'properties.hnvLab');
  const defaultAction =
    reader.optionalChoice(
      extra,
      'defaultAction',
      who,
      'properties.hnvLab.defaultAction',
      ACTIONS,
      "'allow', 'deny'",
    ) ?? 'allow';
  const acl: Acl = { id, name: reader.nameOf(a, who, id), defaultAction, rules };

  doc.acls.push(acl);
}
