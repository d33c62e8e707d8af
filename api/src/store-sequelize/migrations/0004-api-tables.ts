/**
 * Migration 0004: what the REST API keeps beside the engine's own tables.
 *
 *  - `forms`: JSON Schema forms deployed with a BPMN document (multipart deploy), keyed
 *    by the deployment and the `zeebe:formDefinition` formKey/formId of the user tasks.
 *    A task finds its form through its definition's deployment, so running dossiers keep
 *    the form of the version they started on.
 *  - `task_comments`: notes officials leave on a task (the fact itself also goes to
 *    `history` as `taskCommented`, in the same statement).
 *
 * Distribution (Citus), for later: `forms` is small and read-mostly -> a reference table;
 * `task_comments` carries `instance_id` so it can be co-located with `tasks`.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
CREATE TABLE forms (
  deployment_id text NOT NULL REFERENCES deployments (id),
  form_key text NOT NULL,
  schema jsonb NOT NULL,
  schema_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT forms_pkey PRIMARY KEY (deployment_id, form_key)
);

CREATE TABLE task_comments (
  id text PRIMARY KEY,
  task_id text NOT NULL,
  instance_id text NOT NULL,
  author text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX task_comments_task_idx ON task_comments (task_id, created_at, id);
`;

const DOWN = `
DROP TABLE IF EXISTS task_comments;
DROP TABLE IF EXISTS forms;
`;

/** Creates the API's tables; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Drops the API's tables (and their data); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
