/**
 * The adapter's translation of database failures into the engine's typed errors, so that no
 * code above the adapter reads a SQLSTATE.
 */
import { RetryableStoreError } from '../errors';

/**
 * SQLSTATEs after which the whole transaction may simply run again: deadlock (40P01),
 * serialization failure (40001), and on the embedded database, whose connections share one
 * session, a prepared statement that vanished (26000) or exists already (42P05).
 */
const RETRYABLE = new Set(['40P01', '40001', '26000', '42P05']);

/** The SQLSTATE of a pg or sequelize error, if it has one. */
export function sqlStateOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; parent?: { code?: unknown }; original?: { code?: unknown } } | undefined;
  const code = e?.parent?.code ?? e?.original?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** `error` as the engine should see it: a {@link RetryableStoreError} when running again may succeed, else unchanged. */
export function storeError(error: unknown): unknown {
  if (error instanceof RetryableStoreError) return error;
  const sqlState = sqlStateOf(error);
  if (sqlState && RETRYABLE.has(sqlState)) {
    return new RetryableStoreError(`the database asked to run the transaction again (${sqlState}): ${(error as Error).message}`, { cause: error, sqlState });
  }
  return error;
}
