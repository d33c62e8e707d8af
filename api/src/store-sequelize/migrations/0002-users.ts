/**
 * Migration 0002: the built-in user store (`users`) and shared generated secrets
 * (`secrets`, e.g. the key that signs the API's own tokens, so that every API
 * process on one database accepts the others' tokens).
 *
 * Usernames are unique without regard to case (a unique index on `lower(username)`).
 * Distribution (Citus): both tables are small and rarely written -> reference tables.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE users (
  id text PRIMARY KEY,
  username text NOT NULL,
  password_hash text NOT NULL,
  name text,
  roles text[] NOT NULL DEFAULT '{}',
  agency text,
  groups text[] NOT NULL DEFAULT '{}',
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
CREATE INDEX users_agency_idx ON users (agency);

CREATE TABLE secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;

const DOWN = `
DROP TABLE IF EXISTS secrets;
DROP TABLE IF EXISTS users;
`;

/** Creates the users and secrets tables; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops the users and secrets tables (and their data); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
