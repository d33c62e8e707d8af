/**
 * FEEL expressions, the Zeebe way: a text starting with '=' is FEEL, any
 * other text is a static literal string.
 *
 * This module (with convert.ts) is the only place that imports feelin.
 *
 * Performance. feelin cannot evaluate a pre-parsed tree through its public
 * API (its interpreter class is not exported, and each call re-parses and
 * rebuilds closures: 50 to 80 µs for `amount > 100`, more with many
 * variables in the context). So instead:
 *  - each expression string is analysed once (syntax check, names of the
 *    variables it reads) and the analysis is cached (bounded);
 *  - feelin gets only the variables the expression reads, not the whole
 *    context (feelin deep-copies the context it is given on every call);
 *  - results that are primitives (boolean, number, string, null) are
 *    memoised by expression and values of the variables read, unless the
 *    expression reads the clock (`now`, `today`). A hit costs 0.25 µs
 *    (about 1.5 µs with 40 variables in the context).
 */
import { evaluate as feelEvaluate, isFunction, parseExpression, SyntaxError as FeelSyntaxError } from 'feelin';
import { CAMUNDA_FUNCTION_NAMES, CAMUNDA_FUNCTIONS, SEEDED_FUNCTION_NAMES } from './camunda-functions';
import { clockFunctions, randomFunctions } from './clock';
import { BudgetExceeded, metered, meterExpression, METERING_FUNCTIONS, UnsafeExpression } from './guard';
import { GUARDED_BUILTINS } from './guarded-builtins';
import { WORKING_TIME_FUNCTIONS } from './working-time-functions';
import { jsonSize } from '../json-size';
import type { Json } from '../runtime/state';
import { describeValue, ExpressionBudgetError, ExpressionError, toJson } from './convert';

/** What one expression string is, computed once and cached. */
interface Analysis {
  /** The FEEL text after '=', or undefined for a static literal. */
  feel?: string;
  /** The FEEL text rewritten to run under the evaluation budget (./guard.ts). */
  metered?: string;
  /** Why the FEEL text does not parse. */
  error?: string;
  /** Names of the variables the expression reads (superset: includes locals such as `for` iterators). */
  names: string[];
  /** False when the result may change without any variable changing (reads `now` or `today`, calls `uuid()`...). */
  pure: boolean;
  /** Names called as functions that are neither FEEL's, Camunda's, ours, nor defined in the expression. */
  unknownFunctions?: string[];
  /**
   * The Camunda extension functions the expression calls, given to feelin in its context. Only
   * those: feelin has one namespace for variables and functions, so a variable named like an
   * extension (`partition`, `uuid`) stays readable in an expression that does not call it.
   */
  functions?: Record<string, unknown>;
  /** True when it calls `uuid()` or `random number()`. */
  random?: boolean;
}

const FEEL_PREFIX = /^\s*=/;
/** Context keys that can only be referenced as a whole name: anything else may change how FEEL parses. */
const PLAIN_NAME = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const IMPURE_NAMES = new Set(['now', 'today']);
/**
 * Names the parser must know beforehand: a name with spaces is read as one name only when it is
 * known, and `get or else` holds a keyword.
 */
const PARSER_NAMES: Readonly<Record<string, unknown>> = Object.freeze(Object.fromEntries(CAMUNDA_FUNCTION_NAMES.map((name) => [name, null])));

/** Entries per generation (so up to twice as many are kept). */
const MAX_ANALYSES = 5_000;
const MAX_MEMO = 10_000;
const MAX_MEMO_KEY = 1_000;
const MAX_KEY_NODES = 100;

/**
 * A bounded map that keeps recently used entries: two generations, the older one dropped as a
 * whole when the younger fills up (deleting a Map's oldest entry one by one is slow in V8).
 */
class RecentCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    let value = this.young.get(key);
    if (value === undefined) {
      value = this.old.get(key);
      if (value !== undefined) this.set(key, value);
    }
    return value;
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }

  set(key: string, value: V): void {
    if (this.young.size >= this.max) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}

/**
 * The budget of every FEEL evaluation in this process (see ./guard.ts for what counts).
 *
 * Why process-wide: expressions are evaluated deep inside the pure runtime, which has no options
 * to carry them; the engine sets them once from its options ({@link setExpressionLimits}).
 */
export interface ExpressionLimits {
  /**
   * Operations one evaluation may take: node evaluations, elements iterated, compared or copied.
   * Default 250,000: the costliest expressions measured (nested loops, recursion, cartesian
   * products) spend it in at most about 0.1 s of one core, so a hostile expression delays other
   * commands by no more than that; `sum(for item in items return item.price * item.quantity)`
   * over 10,000 items takes about 80,000, a condition or mapping tens.
   */
  maxOperations: number;
  /**
   * Bytes of the JSON of a result, and characters of any string built on the way. Default
   * 1 MiB, the default bound of one variable: a larger result could not be stored anyway.
   */
  maxResultBytes: number;
}

/** The defaults of {@link ExpressionLimits}. */
export const DEFAULT_EXPRESSION_LIMITS: Readonly<ExpressionLimits> = Object.freeze({ maxOperations: 250_000, maxResultBytes: 1_048_576 });

let limits: ExpressionLimits = { ...DEFAULT_EXPRESSION_LIMITS };
let budget = { maxOperations: limits.maxOperations, maxResultChars: limits.maxResultBytes };

/**
 * Sets the budget of FEEL evaluations in this process; unset fields take their defaults.
 *
 * Called by the engine from its options. Throws RangeError on a bound that is not a positive integer.
 */
export function setExpressionLimits(next: Partial<ExpressionLimits> = {}): void {
  const merged = { ...DEFAULT_EXPRESSION_LIMITS, ...next };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`expression limit ${name} must be a positive integer (got ${value})`);
  }
  limits = merged;
  budget = { maxOperations: merged.maxOperations, maxResultChars: merged.maxResultBytes };
  memo.clear();
}

/** The budget in force (see {@link setExpressionLimits}). */
export function expressionLimits(): Readonly<ExpressionLimits> {
  return limits;
}

const analyses = new RecentCache<Analysis>(MAX_ANALYSES);
const memo = new RecentCache<{ value: Json; warnings: string[] }>(MAX_MEMO);

/**
 * Tells whether a model expression is FEEL (Zeebe convention: it starts with '='; leading whitespace is ignored).
 *
 * Anything else is a static literal and is used as the string it is.
 */
export function isFeel(expr: string): boolean {
  return FEEL_PREFIX.test(expr);
}

/**
 * Checks that an expression parses; returns undefined when it does, else a reason such as
 * "FEEL syntax error at 5: Incomplete <ArithmeticExpression>".
 *
 * Meant for deploy-time validation. The position is a 0-based offset into the whole expression
 * text (the '=' included). Static literals always parse.
 */
export function checkExpression(expr: string): string | undefined {
  return analyse(expr).error;
}

/**
 * Names of the functions an expression calls that exist nowhere: not a FEEL builtin, a Camunda 8
 * extension, a working-time function, nor a function the expression defines itself.
 *
 * Meant for deploy-time validation (a call of an unknown function would otherwise be a silent
 * null at run time). Empty for static literals and for texts that do not parse.
 */
export function unknownFunctions(expr: string): string[] {
  return analyse(expr).unknownFunctions ?? [];
}

/**
 * Evaluates an expression against a variables context and returns the result as JSON.
 *
 * A static literal yields itself. A FEEL result is converted: dates, times, date-times and durations
 * become ISO 8601 strings, undefined becomes null, ranges and functions throw. A missing variable
 * reads as null (feelin only warns). Syntax and evaluation errors throw {@link ExpressionError}.
 * The context is not modified.
 */
export function evaluate(expr: string, context: Record<string, unknown>): Json {
  const analysis = analyse(expr);
  if (analysis.feel === undefined) return expr;
  return run(expr, analysis, context).value;
}

/**
 * Evaluates a condition (sequence flow, completion condition) that must yield a boolean.
 *
 * Anything else, null included, throws {@link ExpressionError} "condition '…' did not evaluate to a
 * boolean (got null)", followed by feelin's warnings (e.g. "Variable 'amount' not found") when any.
 */
export function evaluateCondition(expr: string, context: Record<string, unknown>): boolean {
  const analysis = analyse(expr);
  if (analysis.feel === undefined) {
    throw new ExpressionError(expr, `condition '${expr}' did not evaluate to a boolean (got ${describeValue(expr)}): conditions must be FEEL expressions starting with '='`, 'conditionNotBoolean');
  }
  const { value, warnings } = run(expr, analysis, context);
  if (typeof value === 'boolean') return value;
  throw new ExpressionError(expr, `condition '${expr}' did not evaluate to a boolean (got ${describeValue(value)})${explain(warnings)}`, 'conditionNotBoolean');
}

/**
 * Evaluates an expression that must yield a string; numbers are converted ("42").
 *
 * Used for job types, message names, correlation keys and assignees. Null, booleans, lists and
 * contexts throw {@link ExpressionError}.
 */
export function evaluateString(expr: string, context: Record<string, unknown>): string {
  const analysis = analyse(expr);
  if (analysis.feel === undefined) return expr;
  const { value, warnings } = run(expr, analysis, context);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new ExpressionError(expr, `expression '${expr}' did not evaluate to a string (got ${describeValue(value)})${explain(warnings)}`, 'wrongType');
}

/**
 * Evaluates an expression that must yield a list of strings: a FEEL list of strings, or one
 * comma separated string ("a, b" gives ["a", "b"]; blanks are dropped, "" gives []).
 *
 * Used for candidate groups and candidate users. A static literal is split the same way.
 * Null, other values, or lists holding non-strings throw {@link ExpressionError}.
 */
export function evaluateStringList(expr: string, context: Record<string, unknown>): string[] {
  const analysis = analyse(expr);
  if (analysis.feel === undefined) return splitList(expr);
  const { value, warnings } = run(expr, analysis, context);
  if (typeof value === 'string') return splitList(value);
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      if (typeof item === 'string') return item;
      throw new ExpressionError(expr, `expression '${expr}' did not evaluate to a list of strings (item ${index} is ${describeValue(item)})`, 'wrongType');
    });
  }
  throw new ExpressionError(expr, `expression '${expr}' did not evaluate to a list of strings (got ${describeValue(value)})${explain(warnings)}`, 'wrongType');
}

function splitList(text: string): string[] {
  return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

function explain(warnings: string[]): string {
  return warnings.length === 0 ? '' : `: ${warnings.join('; ')}`;
}

/** Evaluates analysed FEEL; result and feelin's warning messages. */
function run(expr: string, analysis: Analysis, context: Record<string, unknown>): { value: Json; warnings: string[] } {
  if (analysis.error !== undefined) {
    throw new ExpressionError(expr, `invalid expression '${expr}': ${analysis.error}`);
  }
  // Only the variables the expression reads. Keys that are not plain names (spaces, '-', '.',
  // ...) can change how FEEL parses, so they are always passed, and then nothing is memoised.
  const scope: Record<string, unknown> = {};
  let plainNamesOnly = true;
  for (const key in context) {
    if (!isPlainName(key) && Object.hasOwn(context, key)) {
      scope[key] = context[key];
      plainNamesOnly = false;
    }
  }
  const memoable = analysis.pure && plainNamesOnly;
  // Names with spaces in the context change how the text parses: only then is it metered again
  // (an expression that reads the clock is not memoised, but its metered text is the cached one).
  const text = plainNamesOnly ? (analysis.metered as string) : meterExpression(analysis.feel as string, { ...PARSER_NAMES, ...scope });
  let memoKey: string | undefined = memoable ? expr : undefined;
  for (const name of analysis.names) {
    const value = Object.hasOwn(context, name) ? context[name] : undefined;
    if (value !== undefined) scope[name] = value;
    if (memoKey !== undefined) {
      const part = value === undefined ? '~' : keyOf(value);
      memoKey = part === undefined ? undefined : memoKey + '\u0000' + part;
    }
  }
  if (memoKey !== undefined && memoKey.length > MAX_MEMO_KEY) memoKey = undefined;
  if (memoKey !== undefined) {
    const hit = memo.get(memoKey);
    if (hit !== undefined) return hit;
  }

  let raw: { value: unknown; warnings: { message: string }[] };
  try {
    const clockNames = analysis.pure ? undefined : clockFunctions();
    const random = analysis.random ? randomFunctions() : undefined;
    raw = metered(budget, () => feelEvaluate(text, Object.assign(scope, GUARDED_BUILTINS, analysis.functions, clockNames, random, METERING_FUNCTIONS)));
  } catch (err) {
    if (err instanceof BudgetExceeded) throw new ExpressionBudgetError(expr, err.limit, `expression '${shorten(expr)}' ${err.message}`);
    if (err instanceof UnsafeExpression) throw new ExpressionBudgetError(expr, 'operations', `expression '${shorten(expr)}' cannot run within a budget: ${err.message}`);
    const message = err instanceof Error ? err.message : String(err);
    throw new ExpressionError(expr, `failed to evaluate '${shorten(expr)}': ${message}`);
  }
  // Camunda answers null here; a model bug must not pick a branch or overwrite a variable instead.
  const failedCall = raw.warnings.find((w) => FAILED_CALLS.has((w as { type?: string }).type ?? ''));
  if (failedCall !== undefined) {
    const messages = raw.warnings.map((w) => w.message).join('; ');
    throw new ExpressionError(expr, `failed to evaluate '${shorten(expr)}': a function call failed (no such function, or not with these arguments): ${messages}`);
  }
  const value = toJson(raw.value, expr);
  if (value !== null && typeof value === 'object' || typeof value === 'string' && value.length * 3 > limits.maxResultBytes) {
    const size = jsonSize(value, limits.maxResultBytes);
    if (size > limits.maxResultBytes) {
      throw new ExpressionBudgetError(expr, 'result', `expression '${shorten(expr)}' yields more than ${limits.maxResultBytes} bytes of JSON (the limit)`);
    }
  }
  const result = { value, warnings: raw.warnings.map((w) => w.message) };
  if (memoKey !== undefined && (result.value === null || typeof result.value !== 'object')) {
    memo.set(memoKey, result);
  }
  return result;
}

/** feelin's warnings for a call that could not be made: the callee is no function, or the arguments do not fit it. */
const FAILED_CALLS = new Set(['NO_FUNCTION_FOUND', 'FUNCTION_INVOCATION_FAILURE']);

/** An expression as quoted in an error message: long ones are cut, so an incident stays readable. */
function shorten(expr: string): string {
  return expr.length > 200 ? `${expr.slice(0, 197)}...` : expr;
}

const plainNames = new Map<string, boolean>();

/** PLAIN_NAME.test, remembered: variable names repeat, and this runs for every key on every call. */
function isPlainName(key: string): boolean {
  let plain = plainNames.get(key);
  if (plain === undefined) {
    plain = PLAIN_NAME.test(key);
    if (plainNames.size >= 10_000) plainNames.clear();
    plainNames.set(key, plain);
  }
  return plain;
}

/**
 * A string that identifies a JSON value, or undefined when the value is not plain JSON or too big
 * to be worth memoising on.
 */
function keyOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? (Object.is(value, -0) ? '-0' : String(value)) : undefined;
    case 'object':
      if (value === null) return 'null';
      return isSmallJson(value, { left: MAX_KEY_NODES }) ? JSON.stringify(value) : undefined;
    default:
      return undefined;
  }
}

function isSmallJson(value: unknown, budget: { left: number }): boolean {
  if (--budget.left < 0) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every((item) => isSmallJson(item, budget));
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      return Object.values(value).every((item) => item !== undefined && isSmallJson(item, budget));
    }
    default:
      return false;
  }
}

/** Analyses an expression string once; cached (bounded). */
/**
 * Names of the variables an expression reads (a superset: FEEL locals such as `for` iterators
 * too); none for a static literal or text that does not parse. Incidents show their values.
 */
export function expressionNames(expr: string): string[] {
  return analyse(expr).names;
}

function analyse(expr: string): Analysis {
  let analysis = analyses.get(expr);
  if (analysis === undefined) {
    analysis = analyseUncached(expr);
    analyses.set(expr, analysis);
  }
  return analysis;
}

function analyseUncached(expr: string): Analysis {
  if (!isFeel(expr)) return { names: [], pure: true };
  const offset = expr.indexOf('=') + 1;
  const feel = expr.slice(offset);
  if (feel.trim() === '') {
    return { feel, names: [], pure: true, error: `FEEL syntax error at ${offset}: empty expression after '='` };
  }
  const names = new Set<string>();
  const called = new Set<string>();
  const defined = new Set<string>();
  let hasError = false;
  const nameOf = (node: { from: number; to: number }) => feel.slice(node.from, node.to).trim().replace(/\s+/g, ' ');
  parseExpression(feel, PARSER_NAMES, undefined).iterate({
    enter(node) {
      if (node.type.isError) hasError = true;
      if (node.name === 'VariableName') names.add(nameOf(node));
      else if (node.name === 'Name' || node.name === 'ParameterName') defined.add(nameOf(node));
      else if (node.name === 'StringLiteral' && node.node.parent?.name === 'Key') defined.add(JSON.parse(feel.slice(node.from, node.to)) as string);
      else if (node.name === 'FunctionInvocation' && node.node.firstChild?.name === 'VariableName') called.add(nameOf(node.node.firstChild));
    },
  });
  const random = SEEDED_FUNCTION_NAMES.some((name) => called.has(name) && !defined.has(name));
  const pure = !random && ![...names].some((name) => IMPURE_NAMES.has(name));
  const unknown = [...called].filter((name) => !defined.has(name) && !isKnownFunction(name));
  const extensions = [...called].filter((name) => Object.hasOwn(CAMUNDA_FUNCTIONS, name) && !defined.has(name));
  const functions = extensions.length > 0 ? Object.fromEntries(extensions.map((name) => [name, CAMUNDA_FUNCTIONS[name]])) : undefined;
  if (!hasError) {
    return { feel, metered: meterExpression(feel, PARSER_NAMES), names: [...names], pure, ...(unknown.length > 0 ? { unknownFunctions: unknown } : {}), ...(functions ? { functions } : {}), ...(random ? { random } : {}) };
  }
  return { feel, names: [], pure, error: syntaxError(feel, offset) };
}

/** feelin's own message for a text known not to parse (it throws while building, before evaluating). */
function syntaxError(feel: string, offset: number): string {
  try {
    feelEvaluate(feel, { ...PARSER_NAMES });
  } catch (err) {
    if (err instanceof FeelSyntaxError) return `FEEL syntax error at ${offset + err.position.from}: ${err.message}`;
    return `FEEL syntax error: ${err instanceof Error ? err.message : String(err)}`;
  }
  return 'FEEL syntax error';
}

const OWN_FUNCTIONS = new Set<string>([...CAMUNDA_FUNCTION_NAMES, ...WORKING_TIME_FUNCTIONS, 'now', 'today']);
const builtinNames = new Map<string, boolean>();

/** Whether `name` is a function in every evaluation: one of ours, or one of feelin's builtins (asked once, remembered). */
function isKnownFunction(name: string): boolean {
  if (OWN_FUNCTIONS.has(name)) return true;
  let known = builtinNames.get(name);
  if (known === undefined) {
    try {
      const value = feelEvaluate(name, {}).value;
      known = typeof value === 'function' || isFunction(value);
    } catch {
      known = false;
    }
    if (builtinNames.size >= 10_000) builtinNames.clear();
    builtinNames.set(name, known);
  }
  return known;
}
