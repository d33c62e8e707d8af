/**
 * Migration 0018, statistics: `dossier_statistics`, the projection the Decision 766 / Decree
 * 118 figures are counted from (onestop/src/statistics/projection.ts), one row per dossier,
 * rewritten by the statistics sink in the transaction of every change of the dossier.
 *
 * `counted_at` is the moment that puts a dossier in a period (its receipt, or its submission
 * when it was never received). The reports filter on (agency | province, counted_at): one
 * index each, with the procedure so that a procedure's figures use the agency's index too,
 * both covering the counted columns: a province-year (≈ 100,000 of 10,000,000 rows, spread
 * over a third of the table's pages) is then read as one contiguous index range.
 * A finished dossier's timeliness by both measures and its working days are decided when it
 * finishes; a dossier in progress is measured by the query against its due times.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** The columns the counts read: in both indexes, so that a report is an index-only scan of one range (no heap page of the 10M rows). */
const COUNTED = 'channel, status, received_at, finished_at, due_766_at, legal_due_at, measure_end_at, forced_late_766, redated, supplement_requests, timeliness_766, timeliness_legal, working_days, fee, paid_online, e_result, digitised_inputs';

const UP = `
CREATE TABLE dossier_statistics (
  dossier_id text PRIMARY KEY,
  code text NOT NULL,
  agency text NOT NULL,
  province text NOT NULL,
  procedure_code text NOT NULL,
  official text,
  channel text NOT NULL,
  status text NOT NULL,
  submitted_at timestamptz NOT NULL,
  received_at timestamptz,
  counted_at timestamptz NOT NULL,
  finished_at timestamptz,
  due_766_at timestamptz,
  legal_due_at timestamptz,
  measure_end_at timestamptz,
  forced_late_766 boolean NOT NULL,
  redated boolean NOT NULL,
  supplement_requests integer NOT NULL,
  timeliness_766 text,
  timeliness_legal text,
  working_days real,
  fee numeric NOT NULL,
  paid_online boolean NOT NULL,
  e_result boolean NOT NULL,
  digitised_inputs boolean NOT NULL
);
CREATE INDEX dossier_statistics_agency_idx ON dossier_statistics (agency, counted_at, procedure_code) INCLUDE (${COUNTED});
CREATE INDEX dossier_statistics_province_idx ON dossier_statistics (province, counted_at) INCLUDE (${COUNTED});
`;

/** Creates the table; run by \`migrate()\`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops it; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('DROP TABLE IF EXISTS dossier_statistics;');
};
