#!/usr/bin/env node
// The one test command: system dependencies, lint, types, unit + property + oracle tests,
// production build, end-to-end tests in Debian's chromium. Prints one closing tally.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const need = [];
if (!existsSync(CHROMIUM)) need.push('chromium');
if (spawnSync('sh', ['-c', 'command -v tshark'], { stdio: 'ignore' }).status !== 0) need.push('tshark');
if (need.length) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`Missing system packages. Install them with: sudo apt-get install -y ${need.join(' ')}`);
    process.exit(1);
  }
  console.log(`Installing Debian packages: ${need.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const steps = [
    ['apt-get', ['update', '-qq']],
    ['apt-get', ['install', '-y', '-qq', ...need]],
  ];
  for (const [cmd, args] of steps) {
    if (spawnSync(cmd, args, { stdio: 'inherit', env }).status !== 0) {
      console.error(`Could not install ${need.join(' ')}: run apt-get install -y ${need.join(' ')} as root.`);
      process.exit(1);
    }
  }
}

mkdirSync('artifacts', { recursive: true });
const only = process.argv[2]; // optional: 'unit' or 'e2e'
const run = (title, cmd, args, env = {}) => {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
};

let ok = true;
let passed = 0;
let failed = 0;
const tally = (file, pick) => {
  if (!existsSync(file)) return;
  const [p, f] = pick(JSON.parse(readFileSync(file, 'utf8')));
  passed += p;
  failed += f;
};

if (only !== 'e2e') {
  ok = run('lint (biome)', 'npx', ['biome', 'check', '.']) && ok;
  ok = run('types (app, then engine without DOM)', 'npm', ['run', '-s', 'typecheck']) && ok;
  rmSync('artifacts/vitest.json', { force: true });
  ok =
    run('unit, property and oracle tests (vitest)', 'npx', [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=artifacts/vitest.json',
    ]) && ok;
  tally('artifacts/vitest.json', (j) => [
    j.numPassedTests,
    j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0),
  ]);
}
if (only !== 'unit') {
  ok = run('production build', 'npx', ['vite', 'build', '--logLevel', 'warn']) && ok;
  rmSync('artifacts/playwright.json', { force: true });
  ok =
    run(
      'end-to-end tests (playwright, Debian chromium)',
      'npx',
      ['playwright', 'test', '--reporter=list,json'],
      {
        PLAYWRIGHT_JSON_OUTPUT_NAME: 'artifacts/playwright.json',
      },
    ) && ok;
  tally('artifacts/playwright.json', (j) => [j.stats.expected + (j.stats.flaky ?? 0), j.stats.unexpected]);
}

if (!ok && failed === 0) failed = 1; // a step without tests (lint, types, build) failed
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
