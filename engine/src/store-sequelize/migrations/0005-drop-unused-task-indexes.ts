/**
 * Migration 0005: drops the two GIN indexes on open tasks' candidate groups and users.
 *
 * Why: the inbox query filters by agency first (tasks_agency_state_due_idx) and checks groups
 * on the rows of that agency; with 1,000,000 tasks PostgreSQL never chose the GIN indexes
 * (BENCHMARKS.md, mode `inbox`), while every task insert and every state change paid for
 * maintaining them: about a fifth of the engine's command rate on the reference procedure
 * (1,165 → 1,409 commands/s at 8 clients, same machine, same run conditions).
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
DROP INDEX IF EXISTS tasks_open_candidate_groups_idx;
DROP INDEX IF EXISTS tasks_open_candidate_users_idx;
`;

const DOWN = `
CREATE INDEX tasks_open_candidate_groups_idx ON tasks USING gin (candidate_groups) WHERE state = 'open';
CREATE INDEX tasks_open_candidate_users_idx ON tasks USING gin (candidate_users) WHERE state = 'open';
`;

/** Drops the unused indexes; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Puts the indexes back; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
