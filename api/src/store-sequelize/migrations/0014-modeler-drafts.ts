/**
 * Migration 0014: `modeler_drafts`, the drafts analysts keep while drawing a procedure
 * in the web modeler (issue 18): per user, the BPMN XML as last saved, so a draft
 * survives a reload or another browser. A draft is not a deployment: the engine never
 * reads this table.
 *
 * Distribution (Citus), for later: small and keyed by its owner -> a reference table,
 * or distributed by `owner_id`.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE modeler_drafts (
  owner_id text NOT NULL,
  id text NOT NULL,
  name text,
  process_id text,
  xml text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT modeler_drafts_pkey PRIMARY KEY (owner_id, id)
);
`;

/** Creates the drafts table; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops the drafts table (and the drafts); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('DROP TABLE IF EXISTS modeler_drafts');
};
