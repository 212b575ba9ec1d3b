// Test-SdnVfpPortTuple: a 5-tuple at a port, the VFP decision layer by layer (the executor on a
// scratch data plane: nothing the lab holds changes).
import type { TupleResult } from '../../dataplane/tuple';
import { CmdletError } from '../bind';
import type { Cmdlet } from '../cmdlet';
import { formatTable } from '../format';

export function formatTuple(r: TupleResult): string {
  const rows = r.groups.map((g) => {
    const hit = g.rules.find((x) => x.hit);
    return {
      Layer: g.layer,
      Group: g.group,
      Rule: hit ? `${hit.ruleId}${hit.isDefault ? ' (default)' : ''}` : '-',
      Priority: hit?.priority,
      Actions: g.actions.join('; ') || (hit ? 'allow' : ''),
    };
  });
  const head = `\nPort      : ${r.port} (${r.host})\nDirection : ${r.direction.toUpperCase()}\nTuple     : ${r.tuple}\n`;
  const verdict = `\nResult    : ${r.verdict === 'allow' ? 'Allowed' : `Blocked: ${r.reason ?? ''}`}\n`;
  return `${head}${formatTable(rows)}${verdict}`;
}

export const testTupleCmdlet: Cmdlet = {
  name: 'Test-SdnVfpPortTuple',
  synopsis: "Tests a 5-tuple against a port's VFP layers and shows each layer's decision.",
  params: [
    { name: 'PortName', type: 'String', mandatory: true, help: "the port: a vNIC id or 'Tenant/VM'" },
    {
      name: 'Direction',
      type: 'String',
      values: ['IN', 'OUT'],
      mandatory: true,
      help: 'OUT: the VM sends; IN: to the VM',
    },
    {
      name: 'Protocol',
      type: 'String',
      values: ['TCP', 'UDP', 'ICMP'],
      mandatory: true,
      help: 'the IP protocol',
    },
    { name: 'SourceIP', type: 'IPAddress', help: "default: the port's CA (OUT)" },
    { name: 'SourcePort', type: 'UInt16', help: 'default 50000' },
    { name: 'DestinationIP', type: 'IPAddress', help: "default: the port's CA (IN)" },
    { name: 'DestinationPort', type: 'UInt16', help: 'default 80 (TCP) / 53 (UDP)' },
  ],
  run(ctx) {
    const a = ctx.args;
    try {
      const result = ctx.env.testTuple({
        port: a.get('PortName') as string,
        direction: (a.get('Direction') as string).toLowerCase() as 'in' | 'out',
        protocol: (a.get('Protocol') as string).toLowerCase() as 'tcp' | 'udp' | 'icmp',
        srcIp: a.get('SourceIP') as string | undefined,
        srcPort: a.get('SourcePort') as number | undefined,
        dstIp: a.get('DestinationIP') as string | undefined,
        dstPort: a.get('DestinationPort') as number | undefined,
      });
      return { output: formatTuple(result) };
    } catch (e) {
      throw new CmdletError((e as Error).message);
    }
  },
};
