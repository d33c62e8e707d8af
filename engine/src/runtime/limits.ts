/**
 * Size bounds of variables and of an instance's whole state.
 *
 * Why: one 20 MB variable took 40 s and was stored, and every later command of its instance paid
 * for it again. A value from outside (start, task or job completion, message, signal, set
 * variables) that exceeds a bound is refused with an InvalidInputError naming the variable; a
 * value the model computes (output and input mappings, script results) that is too big, or would
 * make the state too big, raises an incident on the element instead; and any step whose state
 * would still exceed the state bound is refused, so a bloated state is never stored. Sizes are the UTF-8 bytes of the JSON ({@link jsonSize}), measured without
 * building the text.
 *
 * Process-wide, like the expression budget: the pure runtime has no options to carry them; the
 * engine sets them from its options ({@link setStateLimits}).
 */
import { InvalidInputError } from '../errors';
import { ExpressionError } from '../expressions';
import { jsonSize } from '../json-size';
import type { InstanceState, Json } from './state';

/** The bounds (bytes of JSON). */
export interface StateLimits {
  /**
   * One variable. Default 1 MiB: a dossier's form data is kilobytes; documents belong in a
   * document store, referenced by id.
   */
  maxVariableBytes: number;
  /** The whole state of one instance (variables of every scope, waits, incidents). Default 8 MiB. */
  maxStateBytes: number;
}

/** The defaults of {@link StateLimits}. */
export const DEFAULT_STATE_LIMITS: Readonly<StateLimits> = Object.freeze({ maxVariableBytes: 1_048_576, maxStateBytes: 8_388_608 });

let limits: StateLimits = { ...DEFAULT_STATE_LIMITS };

/** Sets the bounds for this process; unset fields take their defaults. Throws RangeError on a bound that is not a positive integer. */
export function setStateLimits(next: Partial<StateLimits> = {}): void {
  const merged = { ...DEFAULT_STATE_LIMITS, ...next };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`state limit ${name} must be a positive integer (got ${value})`);
  }
  limits = merged;
}

/** The bounds in force. */
export function stateLimits(): Readonly<StateLimits> {
  return limits;
}

/**
 * Checks variables that come from outside: each at most `maxVariableBytes`, all together at most
 * `maxStateBytes`. Throws InvalidInputError with the field `<field>.<name>`.
 */
export function assertVariableSizes(variables: Record<string, unknown>, field = 'variables'): void {
  let total = 0;
  for (const name of Object.keys(variables)) {
    const size = jsonSize(variables[name], limits.maxVariableBytes);
    if (size > limits.maxVariableBytes) {
      throw new InvalidInputError(`${field}.${name} is larger than ${limits.maxVariableBytes} bytes of JSON, the limit of one variable`, { field: `${field}.${name}` });
    }
    total += size;
    if (total > limits.maxStateBytes) {
      throw new InvalidInputError(`${field} are larger than ${limits.maxStateBytes} bytes of JSON, the limit of an instance's state`, { field });
    }
  }
}

/** The state a step writes computed variables into, with its size once measured (by {@link assertComputedVariable}). */
export interface GrowingState {
  readonly state: InstanceState;
  /** Bytes of the state's JSON plus what this step has computed since; measured on the first large value. */
  stateBytes?: number;
}

/** Values below this size are not counted against the state's bound as they are computed (the end of the step still measures). */
const TRACKED_BYTES = 1024;

/**
 * Checks a value the model computed (mapping, script) before it is stored as variable `name`:
 * at most `maxVariableBytes`, and the state with it at most `maxStateBytes`. Throws an
 * {@link ExpressionError}, which the runtime turns into an incident on the element, so the
 * element that would bloat the state stops there. The state is measured once per step, on the
 * first value of 1 KiB or more; a value replacing another is counted in full, so the incident
 * may come up to that value's size early.
 */
export function assertComputedVariable(target: GrowingState, name: string, value: Json, expression = ''): void {
  if (value === null || typeof value !== 'object' && (typeof value !== 'string' || value.length * 3 < TRACKED_BYTES)) return;
  const size = jsonSize(value, limits.maxVariableBytes);
  if (size > limits.maxVariableBytes) {
    throw new ExpressionError(expression, `variable '${name}' would be larger than ${limits.maxVariableBytes} bytes of JSON, the limit of one variable`, 'limitExceeded');
  }
  if (size < TRACKED_BYTES) return;
  target.stateBytes ??= jsonSize(target.state, limits.maxStateBytes);
  if (target.stateBytes + size > limits.maxStateBytes) {
    throw new ExpressionError(expression, `variable '${name}' (${size} bytes) would make the instance's state larger than ${limits.maxStateBytes} bytes of JSON, the limit of an instance's state`, 'limitExceeded');
  }
  target.stateBytes += size;
}

/**
 * Checks the state a step produced before it is stored. Throws InvalidInputError: the command is
 * refused and the state it would have produced is dropped.
 */
export function assertStateSize(state: InstanceState): void {
  const size = jsonSize(state, limits.maxStateBytes);
  if (size > limits.maxStateBytes) {
    throw new InvalidInputError(`instance '${state.id}' would grow larger than ${limits.maxStateBytes} bytes of JSON, the limit of an instance's state; the command was not applied`, { field: 'variables' });
  }
}
