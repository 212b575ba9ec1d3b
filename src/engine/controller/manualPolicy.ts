// Turning an HNVv1 datacenter over to PowerShell: the lookup records SCVMM would push today,
// written down as the admin's own (so switching changes nothing until a VM moves).
import type { ManualLookupRecord, TopologyDocument } from '../model/schema';
import { Controller } from './controller';

export function lookupRecordsToSet(doc: TopologyDocument): ManualLookupRecord[] {
  const controller = new Controller({ ...doc, policySource: undefined, lookupRecords: undefined });
  const seen = new Map<string, ManualLookupRecord>();
  for (const hostId of controller.hostIds())
    for (const r of controller.hostPolicy(hostId)?.lookupRecords ?? [])
      seen.set(`${r.vsid}/${r.caIp}`, {
        caIp: r.caIp,
        vsid: r.vsid,
        mac: r.mac,
        pa: r.pa,
        vmName: doc.vms.find((v) => v.id === r.vmId)?.name,
      });
  return [...seen.values()].sort(
    (a, b) => a.vsid - b.vsid || a.caIp.localeCompare(b.caIp, 'en', { numeric: true }),
  );
}
