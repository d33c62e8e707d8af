/**
 * The audit store over PostgreSQL (the embedded PGlite or a server): the only code with SQL
 * for the audit log (tables of migrations 0017 and 0028; it reads `dossiers` of 0016 for the
 * dossier of an instance and the dossiers of an agency). Every statement goes through the
 * transaction handed in.
 *
 * ## Finding the new heads without reading the whole log
 * Every entry carries the id of the transaction that wrote it (`tx`, 0028), and every seal the
 * horizon its heads were read up to. A seal reads the entries with `tx` from the last seal's
 * horizon up to a new one, below which every transaction that could write an entry has ended:
 * nothing can appear below it later, so nothing is skipped, and an entry of a transaction
 * still running is left to a later seal. (An entry id, taken at INSERT, is no such cursor: a
 * slow transaction commits its lower ids after a seal has read higher ones.) A log without a
 * horizon yet (a fresh database, or entries written before 0028: `tx` NULL) is read whole,
 * once. The dossier's last sealed sequence (`audit_sealed_heads`) still guards each head: a
 * transaction with a lower id can have written a later entry, already sealed.
 *
 * The horizon is the oldest transaction still running that can write this schema's entries.
 * Transaction ids are server-wide: the plain `pg_snapshot_xmin(pg_current_snapshot())` would
 * let any write still running elsewhere on the server (another schema, another database, a
 * migration of another deployment) hold sealing back, as it would the push feed
 * (api/src/store-sequelize/push-feed.ts, "Transactions of other applications"); so only
 * transactions of sessions holding a lock in this schema count (see BOUNDS).
 *
 * ## Reading the log for verification
 * A log of a hundred million entries does not fit in memory: verification reads it through
 * two cursors of the transaction handed in, a batch at a time (FETCH), and checks it as it
 * comes (LogVerifier). First the seals, by sequence; then, declared after the last seal was
 * read (READ COMMITTED: a cursor's snapshot is taken when it is declared, so every head those
 * seals record was committed before it), one statement for the rest, so one snapshot: the
 * entries ordered by (dossier_id, id) through their (dossier_id, seq) index, each dossier's
 * followed by the heads the seals recorded for it (expanded from the seals' JSON). The
 * database orders both parts itself, in its own collation. Cursors cannot be prepared, hence
 * TransactionSql.selectUnprepared.
 */
import type { TransactionSql } from '../../../engine/src/index';
import { textsByCount, valueRows } from '../../../engine/src/store-sequelize/pipelined-sql';
import type { AuditLogRow, AuditStore } from '../audit/audit-trail';
import type { AuditEntry, AuditSeal, SealedHead } from '../audit/hash-chain';

type Row = Record<string, any>;

const ms = (value: unknown): number => (value instanceof Date ? value.getTime() : Date.parse(String(value)));
const json = (value: unknown): any => (typeof value === 'string' ? JSON.parse(value) : value);

/** The advisory lock key of the sealer (any constant shared by every process of one database). */
const SEALING_LOCK = 7_117_001;

function toEntry(row: Row): AuditEntry {
  return { dossierId: row.dossier_id, sequence: Number(row.seq), at: ms(row.at), actor: row.actor, type: row.type, data: json(row.content), previousHash: row.prev_hash, hash: row.hash };
}

function toSeal(row: Row): AuditSeal {
  return { sequence: Number(row.seq), at: ms(row.at), heads: json(row.heads), previousHash: row.prev_hash, hash: row.hash };
}

const ENTRY_COLUMNS = 'dossier_id, seq, at, actor, type, content, prev_hash, hash';

/**
 * The last seal's horizon (`since`; NULL: none yet) and the new one (`until`): below it every
 * writer of this schema has ended (see the note above). That is the oldest transaction of the
 * snapshot still running in a session that holds a lock on a relation of the schema
 * (`current_schema()`), else the snapshot's end. A writer locks the table before it gets its
 * transaction id and keeps the lock to its end; its session shows that id while it runs
 * (`backend_xid`, read where snapshots read it; hidden for sessions of another role, whose id
 * is then found by the lock every transaction holds on its own id). A transaction of the
 * snapshot that has ended since is passed over: its entries are visible to the next
 * statement, which reads the heads (READ COMMITTED: a snapshot per statement).
 */
const BOUNDS = `
  WITH locks AS MATERIALIZED (SELECT locktype, database, relation, transactionid, mode, granted, pid FROM pg_locks),
  here AS (
    SELECT pid FROM locks
     WHERE locktype = 'relation' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND relation IN (SELECT c.oid FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace)),
  writing AS (
    SELECT a.backend_xid AS xid FROM pg_stat_activity a WHERE a.pid IN (SELECT pid FROM here)
    UNION ALL
    SELECT transactionid FROM locks WHERE locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted AND pid IN (SELECT pid FROM here))
  SELECT (SELECT horizon::text FROM audit_seals WHERE horizon IS NOT NULL ORDER BY seq DESC LIMIT 1) AS since,
         coalesce((SELECT min(running) FROM pg_snapshot_xip(pg_current_snapshot()) AS running WHERE running::xid IN (SELECT xid FROM writing)),
                  pg_snapshot_xmax(pg_current_snapshot()))::text AS until`;

/**
 * The last entry of each dossier among the entries since the last seal's horizon ($1) up to
 * the new one ($2), a range of `audit_entries_tx_idx`, when past the dossier's last sealed
 * sequence (a look-up by its primary key per entry read).
 */
const HEADS_SINCE = `
  SELECT DISTINCT ON (e.dossier_id) e.dossier_id, e.seq, e.hash
    FROM audit_entries e
   WHERE e.tx >= $1::xid8 AND e.tx < $2::xid8
     AND e.seq > coalesce((SELECT s.seq FROM audit_sealed_heads s WHERE s.dossier_id = e.dossier_id), 0)
   ORDER BY e.dossier_id, e.seq DESC`;

/** No horizon yet: the same over the whole log up to the new horizon ($1); entries of before 0028 have no `tx`. */
const HEADS_OF_WHOLE_LOG = `
  SELECT DISTINCT ON (e.dossier_id) e.dossier_id, e.seq, e.hash
    FROM audit_entries e LEFT JOIN audit_sealed_heads s ON s.dossier_id = e.dossier_id
   WHERE (e.tx IS NULL OR e.tx < $1::xid8) AND e.seq > coalesce(s.seq, 0)
   ORDER BY e.dossier_id, e.seq DESC`;

/** The dossiers of the agency `$1`: those it is responsible for, and those it took part in (`agencies`, its GIN index). */
const OF_AGENCY = 'agency = $1::text OR agencies @> ARRAY[$1::text]';

/** The cursors of a verification's reading (closed with its transaction, or when it stops early). */
const SEALS_CURSOR = 'motcua_audit_seals';
const LOG_CURSOR = 'motcua_audit_log';

/**
 * Every seal by sequence, with whether it counts for the scope: always without one; with an
 * agency ($1), when it recorded one of the agency's dossiers.
 */
const sealsOf = (scoped: boolean) => `
  SELECT s.seq, s.at, s.heads, s.prev_hash, s.hash,
         ${scoped ? `EXISTS (SELECT 1 FROM jsonb_array_elements(s.heads) AS h WHERE h->>'dossierId' IN (SELECT id FROM dossiers WHERE ${OF_AGENCY}))` : 'true'} AS counts
    FROM audit_seals s ORDER BY s.seq`;

/**
 * The log dossier by dossier, of every dossier or of the agency's ($1): each dossier's entries
 * in stored order (`part` 0, by id), then the heads the seals up to the last one read ($2)
 * recorded for it (`part` 1, by seal), expanded from the seals. One statement, so one snapshot
 * for both, ordered by the database (its collation, the same for both parts). Both parts give
 * their columns the same types (the casts), so PostgreSQL plans them as one append: a merge of
 * the entries through their `(dossier_id, seq)` index with the sorted heads, each dossier's
 * rows then sorted by part and id (an incremental sort), with no sort of the whole log.
 */
const logOf = (scoped: boolean) => {
  const ofScope = (column: string) => (scoped ? ` AND ${column} IN (SELECT id FROM dossiers WHERE ${OF_AGENCY})` : '');
  return `
  SELECT e.dossier_id, 0 AS part, e.id AS ord, e.seq, e.at, e.actor, e.type, e.content, e.prev_hash, e.hash, NULL::jsonb AS head_seq
    FROM audit_entries e WHERE true${ofScope('e.dossier_id')}
  UNION ALL
  SELECT h->>'dossierId', 1, s.seq::bigint, NULL::integer, NULL::timestamptz, NULL::text, NULL::text, NULL::jsonb, NULL::text, h->>'hash', h->'sequence'
    FROM audit_seals s CROSS JOIN LATERAL jsonb_array_elements(s.heads) AS h
   WHERE s.seq <= $${scoped ? 2 : 1}${ofScope("h->>'dossierId'")}
  ORDER BY dossier_id, part, ord`;
};

/**
 * The rows of a declared cursor, `count` at a time. The next batch is asked for as soon as one
 * arrives, so the server reads it while the caller checks this one. The cursor is closed at the
 * end, or when the caller stops early (a problem found), so the transaction may go on.
 */
async function* fetchAll(tx: TransactionSql, cursor: string, count: number): AsyncGenerator<Row[]> {
  const fetch = () => {
    const rows = tx.selectUnprepared(`FETCH ${count} FROM ${cursor}`);
    // Awaited below; handled now, in case it fails while the caller is still busy.
    rows.catch(() => undefined);
    return rows;
  };
  let next: Promise<Row[]> | undefined = fetch();
  let failed = false;
  try {
    while (next) {
      const rows: Row[] = await next;
      next = rows.length < count ? undefined : fetch();
      if (rows.length > 0) yield rows;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (next) await next.catch(() => (failed = true));
    if (!failed) await tx.selectUnprepared(`CLOSE ${cursor}`);
  }
}

/** Options of the audit store. */
export interface SequelizeAuditStoreOptions {
  /** Rows of the log (entries and sealed heads) fetched at a time by verification; default 5,000. */
  batchSize?: number;
  /** Seals fetched at a time by verification (a seal holds every head it records); default 20. */
  sealBatchSize?: number;
}

/** The dossier row of an instance, locked, with its head entry (no row: not a dossier's instance). */
const LOCK_DOSSIER_OF_INSTANCE = `SELECT d.id AS locked_id, e.dossier_id, e.seq, e.at, e.actor, e.type, e.content, e.prev_hash, e.hash
   FROM dossiers d
   LEFT JOIN LATERAL (SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE dossier_id = d.id ORDER BY seq DESC LIMIT 1) e ON true
  WHERE d.instance_id = $1
  FOR UPDATE OF d`;

const HEAD = `SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE dossier_id = $1 ORDER BY seq DESC LIMIT 1`;

/**
 * Appends `count` entries of one dossier (8 values each), then $8n+1 the dossier, $8n+2 the
 * hash of the head they follow (NULL for a first entry), $8n+3 the count: inserted only if the
 * dossier's head is still that one.
 */
const appendText = textsByCount((count) => {
  const [d, h, n] = [count * 8 + 1, count * 8 + 2, count * 8 + 3];
  return `WITH w AS (INSERT INTO audit_entries (${ENTRY_COLUMNS}) SELECT * FROM (VALUES ${valueRows(count, ['?::text', '?::integer', '?::timestamptz', '?::text', '?::text', '?::jsonb', '?::text', '?::text'])}) v
            WHERE (SELECT hash FROM audit_entries WHERE dossier_id = $${d}::text ORDER BY seq DESC LIMIT 1) IS NOT DISTINCT FROM $${h}::text RETURNING 1)
         SELECT motcua_expect(count(*), $${n}::bigint, 'the audit chain') FROM w`;
});

export function createSequelizeAuditStore(options: SequelizeAuditStoreOptions = {}): AuditStore {
  const batchSize = options.batchSize ?? 5_000;
  const sealBatchSize = options.sealBatchSize ?? 20;
  for (const [name, value] of Object.entries({ batchSize, sealBatchSize })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`the audit store's ${name} must be a positive integer, got ${value}`);
  }
  return {
    async head(tx, dossierId) {
      const rows = await tx.select(HEAD, [dossierId]);
      return rows[0] ? toEntry(rows[0]) : undefined;
    },

    async append(tx, entries) {
      if (entries.length === 0) return;
      const bind: unknown[] = [];
      for (const { entry: e, dataText } of entries) bind.push(e.dossierId, e.sequence, new Date(e.at).toISOString(), e.actor, e.type, dataText, e.previousHash, e.hash);
      // Only after the head the entries were chained to (none for a first entry); else motcua_expect fails the transaction (40001).
      const first = entries[0].entry;
      bind.push(first.dossierId, first.sequence === 1 ? null : first.previousHash, entries.length);
      await tx.run(appendText(entries.length), bind);
    },

    async lockDossierOfInstance(tx, instanceId) {
      const rows = await tx.select(LOCK_DOSSIER_OF_INSTANCE, [instanceId]);
      const row = rows[0];
      if (!row) return undefined;
      return { dossierId: row.locked_id, ...(row.dossier_id ? { head: toEntry(row) } : {}) };
    },

    async tryLockSealing(tx) {
      const rows = await tx.select('SELECT pg_try_advisory_xact_lock($1) AS locked', [SEALING_LOCK]);
      return rows[0]?.locked === true;
    },

    async lastSeal(tx) {
      const rows = await tx.select('SELECT seq, hash FROM audit_seals ORDER BY seq DESC LIMIT 1');
      return rows[0] ? { sequence: Number(rows[0].seq), hash: String(rows[0].hash) } : undefined;
    },

    async unsealedHeads(tx) {
      // Seals of before 0028 have no horizon; every later one has.
      const [bounds] = await tx.select(BOUNDS);
      const horizon = String(bounds.until);
      const rows = bounds.since === null ? await tx.select(HEADS_OF_WHOLE_LOG, [horizon]) : await tx.select(HEADS_SINCE, [bounds.since, horizon]);
      return { heads: rows.map((row): SealedHead => ({ dossierId: row.dossier_id, sequence: Number(row.seq), hash: row.hash })), horizon };
    },

    async insertSeal(tx, seal, horizon) {
      await tx.run('INSERT INTO audit_seals (seq, at, heads, prev_hash, hash, horizon) VALUES ($1, $2, $3::jsonb, $4, $5, $6::xid8)', [
        seal.sequence,
        new Date(seal.at).toISOString(),
        JSON.stringify(seal.heads),
        seal.previousHash,
        seal.hash,
        horizon,
      ]);
      await tx.run(
        `INSERT INTO audit_sealed_heads (dossier_id, seq) SELECT h->>'dossierId', (h->>'sequence')::integer FROM jsonb_array_elements($1::jsonb) AS h
         ON CONFLICT (dossier_id) DO UPDATE SET seq = EXCLUDED.seq`,
        [JSON.stringify(seal.heads)],
      );
    },

    async *readLog(tx, scope) {
      const agency = scope ? [scope.agency] : [];
      // Seals first, all of them: every head a seal read here records was committed before the
      // log's cursor is declared (READ COMMITTED: a cursor's snapshot is taken when declared).
      await tx.selectUnprepared(`DECLARE ${SEALS_CURSOR} NO SCROLL CURSOR FOR ${sealsOf(scope !== undefined)}`, agency);
      let lastSeal = 0;
      for await (const rows of fetchAll(tx, SEALS_CURSOR, sealBatchSize)) {
        lastSeal = Number(rows.at(-1)!.seq);
        yield rows.map((row): AuditLogRow => ({ kind: 'seal', seal: toSeal(row), counts: row.counts === true }));
      }
      // Then the log, dossier by dossier, with the heads of the seals read (not of one sealed since).
      await tx.selectUnprepared(`DECLARE ${LOG_CURSOR} NO SCROLL CURSOR FOR ${logOf(scope !== undefined)}`, [...agency, lastSeal]);
      for await (const rows of fetchAll(tx, LOG_CURSOR, batchSize)) {
        yield rows.map((row): AuditLogRow => (row.part === 0 ? { kind: 'entry', entry: toEntry(row) } : { kind: 'head', seal: Number(row.ord), head: { dossierId: row.dossier_id, sequence: json(row.head_seq), hash: row.hash } }));
      }
    },
  };
}
