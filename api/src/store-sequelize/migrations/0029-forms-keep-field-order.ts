/**
 * Migration 0029: a form's schema is kept as the text it was deployed with (`json`), no longer
 * as `jsonb`. jsonb orders an object's keys by their length, so a JSON Schema form read back
 * listed its fields in that order (sex before the child's name, the refusal's reason last),
 * not in the order its author gave them, which is the order an official fills them in. The
 * server only stores and returns the schema (validation uses the deployed hash and the parsed
 * object), so nothing queries inside it.
 *
 * Forms stored before keep the order jsonb gave them; forms deployed from now on keep theirs.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Changes the column's type; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE forms ALTER COLUMN schema TYPE json USING schema::json');
};

/** Back to jsonb (the fields' order lost again); for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('ALTER TABLE forms ALTER COLUMN schema TYPE jsonb USING schema::jsonb');
};
