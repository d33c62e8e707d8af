/**
 * FEEL builtins replaced, through the evaluation context, by versions whose work is linear and
 * metered (feelin looks a name up in the context before its builtins):
 *
 * - `matches`, `replace`, `split` on a linear-time regular expression engine (./linear-regexp.ts):
 *   a backtracking pattern could otherwise hold the process for minutes.
 * - `distinct values` and `union` by a hash of each element instead of comparing every pair:
 *   feelin's are quadratic, so a list of 100,000 elements (a 1 MiB variable) took hours.
 *
 * Each takes the same parameters (names included, for named invocation) and yields null for
 * arguments of the wrong type, as feelin's builtins do.
 */
import { compileLinear, linearReplace, linearSplit, linearTest } from './linear-regexp';
import { spend } from './guard';

const isString = (value: unknown): value is string => typeof value === 'string';

/** A key equal for FEEL-equal values of the kinds lists hold (numbers, strings, booleans, null, lists, contexts, temporals). */
function keyOf(value: unknown): string {
  if (value === null || value === undefined) return 'n';
  if (typeof value === 'object' && !Array.isArray(value) && value.constructor !== Object) return `t${String(value)}`;
  return `j${JSON.stringify(value, (_k, v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && v.constructor === Object ? sortedObject(v) : v))}`;
}

function sortedObject(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = value[key];
  return out;
}

function distinct(lists: unknown[][]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const list of lists) {
    spend(list.length);
    for (const item of list) {
      const key = keyOf(item);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

/** The replacements, by the FEEL names they shadow. */
export const GUARDED_BUILTINS: Readonly<Record<string, unknown>> = Object.freeze({
  matches: function (input: unknown, pattern: unknown, flags: unknown) {
    if (!isString(input) || !isString(pattern) || (flags !== undefined && flags !== null && !isString(flags))) return null;
    const re = compileLinear(pattern, (flags as string | null | undefined) ?? '');
    return re ? linearTest(re, input) : null;
  },
  replace: function (input: unknown, pattern: unknown, replacement: unknown, flags: unknown) {
    if (!isString(input) || !isString(pattern) || !isString(replacement) || (flags !== undefined && flags !== null && !isString(flags))) return null;
    const re = compileLinear(pattern, (flags as string | null | undefined) ?? '');
    return re ? linearReplace(re, input, replacement) : null;
  },
  split: function (string: unknown, delimiter: unknown) {
    if (!isString(string) || !isString(delimiter)) return null;
    const re = compileLinear(delimiter);
    return re ? linearSplit(re, string) : null;
  },
  'distinct values': function (list: unknown) {
    return Array.isArray(list) ? distinct([list]) : null;
  },
  union: function (...lists: unknown[]) {
    const all = lists.length === 1 && Array.isArray(lists[0]) && lists[0].every(Array.isArray) ? (lists[0] as unknown[][]) : lists;
    return all.every(Array.isArray) ? distinct(all as unknown[][]) : null;
  },
});
