/**
 * Migration 0022: `service_accounts`, the OAuth 2.0 clients that external job workers sign
 * in as (client credentials). An agency admin issues one for its agency; the secret is
 * shown once and kept here only as a scrypt hash; a revoked account's tokens are refused
 * at once (every request reads its row, as a user's).
 *
 * Distribution (Citus), for later: small, read by id on every worker request -> a
 * reference table.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE service_accounts (
  id text PRIMARY KEY,
  name text NOT NULL,
  agency text NOT NULL,
  secret_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text,
  revoked_at timestamptz,
  revoked_by text
);
CREATE INDEX service_accounts_agency_idx ON service_accounts (agency, created_at);
`;

/** Creates the service accounts table; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops the table (and every service account); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('DROP TABLE IF EXISTS service_accounts');
};
