// networkInterfaces (with their ipConfigurations): the VMs' vNICs, both ways.
import type { Vm, Vnic } from '../schema';
import type { ExportContext, ImportState } from './context';
import { type Json, label, own, SWITCHES } from './reader';
import { fromNcMac, IP_CONFIGURATION_ID, refs, toNcMac } from './refs';
import type { NcIpConfiguration, NcNetworkInterface, ResourceMetadata } from './types';

export function networkInterfacesToNc(vm: Vm, ctx: ExportContext): NcNetworkInterface[] {
  const { subnetById, tenantOfNetwork } = ctx;
  const subnetRef = (subnetId: string): string =>
    refs.subnet(subnetById.get(subnetId)?.vmNetworkId ?? '', subnetId);
  return vm.nics.map((nic, index) => {
    const ipProperties: NcIpConfiguration['properties'] = {
      privateIPAddress: nic.caIp,
      privateIPAllocationMethod: 'Static',
      subnet: { resourceRef: subnetRef(nic.virtualSubnetId) },
    };
    if (nic.aclId !== undefined) ipProperties.accessControlList = { resourceRef: refs.acl(nic.aclId) };
    const metadata: ResourceMetadata = { name: nic.name };
    const tenantId = tenantOfNetwork.get(subnetById.get(nic.virtualSubnetId)?.vmNetworkId ?? '');
    if (tenantId !== undefined) metadata.tenantId = tenantId;
    return {
      resourceId: nic.id,
      resourceRef: refs.networkInterface(nic.id),
      resourceMetadata: metadata,
      properties: {
        privateMacAddress: toNcMac(nic.mac),
        privateMacAllocationMethod: 'Static' as const,
        isPrimary: index === 0,
        ipConfigurations: [
          {
            resourceId: IP_CONFIGURATION_ID,
            resourceRef: refs.ipConfiguration(nic.id, IP_CONFIGURATION_ID),
            properties: ipProperties,
          },
        ],
        server: { resourceRef: refs.server(vm.hostId) },
        ...(nic.macAddressSpoofing ? { portSettings: { macSpoofing: 'Enabled' as const } } : {}),
        hnvLab: { vmId: vm.id, vmName: vm.name, ...(nic.ipForwarding ? { ipForwarding: true } : {}) },
      },
    };
  });
}

export function readNetworkInterface(ni: Json, niIndex: number, state: ImportState): void {
  const { reader, doc, ensureTenant, vmById } = state;
  const { id, who } = reader.resource(ni, 'network interface', niIndex);
  const p = reader.props(ni, who);
  const ipConfigurations = reader.list(p, 'ipConfigurations', who, 'properties.ipConfigurations');
  const ip = ipConfigurations[0];
  if (ip === undefined) {
    if (ipConfigurations.length > 0) return; // not an object: reported
    reader.fail(
      who,
      'properties.ipConfigurations',
      'required',
      `${label(who)} has no ipConfiguration, so it has no CA`,
    );
    return;
  }
  const at = 'properties.ipConfigurations[0].properties';
  const ipp = reader.object(ip, 'properties', who, at);
  const hostId = reader.optionalRef(p, 'server', who, 'properties.server');
  if (hostId === undefined) {
    if (own(p, 'server') === undefined) {
      reader.fail(
        who,
        'properties.server',
        'required',
        `${label(who)} has no server, so the lab does not know which host runs it`,
      );
    }
    return;
  }
  const metadata = reader.object(ni, 'resourceMetadata', who, 'resourceMetadata');
  const tenantId = reader.optionalText(metadata, 'tenantId', who, 'resourceMetadata.tenantId');
  if (tenantId !== undefined) ensureTenant(tenantId);
  const vnic: Vnic = {
    id,
    name: reader.nameOf(ni, who, id),
    mac: fromNcMac(reader.optionalText(p, 'privateMacAddress', who, 'properties.privateMacAddress')) ?? '',
    caIp: reader.text(ipp, 'privateIPAddress', who, `${at}.privateIPAddress`),
    virtualSubnetId: reader.optionalRef(ipp, 'subnet', who, `${at}.subnet`) ?? '',
  };
  const aclId = reader.optionalRef(ipp, 'accessControlList', who, `${at}.accessControlList`);
  if (aclId !== undefined) vnic.aclId = aclId;
  const portSettings = reader.object(p, 'portSettings', who, 'properties.portSettings');
  const spoofing = reader.optionalChoice(
    portSettings,
    'macSpoofing',
    who,
    'properties.portSettings.macSpoofing',
    SWITCHES,
    'Enabled, Disabled',
  );
  if (spoofing === 'Enabled') vnic.macAddressSpoofing = true;
  const vmLab = reader.object(p, 'hnvLab', who, 'properties.hnvLab');
  const forwarding = own(vmLab, 'ipForwarding');
  if (forwarding === true) vnic.ipForwarding = true;
  else if (forwarding !== undefined && forwarding !== false)
    reader.fail(
      who,
      'properties.hnvLab.ipForwarding',
      'type',
      `${label(who)} properties.hnvLab.ipForwarding is not true or false`,
    );
  const vmId = reader.optionalText(vmLab, 'vmId', who, 'properties.hnvLab.vmId') || id;
  const existing = vmById.get(vmId);
  if (existing !== undefined) {
    existing.nics.push(vnic);
  } else {
    const vmName = reader.optionalText(vmLab, 'vmName', who, 'properties.hnvLab.vmName') || vnic.name;
    const vm: Vm = { id: vmId, name: vmName, hostId, nics: [vnic] };
    vmById.set(vmId, vm);
    doc.vms.push(vm);
  }
}
