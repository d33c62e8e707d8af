/**
 * The one codec of page cursors: base64url of a JSON array of the sort values of a page's last
 * item. Opaque to clients; every list (tasks, instances, deployments, incidents...) uses it, and
 * decoding checks the shape, so a cursor from another list is refused with a clear error.
 */
import { InvalidInputError } from '../errors';

/** One sort value of a cursor. */
export type CursorValue = string | number | null;

/** The cursor after an item whose sort values are `values`. */
export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * Reads a cursor of `shape` (one type letter per value: `s` string, `n` safe integer,
 * `N` safe integer or null); throws InvalidInputError (field `cursor`) otherwise.
 */
export function decodeCursor(cursor: string, shape: string): CursorValue[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === shape.length &&
      value.every((v, i) =>
        shape[i] === 's' ? typeof v === 'string' : shape[i] === 'n' ? Number.isSafeInteger(v) : v === null || Number.isSafeInteger(v),
      )
    ) {
      return value as CursorValue[];
    }
  } catch {
    // fall through
  }
  throw new InvalidInputError('cursor is not a cursor returned by this list', { field: 'cursor' });
}
