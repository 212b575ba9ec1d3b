#!/usr/bin/env bash
# Instructions per packet of the real path (VM -> router -> VM, flows cached, tracing off), counted
# by callgrind: a figure a shared or loaded machine does not skew, for comparing two versions.
# The bench is bundled once (no tsx cache in the count), V8 compiles on the main thread
# (--no-concurrent-recompilation) and both runs warm up alike (1M packets), so the difference of
# the two runs is the steady state's. It still moves by a few tens of instructions from run to
# run (V8's garbage collector and compiler heuristics): compare versions on more than one run.
# Needs valgrind. Usage: bash bench/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx esbuild bench/real-path.ts --bundle --platform=node --format=esm --log-level=error --outfile="$out/real-path.mjs"
count() {
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" \
    node --no-concurrent-recompilation "$out/real-path.mjs" --packets "$1" 2>&1 |
    awk '/Collected/ { gsub(",", "", $4); print $4 }'
}
a=$(count 100000)
b=$(count 1100000)
echo "real path: $(((b - a) / 1000000)) instructions per packet (callgrind, 1,000,000 packets)"
