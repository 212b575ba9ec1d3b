// The Network Controller's northbound REST API as console verbs:
//   GET    /networking/v1/virtualNetworks[/{id}[/subnets/{id}]]
//   PUT    /networking/v1/virtualNetworks/{id}  { "properties": { ... } }
//   DELETE /networking/v1/networkInterfaces/{id}
// A PUT or DELETE edits the document's NC export and imports it back, so every rule of the
// importer and the validator applies (a refused change changes nothing). Resources carry
// resourceId, resourceRef, properties and provisioningState, as the NC returns them.

import { newRoutingDomainId } from '../model/allocate';
import { fromNetworkControllerRest, type NcRestExport, toNetworkControllerRest } from '../model/rest';
import { CmdletError } from './bind';
import { type CmdletOutput, commit, type ShellEnv } from './cmdlet';

/** The collections a path may name, top level and nested (parent -> child property). */
const TOP = [
  'logicalNetworks',
  'servers',
  'accessControlLists',
  'virtualNetworks',
  'networkInterfaces',
  'routeTables',
  'gatewayPools',
  'gateways',
  'virtualGateways',
] as const;
const NESTED: Record<string, string> = {
  subnets: 'subnets',
  routes: 'routes',
  virtualNetworkPeerings: 'virtualNetworkPeerings',
  logicalSubnets: 'subnets',
  aclRules: 'aclRules',
  ipConfigurations: 'ipConfigurations',
  networkInterfaces: 'networkInterfaces',
  networkConnections: 'networkConnections',
};

export const REST_VERBS = ['GET', 'PUT', 'DELETE'] as const;
export const REST_COLLECTIONS: readonly string[] = TOP;

type Json = Record<string, unknown>;

class RestError extends CmdletError {
  constructor(
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/** `/networking/v1/a/b/c/d` (or a full https URI) -> ['a','b','c','d']. */
function segments(path: string): string[] {
  const noHost = path.replace(/^https?:\/\/[^/]+/i, '');
  const m = noHost.match(/^\/networking\/v1\/(.*)$/i);
  if (!m)
    throw new RestError(
      '404 Not Found',
      `The path '${path}' is not under /networking/v1/ (try GET /networking/v1/virtualNetworks).`,
    );
  return m[1]
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

interface Located {
  /** The array holding the resource (or where a PUT puts it). */
  list: Json[];
  id: string | undefined;
  /** The resource's path, for resourceRef. */
  ref: string;
}

function locate(exported: NcRestExport, segs: string[], forWrite: boolean): Located {
  const [top, topId, ...rest] = segs;
  if (!TOP.includes(top as (typeof TOP)[number]))
    throw new RestError(
      '404 Not Found',
      `No resource collection '${top ?? ''}': the lab's Network Controller has ${TOP.join(', ')}.`,
    );
  // The gateway's collections are absent from a document without a gateway: empty, and a PUT fills them.
  const collections = exported as unknown as Record<string, Json[] | undefined>;
  collections[top] ??= [];
  let list = collections[top] as Json[];
  let ref = `/${top}`;
  let id = topId;
  for (let i = 0; i < rest.length; i += 2) {
    const parent = list.find((r) => r.resourceId === id);
    if (!parent) throw new RestError('404 Not Found', `${ref}/${id} does not exist.`);
    const child = rest[i];
    const prop = NESTED[child];
    const props = parent.properties as Json;
    // A collection the export leaves out when empty (a network without peerings).
    if (prop === 'virtualNetworkPeerings' && props[prop] === undefined) props[prop] = [];
    if (prop === undefined || !Array.isArray(props[prop]))
      throw new RestError('404 Not Found', `${ref}/${id} has no '${child}' collection.`);
    ref = `${ref}/${id}/${child}`;
    list = props[prop] as Json[];
    id = rest[i + 1];
  }
  if (forWrite && id === undefined)
    throw new RestError('405 Method Not Allowed', `Name the resource: ${ref}/{resourceId}.`);
  return { list, id, ref };
}

function withState(resource: Json): Json {
  const properties = { ...(resource.properties as Json), provisioningState: 'Succeeded' };
  return { ...resource, properties };
}

const pretty = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function parseBody(text: string | undefined): Json {
  if (text === undefined || text.trim() === '')
    throw new RestError('400 Bad Request', 'PUT needs a JSON body: { "properties": { ... } }.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new RestError('400 Bad Request', `The body is not JSON: ${(e as Error).message}.`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new RestError(
      '400 Bad Request',
      'The body must be one resource object: { "properties": { ... } }.',
    );
  const props = (body as Json).properties;
  if (typeof props !== 'object' || props === null || Array.isArray(props))
    throw new RestError('400 Bad Request', "The body's 'properties' must be an object.");
  return body as Json;
}

/** What the NC fills in on a PUT the client leaves out: instanceId of a new VM network, VSIDs. */
function fillServerSide(
  exported: NcRestExport,
  segs: string[],
  resource: Json,
  doc: ShellEnv['document'],
): void {
  const used = new Set<number>();
  for (const vn of exported.virtualNetworks)
    for (const s of vn.properties.subnets) used.add(s.properties.vsid);
  const fillSubnet = (s: Json): void => {
    const sp = s.properties as Json | undefined;
    if (!sp) return;
    if (sp.vsid === undefined) {
      let vsid = 5001;
      while (used.has(vsid)) vsid++;
      used.add(vsid);
      sp.vsid = vsid;
    }
    if (!Array.isArray(sp.ipConfigurations)) sp.ipConfigurations = [];
  };
  if (segs.length === 2 && segs[0] === 'virtualNetworks') {
    if (typeof resource.instanceId !== 'string') resource.instanceId = newRoutingDomainId(doc);
    const props = resource.properties as Json;
    for (const s of (Array.isArray(props.subnets) ? props.subnets : []) as Json[]) fillSubnet(s);
  }
  if (segs.length === 4 && segs[0] === 'virtualNetworks' && segs[2] === 'subnets') fillSubnet(resource);
}

export function runRest(
  env: ShellEnv,
  verb: string,
  path: string,
  bodyText: string | undefined,
): CmdletOutput {
  try {
    const segs = segments(path);
    const exported = toNetworkControllerRest(env.document);
    exported.routeTables ??= []; // left out of exports of documents without route tables
    const upper = verb.toUpperCase();
    if (upper === 'GET') {
      const { list, id, ref } = locate(exported, segs, false);
      if (id === undefined) return { output: pretty({ value: list.map(withState) }) };
      const found = list.find((r) => r.resourceId === id);
      if (!found) throw new RestError('404 Not Found', `${ref}/${id} does not exist.`);
      return { output: pretty(withState(found)) };
    }
    const { list, id, ref } = locate(exported, segs, true);
    const at = list.findIndex((r) => r.resourceId === id);
    if (upper === 'DELETE') {
      if (at < 0) throw new RestError('404 Not Found', `${ref}/${id} does not exist.`);
      list.splice(at, 1);
      return { output: '200 OK\n', change: reimport(exported, `DELETE ${ref}/${id}`) };
    }
    if (upper !== 'PUT')
      throw new RestError('405 Method Not Allowed', `The lab's REST verbs are ${REST_VERBS.join(', ')}.`);
    const body = parseBody(bodyText);
    if (body.resourceId !== undefined && body.resourceId !== id)
      throw new RestError(
        '400 Bad Request',
        `The body's resourceId '${String(body.resourceId)}' differs from the path's '${id}'.`,
      );
    const resource: Json = { ...body, resourceId: id, resourceRef: `${ref}/${id}` };
    if (at >= 0 && resource.instanceId === undefined && list[at].instanceId !== undefined)
      resource.instanceId = list[at].instanceId;
    fillServerSide(exported, segs, resource, env.document);
    if (at >= 0) list[at] = resource;
    else list.push(resource);
    const change = reimport(exported, `PUT ${ref}/${id}`);
    const stored = locate(toNetworkControllerRest(change.document), segs, true).list.find(
      (r) => r.resourceId === id,
    );
    return {
      output: `${at >= 0 ? '200 OK' : '201 Created'}\n${pretty(stored ? withState(stored) : resource)}`,
      change,
    };
  } catch (e) {
    if (e instanceof RestError) throw new CmdletError(`${e.status}: ${e.message}`);
    throw e;
  }
}

function reimport(exported: NcRestExport, label: string) {
  const result = fromNetworkControllerRest(exported);
  if (!result.ok) {
    const shown = result.errors.slice(0, 3).map((e) => e.message);
    throw new RestError(
      '400 Bad Request',
      `${shown.join('; ')}${result.errors.length > 3 ? ` (and ${result.errors.length - 3} more)` : ''}. Nothing changed.`,
    );
  }
  try {
    return commit(label, result.document);
  } catch (e) {
    throw new RestError('400 Bad Request', (e as Error).message);
  }
}
