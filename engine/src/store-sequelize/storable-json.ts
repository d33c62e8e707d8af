/**
 * The last guard before a `json` column (an instance's state, a history row's events):
 * such a column stores `\u0000` and lone surrogate escapes without complaint, and every
 * later read that casts it to jsonb then fails (the push feed, reports). The inputs and
 * run-time values are checked where they come in (runtime/storable-text.ts); this makes
 * sure that nothing that slipped past them is ever written.
 */
import { InvalidInputError } from '../errors';
import { findUnstorableText } from '../runtime/storable-text';

/**
 * `JSON.stringify(value)`, or InvalidInputError naming the place (`state.elements.3.vars.x`)
 * when it holds text PostgreSQL cannot store. JSON.stringify writes `\u` only for control
 * characters and lone surrogates, so text without it is let through after one scan.
 */
export function storableJson(value: unknown, root: string): string {
  const text = JSON.stringify(value);
  if (text.indexOf('\\u') === -1) return text;
  const found = findUnstorableText(value, root);
  if (found) throw new InvalidInputError(`${found.field}: ${found.reason}`, { field: found.field });
  return text;
}
