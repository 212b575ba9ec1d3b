// `hnv trace (DOC.json | --scenario NAME) --from TENANT/VM --to (TENANT/VM | IP) --proto P ...`:
// runs one traced exchange through the engine and prints it; --pcap writes every frame.
// `--frame HEX` / `--frame-file F` instead traces one raw Ethernet frame exactly as the VM's
// port sends it (an ovn-trace microflow): no ARP first, no reply. `--audit` then prints the
// stateful firewall of every port under an ACL: tracked connections and the audit log.
import { readFile, writeFile } from 'node:fs/promises';
import {
  createEngine,
  renderTrace,
  type TraceFormat,
  type TraceProtocol,
  traceToJson,
} from '../engine/index.ts';
import { formatValidationError } from '../engine/model/validate.ts';
import { readPcap, writePcap } from '../engine/wire/index.ts';
import { scenarioById, scenarios } from '../scenarios/index.ts';
import { firewallOf, renderFirewall } from './firewall.ts';

export const usage =
  'trace (DOC.json | --scenario NAME) --from TENANT/VM (--to (TENANT/VM | IP) --proto icmp|tcp|udp|arp [--sport N] [--dport N] [--size N] [--df | --no-df] | --frame HEX | --frame-file (F.hex | F.pcap)) [--format detailed|summary|minimal|json] [--pcap OUT.pcap] [--audit]';

const PROTOCOLS = ['icmp', 'tcp', 'udp', 'arp'];
const FORMATS = ['detailed', 'summary', 'minimal', 'json'];

function parseArgs(args: string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--no-df' || a === '--df' || a === '--audit') flags.set(a.slice(2), '1');
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else flags.set(a.slice(2), args[++i] ?? '');
    } else positional.push(a);
  }
  return { flags, positional };
}

function intFlag(flags: Map<string, string>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} wants a non-negative integer, got '${v}'`);
  return n;
}

/** A frame written as hex: digits, with any spaces, newlines, colons or dashes between them. */
export function frameFromHex(text: string, what: string): Uint8Array {
  const digits = text.replace(/[\s:-]/g, '').replace(/^0x/i, '');
  const bad = /[^0-9a-fA-F]/.exec(digits);
  if (bad) throw new Error(`${what}: '${bad[0]}' at position ${bad.index + 1} is not a hex digit`);
  if (digits.length % 2) throw new Error(`${what}: ${digits.length} hex digits, not whole bytes`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** --frame-file: a pcap (its first frame) or a text file of hex. */
async function frameFromFile(path: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(path));
  const magic =
    bytes.length >= 4 ? ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0 : 0;
  if ([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(magic)) {
    const pcap = readPcap(bytes);
    const first = pcap.records[0];
    if (!first)
      throw new Error(
        `${path}: the pcap holds no frame${pcap.issues[0] ? ` (${pcap.issues[0].message})` : ''}`,
      );
    return first.data;
  }
  return frameFromHex(new TextDecoder().decode(bytes), path);
}

export async function run(args: string[]): Promise<number> {
  const { flags, positional } = parseArgs(args);
  const fail = (msg: string) => {
    console.error(`hnv trace: ${msg}\nusage: hnv ${usage}`);
    return 1;
  };
  let doc: unknown;
  const scenarioName = flags.get('scenario');
  if (scenarioName) {
    const s = scenarioById(scenarioName);
    if (!s)
      return fail(`unknown scenario '${scenarioName}' (have: ${scenarios.map((x) => x.id).join(', ')})`);
    doc = s.document;
  } else if (positional.length === 1) {
    try {
      doc = JSON.parse(await readFile(positional[0], 'utf8'));
    } catch (error) {
      return fail(`cannot read ${positional[0]}: ${(error as Error).message}`);
    }
  } else return fail('give a document or --scenario NAME');
  const from = flags.get('from');
  const to = flags.get('to');
  const proto = flags.get('proto') ?? 'icmp';
  const format = flags.get('format') ?? 'detailed';
  let frame: Uint8Array | undefined;
  try {
    if (flags.has('frame') && flags.has('frame-file')) return fail('give --frame or --frame-file, not both');
    if (flags.has('frame')) frame = frameFromHex(flags.get('frame') ?? '', '--frame');
    else if (flags.has('frame-file')) frame = await frameFromFile(flags.get('frame-file') ?? '');
  } catch (error) {
    return fail((error as Error).message);
  }
  if (!from) return fail('--from is required');
  if (!to && !frame) return fail('--to is required (or --frame / --frame-file)');
  if (!PROTOCOLS.includes(proto)) return fail(`--proto must be one of ${PROTOCOLS.join(', ')}`);
  if (!FORMATS.includes(format)) return fail(`--format must be one of ${FORMATS.join(', ')}`);
  const engine = createEngine();
  const loaded = engine.load(doc);
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(formatValidationError(e));
    return 1;
  }
  let trace: ReturnType<typeof engine.trace>;
  try {
    trace = engine.trace({
      from,
      to: to ?? '',
      frame,
      protocol: proto as TraceProtocol,
      srcPort: intFlag(flags, 'sport'),
      dstPort: intFlag(flags, 'dport'),
      size: intFlag(flags, 'size'),
      df: flags.has('df') ? true : flags.has('no-df') ? false : undefined,
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  const hostIds = (doc as { hosts?: { id: string }[] }).hosts?.map((h) => h.id) ?? [];
  const firewall = flags.has('audit') ? firewallOf(engine, hostIds) : null;
  if (format === 'json')
    console.log(JSON.stringify(firewall ? { ...traceToJson(trace), firewall } : traceToJson(trace), null, 2));
  else {
    console.log(renderTrace(trace, format as TraceFormat));
    if (firewall) console.log(`\n${renderFirewall(firewall)}`);
  }
  const pcap = flags.get('pcap');
  if (pcap) {
    const bytes = writePcap(
      trace.frames.map((f, i) => ({ data: f.frame, timestampMicros: 1_700_000_000_000_000 + i * 1000 })),
    );
    await writeFile(pcap, bytes);
    if (format !== 'json') console.log(`wrote ${trace.frames.length} frames to ${pcap}`);
  }
  return 0;
}
