/**
 * Migration 0013: jobs of kind `continuation`.
 *
 * A step that has more work than one command may do (a multi-instance body
 * with more inner instances than `multiInstanceChunk`) leaves the rest to a
 * continuation: a jobs row written with the step, claimed by the job executor
 * like a timer, and run as a command of its own. Its row is deleted in the
 * transaction that runs it, so it runs exactly once, and it survives a crash.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('task', 'timer', 'start-timer', 'signal', 'continuation'));
`;

const DOWN = `
DELETE FROM jobs WHERE kind = 'continuation';
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('task', 'timer', 'start-timer', 'signal'));
`;

/** Allows continuation jobs; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Back to the four kinds (pending continuations are dropped); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
