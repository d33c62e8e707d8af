/**
 * The audit store over PostgreSQL (the embedded PGlite or a server): the only code with SQL
 * for the audit log (tables of migration 0017; it reads `dossiers` of 0016 for the dossier of
 * an instance and the dossiers of an agency). Every statement goes through the transaction
 * handed in.
 */
import type { TransactionSql } from '../../../engine/src/index';
import type { AuditStore } from '../audit/audit-trail';
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

/** The dossiers of the agency `$1`: those it is responsible for, and those it took part in (`agencies`, its GIN index). */
const OF_AGENCY = 'agency = $1::text OR agencies @> ARRAY[$1::text]';

export function createSequelizeAuditStore(): AuditStore {
  return {
    async head(tx, dossierId) {
      const rows = await tx.select(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE dossier_id = $1 ORDER BY seq DESC LIMIT 1`, [dossierId]);
      return rows[0] ? toEntry(rows[0]) : undefined;
    },

    async append(tx, entries) {
      if (entries.length === 0) return;
      const values: string[] = [];
      const bind: unknown[] = [];
      for (const e of entries) {
        const at = bind.length;
        values.push(`($${at + 1}::text, $${at + 2}::integer, $${at + 3}::timestamptz, $${at + 4}::text, $${at + 5}::text, $${at + 6}::jsonb, $${at + 7}::text, $${at + 8}::text)`);
        bind.push(e.dossierId, e.sequence, new Date(e.at).toISOString(), e.actor, e.type, JSON.stringify(e.data ?? null), e.previousHash, e.hash);
      }
      // Only after the head the entries were chained to (none for a first entry); else motcua_expect fails the transaction (40001).
      const first = entries[0];
      const d = bind.push(first.dossierId);
      const h = bind.push(first.sequence === 1 ? null : first.previousHash);
      const n = bind.push(entries.length);
      await tx.run(
        `WITH w AS (INSERT INTO audit_entries (${ENTRY_COLUMNS}) SELECT * FROM (VALUES ${values.join(', ')}) v
            WHERE (SELECT hash FROM audit_entries WHERE dossier_id = $${d}::text ORDER BY seq DESC LIMIT 1) IS NOT DISTINCT FROM $${h}::text RETURNING 1)
         SELECT motcua_expect(count(*), $${n}::bigint, 'the audit chain') FROM w`,
        bind,
      );
    },

    async lockDossierOfInstance(tx, instanceId) {
      const rows = await tx.select(
        `SELECT d.id AS locked_id, e.dossier_id, e.seq, e.at, e.actor, e.type, e.content, e.prev_hash, e.hash
           FROM dossiers d
           LEFT JOIN LATERAL (SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE dossier_id = d.id ORDER BY seq DESC LIMIT 1) e ON true
          WHERE d.instance_id = $1
          FOR UPDATE OF d`,
        [instanceId],
      );
      const row = rows[0];
      if (!row) return undefined;
      return { dossierId: row.locked_id, ...(row.dossier_id ? { head: toEntry(row) } : {}) };
    },

    async tryLockSealing(tx) {
      const rows = await tx.select('SELECT pg_try_advisory_xact_lock($1) AS locked', [SEALING_LOCK]);
      return rows[0]?.locked === true;
    },

    async lastSeal(tx) {
      const rows = await tx.select('SELECT seq, at, heads, prev_hash, hash FROM audit_seals ORDER BY seq DESC LIMIT 1');
      return rows[0] ? toSeal(rows[0]) : undefined;
    },

    async unsealedHeads(tx) {
      const rows = await tx.select(
        `SELECT DISTINCT ON (e.dossier_id) e.dossier_id, e.seq, e.hash
           FROM audit_entries e LEFT JOIN audit_sealed_heads s ON s.dossier_id = e.dossier_id
          WHERE e.seq > COALESCE(s.seq, 0)
          ORDER BY e.dossier_id, e.seq DESC`,
      );
      return rows.map((row): SealedHead => ({ dossierId: row.dossier_id, sequence: Number(row.seq), hash: row.hash }));
    },

    async insertSeal(tx, seal) {
      await tx.run('INSERT INTO audit_seals (seq, at, heads, prev_hash, hash) VALUES ($1, $2, $3::jsonb, $4, $5)', [seal.sequence, new Date(seal.at).toISOString(), JSON.stringify(seal.heads), seal.previousHash, seal.hash]);
      await tx.run(
        `INSERT INTO audit_sealed_heads (dossier_id, seq) SELECT h->>'dossierId', (h->>'sequence')::integer FROM jsonb_array_elements($1::jsonb) AS h
         ON CONFLICT (dossier_id) DO UPDATE SET seq = EXCLUDED.seq`,
        [JSON.stringify(seal.heads)],
      );
    },

    async readLog(tx, scope) {
      // Seals first: every head a seal read here records was committed before the entries are read.
      const seals = (await tx.select('SELECT seq, at, heads, prev_hash, hash FROM audit_seals ORDER BY seq')).map(toSeal);
      if (!scope) {
        const entries = (await tx.select(`SELECT ${ENTRY_COLUMNS} FROM audit_entries ORDER BY id`)).map(toEntry);
        return { entries, seals };
      }
      const dossierIds = (await tx.select(`SELECT id FROM dossiers WHERE ${OF_AGENCY}`, [scope.agency])).map((row) => String(row.id));
      // A dossier received since is not in dossierIds: verification ignores its entries.
      const entries = (await tx.select(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE dossier_id IN (SELECT id FROM dossiers WHERE ${OF_AGENCY}) ORDER BY id`, [scope.agency])).map(toEntry);
      return { entries, seals, dossierIds };
    },
  };
}
