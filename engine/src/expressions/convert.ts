/**
 * Conversion of feelin results into JSON process variables.
 *
 * feelin hands back its own objects for temporal values (FeelDate, FeelTime,
 * FeelDateTime, FeelDuration), ranges and functions; process variables are
 * plain JSON, so every result goes through {@link toJson} before it leaves
 * the expressions module.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';
import type { Json } from '../runtime/state';

/**
 * Thrown when an expression cannot be parsed, fails while evaluating, or
 * yields a value of the wrong kind.
 *
 * Carries the offending expression text so that an incident can show it
 * next to the element that owns it.
 */
export class ExpressionError extends Error {
  /** The expression as written in the model, including any leading '='. */
  readonly expression: string;
  /** What went wrong, for the incident's typed cause. */
  readonly failure: ExpressionFailure;

  /** Builds an error for `expression`; `message` is the whole, human-readable message. */
  constructor(expression: string, message: string, failure: ExpressionFailure = 'expressionFailed') {
    super(message);
    this.name = 'ExpressionError';
    this.expression = expression;
    this.failure = failure;
  }
}

/**
 * Why an expression (or the model around it) could not give the runtime a usable value:
 * `expressionFailed` (does not parse, or fails while evaluating), `conditionNotBoolean`,
 * `wrongType` (a string, list, date or count of another kind was needed), `valueNotStorable`
 * (a result that is not JSON), `modelGap` (the model lacks what the element needs: a link target,
 * a start event, a correlation key), `limitExceeded` (a budget or size limit).
 */
export type ExpressionFailure = 'expressionFailed' | 'conditionNotBoolean' | 'wrongType' | 'valueNotStorable' | 'modelGap' | 'limitExceeded';

/**
 * Thrown when an expression exceeds its evaluation budget: too many operations, or a string or
 * result larger than allowed (see {@link ExpressionLimits}).
 *
 * An {@link ExpressionError}, so that the runtime turns it into an incident on the element that
 * evaluated the expression, like any other failed expression. Deterministic: the same expression
 * with the same variables always exceeds the same bound.
 */
export class ExpressionBudgetError extends ExpressionError {
  /** Which bound: `operations` or `result` (size). */
  readonly limit: 'operations' | 'result';

  /** Builds the error; `message` names the expression and the bound. */
  constructor(expression: string, limit: 'operations' | 'result', message: string) {
    super(expression, message, 'limitExceeded');
    this.name = 'ExpressionBudgetError';
    this.limit = limit;
  }
}

/**
 * Converts a feelin result value into JSON.
 *
 * Used on every evaluation result: FEEL dates, times, date-times and
 * durations become ISO 8601 strings (a date-time in a named zone such as
 * `@Asia/Ho_Chi_Minh` becomes its offset form `...+07:00`; a time in a named
 * zone keeps feelin's `10:00:00@Europe/Paris` form, as its offset depends on
 * a date); `undefined` becomes null. Ranges, functions, non-finite numbers
 * and foreign objects cannot be stored and throw {@link ExpressionError}.
 */
export function toJson(value: unknown, expression: string): Json {
  switch (typeof value) {
    case 'undefined':
      return null;
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new ExpressionError(expression, `expression '${expression}' evaluated to ${value}, which is not a JSON number`, 'valueNotStorable');
      }
      return value;
    case 'object':
      break;
    default:
      throw unstorable(expression, typeof value === 'function' ? 'a function' : `a ${typeof value}`);
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => toJson(item, expression));
  if (value instanceof FeelDateTime) {
    // feelin writes a named zone as '@Zone', which is not ISO 8601: use the offset form
    return value.iso.includes('@') && value.zone
      ? value.unwrap().toZonedDateTime(value.zone).toString({ timeZoneName: 'never' })
      : value.iso;
  }
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDuration) return value.iso;
  if (isRange(value)) throw unstorable(expression, 'a range');
  if (isFunction(value)) throw unstorable(expression, 'a function');
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw unstorable(expression, `an object of type ${(proto as { constructor?: { name?: string } }).constructor?.name ?? 'unknown'}`);
  }
  const out: { [key: string]: Json } = {};
  for (const [key, entry] of Object.entries(value)) out[key] = toJson(entry, expression);
  return out;
}

/**
 * Describes a JSON value in a few words for an error message ("null", "number 5", "a list").
 *
 * Keeps messages short when an expression yields the wrong kind of value.
 */
export function describeValue(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  switch (typeof value) {
    case 'boolean':
    case 'number':
      return `${typeof value} ${value}`;
    case 'string':
      return `string ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value)}`;
    default:
      return 'a context';
  }
}

function unstorable(expression: string, what: string): ExpressionError {
  return new ExpressionError(expression, `expression '${expression}' evaluated to ${what}, which cannot be converted to JSON`, 'valueNotStorable');
}
