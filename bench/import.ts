// NC REST import at scale: a plain Network Controller export (no routing domain IDs, so the
// importer allocates them) of 10k, 80k and 160k virtual networks, one VM interface per 4
// networks, 20 servers. Times JSON.parse, the import (read + allocate + validate) and the
// engine's load (validate + compile) of the result. Prints figures; never passes or fails.
import { createEngine } from '../src/engine/index.ts';
import { fromNetworkControllerRest } from '../src/engine/model/rest.ts';
import { plainNcExport } from '../src/engine/model/testNcRest.ts';

export interface ImportBenchRow {
  networks: number;
  interfaces: number;
  exportMegabytes: number;
  /** CPU time of this process, ms (steadier than wall-clock on a shared machine). */
  parseMs: number;
  importMs: number;
  loadMs: number;
  /** Wall-clock ms of parse + import, what a user waits for before the document opens. */
  importWallMs: number;
}

const SIZES = [10_000, 80_000, 160_000];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function measure(networks: number): ImportBenchRow {
  const exported = plainNcExport(networks);
  const text = JSON.stringify(exported);
  const interfaces = (exported.networkInterfaces as unknown[]).length;
  const wall0 = performance.now();
  let t = cpuMs();
  const parsed: unknown = JSON.parse(text);
  const parseMs = cpuMs() - t;
  t = cpuMs();
  const imported = fromNetworkControllerRest(parsed);
  const importMs = cpuMs() - t;
  const importWallMs = performance.now() - wall0;
  if (!imported.ok) throw new Error(`import of ${networks} networks failed: ${imported.errors[0]?.message}`);
  t = cpuMs();
  const loaded = createEngine().load(imported.document);
  const loadMs = cpuMs() - t;
  if (!loaded.ok) throw new Error(`load of ${networks} networks failed: ${loaded.errors[0]?.message}`);
  return {
    networks,
    interfaces,
    exportMegabytes: Math.round(text.length / 1e5) / 10,
    parseMs: Math.round(parseMs),
    importMs: Math.round(importMs),
    loadMs: Math.round(loadMs),
    importWallMs: Math.round(importWallMs),
  };
}

export async function runImportBench(options: { quiet?: boolean } = {}): Promise<ImportBenchRow[]> {
  const rows: ImportBenchRow[] = [];
  if (!options.quiet)
    console.log(
      'NC REST import (CPU ms of this process; "wait" is wall-clock parse + import)\n' +
        `  ${'networks'.padStart(9)} ${'vNICs'.padStart(7)} ${'export'.padStart(9)} ${'parse'.padStart(8)} ${'import'.padStart(8)} ${'wait'.padStart(8)} ${'load'.padStart(8)}   per 1k networks (import)`,
    );
  for (const networks of SIZES) {
    const row = measure(networks);
    rows.push(row);
    if (!options.quiet)
      console.log(
        `  ${row.networks.toLocaleString('en').padStart(9)} ${row.interfaces.toLocaleString('en').padStart(7)} ${`${row.exportMegabytes} MB`.padStart(9)} ${`${row.parseMs}`.padStart(8)} ${`${row.importMs}`.padStart(8)} ${`${row.importWallMs}`.padStart(8)} ${`${row.loadMs}`.padStart(8)}   ${((row.importMs / row.networks) * 1000).toFixed(1)} ms`,
      );
  }
  if (!options.quiet) {
    const [first, , last] = rows;
    console.log(
      `  160k / 10k networks: import ${(last.importMs / first.importMs).toFixed(1)}x for 16x the networks (linear: ~16x; the old importer was quadratic: 160k took 24 s)`,
    );
  }
  return rows;
}

// `npx tsx bench/import.ts`: this bench alone.
if (import.meta.url === `file://${process.argv[1]}`) await runImportBench();
