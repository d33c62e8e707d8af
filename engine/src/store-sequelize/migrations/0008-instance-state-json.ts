/**
 * Migration 0008: an instance's state is stored as `json` (its text), not `jsonb`.
 *
 * The state is written on every command and read back whole by the engine; no query
 * looks inside it. `jsonb` cost a parse into the binary form on every write (2.3 % of
 * all CPU samples of an engine-command benchmark, perf, BENCHMARKS.md) and a
 * re-serialisation on every read, for nothing. Reports that want to query states can
 * cast: `state::jsonb`.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Changes the column type (rewrites the table); run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE instances ALTER COLUMN state TYPE json USING state::json');
};

/** Back to jsonb; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE instances ALTER COLUMN state TYPE jsonb USING state::jsonb');
};
