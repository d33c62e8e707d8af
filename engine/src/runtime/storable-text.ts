/**
 * Text PostgreSQL can store: the one check every input path shares (API, CLI, job
 * handlers, values computed at run time).
 *
 * PostgreSQL refuses U+0000 in `text` ("invalid byte sequence for encoding UTF8: 0x00")
 * and in `jsonb` ("unsupported Unicode escape sequence"), and `jsonb` refuses a lone
 * UTF-16 surrogate (`\ud800`) too; a `json` column takes both as written, so such a
 * value is stored without complaint and breaks every later read that casts it to jsonb
 * (the push feed, reports), or every later write that copies it into a jsonb column
 * (a job's variables). Refusing the text where it comes in keeps poison out of the
 * database. Pure: no I/O.
 */
import { InvalidInputError } from '../errors';

/** U+0000, a high surrogate not followed by a low one, a low one not preceded by a high one. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  const match = UNSTORABLE.exec(text);
  if (!match) return undefined;
  if (match[0] === '\u0000') return `contains the character U+0000 (at position ${match.index}), which PostgreSQL cannot store`;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase();
  return `contains a lone UTF-16 surrogate U+${code} (at position ${match.index}), which is not Unicode text`;
}

/** The first place in a JSON-like value (strings, object keys, nested) whose text cannot be stored. */
export interface UnstorableText {
  /** Dotted path from `root`: `variables.address.street`, `variables.items[2]`. */
  field: string;
  reason: string;
}

/**
 * Finds the first string or object key under `value` that PostgreSQL cannot store, or
 * undefined. Walks at most `maxDepth` levels (deeper values are other checks' business).
 */
export function findUnstorableText(value: unknown, root: string, maxDepth = 256): UnstorableText | undefined {
  const walk = (v: unknown, path: string, depth: number): UnstorableText | undefined => {
    if (typeof v === 'string') {
      const reason = unstorableReason(v);
      return reason ? { field: path, reason } : undefined;
    }
    if (v === null || typeof v !== 'object' || depth > maxDepth) return undefined;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = walk(v[i], `${path}[${i}]`, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(v)) {
      const keyReason = unstorableReason(key);
      // The key itself is the culprit: name it escaped, so the answer stays readable.
      if (keyReason) return { field: path ? `${path}.${JSON.stringify(key).slice(1, -1)}` : JSON.stringify(key).slice(1, -1), reason: `the name ${keyReason}` };
      const found = walk((v as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return walk(value, root, 0);
}

/**
 * Throws InvalidInputError naming the field when `value` (a string, or any JSON value)
 * holds text PostgreSQL cannot store.
 */
export function assertStorableText(value: unknown, field: string): void {
  const found = findUnstorableText(value, field);
  if (found) throw new InvalidInputError(`${found.field}: ${found.reason}`, { field: found.field });
}

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/**
 * The text with U+0000 and lone surrogates replaced by U+FFFD: for descriptive text the
 * engine writes itself (an error message of a failed job), which must never fail its
 * write because of what a handler or a remote server put in it.
 */
export function storableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, '\ufffd') : text;
}
