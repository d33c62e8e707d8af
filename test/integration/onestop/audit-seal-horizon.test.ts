/**
 * Incremental sealing of the audit trail (migration 0028) on both databases: after the first
 * seal, a seal reads only the entries written since the previous one's horizon, not the whole
 * log; an entry of a transaction still running at a seal is left to a later one, never skipped
 * (real PostgreSQL: PGlite has one session, so no transaction runs beside the sealer), while a
 * transaction of another schema on the same server does not hold sealing back; and a log
 * written before 0028 (`tx` NULL) is sealed whole once, then incrementally.
 */
import { QueryTypes } from 'sequelize';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { appliedMigrations, migrate, migrateDown } from '../../../engine/src/store-sequelize/migrate';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { AuditTrail } from '../../../onestop/src/audit/audit-trail';
import { sealHeads } from '../../../onestop/src/audit/hash-chain';
import { createSequelizeAuditStore } from '../../../onestop/src/store-sequelize/sequelize-audit-store';
import { MIGRATION_FOLDERS } from '../../../api/src/migrations';
import { openTestDatabase, testDatabases } from '../../support/databases';

const T = Date.parse('2026-11-24T08:00:00+07:00');

/** `count` entry contents of a dossier. */
const contents = (dossierId: string, count: number) => Array.from({ length: count }, (_, i) => ({ dossierId, at: T + i, actor: 'desk', type: 'noted', data: { note: i } }));

describe.each(testDatabases())('audit seal horizon on $name', (target) => {
  let db: Database;
  let store: EngineStore;
  let trail: AuditTrail;

  const sql = <R extends object = Record<string, unknown>>(query: string, bind: unknown[] = []) => db.sequelize.query<R>(query, { bind, type: QueryTypes.SELECT });
  /** Appends `count` entries to each dossier, all in one transaction. */
  const append = (dossierIds: readonly string[], count = 1) =>
    store.transaction(async (tx) => {
      for (const id of dossierIds) await trail.appendAll(tx.sql, id, contents(id, count));
    });
  const heads = (seal: { heads: Array<{ dossierId: string; sequence: number }> } | undefined) => seal?.heads.map((h) => `${h.dossierId}@${h.sequence}`);
  const horizons = async () => (await sql<{ seq: number; horizon: string | null }>('SELECT seq, horizon::text AS horizon FROM audit_seals ORDER BY seq')).map((r) => r.horizon);

  beforeEach(async () => {
    db = await openTestDatabase(target.name);
    store = createSequelizeEngineStore(db);
    trail = new AuditTrail({ store: createSequelizeAuditStore(), transaction: (work) => store.transaction(work), now: () => T });
  });

  afterEach(async () => {
    await store.close();
  });

  it('should seal only the heads written since the last seal, without reading the log it already considered', async () => {
    // given 200 dossiers of 5 entries, sealed
    const all = Array.from({ length: 200 }, (_, i) => `d-${String(i).padStart(3, '0')}`);
    await append(all, 5);
    expect((await trail.seal())?.heads).toHaveLength(200);
    const [first] = await horizons();
    expect(first).toMatch(/^\d+$/);

    // when three dossiers move on and the log is sealed again
    await append(['d-007', 'd-042', 'd-199']);
    await append(['d-042']);

    // then the seal lists only their new heads, and stores a horizon past the first
    expect(heads(await trail.seal())).toEqual(['d-007@6', 'd-042@7', 'd-199@6']);
    const [, second] = await horizons();
    expect(BigInt(second!)).toBeGreaterThan(BigInt(first!));
    expect(await trail.verify()).toEqual({ ok: true, entries: 1004, dossiers: 200, seals: 2 });

    // and the entries the previous seals considered are not read again: with the sealed heads
    // of ten dossiers gone from the job's index, reading the whole log would seal them anew
    await sql(`DELETE FROM audit_sealed_heads WHERE dossier_id BETWEEN 'd-000' AND 'd-009'`);
    await append(['d-005', 'd-150']);
    expect(heads(await trail.seal())).toEqual(['d-005@6', 'd-150@6']);
    expect(await trail.seal()).toBeUndefined(); // nothing new: no seal, the horizon stays
    expect(await horizons()).toHaveLength(3);
    expect(await trail.verify()).toMatchObject({ ok: true, entries: 1006, seals: 3 });

    // and verification names a tampering as before
    await sql(`UPDATE audit_entries SET actor = 'someone-else' WHERE dossier_id = 'd-100' AND seq = 2`);
    expect(await trail.verify()).toMatchObject({ ok: false, problem: { kind: 'entry-changed', dossierId: 'd-100', sequence: 2 } });
  });

  if (!target.embedded) {
    it('should leave the entry of a transaction still running to a later seal, and seal it once committed', async () => {
      // given a sealed log, so that the next seal reads from a horizon
      await append(['earlier']);
      await trail.seal();

      // and three transactions: `zero` takes its id first, `slow` second and appends (its entry
      // id is the lowest of the three) and stays open; `zero` then appends and commits, and
      // `fast` (the newest id) appends and commits
      let go!: () => void;
      const zeroMayAppend = new Promise<void>((resolve) => (go = resolve));
      let zeroXid!: (xid: string) => void;
      const zeroStarted = new Promise<string>((resolve) => (zeroXid = resolve));
      const zero = store.transaction(async (tx) => {
        zeroXid(String((await tx.sql.select('SELECT pg_current_xact_id()::text AS xid'))[0].xid));
        await zeroMayAppend;
        await trail.appendAll(tx.sql, 'zero', contents('zero', 1));
      });
      const zeroTx = await zeroStarted;

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let slowXid!: (xid: string) => void;
      const slowAppended = new Promise<string>((resolve) => (slowXid = resolve));
      const slow = store.transaction(async (tx) => {
        await trail.appendAll(tx.sql, 'slow', contents('slow', 1));
        slowXid(String((await tx.sql.select('SELECT pg_current_xact_id()::text AS xid'))[0].xid));
        await released;
      });
      try {
        const slowTx = await slowAppended;
        go();
        await zero;
        await append(['fast']);
        const ids = await sql<{ dossier_id: string }>(`SELECT dossier_id FROM audit_entries WHERE dossier_id IN ('zero', 'fast') ORDER BY id`);
        expect(ids.map((r) => r.dossier_id)).toEqual(['zero', 'fast']);

        // when the log is sealed while `slow` is open
        const during = await trail.seal();

        // then only `zero` is sealed (its transaction ended below the horizon); `fast`, though
        // committed, is above it, and the horizon stays at or below `slow`'s transaction
        expect(heads(during)).toEqual(['zero@1']);
        const horizon = BigInt((await horizons())[1]!);
        expect(horizon).toBeGreaterThan(BigInt(zeroTx));
        expect(horizon).toBeLessThanOrEqual(BigInt(slowTx));
      } finally {
        release();
        await slow;
      }

      // when `slow` has committed and the log is sealed again
      // then its entry is sealed (a cursor "after the last entry read" would have passed it), and `fast` with it
      expect(heads(await trail.seal())).toEqual(['fast@1', 'slow@1']);
      expect(await trail.verify()).toEqual({ ok: true, entries: 4, dossiers: 4, seals: 3 });
    });
  }

  if (!target.embedded) {
    it('should not let a transaction of another schema still running hold sealing back', async () => {
      // given a transaction of another schema on the same server that has written and stays open
      const other = await openTestDatabase(target.name);
      const otherStore = createSequelizeEngineStore(other);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let wrote!: (xid: string) => void;
      const written = new Promise<string>((resolve) => (wrote = resolve));
      const elsewhere = otherStore.transaction(async (tx) => {
        const [row] = await tx.sql.select(`INSERT INTO audit_entries (dossier_id, seq, at, actor, type, content, prev_hash, hash) VALUES ('elsewhere', 1, now(), 'x', 'x', '{}', 'x', 'x') RETURNING tx::text`);
        wrote(String(row.tx));
        await released;
      });
      try {
        const elsewhereTx = await written;
        // when this schema's log moves on after it and is sealed
        await append(['here']);

        // then the entry is sealed (the server's oldest running transaction is not this schema's)
        expect(heads(await trail.seal())).toEqual(['here@1']);
        expect(BigInt((await horizons())[0]!)).toBeGreaterThan(BigInt(elsewhereTx));
      } finally {
        release();
        await elsewhere;
        await otherStore.close();
      }
    });
  }

  it('should seal the entries written before 0028 (no transaction id) with the whole log once, then go on from the horizon', async () => {
    // given the schema of before 0028, entries of three dossiers, and a seal made then of two of them
    const applied = await appliedMigrations(db, MIGRATION_FOLDERS);
    await migrateDown(db, applied.length - applied.indexOf('0028-audit-seal-horizon'), MIGRATION_FOLDERS);
    await append(['p1'], 3);
    await append(['p2'], 2);
    await append(['p3']);
    const old = sealHeads(
      undefined,
      (await sql<{ dossier_id: string; seq: number; hash: string }>(`SELECT dossier_id, seq, hash FROM audit_entries WHERE (dossier_id, seq) IN (('p1', 3), ('p2', 2))`)).map((r) => ({
        dossierId: r.dossier_id,
        sequence: Number(r.seq),
        hash: r.hash,
      })),
      T,
    );
    await sql('INSERT INTO audit_seals (seq, at, heads, prev_hash, hash) VALUES ($1, $2, $3::jsonb, $4, $5)', [old.sequence, new Date(old.at).toISOString(), JSON.stringify(old.heads), old.previousHash, old.hash]);
    await sql(`INSERT INTO audit_sealed_heads (dossier_id, seq) VALUES ('p1', 3), ('p2', 2)`);
    await append(['p2']);

    // when the schema is migrated: those entries have no transaction id, the old seal no horizon
    await migrate(db, MIGRATION_FOLDERS);
    expect(await sql('SELECT count(*)::int AS n FROM audit_entries WHERE tx IS NULL')).toEqual([{ n: 7 }]);
    expect(await horizons()).toEqual([null]);

    // then the first seal finds what changed since the old seal in the whole log, and stores a horizon
    expect(heads(await trail.seal())).toEqual(['p2@3', 'p3@1']);
    expect((await horizons())[1]).toMatch(/^\d+$/);

    // and the next one reads on from that horizon (the entries of before 0028 are not read again)
    await sql(`DELETE FROM audit_sealed_heads WHERE dossier_id = 'p3'`);
    await append(['p1']);
    expect(heads(await trail.seal())).toEqual(['p1@4']);
    expect(await trail.verify()).toEqual({ ok: true, entries: 8, dossiers: 3, seals: 3 });
  });
});
