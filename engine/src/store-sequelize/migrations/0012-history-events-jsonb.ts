/**
 * Migration 0012: `history_events_jsonb(events)`, a history row's events as jsonb, or
 * NULL when they cannot be (not an array; text jsonb refuses, such as `\u0000` or a lone
 * surrogate, which a `json` column stores without complaint).
 *
 * The push feed casts `events::jsonb` in one query per page of rows; one such row would
 * fail every read of every page that holds it, for ever. When a page read fails, the
 * feed reads it again through this function, which turns the bad row into a NULL to
 * skip and report instead of an error. Only then: its EXCEPTION block opens a
 * subtransaction per call, a cost the ordinary read does not pay.
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Creates the function in the database's schema; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(`
CREATE FUNCTION history_events_jsonb(events json) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF events IS NULL OR json_typeof(events) <> 'array' THEN
    RETURN NULL;
  END IF;
  RETURN events::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$`);
};

/** Drops the function; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('DROP FUNCTION history_events_jsonb(json)');
};
