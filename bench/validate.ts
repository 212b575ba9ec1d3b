// Validation benchmarks: how long a document takes to check when it is opened, imported
// or edited, from 10k to 1e6 objects. Prints figures; never passes or fails on time.
// Target (issue 9): 10,000 VMs validated in under 1 s.
import { largeDatacenter } from '../src/engine/model/builder.ts';
import { fromNetworkControllerRest, toNetworkControllerRest } from '../src/engine/model/rest.ts';
import { documentSchema, type TopologyDocument } from '../src/engine/model/schema.ts';
import { validateDocument } from '../src/engine/model/validate.ts';

export interface ValidateBenchRow {
  vms: number;
  /** Every object with its own entry: VMs, vNICs, hosts, team members, subnets, ACL rules... */
  objects: number;
  /** validateDocument on freshly parsed JSON (what an import does), CPU ms, best of the runs. */
  validateMs: number;
  /** Of which the schema's structural pass (zod). */
  schemaMs: number;
  /** fromNetworkControllerRest on the same document's REST export (conversion + validation). */
  restImportMs?: number;
}

export interface ValidateBenchFigures {
  rows: ValidateBenchRow[];
  /** 10,000 VMs, every vNIC's MAC broken: the cost of reporting 10,000 errors. */
  brokenMacs10kMs: number;
  brokenMacs10kErrors: number;
}

// CPU time of this process, in ms (as bench/engine.ts): steadier than wall time on a shared machine.
const now = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function objectCount(doc: TopologyDocument): number {
  let n =
    doc.tenants.length +
    doc.vmNetworks.length +
    doc.virtualSubnets.length +
    doc.logicalNetworks.length +
    doc.logicalSubnets.length;
  for (const acl of doc.acls) n += 1 + acl.rules.length;
  for (const vm of doc.vms) n += 1 + vm.nics.length;
  for (const host of doc.hosts) n += 1 + host.teamMembers.length;
  for (const router of doc.routers) n += 1 + router.interfaces.length;
  return n;
}

/** Best CPU time of `runs` calls, each on its own fresh copy of the JSON (parsing untimed). */
function best(runs: number, text: string, fn: (json: unknown) => unknown): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const json: unknown = JSON.parse(text);
    const t0 = now();
    fn(json);
    fastest = Math.min(fastest, now() - t0);
  }
  return fastest;
}

function measure(vms: number, withRest: boolean): ValidateBenchRow {
  const doc = largeDatacenter({ vms, hosts: Math.max(200, Math.ceil(vms / 50)) });
  const runs = vms <= 100_000 ? 3 : 1;
  const text = JSON.stringify(doc);
  const row: ValidateBenchRow = {
    vms,
    objects: objectCount(doc),
    validateMs: best(runs, text, (json) => {
      if (!validateDocument(json).ok) throw new Error('bench document is invalid');
    }),
    schemaMs: best(runs, text, (json) => documentSchema.safeParse(json)),
  };
  if (withRest) {
    const restText = JSON.stringify(toNetworkControllerRest(doc));
    row.restImportMs = best(runs, restText, (json) => {
      if (!fromNetworkControllerRest(json).ok) throw new Error('bench REST export is invalid');
    });
  }
  return row;
}

function brokenMacs(): { ms: number; errors: number } {
  const doc = largeDatacenter({ vms: 10_000, hosts: 200 });
  for (const vm of doc.vms) vm.nics[0].mac = `${vm.nics[0].mac}:zz`;
  const text = JSON.stringify(doc);
  let errors = 0;
  const ms = best(3, text, (json) => {
    const result = validateDocument(json);
    errors = result.ok ? 0 : result.errors.length;
  });
  return { ms, errors };
}

const round = (x: number, digits = 3) => Number(x.toPrecision(digits));

export async function runValidateBench(options: { quiet?: boolean } = {}): Promise<ValidateBenchFigures> {
  // 10k VMs (the target), then about 1e5 and 1e6 objects (a VM and its vNIC are two).
  const sizes: [number, boolean][] = [
    [10_000, true],
    [50_000, true],
    [500_000, false],
  ];
  const rows: ValidateBenchRow[] = [];
  for (const [vms, withRest] of sizes) {
    const row = measure(vms, withRest);
    rows.push({
      ...row,
      validateMs: round(row.validateMs),
      schemaMs: round(row.schemaMs),
      restImportMs: row.restImportMs === undefined ? undefined : round(row.restImportMs),
    });
  }
  const broken = brokenMacs();
  const figures: ValidateBenchFigures = {
    rows,
    brokenMacs10kMs: round(broken.ms),
    brokenMacs10kErrors: broken.errors,
  };
  if (!options.quiet) {
    const line = (label: string, value: string, target: string) =>
      console.log(`  ${label.padEnd(44)} ${value.padStart(14)}   ${target}`);
    console.log('validation (CPU time of this process, best of 3 runs; 1 run at 1e6 objects)');
    for (const row of rows) {
      const size = `${row.vms.toLocaleString('en')} VMs, ${row.objects.toLocaleString('en')} objects`;
      line(`validate ${size}`, `${row.validateMs} ms`, row.vms === 10_000 ? 'target < 1000 ms' : '');
      line('  of which the schema (zod)', `${row.schemaMs} ms`, '');
      if (row.restImportMs !== undefined) line('  NC REST import of the same', `${row.restImportMs} ms`, '');
    }
    line(
      `10,000 VMs, every MAC broken (${broken.errors.toLocaleString('en')} errors)`,
      `${figures.brokenMacs10kMs} ms`,
      '',
    );
  }
  return figures;
}
