/**
 * Migration 0025, statistics counters: wide scopes (a province for a year: ~100,000 of
 * 10,000,000 dossiers) are counted from `dossier_statistics_counters`, not from rows
 * (onestop/src/store-sequelize/statistics-measures.ts says what is counted and how).
 *
 * - `dossier_statistics_counters`: per key (scope = an agency, or '*' for its province as a
 *   whole; province; grain 'y' | 'm' | 'd' and the local date the year, month or day starts;
 *   procedure; stripe) the sum of every additive measure. Agencies are kept by year and
 *   month, provinces also by day; a period is read as whole years, months and (provinces)
 *   days of counters plus the few rows at its edges. Written in the statement that rewrites a
 *   dossier's `dossier_statistics` row, with the difference between its new and old row.
 * - Two partial indexes of `dossier_statistics` for what counters cannot hold: the dossiers
 *   in progress (on time or overdue depends on the moment the figures are taken) and the
 *   working days of finished ones (their 90th percentile is no sum), each narrow, by
 *   province and by agency.
 * - `dossier_statistics_days`: per province, year or month, and working days in hundredths,
 *   how many finished dossiers took that long: the 90th percentile of a province's period.
 * - Backfill: the counters and the histogram of the rows already there.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { MEASURES, rebuildCountersSql } from '../statistics-measures';

const UP = `
CREATE TABLE dossier_statistics_counters (
  scope text NOT NULL,
  province text NOT NULL,
  grain char(1) NOT NULL,
  period date NOT NULL,
  procedure_code text NOT NULL,
  stripe smallint NOT NULL,
  ${MEASURES.map(([column, e]) => `${column} ${e.startsWith('#') ? 'bigint' : 'integer'} NOT NULL DEFAULT 0`).join(',\n  ')},
  PRIMARY KEY (scope, province, grain, period, procedure_code, stripe)
);
CREATE TABLE dossier_statistics_days (
  province text NOT NULL,
  grain char(1) NOT NULL,
  period date NOT NULL,
  centidays integer NOT NULL,
  stripe smallint NOT NULL,
  dossiers integer NOT NULL,
  PRIMARY KEY (province, grain, period, centidays, stripe)
);
CREATE INDEX dossier_statistics_counters_period_idx ON dossier_statistics_counters (grain, period, province);
CREATE INDEX dossier_statistics_open_province_idx ON dossier_statistics (province, counted_at) INCLUDE (agency, procedure_code, measure_end_at, due_766_at, legal_due_at, forced_late_766, redated)
  WHERE received_at IS NOT NULL AND finished_at IS NULL;
CREATE INDEX dossier_statistics_open_agency_idx ON dossier_statistics (agency, counted_at) INCLUDE (province, procedure_code, measure_end_at, due_766_at, legal_due_at, forced_late_766, redated)
  WHERE received_at IS NOT NULL AND finished_at IS NULL;
CREATE INDEX dossier_statistics_timed_province_idx ON dossier_statistics (province, counted_at) INCLUDE (agency, procedure_code, working_days) WHERE working_days IS NOT NULL;
CREATE INDEX dossier_statistics_timed_agency_idx ON dossier_statistics (agency, counted_at) INCLUDE (province, procedure_code, working_days) WHERE working_days IS NOT NULL;
`;

/** Creates the counters and indexes and counts the rows already there; run by \`migrate()\`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
  for (const statement of rebuildCountersSql()) await context.sequelize.query(statement);
};

/** Drops them; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(
    `DROP INDEX IF EXISTS dossier_statistics_open_province_idx, dossier_statistics_open_agency_idx, dossier_statistics_timed_province_idx, dossier_statistics_timed_agency_idx;
     DROP TABLE IF EXISTS dossier_statistics_counters, dossier_statistics_days;`,
  );
};
