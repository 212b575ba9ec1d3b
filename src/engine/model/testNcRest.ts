// A plain Network Controller REST export of any size, as the NC writes one: no hnvLab
// extensions, no routing domain IDs (instanceId), so the importer allocates them. For the
// import benchmark, the scaling test and the end-to-end test of a long import. Deterministic.

export interface PlainNcExportOptions {
  /** Servers (hosts), each with two team members on the one PA logical subnet. Default 20. */
  servers?: number;
  /** One VM network interface every this many virtual networks (0: none). Default 4. */
  interfaceEvery?: number;
  /** Tenants the networks are spread over. Default 1000. */
  tenants?: number;
}

/** `networks` virtual networks, one /24 subnet each (VSIDs from 5001), spread over tenants. */
export function plainNcExport(networks: number, options: PlainNcExportOptions = {}): Record<string, unknown> {
  const serverCount = options.servers ?? 20;
  const interfaceEvery = options.interfaceEvery ?? 4;
  const tenants = options.tenants ?? 1000;
  const paSubnetRef = '/logicalNetworks/hnv-pa/logicalSubnets/pa-1';
  const servers = Array.from({ length: serverCount }, (_, h) => {
    const id = `host-${h + 1}`;
    return {
      resourceId: id,
      resourceRef: `/servers/${id}`,
      resourceMetadata: { name: `Host ${h + 1}` },
      properties: {
        networkInterfaces: ['NIC1', 'NIC2'].map((nic) => ({
          resourceId: nic,
          resourceRef: `/servers/${id}/networkInterfaces/${nic}`,
          properties: { logicalSubnets: [{ resourceRef: paSubnetRef }] },
        })),
      },
    };
  });
  const virtualNetworks: unknown[] = [];
  const networkInterfaces: unknown[] = [];
  for (let i = 0; i < networks; i++) {
    const vn = `vnet-${i + 1}`;
    const subnet = `${vn}-web`;
    const tenantId = `tenant-${(i % tenants) + 1}`;
    const subnetRef = `/virtualNetworks/${vn}/subnets/${subnet}`;
    const nic = interfaceEvery > 0 && i % interfaceEvery === 0 ? `nic-${i + 1}` : undefined;
    virtualNetworks.push({
      resourceId: vn,
      resourceRef: `/virtualNetworks/${vn}`,
      resourceMetadata: { name: `Network ${i + 1}`, tenantId },
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/24'] },
        logicalNetwork: { resourceRef: '/logicalNetworks/hnv-pa' },
        subnets: [
          {
            resourceId: subnet,
            resourceRef: subnetRef,
            properties: {
              addressPrefix: '10.0.0.0/24',
              vsid: 5001 + i,
              ipConfigurations:
                nic === undefined
                  ? []
                  : [{ resourceRef: `/networkInterfaces/${nic}/ipConfigurations/ipconfig1` }],
            },
          },
        ],
      },
    });
    if (nic === undefined) continue;
    networkInterfaces.push({
      resourceId: nic,
      resourceRef: `/networkInterfaces/${nic}`,
      resourceMetadata: { name: `vm-${i + 1}`, tenantId },
      properties: {
        privateMacAddress: (0x00155d000000 + i + 1).toString(16).padStart(12, '0').toUpperCase(),
        privateMacAllocationMethod: 'Static',
        isPrimary: true,
        server: { resourceRef: `/servers/host-${(i % serverCount) + 1}` },
        ipConfigurations: [
          {
            resourceId: 'ipconfig1',
            resourceRef: `/networkInterfaces/${nic}/ipConfigurations/ipconfig1`,
            properties: {
              privateIPAddress: '10.0.0.4',
              privateIPAllocationMethod: 'Static',
              subnet: { resourceRef: subnetRef },
            },
          },
        ],
      },
    });
  }
  return {
    logicalNetworks: [
      {
        resourceId: 'hnv-pa',
        resourceRef: '/logicalNetworks/hnv-pa',
        resourceMetadata: { name: 'HNV PA' },
        properties: {
          networkVirtualizationEnabled: true,
          subnets: [
            {
              resourceId: 'pa-1',
              resourceRef: paSubnetRef,
              resourceMetadata: { name: 'PA rack 1' },
              properties: {
                addressPrefix: '172.16.0.0/22',
                vlanID: 11,
                defaultGateways: ['172.16.0.1'],
                isPublic: false,
              },
            },
          ],
        },
      },
    ],
    servers,
    accessControlLists: [],
    virtualNetworks,
    networkInterfaces,
  };
}
