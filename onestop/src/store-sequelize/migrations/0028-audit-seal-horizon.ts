/**
 * Migration 0028, incremental sealing: the sealer reads only the audit entries written since
 * the last seal instead of the whole log (the same cursor as the push feed's, engine
 * migration 0003).
 *
 *  - `audit_entries.tx`: the id of the transaction that wrote the entry (`xid8`, never
 *    wraps). Added without a default first, so the existing rows are not rewritten (they keep
 *    NULL); the default `pg_current_xact_id()` then applies to new rows only. Entry ids
 *    (bigserial) are taken at INSERT, not at COMMIT, so "entries after the last id" would miss
 *    an entry of a slow transaction; transaction ids below the oldest one still running are
 *    all finished, so no entry can appear below that point later.
 *  - `audit_entries_tx_idx`: the range the sealer reads (`tx` from the last seal's horizon);
 *    partial, so the rows written before it (NULL) are never in it and building it on a large
 *    log writes nothing for them (it still reads the table once, holding off writes meanwhile).
 *  - `audit_seals.horizon`: every entry whose `tx` is below it was considered by that seal
 *    (NULL for seals made before this migration). Not part of the seal's hash: it is the
 *    sealing job's bookmark, not evidence; verification does not read it.
 *
 * PostgreSQL 13+ (xid8, pg_current_xact_id); PGlite accepts all of it.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
ALTER TABLE audit_entries ADD COLUMN tx xid8;
ALTER TABLE audit_entries ALTER COLUMN tx SET DEFAULT pg_current_xact_id();
CREATE INDEX audit_entries_tx_idx ON audit_entries (tx) WHERE tx IS NOT NULL;
ALTER TABLE audit_seals ADD COLUMN horizon xid8;
`;

const DOWN = `
ALTER TABLE audit_seals DROP COLUMN IF EXISTS horizon;
DROP INDEX IF EXISTS audit_entries_tx_idx;
ALTER TABLE audit_entries DROP COLUMN IF EXISTS tx;
`;

/** Adds the columns and the index; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Removes them (development only; the next seal after an up again reads the whole log once). */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
