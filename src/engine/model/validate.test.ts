import { describe, expect, it } from 'vitest';
import type { TopologyDocument } from './schema';
import { multiTenantFixture } from './testDocument';
import { formatValidationError, validateDocument } from './validate';

function messagesOf(input: unknown): string[] {
  const result = validateDocument(input);
  return result.ok ? [] : result.errors.map((e) => e.message);
}

function broken(edit: (doc: TopologyDocument) => void): TopologyDocument {
  const doc = multiTenantFixture();
  edit(doc);
  return doc;
}

/** Edits applied to a valid document as loose JSON (structural breakage the types forbid). */
function brokenJson(edit: (doc: Record<string, unknown> & { [k: string]: never }) => void): unknown {
  const doc = JSON.parse(JSON.stringify(multiTenantFixture()));
  edit(doc);
  return doc;
}

describe('validateDocument', () => {
  it('accepts the multi-tenant fixture, with overlapping CAs in two routing domains', () => {
    const result = validateDocument(multiTenantFixture());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.document.vms).toHaveLength(4);
  });

  const semanticCases: [string, (doc: TopologyDocument) => void, string][] = [
    [
      'VSID below range',
      (d) => {
        d.virtualSubnets[0].vsid = 4095;
      },
      "virtual subnet 'Contoso Subnet' VSID 4095 is outside 4096..16777214",
    ],
    [
      'VSID above range',
      (d) => {
        d.virtualSubnets[0].vsid = 16_777_215;
      },
      "virtual subnet 'Contoso Subnet' VSID 16777215 is outside 4096..16777214",
    ],
    [
      'duplicate VSID across tenants',
      (d) => {
        d.virtualSubnets[1].vsid = 5001;
      },
      "virtual subnet 'Fabrikam Subnet' VSID 5001 is already used by virtual subnet 'Contoso Subnet' (VSIDs are unique in the datacenter)",
    ],
    [
      'CA outside subnet',
      (d) => {
        d.vms[0].nics[0].caIp = '10.1.2.5';
      },
      'vNIC Contoso/SQL CA 10.1.2.5 is outside its subnet 10.1.1.0/24',
    ],
    [
      'CA is the gateway',
      (d) => {
        d.vms[0].nics[0].caIp = '10.1.1.1';
      },
      "vNIC Contoso/SQL CA 10.1.1.1 is the distributed router's gateway for 10.1.1.0/24",
    ],
    [
      'CA is the network address',
      (d) => {
        d.vms[0].nics[0].caIp = '10.1.1.0';
      },
      'vNIC Contoso/SQL CA 10.1.1.0 is the network address of 10.1.1.0/24',
    ],
    [
      'CA is the broadcast address',
      (d) => {
        d.vms[0].nics[0].caIp = '10.1.1.255';
      },
      'vNIC Contoso/SQL CA 10.1.1.255 is the broadcast address of 10.1.1.0/24',
    ],
    [
      'duplicate CA in one routing domain',
      (d) => {
        d.vms[1].nics[0].caIp = '10.1.1.11';
      },
      "vNIC Contoso/Web CA 10.1.1.11 is already used by vNIC Contoso/SQL in routing domain 'Contoso Net'",
    ],
    [
      'duplicate vNIC MAC',
      (d) => {
        d.vms[2].nics[0].mac = '00:15:5d:00:01:11';
      },
      'vNIC Fabrikam/SQL MAC 00:15:5d:00:01:11 is already used by vNIC Contoso/SQL',
    ],
    [
      'vNIC MAC equal to a team member',
      (d) => {
        d.vms[0].nics[0].mac = '00:1d:d8:00:01:01';
      },
      'vNIC Contoso/SQL MAC 00:1d:d8:00:01:01 is already used by team member Host 1/NIC1',
    ],
    [
      'router MAC equal to a team member',
      (d) => {
        d.routers[0].interfaces[0].mac = '00:1d:d8:00:02:02';
      },
      'team member Host 2/NIC2 MAC 00:1d:d8:00:02:02 is already used by router interface L3 router/PA Rack 1',
    ],
    [
      'multicast MAC',
      (d) => {
        d.vms[0].nics[0].mac = '01:00:5e:00:00:01';
      },
      'vNIC Contoso/SQL MAC 01:00:5e:00:00:01 is a multicast address, not a unicast one',
    ],
    [
      'duplicate routing domain ID',
      (d) => {
        d.vmNetworks[1].routingDomainId = '{11111111-1111-4111-8111-111111111111}';
      },
      "VM network 'Fabrikam Net' routing domain ID {11111111-1111-4111-8111-111111111111} is already used by VM network 'Contoso Net' (routing domain IDs are unique in the datacenter)",
    ],
    [
      'PA collision between hosts',
      (d) => {
        d.hosts[1].logicalSubnetId = 'pa1';
        d.hosts[1].providerAddresses = ['192.168.1.11', '192.168.1.21'];
      },
      "host 'Host 2' PA 192.168.1.11 is already used by host 'Host 1'",
    ],
    [
      'PA equal to a router interface',
      (d) => {
        d.routers[0].interfaces[0].ip = '192.168.1.254';
        d.hosts[0].providerAddresses[1] = '192.168.1.254';
      },
      "host 'Host 1' PA 192.168.1.254 is already used by router interface L3 router/PA Rack 1",
    ],
    [
      'PA equal to the gateway',
      (d) => {
        d.hosts[0].providerAddresses[1] = '192.168.1.1';
      },
      "host 'Host 1' PA 192.168.1.1 is the default gateway of logical subnet 'PA Rack 1'",
    ],
    [
      'PA outside its logical subnet',
      (d) => {
        d.hosts[0].providerAddresses[0] = '192.168.2.10';
      },
      "host 'Host 1' PA 192.168.2.10 is outside its logical subnet 'PA Rack 1' 192.168.1.0/24",
    ],
    [
      'PA is the broadcast address',
      (d) => {
        d.hosts[0].providerAddresses[0] = '192.168.1.255';
      },
      "host 'Host 1' PA 192.168.1.255 is the broadcast address of 192.168.1.0/24",
    ],
    [
      'HNVv2 PA count',
      (d) => {
        d.hosts[0].providerAddresses.pop();
      },
      "host 'Host 1' has 1 PA but 2 team members (HNVv2 binds one PA to each team member)",
    ],
    [
      'HNVv1 PA count',
      (d) => {
        d.hnvMode = 'v1';
        for (const s of d.virtualSubnets) s.encapsulation = 'nvgre'; // HNVv1 carries NVGRE only
        d.vms[0].hostId = 'host2';
        d.hosts[1].providerAddresses = ['192.168.2.20'];
      },
      "host 'Host 2' has 1 PA but VMs in 2 virtual subnets (HNVv1 needs one PA per VSID per host)",
    ],
    [
      'unknown logical subnet',
      (d) => {
        d.hosts[0].logicalSubnetId = 'nowhere';
      },
      "host 'Host 1' logicalSubnetId 'nowhere' refers to no logical subnet",
    ],
    [
      'router interface outside its logical subnet',
      (d) => {
        d.routers[0].interfaces[1].ip = '192.168.1.2';
      },
      "router interface L3 router/PA Rack 2 IP 192.168.1.2 is outside its logical subnet 'PA Rack 2' 192.168.2.0/24",
    ],
    [
      'router interface on an unknown logical subnet',
      (d) => {
        d.routers[0].interfaces[1].logicalSubnetId = 'pa9';
      },
      "router interface L3 router/1 interfaces[1].logicalSubnetId 'pa9' refers to no logical subnet",
    ],
    [
      'logical subnet gateway outside prefix',
      (d) => {
        d.logicalSubnets[0].defaultGateway = '192.168.9.1';
      },
      "logical subnet 'PA Rack 1' default gateway 192.168.9.1 is outside its prefix 192.168.1.0/24",
    ],
    [
      'overlapping logical subnets',
      (d) => {
        d.logicalSubnets[1].prefix = '192.168.0.0/16';
        d.logicalSubnets[1].defaultGateway = '192.168.2.1';
      },
      "logical subnet 'PA Rack 2' prefix 192.168.0.0/16 overlaps logical subnet 'PA Rack 1' 192.168.1.0/24 in the provider address space",
    ],
    [
      'virtual subnet prefix with host bits',
      (d) => {
        d.virtualSubnets[0].prefix = '10.1.1.7/24';
      },
      "virtual subnet 'Contoso Subnet' prefix 10.1.1.7/24 has host bits set (the network is 10.1.1.0/24)",
    ],
    [
      'virtual subnet prefix too small',
      (d) => {
        d.virtualSubnets[0].prefix = '10.1.1.8/31';
        d.vms.splice(0, 2);
      },
      "virtual subnet 'Contoso Subnet' prefix 10.1.1.8/31 is too small: it needs /30 or shorter to hold a gateway and a host",
    ],
    [
      'overlapping virtual subnets in one routing domain',
      (d) => {
        d.virtualSubnets.push({
          id: 'contoso-app',
          name: 'App',
          vmNetworkId: 'contoso-net',
          vsid: 5002,
          prefix: '10.1.0.0/16',
          encapsulation: 'vxlan',
        });
      },
      "virtual subnet 'App' prefix 10.1.0.0/16 overlaps virtual subnet 'Contoso Subnet' 10.1.1.0/24 in routing domain 'Contoso Net'",
    ],
    [
      'duplicate VM name in a tenant',
      (d) => {
        d.vms[1].name = 'SQL';
      },
      "VM Contoso/SQL name is already used by another VM of tenant 'Contoso'",
    ],
    [
      'duplicate host name',
      (d) => {
        d.hosts[1].name = 'Host 1';
      },
      "host 'Host 1' name is already used by another host",
    ],
    [
      'duplicate tenant name',
      (d) => {
        d.tenants[1].name = 'Contoso';
      },
      "tenant 'Contoso' name is already used by another tenant",
    ],
    [
      'duplicate id',
      (d) => {
        d.routers.push({ id: 'tor', name: 'Spine', interfaces: [] });
      },
      "router 'Spine' id 'tor' is already used by another router",
    ],
    [
      'unknown tenant',
      (d) => {
        d.vmNetworks[0].tenantId = 'nobody';
      },
      "VM network 'Contoso Net' tenantId 'nobody' refers to no tenant",
    ],
    [
      'unknown VM network',
      (d) => {
        d.virtualSubnets[0].vmNetworkId = 'nonet';
      },
      "virtual subnet 'Contoso Subnet' vmNetworkId 'nonet' refers to no VM network",
    ],
    [
      'unknown virtual subnet',
      (d) => {
        d.vms[3].nics[0].virtualSubnetId = 'nosub';
      },
      "vNIC Web nics[0].virtualSubnetId 'nosub' refers to no virtual subnet",
    ],
    [
      'unknown subnet ACL',
      (d) => {
        d.virtualSubnets[0].aclId = 'noacl';
      },
      "virtual subnet 'Contoso Subnet' aclId 'noacl' refers to no ACL",
    ],
    [
      'unknown port ACL',
      (d) => {
        d.vms[0].nics[0].aclId = 'noacl';
      },
      "vNIC Contoso/SQL nics[0].aclId 'noacl' refers to no ACL",
    ],
    [
      'unknown host',
      (d) => {
        d.vms[0].hostId = 'host9';
      },
      "VM Contoso/SQL hostId 'host9' refers to no host",
    ],
    [
      'unknown logical network',
      (d) => {
        d.logicalSubnets[0].logicalNetworkId = 'ln9';
      },
      "logical subnet 'PA Rack 1' logicalNetworkId 'ln9' refers to no logical network",
    ],
    [
      'ACL port out of range',
      (d) => {
        d.acls[0].rules[0].destinationPortRange = '80-70000';
      },
      'ACL rule Allow web/http destination port range 80-70000 is outside 0..65535',
    ],
    [
      'ACL port range reversed',
      (d) => {
        d.acls[0].rules[0].sourcePortRange = '2000-1000';
      },
      'ACL rule Allow web/http source port range 2000-1000 is reversed (its start is above its end)',
    ],
    [
      'ACL duplicate priority in one direction',
      (d) => {
        d.acls[0].rules[1].direction = 'inbound';
      },
      "ACL rule Allow web/any out priority 100 is already used by inbound rule 'http' of the same ACL",
    ],
    [
      'vNICs of one VM in two tenants',
      (d) => {
        d.vms[0].nics.push({
          id: 'x-nic',
          name: 'nic1',
          mac: '00:15:5d:00:09:09',
          caIp: '10.1.1.50',
          virtualSubnetId: 'fabrikam-web',
        });
      },
      "vNIC Contoso/SQL/nic1 virtual subnet 'Fabrikam Subnet' belongs to tenant 'Fabrikam', not to the VM's tenant 'Contoso'",
    ],
  ];

  it.each(semanticCases)('%s', (_title, edit, message) => {
    expect(messagesOf(broken(edit))).toEqual([message]);
  });

  const structuralCases: [string, unknown, string][] = [
    ['not an object', 42, 'the document is 42, not a topology document (a JSON object)'],
    [
      'newer version',
      brokenJson((d) => {
        d.version = 2 as never;
      }),
      "document 'Multi-tenant' version 2 is not 1 (migrate it first)",
    ],
    [
      'unknown HNV mode',
      brokenJson((d) => {
        d.hnvMode = 'v3' as never;
      }),
      "document 'Multi-tenant' HNV mode 'v3' is not one of 'v2', 'v1'",
    ],
    [
      'missing HNV mode',
      brokenJson((d) => {
        delete (d as { hnvMode?: string }).hnvMode;
      }),
      "document 'Multi-tenant' HNV mode is missing (one of 'v2', 'v1')",
    ],
    [
      'missing collection',
      brokenJson((d) => {
        delete d.routers;
      }),
      "document 'Multi-tenant' routers is missing",
    ],
    [
      'VSID not a number',
      brokenJson((d) => {
        (d.virtualSubnets as never as { vsid: unknown }[])[0].vsid = '5001';
      }),
      "virtual subnet 'Contoso Subnet' VSID '5001' is not a number",
    ],
    [
      'bad MAC',
      brokenJson((d) => {
        (d.vms as never as { nics: { mac: string }[] }[])[0].nics[0].mac = '00-15-5D-00-01-11';
      }),
      "vNIC SQL/nic0 MAC '00-15-5D-00-01-11' is not a MAC like 00:15:5d:01:02:03 (lower case, colons)",
    ],
    [
      'host without a logical subnet',
      brokenJson((d) => {
        delete (d.hosts as never as { logicalSubnetId?: string }[])[0].logicalSubnetId;
      }),
      "host 'Host 1' has no logical subnet (logicalSubnetId is missing)",
    ],
    [
      'bad PA',
      brokenJson((d) => {
        (d.hosts as never as { providerAddresses: string[] }[])[1].providerAddresses[0] = '192.168.2';
      }),
      "host 'Host 2' PA #1 '192.168.2' is not an IPv4 address like 10.1.1.11",
    ],
    [
      'MTU too small',
      brokenJson((d) => {
        (d.logicalSubnets as never as { mtu: number }[])[0].mtu = 100;
      }),
      "logical subnet 'PA Rack 1' MTU 100 is below the minimum 576",
    ],
    [
      'VLAN too large',
      brokenJson((d) => {
        (d.logicalSubnets as never as { vlanId: number }[])[0].vlanId = 4095;
      }),
      "logical subnet 'PA Rack 1' VLAN ID 4095 is above the maximum 4094",
    ],
    [
      'empty name',
      brokenJson((d) => {
        (d.tenants as never as { name: string }[])[0].name = ' ';
      }),
      "tenant 'contoso' name is empty",
    ],
    [
      'bad ACL address prefix',
      brokenJson((d) => {
        (d.acls as never as { rules: { sourceAddressPrefix: string }[] }[])[0].rules[0].sourceAddressPrefix =
          'any';
      }),
      "ACL rule Allow web/http source address prefix 'any' is not '*' or a prefix like 10.1.1.0/24",
    ],
    [
      'VM without vNICs',
      brokenJson((d) => {
        (d.vms as never as { nics: unknown[] }[])[0].nics = [];
      }),
      "VM 'SQL' vNICs needs at least 1",
    ],
    [
      'bad routing domain ID',
      brokenJson((d) => {
        (d.vmNetworks as never as { routingDomainId: string }[])[0].routingDomainId = 'rd-1';
      }),
      "VM network 'Contoso Net' routing domain ID 'rd-1' is not a GUID",
    ],
  ];

  it.each(structuralCases)('structural: %s', (_title, input, message) => {
    expect(messagesOf(input)).toEqual([message]);
  });

  it('puts the object, field and rule in every error, and formats them for the CLI', () => {
    const result = validateDocument(
      broken((d) => {
        d.virtualSubnets[0].vsid = 4095;
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toEqual({
      objectKind: 'virtual subnet',
      objectId: 'contoso-web',
      objectName: 'Contoso Subnet',
      field: 'vsid',
      rule: 'vsid-range',
      message: "virtual subnet 'Contoso Subnet' VSID 4095 is outside 4096..16777214",
    });
    expect(formatValidationError(result.errors[0])).toBe(
      "error: virtual subnet 'Contoso Subnet' VSID 4095 is outside 4096..16777214  [virtual subnet Contoso Subnet.vsid: vsid-range]",
    );
  });

  it('reports several errors at once', () => {
    const messages = messagesOf(
      broken((d) => {
        d.virtualSubnets[0].vsid = 1;
        d.vms[0].hostId = 'gone';
      }),
    );
    expect(messages).toHaveLength(2);
  });
});

describe('structural references', () => {
  it('says which reference is empty', () => {
    const doc = JSON.parse(JSON.stringify(multiTenantFixture()));
    doc.vms[0].hostId = '';
    expect(messagesOf(doc)).toEqual(["VM 'SQL' has no host (hostId is empty)"]);
  });
});

describe('user keys and user text in messages', () => {
  it("names layout keys like 'constructor' and 'toString' as keys, not as Object's own functions", () => {
    const doc = JSON.parse(JSON.stringify(multiTenantFixture()));
    doc.layout.physical = JSON.parse('{"constructor": 5, "toString": {"x": "a", "y": 1}}');
    expect(messagesOf(doc)).toEqual([
      "document 'Multi-tenant' layout.physical.constructor 5 is not an object",
      "document 'Multi-tenant' layout.physical.toString.x 'a' is not a number",
    ]);
  });

  it.each([
    ['\u202e', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
    ['\u202a', 'U+202A LEFT-TO-RIGHT EMBEDDING'],
    ['\u2067', 'U+2067 RIGHT-TO-LEFT ISOLATE'],
    ['\u2069', 'U+2069 POP DIRECTIONAL ISOLATE'],
    ['\u200f', 'U+200F RIGHT-TO-LEFT MARK'],
    ['\u061c', 'U+061C ARABIC LETTER MARK'],
  ])('refuses a name with the bidi control %j, saying which character where', (control, described) => {
    const doc = broken((d) => {
      d.vms[1].name = `Web${control}lqs`;
    });
    const result = validateDocument(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        objectKind: 'VM',
        objectId: 'contoso-web-vm',
        objectName: `Web<${described.slice(0, 6)}>lqs`,
        field: 'name',
        rule: 'no-bidi-control',
        message: `VM 'Web<${described.slice(0, 6)}>lqs' name 'Web<${described.slice(0, 6)}>lqs' has the bidirectional control character ${described} at position 4, which would reorder the text around it`,
      },
    ]);
  });

  it('refuses bidi controls in every kind of name, the document and tenants included', () => {
    const doc = broken((d) => {
      d.name = '\u2066Lab';
      d.tenants[0].name = 'Con\u202etoso';
      d.acls[0].rules[0].name = 'http\u200e';
    });
    expect(validateDocument(doc).ok).toBe(false);
    expect(messagesOf(doc)).toEqual([
      "document '<U+2066>Lab' name '<U+2066>Lab' has the bidirectional control character U+2066 LEFT-TO-RIGHT ISOLATE at position 1, which would reorder the text around it",
      "tenant 'Con<U+202E>toso' name 'Con<U+202E>toso' has the bidirectional control character U+202E RIGHT-TO-LEFT OVERRIDE at position 4, which would reorder the text around it",
      "ACL rule Allow web/http<U+200E> name 'http<U+200E>' has the bidirectional control character U+200E LEFT-TO-RIGHT MARK at position 5, which would reorder the text around it",
    ]);
  });
});

describe('software load balancing: schema errors name the object', () => {
  it("a load balancer's malformed VIP and rule port name the load balancer and the field", async () => {
    const { loadBalancer } = await import('../../scenarios/builders');
    const doc = loadBalancer();
    const lb = doc.loadBalancers?.[0];
    if (!lb) throw new Error('the scenario has a load balancer');
    const broken = {
      ...doc,
      loadBalancers: [{ ...lb, frontendIp: '203.0.113', rules: [{ ...lb.rules[0], frontendPort: 70000 }] }],
    };
    const result = validateDocument(broken);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const mine = result.errors.filter((e) => e.objectId === lb.id);
    expect(mine.map((e) => [e.objectKind, e.field])).toEqual(
      expect.arrayContaining([
        ['load balancer', 'frontendIp'],
        ['load balancer', 'rules[0].frontendPort'],
      ]),
    );
  });
});
