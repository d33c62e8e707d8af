/**
 * The outbox store over PostgreSQL (tables of migration 0019): the only SQL of the notice and
 * portal outboxes. Every statement goes through the transaction handed in.
 */
import type { TransactionSql } from '../../../engine/src/index';
import { textsByCount, valueRows } from '../../../engine/src/store-sequelize/pipelined-sql';
import type { OutboxRow, OutboxStore } from '../outbox/outbox-store';

type Row = Record<string, any>;

const iso = (ms: number): string => new Date(ms).toISOString();
const ms = (value: unknown): number => (value instanceof Date ? value.getTime() : Date.parse(String(value)));
const json = (value: unknown): any => (typeof value === 'string' ? JSON.parse(value) : value);

function toRow(row: Row): OutboxRow {
  return {
    id: String(row.id),
    channel: row.channel,
    dossierId: row.dossier_id,
    agency: row.agency,
    kind: row.kind,
    payload: json(row.payload),
    createdAt: ms(row.created_at),
    attempts: Number(row.attempts),
    nextAt: ms(row.next_at),
    ...(row.claimed_until ? { claimedUntil: ms(row.claimed_until) } : {}),
    ...(row.claim_token ? { claimToken: row.claim_token } : {}),
    ...(row.sent_at ? { sentAt: ms(row.sent_at) } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
  };
}

const COLUMNS = 'id, channel, dossier_id, agency, kind, payload, created_at, attempts, next_at, claimed_until, claim_token, sent_at, last_error';

/** Inserts `count` messages ($1 the time they are created and first due, then 5 values each). */
const enqueueText = textsByCount(
  (count) => `INSERT INTO outbox (channel, dossier_id, agency, kind, payload, created_at, next_at) VALUES ${valueRows(count, ['?', '?', '?', '?', '?::jsonb', '$1::timestamptz', '$1::timestamptz'], 2)}`,
);

/** The outbox store of one database (stateless: every call names its transaction). */
export function createSequelizeOutboxStore(): OutboxStore {
  return {
    async enqueue(tx, messages, at) {
      if (messages.length === 0) return;
      // One statement for the messages of a change, their ids (the order they are sent in) in their order.
      const bind: unknown[] = [iso(at)];
      for (const m of messages) bind.push(m.channel, m.dossierId, m.agency, m.kind, JSON.stringify(m.payload));
      await tx.run(enqueueText(messages.length), bind);
    },

    async claim(tx, channel, { at, leaseMs, limit, maxAttempts, token }) {
      // The oldest unsent row of each dossier only, so a dossier's messages leave in order.
      const rows = await tx.select(
        `UPDATE outbox SET attempts = attempts + 1, claimed_until = $3, claim_token = $4
          WHERE id IN (
            SELECT o.id FROM outbox o
             WHERE o.channel = $1 AND o.sent_at IS NULL AND o.next_at <= $2 AND o.attempts < $5
               AND (o.claimed_until IS NULL OR o.claimed_until <= $2)
               AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.channel = o.channel AND e.dossier_id = o.dossier_id AND e.sent_at IS NULL AND e.id < o.id)
             ORDER BY o.id LIMIT $6
             FOR UPDATE SKIP LOCKED)
          RETURNING ${COLUMNS}`,
        [channel, iso(at), iso(at + leaseMs), token, maxAttempts, limit],
      );
      return rows.map(toRow).sort((a, b) => Number(a.id) - Number(b.id));
    },

    async markSent(tx, id, token, at) {
      const rows = await tx.select('UPDATE outbox SET sent_at = $3, claimed_until = NULL, last_error = NULL WHERE id = $1 AND claim_token = $2 AND sent_at IS NULL RETURNING id', [id, token, iso(at)]);
      return rows.length === 1;
    },

    async markFailed(tx, id, token, error, nextAt) {
      await tx.run('UPDATE outbox SET last_error = $3, next_at = $4, claimed_until = NULL WHERE id = $1 AND claim_token = $2 AND sent_at IS NULL', [id, token, error, iso(nextAt)]);
    },

    async unsent(tx, channel, { agencies, limit }) {
      const rows = await tx.select(
        `SELECT dossier_id, min(agency) AS agency, count(*) AS pending, max(attempts) AS attempts, min(created_at) AS first_created_at, (array_agg(next_at ORDER BY id))[1] AS next_at,
                (array_agg(last_error ORDER BY id) FILTER (WHERE last_error IS NOT NULL))[1] AS last_error
           FROM outbox WHERE channel = $1 AND sent_at IS NULL ${agencies ? 'AND agency = ANY($3)' : ''}
          GROUP BY dossier_id ORDER BY min(created_at), dossier_id LIMIT $2`,
        agencies ? [channel, limit, agencies] : [channel, limit],
      );
      return rows.map((r) => ({
        dossierId: r.dossier_id,
        agency: r.agency,
        pending: Number(r.pending),
        attempts: Number(r.attempts),
        firstCreatedAt: ms(r.first_created_at),
        nextAt: ms(r.next_at),
        ...(r.last_error ? { lastError: r.last_error } : {}),
      }));
    },

    async resend(tx, channel, dossierId, at) {
      const rows = await tx.select('UPDATE outbox SET next_at = $3, attempts = 0 WHERE channel = $1 AND dossier_id = $2 AND sent_at IS NULL RETURNING id', [channel, dossierId, iso(at)]);
      return rows.length;
    },

    async rows(tx, channel, dossierId) {
      return (await tx.select(`SELECT ${COLUMNS} FROM outbox WHERE channel = $1 AND dossier_id = $2 ORDER BY id`, [channel, dossierId])).map(toRow);
    },

    async applicantContact(tx, dossierId) {
      const rows = await tx.select("SELECT applicant->>'name' AS name, applicant->>'email' AS email FROM dossiers WHERE id = $1", [dossierId]);
      if (!rows[0]) return undefined;
      return { ...(rows[0].name ? { name: rows[0].name } : {}), ...(rows[0].email ? { email: rows[0].email } : {}) };
    },

    async setting(tx, name) {
      const rows = await tx.select('SELECT document, version, updated_at, updated_by FROM portal_settings WHERE name = $1', [name]);
      const r = rows[0];
      return r ? { document: json(r.document), version: Number(r.version), updatedAt: ms(r.updated_at), ...(r.updated_by ? { updatedBy: r.updated_by } : {}) } : undefined;
    },

    async saveSetting(tx, name, document, at, by) {
      const rows = await tx.select(
        `INSERT INTO portal_settings (name, document, version, updated_at, updated_by) VALUES ($1, $2::jsonb, 1, $3, $4)
         ON CONFLICT (name) DO UPDATE SET document = EXCLUDED.document, version = portal_settings.version + 1, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
         RETURNING version`,
        [name, JSON.stringify(document), iso(at), by],
      );
      return Number(rows[0].version);
    },
  };
}
