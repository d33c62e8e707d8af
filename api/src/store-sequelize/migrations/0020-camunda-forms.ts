/**
 * Migration 0020: Camunda forms (issue 15) beside the JSON Schema forms.
 *
 *  - `forms.kind`: `json-schema` (every form stored before) or `camunda-form` (form-js JSON,
 *    linked by its id or embedded in the model); the task is served with its kind, and a
 *    completion is validated by the rules of that kind.
 *  - `forms_camunda_latest_idx`: a linked Camunda form (zeebe:formDefinition formId) that is
 *    not deployed with its model resolves to the latest one deployed with that id, found by
 *    this index.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const UP = `
ALTER TABLE forms ADD COLUMN kind text NOT NULL DEFAULT 'json-schema'
  CONSTRAINT forms_kind_check CHECK (kind IN ('json-schema', 'camunda-form'));
CREATE INDEX forms_camunda_latest_idx ON forms (form_key, created_at DESC) WHERE kind = 'camunda-form';
`;

const DOWN = `
DROP INDEX IF EXISTS forms_camunda_latest_idx;
ALTER TABLE forms DROP COLUMN IF EXISTS kind;
`;

/** Adds the kind of a form; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(UP);
};

/** Removes it (Camunda forms would then read as JSON Schemas); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(DOWN);
};
