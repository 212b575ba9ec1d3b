// `hnv validate DOC.json`: every error on its own line and exit 1, or a one-line summary and exit 0.
// DOC.json is the lab's JSON or a Network Controller REST export (detected as the UI import does).
import { readFile } from 'node:fs/promises';
import {
  clip,
  type DocumentFormat,
  formatValidationError,
  loadAnyDocument,
  type TopologyDocument,
} from '../engine/model/index.ts';

export const usage = 'validate DOC.json';

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summarize(doc: TopologyDocument, format: DocumentFormat = 'lab'): string {
  const what = format === 'nc-rest' ? ' (Network Controller REST)' : '';
  return `valid${what}: ${count(doc.tenants.length, 'tenant')}, ${count(doc.vms.length, 'VM')}, ${count(doc.hosts.length, 'host')}`;
}

export async function run(args: string[]): Promise<number> {
  const paths = args.filter((a) => !a.startsWith('-'));
  if (paths.length !== 1) {
    console.error(`usage: hnv ${usage}`);
    return 1;
  }
  const path = paths[0];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error);
    console.error(`hnv validate: cannot read ${path}: ${reason}`);
    return 1;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    console.error(`hnv validate: ${path} is not JSON: ${clip((error as Error).message)}`);
    return 1;
  }
  const { format, result } = loadAnyDocument(raw);
  if (!result.ok) {
    for (const error of result.errors) console.log(formatValidationError(error));
    return 1;
  }
  console.log(summarize(result.document, format));
  return 0;
}
