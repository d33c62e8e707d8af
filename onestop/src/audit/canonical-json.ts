/**
 * Canonical JSON for hashing: object keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as JSON.stringify writes them (which for the integers and strings
 * audit entries carry is what RFC 8785 writes too). Two equal values give the same text
 * whatever the key order they were built in, so a hash over it is stable across a
 * database round trip.
 */

/** Raised on a value that has no JSON form (NaN, Infinity, a function, a bigint, a cycle); `path` names where. */
export class CanonicalJsonError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'CANONICAL_JSON_INVALID';

  constructor(message: string, readonly path: string) {
    super(message);
    this.name = new.target.name;
  }
}

function write(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} has no JSON form`, path);
      return JSON.stringify(value);
    case 'object': {
      if (seen.has(value)) throw new CanonicalJsonError(`${path}: a cycle has no JSON form`, path);
      seen.add(value);
      let text: string;
      if (Array.isArray(value)) {
        text = `[${value.map((item, i) => (item === undefined ? 'null' : write(item, `${path}[${i}]`, seen))).join(',')}]`;
      } else {
        const prototype = Object.getPrototypeOf(value);
        // A plain object of any realm (structuredClone and jest's sandbox give other realms' Object.prototype).
        if (prototype !== null && Object.getPrototypeOf(prototype) !== null) throw new CanonicalJsonError(`${path}: a ${prototype?.constructor?.name ?? 'non-plain'} object is not plain JSON`, path);
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
        text = `{${keys.map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, seen)}`).join(',')}}`;
      }
      seen.delete(value);
      return text;
    }
    default:
      throw new CanonicalJsonError(`${path}: a ${typeof value} has no JSON form`, path);
  }
}

/**
 * The canonical JSON text of a plain JSON value (undefined object members are left out,
 * as JSON.stringify does). Throws CanonicalJsonError naming the path of a value without
 * a JSON form, rather than hashing something that would not survive storage.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  return write(value, path, new Set());
}
