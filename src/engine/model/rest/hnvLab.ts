// The lab's extension block (hnvLab at the top level): what the NC API does not hold about the
// document itself: its name, HNV mode, tenants, physical routers, canvas layout, object order.
import {
  DOCUMENT_VERSION,
  type Flow,
  type PolicySource,
  type Router,
  type TopologyDocument,
} from '../schema';
import { type Json, own, type RestReader, type Who } from './reader';
import { type NcRestExport, REST_FORMAT } from './types';

export function hnvLabToNc(doc: TopologyDocument): NcRestExport['hnvLab'] {
  const hnvLab: NcRestExport['hnvLab'] = {
    format: REST_FORMAT,
    version: DOCUMENT_VERSION,
    name: doc.name,
    hnvMode: doc.hnvMode,
    tenants: doc.tenants.map((t) => ({ ...t })),
    routers: doc.routers.map((r) => ({ ...r, interfaces: r.interfaces.map((i) => ({ ...i })) })),
    order: {
      virtualSubnets: doc.virtualSubnets.map((s) => s.id),
      logicalSubnets: doc.logicalSubnets.map((s) => s.id),
    },
  };
  if (doc.layout !== undefined)
    hnvLab.layout = JSON.parse(JSON.stringify(doc.layout)) as TopologyDocument['layout'];
  // HNVv1 policy set by PowerShell: no NC resource holds the admin's records, so the lab keeps them.
  if (doc.policySource !== undefined) hnvLab.policySource = doc.policySource;
  if (doc.lookupRecords !== undefined) hnvLab.lookupRecords = doc.lookupRecords.map((r) => ({ ...r }));
  if (doc.slbMuxes !== undefined) hnvLab.slbMuxes = doc.slbMuxes.map((m) => ({ ...m }));
  if (doc.externalEndpoints !== undefined)
    hnvLab.externalEndpoints = doc.externalEndpoints.map((e) => ({ ...e }));
  // The trace panel's flows are the lab's, not the controller's.
  if (doc.flows !== undefined) hnvLab.flows = doc.flows.map((f) => ({ ...f }));
  return hnvLab;
}

const POLICY_SOURCES: ReadonlyMap<string, PolicySource> = new Map([
  ['controller', 'controller'],
  ['powershell', 'powershell'],
]);

/** hnvLab.policySource and hnvLab.lookupRecords (HNVv1's PowerShell-set records), field by field. */
export function readManualPolicy(reader: RestReader, top: Json, exported: Who, doc: TopologyDocument): void {
  const source = reader.optionalChoice(
    top,
    'policySource',
    exported,
    'hnvLab.policySource',
    POLICY_SOURCES,
    "'controller', 'powershell'",
  );
  if (source !== undefined) doc.policySource = source;
  if (own(top, 'lookupRecords') === undefined) return;
  doc.lookupRecords = reader.list(top, 'lookupRecords', exported, 'hnvLab.lookupRecords').map((r, i) => {
    const at = `hnvLab.lookupRecords[${i}]`;
    const vmName = reader.optionalText(r, 'vmName', exported, `${at}.vmName`);
    return {
      caIp: reader.text(r, 'caIp', exported, `${at}.caIp`),
      vsid: reader.number(r, 'vsid', exported, `${at}.vsid`),
      mac: reader.text(r, 'mac', exported, `${at}.mac`),
      pa: reader.text(r, 'pa', exported, `${at}.pa`),
      ...(vmName === undefined ? {} : { vmName }),
    };
  });
}

/** The lab's physical routers, kept under hnvLab.routers: every field checked like a resource's. */
export function readRouters(reader: RestReader, top: Json, exported: Who): Router[] | undefined {
  if (own(top, 'routers') === undefined) return undefined;
  return reader.list(top, 'routers', exported, 'hnvLab.routers').map((r, index) => {
    const raw = own(r, 'id');
    const who: Who = { kind: 'router', name: typeof raw === 'string' && raw !== '' ? raw : `#${index + 1}` };
    const at = `hnvLab.routers[${index}]`;
    const id = reader.text(r, 'id', who, `${at}.id`);
    return {
      id,
      name: reader.text(r, 'name', who, `${at}.name`, id),
      interfaces: reader.list(r, 'interfaces', who, `${at}.interfaces`).map((itf, i) => ({
        logicalSubnetId: reader.text(itf, 'logicalSubnetId', who, `${at}.interfaces[${i}].logicalSubnetId`),
        ip: reader.text(itf, 'ip', who, `${at}.interfaces[${i}].ip`),
        mac: reader.text(itf, 'mac', who, `${at}.interfaces[${i}].mac`),
      })),
    };
  });
}

/** hnvLab.flows (the trace panel's list of flows), field by field; validation checks the rest. */
export function readFlows(reader: RestReader, top: Json, exported: Who): Flow[] | undefined {
  if (own(top, 'flows') === undefined) return undefined;
  return reader.list(top, 'flows', exported, 'hnvLab.flows').map((f, index) => {
    const raw = own(f, 'id');
    const who: Who = { kind: 'flow', name: typeof raw === 'string' && raw !== '' ? raw : `#${index + 1}` };
    const at = `hnvLab.flows[${index}]`;
    const id = reader.text(f, 'id', who, `${at}.id`);
    const dstPort = reader.optionalNumber(f, 'dstPort', who, `${at}.dstPort`);
    return {
      id,
      name: reader.text(f, 'name', who, `${at}.name`, id),
      from: reader.text(f, 'from', who, `${at}.from`),
      to: reader.text(f, 'to', who, `${at}.to`),
      protocol: reader.text(f, 'protocol', who, `${at}.protocol`) as Flow['protocol'],
      ...(dstPort === undefined ? {} : { dstPort }),
    };
  });
}
