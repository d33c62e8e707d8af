/**
 * Verification of the audit trail read in batches (AuditStore.readLog, LogVerifier) on both
 * databases: with batches of three rows, dossiers of more entries than a batch are split
 * across batches, yet every tampering is named exactly as the in-memory `verify` names it
 * over the same rows (read whole with plain SQL), for the whole log and per agency, and an
 * intact log verifies with the same counts. The reading comes in batches of at most the size
 * asked, seals first, then dossier by dossier; and it is one picture of the log, whatever is
 * written while it runs (real PostgreSQL: PGlite has one session).
 */
import { QueryTypes } from 'sequelize';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { AuditTrail, type AuditLogRow, type AuditStore } from '../../../onestop/src/audit/audit-trail';
import { appendEntry, verify, type AuditEntry, type AuditSeal, type AuditVerification } from '../../../onestop/src/audit/hash-chain';
import { createSequelizeAuditStore } from '../../../onestop/src/store-sequelize/sequelize-audit-store';
import { openTestDatabase, testDatabases } from '../../support/databases';

const T = Date.parse('2026-12-07T08:00:00+07:00');
const X = 'agency-x';
const Y = 'agency-y';
/** Each dossier's agency, and the agencies that took part in it. */
const DOSSIERS: Record<string, { agency: string; agencies: string[] }> = {
  A: { agency: X, agencies: [X] },
  B: { agency: Y, agencies: [Y] },
  C: { agency: X, agencies: [X] },
  D: { agency: Y, agencies: [Y] },
  E: { agency: Y, agencies: [Y, X] },
};

type Row = Record<string, any>;

const entryOf = (r: Row): AuditEntry => ({
  dossierId: r.dossier_id,
  sequence: Number(r.seq),
  at: new Date(r.at).getTime(),
  actor: r.actor,
  type: r.type,
  data: r.content,
  previousHash: r.prev_hash,
  hash: r.hash,
});

describe.each(testDatabases())('audit verification in batches on $name', (target) => {
  let db: Database;
  let store: EngineStore;
  let auditStore: AuditStore;
  let trail: AuditTrail;
  let clock = 0;

  const sql = (query: string, bind: unknown[] = []) => db.sequelize.query<Row>(query, { bind, type: QueryTypes.SELECT });
  /** Appends `count` entries to the dossier, in a transaction of its own. */
  const append = (dossierId: string, count: number) =>
    store.transaction((tx) => trail.appendAll(tx.sql, dossierId, Array.from({ length: count }, () => ({ dossierId, at: T + ++clock * 1000, actor: 'desk', type: 'noted', data: { note: clock } }))));
  const entries = async (where = 'true') => (await sql(`SELECT * FROM audit_entries WHERE ${where} ORDER BY id`)).map(entryOf);
  const insert = (e: AuditEntry) =>
    sql('INSERT INTO audit_entries (dossier_id, seq, at, actor, type, content, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)', [e.dossierId, e.sequence, new Date(e.at).toISOString(), e.actor, e.type, JSON.stringify(e.data), e.previousHash, e.hash]);
  /** Gives the dossier's entries from `from` on the sequences `sequence(old)`, in two steps (the pair is unique). */
  const renumber = async (dossierId: string, from: number, sequence: string) => {
    await sql(`UPDATE audit_entries SET seq = -(${sequence}) WHERE dossier_id = $1 AND seq >= $2`, [dossierId, from]);
    await sql('UPDATE audit_entries SET seq = -seq WHERE dossier_id = $1 AND seq < 0', [dossierId]);
  };

  /** What the in-memory `verify` says of the same rows, read whole. */
  const inMemory = async (agency?: string): Promise<AuditVerification> => {
    const seals = (await sql('SELECT seq, at, heads, prev_hash, hash FROM audit_seals ORDER BY seq')).map(
      (r): AuditSeal => ({ sequence: Number(r.seq), at: new Date(r.at).getTime(), heads: r.heads, previousHash: r.prev_hash, hash: r.hash }),
    );
    const scope = agency === undefined ? undefined : new Set((await sql('SELECT id FROM dossiers WHERE agency = $1 OR agencies @> ARRAY[$1]', [agency])).map((r) => String(r.id)));
    return verify(await entries(), seals, scope);
  };

  /** The streamed verification of the whole log and of each agency, each the same as the in-memory one; the whole log's. */
  const verifiedAsInMemory = async (): Promise<AuditVerification> => {
    for (const agency of [X, Y]) expect(await trail.verify({ agency })).toEqual(await inMemory(agency));
    const whole = await trail.verify();
    expect(whole).toEqual(await inMemory());
    return whole;
  };

  beforeAll(async () => {
    db = await openTestDatabase(target.name);
    store = createSequelizeEngineStore(db);
    auditStore = createSequelizeAuditStore({ batchSize: 3, sealBatchSize: 2 });
    trail = new AuditTrail({ store: auditStore, transaction: (work) => store.transaction(work), now: () => T + ++clock * 1000 });
    for (const [id, { agency, agencies }] of Object.entries(DOSSIERS)) {
      await sql(
        `INSERT INTO dossiers (id, code, agency, agencies, procedure_code, procedure_version, status, channel, submitted_at, submitted_by, tracking_hash, state, details, applicant, revision, updated_at)
         VALUES ($1, $1, $2, $3::text[], 'p', 1, 'submitted', 'counter', now(), 'u1', 'h', '{}', '{}', '{}', 1, now())`,
        [id, agency, agencies],
      );
    }
    // given five dossiers, their entries interleaved: A 7 entries, B 5, C 4, D 2, E 5;
    // seal 1 records A@5, B@5, C@2; seal 2 A@7, C@4, E@4; D and E@5 are not sealed
    await append('A', 2);
    await append('B', 3);
    await append('C', 2);
    await append('A', 3);
    await append('B', 2);
    await trail.seal();
    await append('C', 2);
    await append('A', 2);
    await append('E', 4);
    await trail.seal();
    await append('D', 2);
    await append('E', 1);
    await sql('CREATE TABLE audit_entries_copy AS SELECT * FROM audit_entries');
    await sql('CREATE TABLE audit_seals_copy AS SELECT * FROM audit_seals');
    await sql('CREATE TABLE audit_sealed_heads_copy AS SELECT * FROM audit_sealed_heads');
  });

  afterEach(async () => {
    await sql('DELETE FROM audit_entries');
    await sql('INSERT INTO audit_entries SELECT * FROM audit_entries_copy');
    await sql('DELETE FROM audit_seals');
    await sql('INSERT INTO audit_seals SELECT * FROM audit_seals_copy');
    await sql('DELETE FROM audit_sealed_heads');
    await sql('INSERT INTO audit_sealed_heads SELECT * FROM audit_sealed_heads_copy');
  });

  afterAll(async () => {
    await store.close();
  });

  it('should verify the intact log with the counts of the in-memory verification, whole and per agency', async () => {
    expect(await verifiedAsInMemory()).toEqual({ ok: true, entries: 23, dossiers: 5, seals: 2 });
    expect(await trail.verify({ agency: X })).toEqual({ ok: true, entries: 16, dossiers: 3, seals: 2 });
    expect(await trail.verify({ agency: Y })).toEqual({ ok: true, entries: 12, dossiers: 3, seals: 2 });
  });

  it('should read in batches of at most the size asked: every seal by sequence, then dossier by dossier, its entries in stored order then its sealed heads', async () => {
    const batches: AuditLogRow[][] = [];
    await store.transaction(async (tx) => {
      for await (const rows of auditStore.readLog(tx.sql)) batches.push(rows);
    });
    const rows = batches.flat();
    expect(batches.filter((b) => b[0].kind === 'seal').map((b) => b.length)).toEqual([2]);
    expect(batches.filter((b) => b[0].kind !== 'seal').every((b) => b.length <= 3 && b.every((r) => r.kind !== 'seal'))).toBe(true);
    const stored = await entries();
    const expected = [
      'seal 1',
      'seal 2',
      ...['A', 'B', 'C', 'D', 'E'].flatMap((id) => [
        ...stored.filter((e) => e.dossierId === id).map((e) => `${id}${e.sequence}`),
        ...(
          {
            A: ['A@5 by 1', 'A@7 by 2'],
            B: ['B@5 by 1'],
            C: ['C@2 by 1', 'C@4 by 2'],
            D: [],
            E: ['E@4 by 2'],
          } as Record<string, string[]>
        )[id],
      ]),
    ];
    expect(rows.map((r) => (r.kind === 'seal' ? `seal ${r.seal.sequence}` : r.kind === 'entry' ? `${r.entry.dossierId}${r.entry.sequence}` : `${r.head.dossierId}@${r.head.sequence} by ${r.seal}`))).toEqual(expected);
    expect(rows.filter((r) => r.kind === 'entry').map((r) => (r.kind === 'entry' ? r.entry : undefined))).toEqual(
      ['A', 'B', 'C', 'D', 'E'].flatMap((id) => stored.filter((e) => e.dossierId === id)),
    );
  });

  it.each<[what: string, tamper: () => Promise<unknown>, expected: Record<string, unknown>]>([
    ['an entry changed in the middle of a dossier', () => sql(`UPDATE audit_entries SET actor = 'someone-else' WHERE dossier_id = 'A' AND seq = 5`), { kind: 'entry-changed', dossierId: 'A', sequence: 5 }],
    ['an unsealed entry changed', () => sql(`UPDATE audit_entries SET content = '{"forged": true}' WHERE dossier_id = 'E' AND seq = 5`), { kind: 'entry-changed', dossierId: 'E', sequence: 5 }],
    ['an entry deleted', () => sql(`DELETE FROM audit_entries WHERE dossier_id = 'A' AND seq = 4`), { kind: 'entry-deleted', dossierId: 'A', sequence: 4 }],
    [
      'an entry deleted, the later ones renumbered',
      async () => {
        await sql(`DELETE FROM audit_entries WHERE dossier_id = 'A' AND seq = 4`);
        await renumber('A', 5, 'seq - 1');
      },
      { kind: 'entry-deleted', dossierId: 'A', sequence: 4 },
    ],
    [
      'an entry inserted, the later ones renumbered',
      async () => {
        const [second] = await entries(`dossier_id = 'B' AND seq = 2`);
        const later = await entries(`dossier_id = 'B' AND seq >= 3`);
        await sql(`DELETE FROM audit_entries WHERE dossier_id = 'B' AND seq >= 3`);
        await insert(appendEntry(second, { dossierId: 'B', at: second.at + 1, actor: 'mallory', type: 'noted', data: { forged: true } }));
        for (const e of later) await insert({ ...e, sequence: e.sequence + 1 });
      },
      { kind: 'entry-inserted', dossierId: 'B', sequence: 3 },
    ],
    [
      'two entries swapped',
      async () => {
        await sql(`UPDATE audit_entries SET seq = -1 WHERE dossier_id = 'C' AND seq = 2`);
        await sql(`UPDATE audit_entries SET seq = 2 WHERE dossier_id = 'C' AND seq = 3`);
        await sql(`UPDATE audit_entries SET seq = 3 WHERE dossier_id = 'C' AND seq = -1`);
      },
      { kind: 'entry-reordered', dossierId: 'C', sequence: 3 },
    ],
    [
      'an entry stored out of place',
      async () => {
        const [moved] = await entries(`dossier_id = 'A' AND seq = 2`);
        await sql(`DELETE FROM audit_entries WHERE dossier_id = 'A' AND seq = 2`);
        await insert(moved);
      },
      { kind: 'entry-reordered', dossierId: 'A', sequence: 3 },
    ],
    [
      'a chain rewritten with fresh hashes after its seal',
      async () => {
        const chain = await entries(`dossier_id = 'A'`);
        let head = chain[0];
        for (const e of chain.slice(1)) {
          head = appendEntry(head, { dossierId: 'A', at: e.at, actor: e.sequence === 3 ? 'mallory' : e.actor, type: e.type, data: e.data });
          await sql('UPDATE audit_entries SET actor = $1, prev_hash = $2, hash = $3 WHERE dossier_id = $4 AND seq = $5', [head.actor, head.previousHash, head.hash, 'A', e.sequence]);
        }
      },
      { kind: 'chain-rewritten', dossierId: 'A', sequence: 5, seal: 1 },
    ],
    ['a sealed tail cut', () => sql(`DELETE FROM audit_entries WHERE dossier_id = 'C' AND seq = 4`), { kind: 'entry-deleted', dossierId: 'C', sequence: 4, seal: 2 }],
    ['a sealed dossier deleted whole', () => sql(`DELETE FROM audit_entries WHERE dossier_id = 'B'`), { kind: 'dossier-missing', dossierId: 'B', seal: 1 }],
    ['an unsealed dossier deleted whole (no trace)', () => sql(`DELETE FROM audit_entries WHERE dossier_id = 'D'`), { ok: true }],
    ['a seal changed', () => sql(`UPDATE audit_seals SET at = at + interval '1 second' WHERE seq = 2`), { kind: 'seal-changed', seal: 2 }],
    ['a seal deleted', () => sql('DELETE FROM audit_seals WHERE seq = 1'), { kind: 'seal-missing', seal: 1 }],
  ])('should name %s as the in-memory verification does', async (_what, tamper, expected) => {
    // when the log is tampered with
    await tamper();

    // then the streamed verification answers what the in-memory one does, whole and per agency
    const whole = await verifiedAsInMemory();
    expect(whole.ok ? { ok: true } : whole.problem).toMatchObject(expected);
  });

  if (!target.embedded) {
    it('should verify one picture of the log: what is appended and sealed while it reads is not part of it', async () => {
      // given a reading paused after its first batch of the log
      let paused!: () => void;
      const atFirstBatch = new Promise<void>((resolve) => (paused = resolve));
      let resume!: () => void;
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      const pausing: AuditStore = {
        ...auditStore,
        async *readLog(tx, scope) {
          for await (const rows of auditStore.readLog(tx, scope)) {
            yield rows;
            if (rows[0].kind !== 'seal') {
              paused();
              await resumed;
            }
          }
        },
      };
      const reader = new AuditTrail({ store: pausing, transaction: (work) => store.transaction(work), now: () => T });
      const verification = reader.verify();
      await atFirstBatch;

      // when other dossiers and an earlier one move on, and are sealed, meanwhile
      await append('A', 1);
      await append('F', 4);
      await trail.seal();
      resume();

      // then the reading verifies the log as it was when it began
      expect(await verification).toEqual({ ok: true, entries: 23, dossiers: 5, seals: 2 });
      expect(await trail.verify()).toEqual({ ok: true, entries: 28, dossiers: 6, seals: 3 });
    });
  }
});
