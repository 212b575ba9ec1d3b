// engine <- worker <- ui, one way. Biome forbids the engine importing the worker or UI;
// this test adds what a lint rule cannot say: the UI may import only TYPES from the engine,
// so no network behaviour is ever computed on the UI thread. One exception, by name: the
// network-arithmetic leaf src/engine/net (parse/format addresses, the gateway rule) is values
// the UI shows, not behaviour, and it imports nothing; and model/layout.ts (canvas boxes).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const importLine = /^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm;

function imports(file: string): { typeOnly: boolean; from: string }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importLine)].map((m) => ({ typeOnly: Boolean(m[1]), from: m[2] }));
}

/** Resolve a relative import to a source file, as Vite would. */
function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find(
    (p) => existsSync(p) && statSync(p).isFile() && /\.tsx?$/.test(p),
  );
}

/** Every module the page's main thread loads (value imports only; the worker starts from its own URL). */
function mainThreadModules(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of imports(file)) {
      if (i.typeOnly || !i.from.startsWith('.')) continue;
      const target = resolveImport(file, i.from);
      if (target) visit(target);
    }
  };
  visit(resolve(entry));
  return seen;
}

/**
 * The engine modules the UI may load as values, each a leaf: the network arithmetic
 * (src/engine/net, imports nothing) and the document's canvas layout (model/layout.ts, boxes
 * computed once and shared with the builder; it imports only types).
 */
const NET_LEAF = resolve('src/engine/net');
const LAYOUT_LEAF = resolve('src/engine/model/layout.ts');
const isNetLeaf = (path: string) =>
  path === NET_LEAF ||
  path.startsWith(`${NET_LEAF}/`) ||
  path === LAYOUT_LEAF ||
  `${path}.ts` === LAYOUT_LEAF;

describe('architecture', () => {
  it('no engine code runs on the UI thread: nothing the page loads imports src/engine as a value', () => {
    const engine = resolve('src/engine');
    const loaded = [...mainThreadModules('src/main.tsx')];
    expect(loaded.length).toBeGreaterThan(20); // the walk really follows the app
    expect(loaded.filter((f) => f.startsWith(engine) && !isNetLeaf(f)).map((f) => relative('.', f))).toEqual(
      [],
    );
  });

  it('the UI imports only types from the engine', () => {
    const offenders = sources('src/ui').flatMap((file) =>
      imports(file)
        .filter((i) => /(^|\/)engine(\/|$)/.test(i.from) && !i.typeOnly)
        .filter((i) => !isNetLeaf(resolve(dirname(file), i.from)))
        .map((i) => `${relative('.', file)} imports '${i.from}' as a value`),
    );
    expect(offenders).toEqual([]);
  });

  it('the engine never imports the worker, the UI, or a browser library', () => {
    const offenders = sources('src/engine').flatMap((file) =>
      imports(file)
        .filter((i) => /(\/ui\/|\/worker\/|^react|^zustand|^comlink|^@xyflow)/.test(i.from))
        .map((i) => `${relative('.', file)} imports '${i.from}'`),
    );
    expect(offenders).toEqual([]);
  });

  it('src/engine/net is a leaf: it imports nothing outside its own folder', () => {
    const offenders = sources('src/engine/net').flatMap((file) =>
      imports(file)
        .filter((i) => !i.from.startsWith('./'))
        .map((i) => `${relative('.', file)} imports '${i.from}'`),
    );
    expect(sources('src/engine/net').length).toBeGreaterThan(0);
    expect(offenders).toEqual([]);
  });

  it('model/layout.ts is a leaf: it imports only types', () => {
    expect(imports(LAYOUT_LEAF).filter((i) => !i.typeOnly)).toEqual([]);
  });

  it('only the worker imports comlink', () => {
    const offenders = sources('src')
      .filter((file) => !file.startsWith(join('src', 'worker')))
      .filter((file) => imports(file).some((i) => i.from === 'comlink'));
    expect(offenders).toEqual([]);
  });
});
