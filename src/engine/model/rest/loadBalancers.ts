// loadBalancers (the SLB manager's resource), both ways: one frontendIPConfiguration (the VIP),
// one backendAddressPool whose backendIPConfigurations are the DIPs' ipConfigurations,
// loadBalancingRules, probes, inboundNatRules and outboundNatRules, wired by resourceRefs. What
// the NC does not hold stays under hnvLab: the SNAT port range of an outbound rule and the
// probes the lab marks failing. The SLB MUXes and external endpoints are the lab's physical
// side and travel in the top-level hnvLab block (hnvLab.ts), like the routers.
import type {
  ExternalEndpoint,
  LbInboundNatRule,
  LbOutboundNatRule,
  LbProbe,
  LbRule,
  LoadBalancer,
  SlbMux,
} from '../schema';
import type { ImportState } from './context';
import { type Json, own, type RestReader, type Who } from './reader';
import { IP_CONFIGURATION_ID, refs } from './refs';
import type { ResourceRef } from './types';

const FRONTEND = 'frontend';
const BACKEND = 'backend';

const lbRef = (lb: string) => `/loadBalancers/${encodeURIComponent(lb)}`;
const child = (lb: string, kind: string, id: string) => `${lbRef(lb)}/${kind}/${encodeURIComponent(id)}`;

type Sub = { resourceId: string; resourceRef: string; resourceMetadata: { name: string }; properties: Json };

export interface NcLoadBalancer {
  resourceId: string;
  resourceRef: string;
  resourceMetadata: { name: string };
  properties: {
    frontendIPConfigurations: Sub[];
    backendAddressPools: Sub[];
    loadBalancingRules: Sub[];
    probes: Sub[];
    inboundNatRules: Sub[];
    outboundNatRules: Sub[];
    hnvLab: { probeFailures?: string[] };
  };
}

const UPPER = { tcp: 'TCP', udp: 'UDP', all: 'All', http: 'HTTP' } as const;
const DISTRIBUTION_TO_NC = {
  default: 'Default',
  sourceIP: 'SourceIP',
  sourceIPProtocol: 'SourceIPProtocol',
} as const;

export function loadBalancerToNc(lb: LoadBalancer): NcLoadBalancer {
  const fe: ResourceRef[] = [{ resourceRef: child(lb.id, 'frontendIPConfigurations', FRONTEND) }];
  const pool: ResourceRef = { resourceRef: child(lb.id, 'backendAddressPools', BACKEND) };
  const ipConfig = (vnicId: string): ResourceRef => ({
    resourceRef: refs.ipConfiguration(vnicId, IP_CONFIGURATION_ID),
  });
  const sub = (kind: string, o: { id: string; name: string }, properties: Json): Sub => ({
    resourceId: o.id,
    resourceRef: child(lb.id, kind, o.id),
    resourceMetadata: { name: o.name },
    properties,
  });
  const hnvLab: NcLoadBalancer['properties']['hnvLab'] = {};
  if (lb.probeFailures !== undefined) hnvLab.probeFailures = [...lb.probeFailures];
  return {
    resourceId: lb.id,
    resourceRef: lbRef(lb.id),
    resourceMetadata: { name: lb.name },
    properties: {
      frontendIPConfigurations: [
        sub(
          'frontendIPConfigurations',
          { id: FRONTEND, name: 'VIP' },
          {
            privateIPAddress: lb.frontendIp,
            privateIPAllocationMethod: 'Static',
          },
        ),
      ],
      backendAddressPools: [
        sub('backendAddressPools', { id: BACKEND, name: 'DIPs' }, {
          backendIPConfigurations: lb.backendVnicIds.map(ipConfig) as unknown as Json,
        } as Json),
      ],
      loadBalancingRules: lb.rules.map((r) =>
        sub('loadBalancingRules', r, {
          frontendIPConfigurations: fe as unknown as Json,
          backendAddressPool: pool as unknown as Json,
          protocol: UPPER[r.protocol],
          frontendPort: r.frontendPort,
          backendPort: r.backendPort,
          enableFloatingIP: false,
          loadDistribution: DISTRIBUTION_TO_NC[r.loadDistribution],
          ...(r.probeId === undefined ? {} : { probe: { resourceRef: child(lb.id, 'probes', r.probeId) } }),
        } as Json),
      ),
      probes: lb.probes.map((p) =>
        sub('probes', p, {
          protocol: UPPER[p.protocol],
          port: p.port,
          ...(p.requestPath === undefined ? {} : { requestPath: p.requestPath }),
          intervalInSeconds: p.intervalInSeconds,
          numberOfProbes: p.numberOfProbes,
        }),
      ),
      inboundNatRules: lb.inboundNatRules.map((r) =>
        sub('inboundNatRules', r, {
          frontendIPConfigurations: fe as unknown as Json,
          protocol: UPPER[r.protocol],
          frontendPort: r.frontendPort,
          backendPort: r.backendPort,
          enableFloatingIP: false,
          backendIPConfiguration: ipConfig(r.backendVnicId) as unknown as Json,
        } as Json),
      ),
      outboundNatRules: lb.outboundNatRules.map((r) =>
        sub('outboundNatRules', r, {
          frontendIPConfigurations: fe as unknown as Json,
          backendAddressPool: pool as unknown as Json,
          protocol: UPPER[r.protocol],
          hnvLab: { portRangeStart: r.portRangeStart, portRangeEnd: r.portRangeEnd },
        } as Json),
      ),
      hnvLab,
    },
  };
}

const LB_PROTOCOLS: ReadonlyMap<string, 'tcp' | 'udp'> = new Map([
  ['tcp', 'tcp'],
  ['udp', 'udp'],
]);
const NAT_PROTOCOLS: ReadonlyMap<string, 'all' | 'tcp' | 'udp'> = new Map([
  ['all', 'all'],
  ['tcp', 'tcp'],
  ['udp', 'udp'],
]);
const PROBE_PROTOCOLS: ReadonlyMap<string, 'tcp' | 'http'> = new Map([
  ['tcp', 'tcp'],
  ['http', 'http'],
]);
const DISTRIBUTIONS: ReadonlyMap<string, LbRule['loadDistribution']> = new Map([
  ['default', 'default'],
  ['sourceip', 'sourceIP'],
  ['sourceipprotocol', 'sourceIPProtocol'],
]);

/** The vNIC an ipConfiguration reference names: /networkInterfaces/{vnic}/ipConfigurations/{ip}. */
function vnicOfIpConfiguration(
  reader: RestReader,
  owner: Json,
  key: string,
  who: Who,
  field: string,
): string {
  const value = own(owner, key);
  const ref =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? own(value as Json, 'resourceRef')
      : undefined;
  const parts = typeof ref === 'string' ? ref.split('/').filter((p) => p !== '') : [];
  if (parts[0] !== 'networkInterfaces' || parts[1] === undefined) {
    reader.fail(
      who,
      field,
      'reference',
      `${who.kind} ${who.name} ${field} is not a reference like { "resourceRef": "/networkInterfaces/Web/ipConfigurations/ipconfig1" }`,
    );
    return '';
  }
  return decodeURIComponent(parts[1]);
}

function subs<T>(
  reader: RestReader,
  p: Json,
  key: string,
  lbWho: Who,
  read: (sp: Json, id: string, name: string, who: Who, at: string) => T,
): T[] {
  return reader.list(p, key, lbWho, `properties.${key}`).map((s, i) => {
    const raw = own(s, 'resourceId');
    const who: Who = {
      kind: `${lbWho.kind} ${key}`,
      name: `${lbWho.name}/${typeof raw === 'string' && raw !== '' ? raw : `#${i + 1}`}`,
    };
    const id = reader.text(s, 'resourceId', who, 'resourceId');
    return read(reader.props(s, who), id, reader.nameOf(s, who, id), who, 'properties.');
  });
}

export function readLoadBalancer(item: Json, index: number, state: ImportState): void {
  const { reader, doc } = state;
  const { id, who } = reader.resource(item, 'load balancer', index);
  const p = reader.props(item, who);
  const frontends = subs(reader, p, 'frontendIPConfigurations', who, (sp, _id, _n, w, at) =>
    reader.text(sp, 'privateIPAddress', w, `${at}privateIPAddress`),
  );
  const pools = subs(reader, p, 'backendAddressPools', who, (sp, _id, _n, w, at) =>
    reader
      .list(sp, 'backendIPConfigurations', w, `${at}backendIPConfigurations`)
      .map((_, i, list) =>
        vnicOfIpConfiguration(
          reader,
          list as unknown as Json,
          String(i),
          w,
          `${at}backendIPConfigurations[${i}]`,
        ),
      ),
  );
  const probeIdOf = (sp: Json, w: Who, at: string) => {
    const ref = reader.optionalRef(sp, 'probe', w, `${at}probe`);
    return ref === undefined ? {} : { probeId: ref };
  };
  const rules: LbRule[] = subs(reader, p, 'loadBalancingRules', who, (sp, rid, name, w, at) => ({
    id: rid,
    name,
    protocol: reader.choice(sp, 'protocol', w, `${at}protocol`, LB_PROTOCOLS, 'TCP, UDP') ?? 'tcp',
    frontendPort: reader.number(sp, 'frontendPort', w, `${at}frontendPort`),
    backendPort: reader.number(sp, 'backendPort', w, `${at}backendPort`),
    loadDistribution:
      reader.optionalChoice(
        sp,
        'loadDistribution',
        w,
        `${at}loadDistribution`,
        DISTRIBUTIONS,
        'Default, SourceIP, SourceIPProtocol',
      ) ?? 'default',
    ...probeIdOf(sp, w, at),
  }));
  const probes: LbProbe[] = subs(reader, p, 'probes', who, (sp, pid, name, w, at) => {
    const requestPath = reader.optionalText(sp, 'requestPath', w, `${at}requestPath`);
    return {
      id: pid,
      name,
      protocol: reader.choice(sp, 'protocol', w, `${at}protocol`, PROBE_PROTOCOLS, 'TCP, HTTP') ?? 'tcp',
      port: reader.number(sp, 'port', w, `${at}port`),
      ...(requestPath === undefined ? {} : { requestPath }),
      intervalInSeconds: reader.optionalNumber(sp, 'intervalInSeconds', w, `${at}intervalInSeconds`) ?? 15,
      numberOfProbes: reader.optionalNumber(sp, 'numberOfProbes', w, `${at}numberOfProbes`) ?? 2,
    };
  });
  const inboundNatRules: LbInboundNatRule[] = subs(
    reader,
    p,
    'inboundNatRules',
    who,
    (sp, rid, name, w, at) => ({
      id: rid,
      name,
      protocol: reader.choice(sp, 'protocol', w, `${at}protocol`, LB_PROTOCOLS, 'TCP, UDP') ?? 'tcp',
      frontendPort: reader.number(sp, 'frontendPort', w, `${at}frontendPort`),
      backendPort: reader.number(sp, 'backendPort', w, `${at}backendPort`),
      backendVnicId: vnicOfIpConfiguration(
        reader,
        sp,
        'backendIPConfiguration',
        w,
        `${at}backendIPConfiguration`,
      ),
    }),
  );
  const outboundNatRules: LbOutboundNatRule[] = subs(
    reader,
    p,
    'outboundNatRules',
    who,
    (sp, rid, name, w, at) => {
      const lab = reader.object(sp, 'hnvLab', w, `${at}hnvLab`);
      return {
        id: rid,
        name,
        protocol:
          reader.optionalChoice(sp, 'protocol', w, `${at}protocol`, NAT_PROTOCOLS, 'All, TCP, UDP') ?? 'all',
        portRangeStart: reader.optionalNumber(lab, 'portRangeStart', w, `${at}hnvLab.portRangeStart`) ?? 1024,
        portRangeEnd: reader.optionalNumber(lab, 'portRangeEnd', w, `${at}hnvLab.portRangeEnd`) ?? 65535,
      };
    },
  );
  if (frontends.length !== 1)
    reader.fail(
      who,
      'properties.frontendIPConfigurations',
      'one-frontend',
      `load balancer ${who.name} has ${frontends.length} frontend IP configurations; the lab models exactly one VIP`,
    );
  const lab = reader.object(p, 'hnvLab', who, 'properties.hnvLab');
  const probeFailures = reader.optionalStrings(lab, 'probeFailures', who, 'properties.hnvLab.probeFailures');
  doc.loadBalancers ??= [];
  doc.loadBalancers.push({
    id,
    name: reader.nameOf(item, who, id),
    frontendIp: frontends[0] ?? '',
    backendVnicIds: pools.flat(),
    rules,
    probes,
    inboundNatRules,
    outboundNatRules,
    ...(probeFailures === undefined ? {} : { probeFailures }),
  });
}

/** hnvLab.slbMuxes and hnvLab.externalEndpoints: the lab's physical SLB side, field by field. */
export function readSlbDevices(
  reader: RestReader,
  top: Json,
  exported: Who,
): Pick<ImportState['doc'], 'slbMuxes' | 'externalEndpoints'> {
  const out: Pick<ImportState['doc'], 'slbMuxes' | 'externalEndpoints'> = {};
  if (own(top, 'slbMuxes') !== undefined)
    out.slbMuxes = reader.list(top, 'slbMuxes', exported, 'hnvLab.slbMuxes').map((m, i): SlbMux => {
      const at = `hnvLab.slbMuxes[${i}]`;
      const id = reader.text(m, 'id', exported, `${at}.id`);
      return {
        id,
        name: reader.text(m, 'name', exported, `${at}.name`, id),
        hostId: reader.text(m, 'hostId', exported, `${at}.hostId`),
        ip: reader.text(m, 'ip', exported, `${at}.ip`),
        mac: reader.text(m, 'mac', exported, `${at}.mac`),
        asn: reader.number(m, 'asn', exported, `${at}.asn`),
      };
    });
  if (own(top, 'externalEndpoints') !== undefined)
    out.externalEndpoints = reader
      .list(top, 'externalEndpoints', exported, 'hnvLab.externalEndpoints')
      .map((e, i): ExternalEndpoint => {
        const at = `hnvLab.externalEndpoints[${i}]`;
        const id = reader.text(e, 'id', exported, `${at}.id`);
        return {
          id,
          name: reader.text(e, 'name', exported, `${at}.name`, id),
          logicalSubnetId: reader.text(e, 'logicalSubnetId', exported, `${at}.logicalSubnetId`),
          ip: reader.text(e, 'ip', exported, `${at}.ip`),
          mac: reader.text(e, 'mac', exported, `${at}.mac`),
        };
      });
  return out;
}
