/**
 * Migration 0024: the typed cause of an incident (issue 13).
 *
 * `kind` says how an incident is resolved (a job handed out again, or the failed operation run
 * again); `cause` says what was wrong (`noOutgoingFlow`, `conditionNotBoolean`,
 * `calledProcessMissing`, ... see engine/src/runtime/incident-cause.ts), so operators can sort
 * incidents by the fix they need. Incidents raised before this migration keep a null cause.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Adds the column; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE incidents ADD COLUMN cause text');
};

/** Removes it; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE incidents DROP COLUMN IF EXISTS cause');
};
