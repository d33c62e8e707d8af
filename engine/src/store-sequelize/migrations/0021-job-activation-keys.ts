/**
 * Migration 0021: activation keys of the jobs that external workers take (issue 15).
 *
 * Each time a worker activates a job, the job gets a new number from the sequence
 * `job_activation_keys`: the key a worker reports with names that activation, so a
 * report after the lock moved on to another worker is refused, and Camunda 8's clients
 * (`/v2`), whose job keys are numbers, can use it as their `jobKey`. The partial unique
 * index finds a job by its key.
 *
 * Distribution (Citus), for later: the sequence gives keys unique per database; a
 * distributed jobs table would take them from a sequence per shard (or a node-prefixed one).
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE SEQUENCE job_activation_keys;
ALTER TABLE jobs ADD COLUMN activation_key bigint;
CREATE UNIQUE INDEX jobs_activation_key_idx ON jobs (activation_key) WHERE activation_key IS NOT NULL;
`;

const DOWN = `
DROP INDEX IF EXISTS jobs_activation_key_idx;
ALTER TABLE jobs DROP COLUMN IF EXISTS activation_key;
DROP SEQUENCE IF EXISTS job_activation_keys;
`;

/** Adds the column, its index and the sequence; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Removes them (workers' keys then stop working); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
