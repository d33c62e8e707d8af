/**
 * Migration 0016, dossiers: the procedure catalogue, the dossiers with their status
 * history, the daily counter of dossier codes and the log of personal-data reads.
 *
 *  - `procedures`: one row per procedure of the catalogue (loaded from processes/, edited by
 *    the competent agency's admin), the document as JSON plus the columns queries filter on.
 *  - `dossiers`: the lifecycle state as JSON (`state`, onestop/src/dossiers/dossier.ts) and
 *    the columns inboxes and tracking read (code, agency, procedure, status, appointment,
 *    instance); the applicant (personal data, Law 91/2025) in its own column, never in
 *    `state` or history; the tracking secret only as a hash.
 *  - `dossier_status_history`: append-only, one row per dossier event (who, when, why).
 *  - `dossier_code_counters`: one row per (agency, local day); the receipt's transaction
 *    increments it (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so a rolled-back receipt
 *    gives its number back and concurrent receipts queue on the row: no gap, no duplicate.
 *  - `personal_data_reads`: who read a dossier's personal data, when.
 * Every table is keyed by or carries the agency, so a distribution by agency keeps a
 * dossier's rows together.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE procedures (
  code text PRIMARY KEY,
  national_codes text[] NOT NULL,
  agency text NOT NULL,
  level text NOT NULL,
  process_id text NOT NULL,
  online_level text NOT NULL,
  effective_from date,
  effective_to date,
  document jsonb NOT NULL,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text
);
CREATE INDEX procedures_process_idx ON procedures (process_id);
CREATE INDEX procedures_agency_idx ON procedures (agency);
CREATE TABLE dossiers (
  id text PRIMARY KEY,
  code text NOT NULL CONSTRAINT dossiers_code_key UNIQUE,
  agency text NOT NULL,
  agencies text[] NOT NULL,
  procedure_code text NOT NULL,
  procedure_version integer NOT NULL,
  definition_id text,
  instance_id text CONSTRAINT dossiers_instance_key UNIQUE,
  status text NOT NULL,
  channel text NOT NULL,
  submitted_at timestamptz NOT NULL,
  appointment_at timestamptz,
  submitted_by text NOT NULL,
  applicant_user text,
  tracking_hash text NOT NULL,
  state jsonb NOT NULL,
  details jsonb NOT NULL,
  applicant jsonb NOT NULL,
  revision integer NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX dossiers_agency_status_idx ON dossiers (agency, status, submitted_at DESC);
CREATE INDEX dossiers_agencies_idx ON dossiers USING gin (agencies);
CREATE INDEX dossiers_applicant_user_idx ON dossiers (applicant_user) WHERE applicant_user IS NOT NULL;
CREATE INDEX dossiers_procedure_idx ON dossiers (procedure_code, submitted_at DESC);
CREATE TABLE dossier_status_history (
  id bigserial PRIMARY KEY,
  dossier_id text NOT NULL REFERENCES dossiers (id),
  at timestamptz NOT NULL,
  actor text NOT NULL,
  type text NOT NULL,
  from_status text NOT NULL,
  to_status text NOT NULL,
  event jsonb NOT NULL
);
CREATE INDEX dossier_status_history_dossier_idx ON dossier_status_history (dossier_id, id);
CREATE TABLE dossier_code_counters (
  agency text NOT NULL,
  day date NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (agency, day)
);
CREATE TABLE personal_data_reads (
  id bigserial PRIMARY KEY,
  dossier_id text NOT NULL REFERENCES dossiers (id),
  at timestamptz NOT NULL,
  reader text NOT NULL,
  reader_agency text,
  purpose text NOT NULL
);
CREATE INDEX personal_data_reads_dossier_idx ON personal_data_reads (dossier_id, at);
`;

/** Creates the tables; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops them; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('DROP TABLE IF EXISTS personal_data_reads, dossier_code_counters, dossier_status_history, dossiers, procedures;');
};
