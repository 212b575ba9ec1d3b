// PowerShell's two default views: Format-List (one `Name : value` block per object) and
// Format-Table (a header, a dashed rule, one row per object; numbers right-aligned).

export type Row = Record<string, string | number | boolean | undefined>;

const show = (v: Row[string]): string =>
  v === undefined ? '' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);

export function formatList(rows: readonly Row[]): string {
  if (rows.length === 0) return '';
  const blocks = rows.map((row) => {
    const keys = Object.keys(row);
    const width = Math.max(...keys.map((k) => k.length));
    return keys.map((k) => `${k.padEnd(width)} : ${show(row[k])}`.trimEnd()).join('\n');
  });
  return `\n${blocks.join('\n\n')}\n`;
}

export function formatTable(rows: readonly Row[], columns?: readonly string[]): string {
  if (rows.length === 0) return '';
  const keys = columns ?? Object.keys(rows[0]);
  const numeric = keys.map((k) => rows.every((r) => typeof r[k] === 'number' || r[k] === undefined));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => show(r[k]).length)));
  const cell = (text: string, i: number): string =>
    numeric[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]);
  const lines = [
    keys.map((k, i) => cell(k, i)).join(' '),
    keys.map((k, i) => cell('-'.repeat(k.length), i)).join(' '),
    ...rows.map((r) => keys.map((k, i) => cell(show(r[k]), i)).join(' ')),
  ];
  return `\n${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}
