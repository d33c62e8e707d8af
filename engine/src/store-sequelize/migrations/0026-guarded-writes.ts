/**
 * Migration 0026: `motcua_expect(applied, expected, what)`, the check that lets a guarded
 * write travel in one round trip with the statements of its transaction (issue 16).
 *
 * A write computed from a remembered row (an instance's state, a dossier's revision, the head
 * of its audit chain) applies only if that row is still as remembered; the statement counts
 * what it wrote and passes the count here. When it is not what was expected, the function
 * raises a serialization failure (SQLSTATE 40001): PostgreSQL skips the rest of the batch
 * and the transaction rolls back, and the engine runs the command again from the database
 * (the adapter's storeError reads 40001 as "run it again").
 */
import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Creates the function in the database's schema; run by `migrate()`, never by hand. */
export const up: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query(`
CREATE FUNCTION motcua_expect(applied bigint, expected bigint, what text) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF applied IS DISTINCT FROM expected THEN
    RAISE EXCEPTION 'motcua: % moved on since it was read (% of % rows written)', what, applied, expected USING ERRCODE = '40001';
  END IF;
  RETURN applied;
END
$$`);
};

/** Drops the function; for reverting in development only. */
export const down: MigrationFn<QueryInterface> = async ({ context }) => {
  await context.sequelize.query('DROP FUNCTION IF EXISTS motcua_expect(bigint, bigint, text)');
};
