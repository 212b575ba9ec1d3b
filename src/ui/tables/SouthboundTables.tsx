// The host agent's southbound OVSDB database (MS_VTEP-like tables), as the controller pushes
// it. Rows that arrive since the last read flash in, rows whose columns changed (a migrated
// VM's locator) flash as updated, and rows that left stay one read, struck through.
import { Fragment, useEffect, useMemo } from 'react';
import type { OvsdbRow, SouthboundDatabase } from '../../engine/index';

type Change = 'added' | 'updated' | 'removed' | 'same';

interface Shown {
  row: OvsdbRow;
  change: Change;
}

const same = (a: OvsdbRow, b: OvsdbRow): boolean => JSON.stringify(a.columns) === JSON.stringify(b.columns);

/**
 * What the user last saw of each host's database, kept across panel switches: going to the
 * properties to migrate a VM and coming back still shows what the controller pushed meanwhile.
 */
const lastSeen = new Map<string, Map<string, OvsdbRow>>();

/** Diffs this read against the last one shown for the host (none: nothing is marked). */
function useDiff(hostId: string, db: SouthboundDatabase): Map<string, Shown[]> {
  const diff = useMemo(() => {
    const before = lastSeen.get(hostId) ?? null;
    const now = new Map<string, OvsdbRow>();
    const out = new Map<string, Shown[]>();
    for (const table of db.tables) {
      const shown: Shown[] = [];
      const keys = new Set<string>();
      for (const row of table.rows) {
        now.set(row.key, row);
        keys.add(row.key);
        const old = before?.get(row.key);
        shown.push({ row, change: !before ? 'same' : !old ? 'added' : same(old, row) ? 'same' : 'updated' });
      }
      if (before)
        for (const [key, old] of before)
          if (key.startsWith(`${table.name}/`) && !keys.has(key)) shown.push({ row: old, change: 'removed' });
      out.set(table.name, shown);
    }
    return { out, now };
  }, [hostId, db]);
  useEffect(() => {
    lastSeen.set(hostId, diff.now);
  }, [hostId, diff]);
  return diff.out;
}

const CHANGE_CLASS: Record<Change, string> = {
  added: 'ovsdb-flash bg-emerald-100 dark:bg-emerald-900/40',
  updated: 'ovsdb-flash bg-amber-100 dark:bg-amber-900/40',
  removed: 'text-slate-400 line-through',
  same: '',
};

export function SouthboundTables({ hostId, db }: { hostId: string; db: SouthboundDatabase }) {
  const diff = useDiff(hostId, db);
  return (
    <div data-testid="southbound" className="flex flex-col gap-2">
      <p className="px-1 text-[11px] text-slate-500">
        The host agent's OVSDB database (<span className="font-mono">{db.database}</span>): what the Network
        Controller pushed southbound. New rows flash green, changed rows amber; removed rows are struck
        through.
      </p>
      {db.tables.map((table) => {
        const rows = diff.get(table.name) ?? [];
        const columns = rows[0] ? Object.keys(rows[0].row.columns) : [];
        return (
          <Fragment key={table.name}>
            <h3 className="mt-1 px-1 font-mono text-[11px] font-semibold text-slate-600 dark:text-slate-300">
              {table.name} <span className="font-sans font-normal text-slate-400">({table.rows.length})</span>
            </h3>
            {rows.length === 0 ? (
              <p className="px-1 text-[11px] text-slate-400">(empty)</p>
            ) : (
              <div className="overflow-x-auto">
                <table
                  className="w-full border-collapse text-left text-[11px]"
                  data-testid={`ovsdb-${table.name}`}
                >
                  <thead className="bg-slate-100 dark:bg-slate-800">
                    <tr>
                      {columns.map((c) => (
                        <th
                          key={c}
                          className="px-1.5 py-0.5 font-mono font-semibold whitespace-nowrap text-slate-600 dark:text-slate-300"
                        >
                          {c}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map(({ row, change }) => (
                      <tr
                        key={`${row.key}/${change}`}
                        data-key={row.key}
                        data-change={change}
                        title={`_uuid ${row.uuid}`}
                        className={`border-b border-slate-100 dark:border-slate-800 ${CHANGE_CLASS[change]}`}
                      >
                        {columns.map((c) => (
                          <td key={c} className="px-1.5 py-0.5 align-top font-mono whitespace-nowrap">
                            {String(row.columns[c] ?? '')}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Fragment>
        );
      })}
    </div>
  );
}
