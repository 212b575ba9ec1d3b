// `hnv <verb> ...`: a tiny dispatcher. Each verb lives in its own module, loaded on demand.

export interface Verb {
  usage: string;
  run: (args: string[]) => Promise<number>;
}

// One line per verb (trace, validate, bench: add yours here).
const verbs: Record<string, Verb> = {
  decode: { usage: 'decode FILE.pcap [--json]', run: async (a) => (await import('./decode.ts')).run(a) },
  validate: { usage: 'validate DOC.json', run: async (a) => (await import('./validate.ts')).run(a) },
  trace: {
    usage: 'trace (DOC.json | --scenario NAME) --from VM --to VM|IP --proto P [--audit]',
    run: async (a) => (await import('./trace.ts')).run(a),
  },
  shell: {
    usage: 'shell (DOC.json | --scenario NAME) [-c "COMMAND"]... [--save OUT.json]',
    run: async (a) => (await import('./shell.ts')).run(a),
  },
  tuple: {
    usage:
      'tuple (DOC.json | --scenario NAME) --port PORT --direction in|out --proto P [--src IP] [--dst IP] [--sport N] [--dport N] [--json]',
    run: async (a) => (await import('./tuple.ts')).run(a),
  },
  bench: { usage: 'bench [--json]', run: async (a) => (await import('./bench.ts')).run(a) },
};

function usage(): string {
  const lines = Object.values(verbs).map((v) => `  hnv ${v.usage}`);
  return ['usage:', ...lines].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const verb = verbs[name];
  if (!verb) {
    console.error(`hnv: unknown command '${name}'\n${usage()}`);
    return 1;
  }
  return verb.run(rest);
}
