// fast-check generators of valid documents, built with the DatacenterBuilder (tests only).
import fc from 'fast-check';
import { aclRule, DatacenterBuilder } from './builder';
import type { HnvMode, TopologyDocument } from './schema';

export interface DatacenterShape {
  hnvMode: HnvMode;
  racks: number;
  hostsPerRack: number;
  teamMembers: number;
  mtu: number;
  tenants: number;
  networksPerTenant: number;
  subnetsPerNetwork: number;
  prefixLength: number;
  encapsulations: ('vxlan' | 'nvgre')[];
  vms: {
    tenant: number;
    network: number;
    subnet: number;
    host: number;
    extraNic: boolean;
    portAcl: boolean;
  }[];
  withAcl: boolean;
  firstVsid: number;
}

export const datacenterShape: fc.Arbitrary<DatacenterShape> = fc
  .record({
    hnvMode: fc.constantFrom<HnvMode>('v2', 'v1'),
    racks: fc.integer({ min: 1, max: 3 }),
    hostsPerRack: fc.integer({ min: 1, max: 3 }),
    teamMembers: fc.integer({ min: 1, max: 3 }),
    mtu: fc.constantFrom(1500, 9000),
    tenants: fc.integer({ min: 1, max: 3 }),
    networksPerTenant: fc.integer({ min: 1, max: 2 }),
    subnetsPerNetwork: fc.integer({ min: 1, max: 3 }),
    prefixLength: fc.integer({ min: 24, max: 27 }), // /27 still holds 12 VMs with two vNICs each
    encapsulations: fc.array(fc.constantFrom<'vxlan' | 'nvgre'>('vxlan', 'nvgre'), {
      minLength: 3,
      maxLength: 3,
    }),
    vms: fc.array(
      fc.record({
        tenant: fc.nat(),
        network: fc.nat(),
        subnet: fc.nat(),
        host: fc.nat(),
        extraNic: fc.boolean(),
        portAcl: fc.boolean(),
      }),
      { maxLength: 12 },
    ),
    withAcl: fc.boolean(),
    firstVsid: fc.integer({ min: 4096, max: 16_000_000 }),
  })
  .map((shape) => shape);

export function buildFromShape(shape: DatacenterShape): TopologyDocument {
  const b = new DatacenterBuilder('Generated', shape.hnvMode);
  const racks: string[] = [];
  for (let r = 0; r < shape.racks; r++) {
    racks.push(
      b.logicalSubnet({
        name: `Rack ${r + 1}`,
        prefix: `192.168.${r + 1}.0/24`,
        vlanId: 10 + r,
        mtu: shape.mtu,
      }),
    );
  }
  b.router({ name: 'ToR' });
  const hosts: string[] = [];
  for (let r = 0; r < shape.racks; r++) {
    for (let h = 0; h < shape.hostsPerRack; h++) {
      hosts.push(
        b.host({ name: `Host ${r + 1}.${h + 1}`, logicalSubnetId: racks[r], teamMembers: shape.teamMembers }),
      );
    }
  }
  const acl = shape.withAcl
    ? b.acl({
        name: 'Web',
        defaultAction: 'deny',
        rules: [
          aclRule({
            name: 'http',
            priority: 100,
            direction: 'inbound',
            action: 'allow',
            protocol: 'tcp',
            destinationPortRange: '80',
          }),
          aclRule({
            name: 'high',
            priority: 200,
            direction: 'inbound',
            action: 'allow',
            protocol: 'udp',
            sourcePortRange: '1024-65535',
          }),
          aclRule({
            name: 'out',
            priority: 100,
            direction: 'outbound',
            action: 'allow',
            destinationAddressPrefix: '10.0.0.0/8',
          }),
        ],
      })
    : undefined;
  const subnets: string[][][] = [];
  let vsid = shape.firstVsid;
  for (let t = 0; t < shape.tenants; t++) {
    const tenant = b.tenant(`Tenant ${t + 1}`);
    const networks: string[][] = [];
    for (let n = 0; n < shape.networksPerTenant; n++) {
      const network = b.vmNetwork({ tenantId: tenant, name: `Net ${n + 1}` });
      const list: string[] = [];
      for (let s = 0; s < shape.subnetsPerNetwork; s++) {
        list.push(
          b.virtualSubnet({
            vmNetworkId: network,
            name: `Subnet ${s + 1}`,
            prefix: `10.${n}.${s}.0/${shape.prefixLength}`,
            vsid: vsid++,
            encapsulation: shape.hnvMode === 'v1' ? 'nvgre' : shape.encapsulations[s],
            aclId: s === 0 ? acl : undefined,
          }),
        );
      }
      networks.push(list);
    }
    subnets.push(networks);
  }
  shape.vms.forEach((vm, i) => {
    const networks = subnets[vm.tenant % subnets.length];
    const list = networks[vm.network % networks.length];
    const subnet = list[vm.subnet % list.length];
    const other = list[(vm.subnet + 1) % list.length];
    b.vm(`VM ${i + 1}`, {
      hostId: hosts[vm.host % hosts.length],
      virtualSubnetId: subnet,
      aclId: vm.portAcl ? acl : undefined,
      moreNics: vm.extraNic ? [{ virtualSubnetId: other }] : undefined,
    });
  });
  return b.build();
}

export const validDocument: fc.Arbitrary<TopologyDocument> = datacenterShape.map(buildFromShape);
