/**
 * Migration 0007: indexes that leave out the rows their queries can never ask for.
 *
 * Every index entry is written (and WAL-logged) when a row is inserted or moves
 * (a task's state change is never a HOT update), and index upkeep was the largest
 * single item of PostgreSQL's time per engine command (perf, BENCHMARKS.md). These
 * indexes held rows that no query using them can match:
 *  - "assigned to me" (`assignee = $me`) never matches a task nobody holds, and most
 *    tasks open unassigned, in a group's inbox;
 *  - the overdue scan (`due_at < $now`) never matches a task without a due date;
 *  - business-key and parent look-ups (`= $1`) never match NULL, and most instances
 *    have no business key and no parent.
 * PostgreSQL proves `col = $1` and `col < $1` imply `col IS NOT NULL`, so the same
 * queries keep the same plans.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
DROP INDEX tasks_open_assignee_due_idx;
CREATE INDEX tasks_open_assignee_due_idx ON tasks (assignee, due_at) WHERE state = 'open' AND assignee IS NOT NULL;
DROP INDEX tasks_open_due_unreported_idx;
CREATE INDEX tasks_open_due_unreported_idx ON tasks (due_at) WHERE state = 'open' AND overdue_reported_at IS NULL AND due_at IS NOT NULL;
DROP INDEX instances_business_key_idx;
CREATE INDEX instances_business_key_idx ON instances (business_key) WHERE business_key IS NOT NULL;
DROP INDEX instances_parent_idx;
CREATE INDEX instances_parent_idx ON instances (parent_instance_id, parent_wait_id) WHERE parent_instance_id IS NOT NULL;
`;

const DOWN = `
DROP INDEX tasks_open_assignee_due_idx;
CREATE INDEX tasks_open_assignee_due_idx ON tasks (assignee, due_at) WHERE state = 'open';
DROP INDEX tasks_open_due_unreported_idx;
CREATE INDEX tasks_open_due_unreported_idx ON tasks (due_at) WHERE state = 'open' AND overdue_reported_at IS NULL;
DROP INDEX instances_business_key_idx;
CREATE INDEX instances_business_key_idx ON instances (business_key);
DROP INDEX instances_parent_idx;
CREATE INDEX instances_parent_idx ON instances (parent_instance_id, parent_wait_id);
`;

/** Narrows the indexes; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Back to the full indexes; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
