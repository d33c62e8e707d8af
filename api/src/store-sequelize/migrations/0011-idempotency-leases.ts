/**
 * Migration 0011: an idempotency key's reservation carries its owner and a lease.
 *
 * A request reserves its key before it runs; until now a request that never finished
 * (its server killed) left the key "in use" until the purge, 24 hours later. The
 * reservation now names the request that holds it (`owner`, a random token) and holds
 * it only until `lease_until`, which that request renews while it runs: a retry after
 * the lease has run out takes the key over (see `api/src/idempotency.ts`). A key
 * reserved before this migration has no lease, so its retry may take it at once.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Adds the two columns; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE idempotency_keys ADD COLUMN owner text, ADD COLUMN lease_until timestamptz');
};

/** Drops them; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE idempotency_keys DROP COLUMN lease_until, DROP COLUMN owner');
};
