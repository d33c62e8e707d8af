/**
 * Migration 0017, audit: the tamper-evident audit trail (onestop/src/audit/).
 *
 *  - `audit_entries`: append-only, one row per dossier or task event of a dossier, chained
 *    per dossier (`prev_hash` is the hash of the dossier's entry `seq − 1`). `id` is the
 *    stored order verification reads in; `(dossier_id, seq)` is unique and is the index the
 *    writer reads the dossier's head through (under the dossier's row lock, never a global one).
 *    No foreign key to `dossiers`: the log outlives what it records.
 *  - `audit_seals`: the seal chain, one row per seal, each listing the new heads (dossier,
 *    seq, hash) of the dossiers that changed since the previous seal.
 *  - `audit_sealed_heads`: the last sealed sequence of each dossier, so that the sealing job
 *    finds the new heads without reading every seal (an index for the job, not evidence:
 *    verification reads only the seals).
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE audit_entries (
  id bigserial PRIMARY KEY,
  dossier_id text NOT NULL,
  seq integer NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  type text NOT NULL,
  content jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (dossier_id, seq)
);
CREATE TABLE audit_seals (
  seq integer PRIMARY KEY,
  at timestamptz NOT NULL,
  heads jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE TABLE audit_sealed_heads (
  dossier_id text PRIMARY KEY,
  seq integer NOT NULL
);
`;

/** Creates the tables; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops them; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('DROP TABLE IF EXISTS audit_sealed_heads, audit_seals, audit_entries;');
};
