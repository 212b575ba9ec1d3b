// The NetworkController module's resource cmdlets, generated from one table: for each NC
// resource, Get-NetworkController<Noun> (GET), New-NetworkController<Noun> (PUT) and
// Remove-NetworkController<Noun> (DELETE), over the same REST path the REST verbs use.
// -Properties takes the resource's properties as JSON (PowerShell would take an object).
import type { ParamSpec } from '../bind';
import { CmdletError } from '../bind';
import type { Cmdlet, CmdletContext } from '../cmdlet';
import { formatList, type Row } from '../format';
import { runRest } from '../rest';

interface NcResource {
  noun: string;
  /** The REST collection under its parent (or at the top). */
  collection: string;
  /** The parent resource's id parameter and collection, for nested resources. */
  parent?: { param: string; collection: string };
}

const RESOURCES: readonly NcResource[] = [
  { noun: 'LogicalNetwork', collection: 'logicalNetworks' },
  {
    noun: 'LogicalSubnet',
    collection: 'logicalSubnets',
    parent: { param: 'LogicalNetworkId', collection: 'logicalNetworks' },
  },
  { noun: 'Server', collection: 'servers' },
  { noun: 'VirtualNetwork', collection: 'virtualNetworks' },
  {
    noun: 'VirtualSubnet',
    collection: 'subnets',
    parent: { param: 'VirtualNetworkId', collection: 'virtualNetworks' },
  },
  { noun: 'AccessControlList', collection: 'accessControlLists' },
  {
    noun: 'AccessControlListRule',
    collection: 'aclRules',
    parent: { param: 'AccessControlListId', collection: 'accessControlLists' },
  },
  { noun: 'NetworkInterface', collection: 'networkInterfaces' },
  {
    noun: 'VirtualNetworkPeering',
    collection: 'virtualNetworkPeerings',
    parent: { param: 'VirtualNetworkId', collection: 'virtualNetworks' },
  },
  { noun: 'RouteTable', collection: 'routeTables' },
  {
    noun: 'Route',
    collection: 'routes',
    parent: { param: 'RouteTableId', collection: 'routeTables' },
  },
];

const CONNECTION: ParamSpec = {
  name: 'ConnectionUri',
  type: 'String',
  help: 'the Network Controller (the lab has one: any https URI is it)',
};

function pathOf(r: NcResource, ctx: CmdletContext, id: string | undefined): string {
  const parentId = r.parent ? (ctx.args.get(r.parent.param) as string) : undefined;
  const base = r.parent
    ? `/networking/v1/${r.parent.collection}/${encodeURIComponent(parentId ?? '')}/${r.collection}`
    : `/networking/v1/${r.collection}`;
  return id === undefined ? base : `${base}/${encodeURIComponent(id)}`;
}

/** A resource as the cmdlet prints it: its envelope, properties as compact JSON. */
function row(resource: Record<string, unknown>): Row {
  const meta = resource.resourceMetadata as Record<string, unknown> | undefined;
  return {
    Tags: '',
    ResourceRef: String(resource.resourceRef ?? ''),
    InstanceId: String(resource.instanceId ?? ''),
    ResourceMetadata: meta ? JSON.stringify(meta) : '',
    ResourceId: String(resource.resourceId ?? ''),
    Properties: JSON.stringify(resource.properties),
  };
}

function parentParam(r: NcResource): ParamSpec[] {
  return r.parent
    ? [
        {
          name: r.parent.param,
          type: 'String',
          mandatory: true,
          help: `the parent ${r.parent.collection} resource`,
        },
      ]
    : [];
}

function getCmdlet(r: NcResource): Cmdlet {
  return {
    name: `Get-NetworkController${r.noun}`,
    synopsis: `Gets ${r.noun} resources from the Network Controller (GET ${r.parent ? `/${r.parent.collection}/{id}` : ''}/${r.collection}).`,
    params: [
      ...parentParam(r),
      { name: 'ResourceId', type: 'String', position: 0, help: 'one resource' },
      CONNECTION,
    ],
    run(ctx) {
      const id = ctx.args.get('ResourceId') as string | undefined;
      const out = runRest(ctx.env, 'GET', pathOf(r, ctx, id), undefined);
      const body = JSON.parse(out.output ?? '{}') as Record<string, unknown>;
      const list = (id === undefined ? body.value : [body]) as Record<string, unknown>[];
      return { output: formatList(list.map(row)) };
    },
  };
}

function newCmdlet(r: NcResource): Cmdlet {
  return {
    name: `New-NetworkController${r.noun}`,
    synopsis: `Creates or replaces a ${r.noun} (PUT); -Properties is its properties object as JSON.`,
    params: [
      ...parentParam(r),
      { name: 'ResourceId', type: 'String', mandatory: true, help: 'the resource id' },
      {
        name: 'Properties',
        type: 'String',
        mandatory: true,
        help: 'the properties, as JSON: \'{"addressSpace": …}\'',
      },
      { name: 'ResourceMetadata', type: 'String', help: 'resourceMetadata as JSON (name, tenantId)' },
      CONNECTION,
      { name: 'Force', type: 'Switch', help: 'replace without asking' },
    ],
    run(ctx) {
      const parse = (param: string): unknown => {
        const text = ctx.args.get(param) as string | undefined;
        if (text === undefined) return undefined;
        try {
          return JSON.parse(text);
        } catch (e) {
          throw new CmdletError(
            `Cannot bind parameter '${param}'. The value is not JSON: ${(e as Error).message}.`,
          );
        }
      };
      const id = ctx.args.get('ResourceId') as string;
      const body: Record<string, unknown> = { resourceId: id, properties: parse('Properties') };
      const meta = parse('ResourceMetadata');
      if (meta !== undefined) body.resourceMetadata = meta;
      const out = runRest(ctx.env, 'PUT', pathOf(r, ctx, id), JSON.stringify(body));
      const stored = JSON.parse((out.output ?? '').replace(/^[^\n]*\n/, '')) as Record<string, unknown>;
      return {
        output: formatList([row(stored)]),
        change: out.change && { ...out.change, label: `New-NetworkController${r.noun} ${id}` },
      };
    },
  };
}

function removeCmdlet(r: NcResource): Cmdlet {
  return {
    name: `Remove-NetworkController${r.noun}`,
    synopsis: `Deletes a ${r.noun} (DELETE).`,
    params: [
      ...parentParam(r),
      { name: 'ResourceId', type: 'String', mandatory: true, position: 0, help: 'the resource id' },
      CONNECTION,
      { name: 'Force', type: 'Switch', help: 'delete without asking' },
    ],
    run(ctx) {
      const id = ctx.args.get('ResourceId') as string;
      const out = runRest(ctx.env, 'DELETE', pathOf(r, ctx, id), undefined);
      return {
        output: '',
        change: out.change && { ...out.change, label: `Remove-NetworkController${r.noun} ${id}` },
      };
    },
  };
}

export const NETWORK_CONTROLLER_CMDLETS: readonly Cmdlet[] = RESOURCES.flatMap((r) => [
  getCmdlet(r),
  newCmdlet(r),
  removeCmdlet(r),
]);
