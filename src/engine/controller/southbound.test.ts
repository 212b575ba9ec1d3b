import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index';
import { createEngine } from '../index';

function tablesOf(scenario: string, hostId: string) {
  const engine = createEngine();
  const doc = scenarioById(scenario)?.document;
  expect(engine.load(doc).ok).toBe(true);
  const tables = engine.hostTables(hostId);
  if (!tables) throw new Error(hostId);
  return { engine, doc, db: tables.southbound };
}

const rowsOf = (db: ReturnType<typeof tablesOf>['db'], name: string) =>
  db.tables.find((t) => t.name === name)?.rows ?? [];

describe('the southbound (MS_VTEP) database of a host', () => {
  it("splits the host's records into local and remote MACs behind their locators", () => {
    const { db } = tablesOf('multi-tenant', 'host-1');
    expect(rowsOf(db, 'Logical_Switch').map((r) => r.columns.tunnel_key)).toEqual([5001, 6001]);
    expect(rowsOf(db, 'Ucast_Macs_Local').map((r) => `${r.columns.vm} ${r.columns.locator}`)).toEqual([
      'Contoso/SQL 192.168.1.10',
      'Fabrikam/SQL 192.168.1.10',
    ]);
    expect(rowsOf(db, 'Ucast_Macs_Remote').map((r) => `${r.columns.vm} ${r.columns.locator}`)).toEqual([
      'Contoso/Web 192.168.2.20',
      'Fabrikam/Web 192.168.2.20',
    ]);
    const locators = rowsOf(db, 'Physical_Locator').map((r) => `${r.columns.dst_ip} ${r.columns.local}`);
    expect(locators).toEqual(['192.168.1.10 true', '192.168.2.20 false']);
    expect(rowsOf(db, 'Logical_Router')).toHaveLength(2);
    expect(new Set(db.tables.flatMap((t) => t.rows.map((r) => r.uuid))).size).toBe(
      db.tables.reduce((n, t) => n + t.rows.length, 0),
    );
  });

  it('after a migration the peer holds the moved VM under its new locator (same row key)', () => {
    const { engine, doc, db } = tablesOf('live-migration', 'host-2');
    const key = 'Ucast_Macs_Remote/5001/10.1.1.11';
    expect(rowsOf(db, 'Ucast_Macs_Remote').find((r) => r.key === key)?.columns.locator).toBe('192.168.1.10');
    const moved = structuredClone(doc);
    if (!moved) throw new Error('doc');
    const sql = moved.vms.find((v) => v.id === 'contoso-sql');
    if (!sql) throw new Error('sql');
    sql.hostId = 'host-3';
    expect(engine.update(moved).ok).toBe(true);
    const after = engine.hostTables('host-2')?.southbound;
    if (!after) throw new Error('tables');
    expect(rowsOf(after, 'Ucast_Macs_Remote').find((r) => r.key === key)?.columns.locator).toBe(
      '192.168.2.30',
    );
  });

  it('staged: the peer keeps the old locator until the update reaches it', () => {
    const { engine, doc } = tablesOf('live-migration', 'host-2');
    const moved = structuredClone(doc);
    if (!moved) throw new Error('doc');
    const sql = moved.vms.find((v) => v.id === 'contoso-sql');
    if (!sql) throw new Error('sql');
    sql.hostId = 'host-3';
    expect(engine.update(moved, { convergence: 'staged' }).ok).toBe(true);
    const key = 'Ucast_Macs_Remote/5001/10.1.1.11';
    const locator = () =>
      rowsOf(engine.hostTables('host-2')?.southbound as never, 'Ucast_Macs_Remote').find((r) => r.key === key)
        ?.columns.locator;
    expect(locator()).toBe('192.168.1.10');
    engine.deliverPendingUpdates();
    expect(locator()).toBe('192.168.2.30');
  });

  it("lists each port's firewall rules, with what they do and where they came from", () => {
    const { db } = tablesOf('multi-tenant', 'host-1');
    const acl = rowsOf(db, 'ACL');
    expect(acl.length).toBeGreaterThan(0);
    for (const r of acl) {
      expect(['inbound', 'outbound']).toContain(r.columns.direction);
      expect(['allow', 'deny']).toContain(r.columns.action);
      expect(String(r.columns.origin)).not.toBe('');
    }
  });
});
