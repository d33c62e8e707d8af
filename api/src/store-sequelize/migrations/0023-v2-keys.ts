/**
 * Migration 0023: `v2_keys`, the numeric keys of the Camunda 8 REST facade (`/v2`). Camunda's
 * clients carry every key as a Java long written in decimal (at most 25 characters); motcua's
 * ids are text. Each (kind, id) the facade shows gets one number, given the first time it is
 * shown and kept for ever, so a key read from one answer names the same thing in the next
 * request.
 *
 * Distribution (Citus), for later: read by (kind, id) and by key -> a reference table, or
 * distributed by key with a second lookup table.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE v2_keys (
  key bigserial PRIMARY KEY,
  kind text NOT NULL,
  id text NOT NULL,
  UNIQUE (kind, id)
);
`;

/** Creates the key table; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops the table (every key given so far); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('DROP TABLE IF EXISTS v2_keys');
};
