/**
 * Camunda 8's FEEL extension functions that feelin lacks (or has in a narrower form), so that a
 * model written for Camunda 8 evaluates here the same way.
 *
 * Given to feelin through the evaluation context, like ./guarded-builtins.ts (feelin looks a name up
 * in the context before its builtins), and to its parser, which must know names such as
 * `get or else` (`or` is a keyword) to read them as one name.
 *
 * Behaviour follows Camunda's FEEL reference (docs.camunda.io, "Built-in functions"): arguments of
 * the wrong type yield null, as all FEEL functions do; `assert` fails the evaluation (an incident).
 * Work that grows with the arguments is metered (./guard.ts). `uuid()` and `random number()` are
 * not random inside a step: they come from the step's seed (./clock.ts), so a replayed step gives
 * the same values.
 *
 * Not provided: `and(list)` and `or(list)` (keywords that feelin's parser cannot read as names: use
 * `all(list)` and `any(list)`), `date and time(from, timezone)` (feelin's parser binds `date and
 * time` to its own builtin).
 */
import { date as feelDate, FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';
import { chargeSize, spend } from './guard';
import { compileLinear } from './linear-regexp';

type FeelFn = ((...args: any[]) => unknown) & { $args?: string[] };

/** A function with FEEL parameter names (for named invocation: `get or else(value: x, default: 1)`). */
function named(names: string[], body: (...args: any[]) => unknown): FeelFn {
  const fn = body as FeelFn;
  fn.$args = names;
  return fn;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isContext = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

/** A key equal for FEEL-equal values of the kinds lists hold (as ./guarded-builtins.ts). */
function keyOf(value: unknown): string {
  if (value === null || value === undefined) return 'n';
  if (typeof value === 'object' && !Array.isArray(value) && value.constructor !== Object) return `t${String(value)}`;
  return `j${JSON.stringify(value, (_k, v) => (isContext(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v))}`;
}

/** Java's String.trim, which Camunda's `trim` uses: strips characters up to U+0020 at both ends. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** A FEEL value as JSON text (temporals as their ISO 8601 text); undefined when it has no JSON form. */
function jsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDateTime || value instanceof FeelDuration) return value.iso;
  if (Array.isArray(value)) {
    spend(value.length);
    return value.map(jsonValue);
  }
  if (isContext(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      spend(1);
      out[key] = jsonValue(entry);
    }
    return out;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (isRange(value) || isFunction(value) || typeof value === 'function') return undefined;
  return value;
}

function containsUndefined(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.some(containsUndefined);
  if (isContext(value)) return Object.values(value).some(containsUndefined);
  return false;
}

/** A path of keys: one string, or a non-empty list of strings. */
function keyPath(key: unknown): string[] | undefined {
  if (isString(key)) return [key];
  if (Array.isArray(key) && key.length > 0 && key.every(isString)) return key as string[];
  return undefined;
}

/** `context put` along a path: nested contexts are copied, and created where missing (as Camunda does). */
function putPath(context: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  spend(path.length);
  const [head, ...rest] = path;
  const copy = { ...context };
  if (rest.length === 0) {
    copy[head] = value;
  } else {
    const inner = copy[head];
    copy[head] = putPath(isContext(inner) ? inner : {}, rest, value);
  }
  return copy;
}

/** The date of a date or date-time (its local date), or undefined. */
function dateOf(value: unknown): { year: number; month: number; daysInMonth: number } | undefined {
  if (value instanceof FeelDate || value instanceof FeelDateTime) {
    const { year, month, daysInMonth } = value.value;
    return { year, month, daysInMonth };
  }
  return undefined;
}

/** Source of `uuid()` and `random number()`: 16 bytes per call. */
export type RandomSource = () => Uint8Array;

/** The functions that need a source of random bytes, bound to one. */
export function seededFunctions(random: RandomSource): Record<string, FeelFn> {
  return {
    uuid: named([], () => {
      const bytes = random();
      bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
      bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
      const hex = Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    }),
    'random number': named([], () => {
      const bytes = random();
      // 52 random bits → [0, 1)
      let n = 0;
      for (let i = 0; i < 6; i++) n = n * 256 + bytes[i];
      n = n * 16 + (bytes[6] >> 4);
      return n / 2 ** 52;
    }),
  };
}

/** Names of the functions that give a new value on every call (never memoised). */
export const SEEDED_FUNCTION_NAMES: readonly string[] = ['uuid', 'random number'];

/** The extensions that need no seed, by their FEEL names. */
export const CAMUNDA_FUNCTIONS: Readonly<Record<string, FeelFn>> = Object.freeze({
  // ---- boolean
  'is defined': named(['value'], (value: unknown) => value !== null && value !== undefined),
  'get or else': named(['value', 'default'], (value: unknown, fallback: unknown) => (value === null || value === undefined ? (fallback ?? null) : value)),
  assert: named(['value', 'condition', 'cause'], (value: unknown, condition: unknown, cause: unknown) => {
    if (condition === true) return value;
    throw new Error(isString(cause) ? `assertion failed: ${cause}` : `assertion failed: the condition is ${condition === false ? 'false' : 'not true (null)'}`);
  }),

  // ---- connectors (Camunda's connector error expressions): a context the connector reads
  bpmnError: named(['code', 'message', 'variables'], (code: unknown, message: unknown, variables: unknown) =>
    isString(code) ? { errorType: 'bpmnError', code, message: isString(message) ? message : null, variables: isContext(variables) ? variables : null } : null,
  ),
  jobError: named(['message', 'variables', 'retries', 'retryBackoff'], (message: unknown, variables: unknown, retries: unknown, retryBackoff: unknown) =>
    isString(message)
      ? {
          errorType: 'jobError',
          message,
          variables: isContext(variables) ? variables : null,
          retries: typeof retries === 'number' ? retries : null,
          retryBackoff: retryBackoff instanceof FeelDuration ? retryBackoff.toString() : isString(retryBackoff) ? retryBackoff : null,
        }
      : null,
  ),

  // ---- string
  trim: named(['string'], (text: unknown) => (isString(text) ? javaTrim(text) : null)),
  'is blank': named(['string'], (text: unknown) => (isString(text) ? javaTrim(text) === '' : null)),
  'to base64': named(['value'], (text: unknown) => (isString(text) ? Buffer.from(text, 'utf8').toString('base64') : null)),
  extract: named(['string', 'pattern'], (text: unknown, pattern: unknown) => {
    if (!isString(text) || !isString(pattern)) return null;
    const re = compileLinear(pattern);
    if (!re) return null;
    const matcher = re.matcher(text);
    const found: string[] = [];
    let from = 0;
    while (from <= text.length && matcher.find(from)) {
      spend(1);
      const start = matcher.start();
      const end = matcher.end();
      found.push(text.slice(start, end));
      from = end > start ? end : end + 1;
    }
    return found;
  }),
  'string join': named(['list', 'delimiter', 'prefix', 'suffix'], (list: unknown, delimiter: unknown, prefix: unknown, suffix: unknown) => {
    if (!Array.isArray(list)) return null;
    for (const arg of [delimiter, prefix, suffix]) if (arg !== undefined && arg !== null && !isString(arg)) return null;
    spend(list.length);
    const parts: string[] = [];
    for (const item of list) {
      if (item === null || item === undefined) continue;
      if (!isString(item)) return null;
      parts.push(item);
    }
    const text = `${(prefix as string | null | undefined) ?? ''}${parts.join((delimiter as string | null | undefined) ?? '')}${(suffix as string | null | undefined) ?? ''}`;
    chargeSize(text);
    return text;
  }),

  // ---- list
  'is empty': named(['list'], (list: unknown) => (Array.isArray(list) ? list.length === 0 : null)),
  'duplicate values': named(['list'], (list: unknown) => {
    if (!Array.isArray(list)) return null;
    spend(list.length);
    const counts = new Map<string, { value: unknown; count: number }>();
    for (const item of list) {
      const key = keyOf(item);
      const seen = counts.get(key);
      if (seen) seen.count++;
      else counts.set(key, { value: item, count: 1 });
    }
    return [...counts.values()].filter((entry) => entry.count > 1).map((entry) => entry.value);
  }),
  partition: named(['list', 'size'], (list: unknown, size: unknown) => {
    if (!Array.isArray(list) || typeof size !== 'number' || !Number.isInteger(size) || size <= 0) return null;
    spend(list.length);
    const parts: unknown[][] = [];
    for (let i = 0; i < list.length; i += size) parts.push(list.slice(i, i + size));
    return parts;
  }),

  // ---- context
  'get value': named(['context', 'key', 'keys'], (context: unknown, key: unknown, keys: unknown) => {
    const path = keyPath(key ?? keys);
    if (!isContext(context) || !path) return null;
    let value: unknown = context;
    for (const name of path) {
      if (!isContext(value) || !Object.hasOwn(value, name)) return null;
      value = value[name];
    }
    return value ?? null;
  }),
  'context put': named(['context', 'key', 'value', 'keys'], (context: unknown, key: unknown, value: unknown, keys: unknown) => {
    const path = keyPath(key ?? keys);
    if (!isContext(context) || !path) return null;
    return putPath(context, path, value ?? null);
  }),

  // ---- temporal
  'last day of month': named(['date'], (value: unknown) => {
    const day = dateOf(value);
    if (!day) return null;
    return feelDate(`${String(day.year).padStart(4, '0')}-${String(day.month).padStart(2, '0')}-${String(day.daysInMonth).padStart(2, '0')}`);
  }),

  // ---- conversion
  'to json': named(['value'], (value: unknown) => {
    const json = jsonValue(value);
    if (json === undefined || containsUndefined(json)) return null;
    const text = JSON.stringify(json);
    chargeSize(text);
    return text;
  }),
  'from json': named(['value'], (text: unknown) => {
    if (!isString(text)) return null;
    chargeSize(text);
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return null;
    }
    // Charged like values built by the expression: one operation per element or entry.
    const pending: unknown[] = [value];
    while (pending.length > 0) {
      const next = pending.pop();
      if (Array.isArray(next)) {
        spend(next.length);
        for (const item of next) pending.push(item);
      } else if (isContext(next)) {
        const entries = Object.values(next);
        spend(entries.length);
        for (const item of entries) pending.push(item);
      }
    }
    return value;
  }),
});

/** The names of every extension, for the parser and deploy-time checks. */
export const CAMUNDA_FUNCTION_NAMES: readonly string[] = [...Object.keys(CAMUNDA_FUNCTIONS), ...SEEDED_FUNCTION_NAMES];
