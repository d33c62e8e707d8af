/**
 * The bounds the engine puts on what a model, its data or a caller may ask of it, so
 * that no input stops the service: how many inner instances a multi-instance
 * activity may have and how many one command creates, how often a timer cycle
 * may fire, how deep sub-processes (and called processes) may nest, the FEEL
 * evaluation budget, and the size of a variable and of an instance's state.
 *
 * Exceeding one at deploy is a problem naming the element; from a caller, a 400
 * naming the variable; at run time an incident on the element; never a crash.
 * The FEEL budget and the size bounds are held process-wide by the expression
 * module and the runtime (they have no options to carry them): {@link applyLimits}
 * sets them; the others travel with every step.
 */
import { DEFAULT_EXPRESSION_LIMITS, setExpressionLimits } from './expressions';
import { DEFAULT_STATE_LIMITS, setStateLimits } from './runtime/limits';

/** The limits, each a setting of the product (see {@link LIMIT_SETTINGS}). */
export interface Limits {
  /** Most items a multi-instance input collection may have; a larger one raises an incident and starts nothing. */
  maxMultiInstance: number;
  /** Most inner instances one command starts; the rest are started by follow-up commands (continuations). */
  multiInstanceChunk: number;
  /** Shortest interval a timer cycle may repeat at, in ms (a cron cycle: the shortest gap between two firings). */
  minTimerCycleMs: number;
  /** Deepest nesting of sub-processes in a model, and of call activities at run time (a process calling itself). */
  maxNestingDepth: number;
  /** Operations one FEEL evaluation may take (see expressions/guard.ts for what counts). */
  feelMaxOperations: number;
  /** Bytes of a FEEL result's JSON, and characters of any string built while evaluating. */
  feelMaxResultBytes: number;
  /** Bytes of the JSON of one variable. */
  maxVariableBytes: number;
  /** Bytes of the JSON of one instance's state. */
  maxStateBytes: number;
}

/**
 * Defaults. 1,000 inner instances: procedures fan out to dozens of agencies or
 * documents, and an instance's state (one JSON row rewritten by every command)
 * stays about 200 KB at 1,000 inner user tasks (2 MB at 10,000). 100 per
 * command keeps one command's transaction to a few hundred rows. 60 s between
 * firings: reminders in public service are hours or days apart, and a cycle of
 * 1 ms would be 86 million commands a day. 32 levels: real procedures nest two
 * or three; 32 is far above that and far below any stack. FEEL: 250,000
 * operations (the costliest hostile shapes spend them in about 0.1 s of one
 * core; a sum over 10,000 items takes about 20,000) and 1 MiB, the bound of one
 * variable, since a larger result could not be stored anyway; a state of 8 MiB.
 */
export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxMultiInstance: 1_000,
  multiInstanceChunk: 100,
  minTimerCycleMs: 60_000,
  maxNestingDepth: 32,
  feelMaxOperations: DEFAULT_EXPRESSION_LIMITS.maxOperations,
  feelMaxResultBytes: DEFAULT_EXPRESSION_LIMITS.maxResultBytes,
  maxVariableBytes: DEFAULT_STATE_LIMITS.maxVariableBytes,
  maxStateBytes: DEFAULT_STATE_LIMITS.maxStateBytes,
};

/** The environment variable of the product that sets each limit, named in problems and incidents. */
export const LIMIT_SETTINGS: Readonly<Record<keyof Limits, string>> = {
  maxMultiInstance: 'MOTCUA_MAX_MULTI_INSTANCE',
  multiInstanceChunk: 'MOTCUA_MULTI_INSTANCE_CHUNK',
  minTimerCycleMs: 'MOTCUA_MIN_TIMER_CYCLE_MS',
  maxNestingDepth: 'MOTCUA_MAX_NESTING_DEPTH',
  feelMaxOperations: 'MOTCUA_FEEL_MAX_OPERATIONS',
  feelMaxResultBytes: 'MOTCUA_FEEL_MAX_RESULT_BYTES',
  maxVariableBytes: 'MOTCUA_MAX_VARIABLE_BYTES',
  maxStateBytes: 'MOTCUA_MAX_STATE_BYTES',
};

/** The defaults with the given limits over them. */
export function limitsWith(partial: Partial<Limits> | undefined): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>) {
    const value = partial?.[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/**
 * Sets the process-wide bounds (FEEL budget, variable and state size) from `limits`.
 * Throws RangeError on a bound that is not a positive integer.
 */
export function applyLimits(limits: Limits): void {
  setExpressionLimits({ maxOperations: limits.feelMaxOperations, maxResultBytes: limits.feelMaxResultBytes });
  setStateLimits({ maxVariableBytes: limits.maxVariableBytes, maxStateBytes: limits.maxStateBytes });
}

/**
 * Limits that let everything through that was once accepted: for definitions
 * already deployed (a limit lowered later must not make them unloadable; the
 * run-time checks still apply to what they do).
 */
export const NO_MODEL_LIMITS: Readonly<Pick<Limits, 'minTimerCycleMs' | 'maxNestingDepth'>> = {
  minTimerCycleMs: 0,
  maxNestingDepth: Number.POSITIVE_INFINITY,
};

/**
 * Thrown inside a step when data asks for more than a limit allows; the
 * runtime turns it into an incident of kind `limitExceeded` on the element,
 * so that it can be resolved once the data (or the setting) is changed.
 */
export class LimitExceededError extends Error {
  constructor(
    /** Which limit. */
    readonly limit: keyof Limits,
    message: string,
  ) {
    super(message);
    this.name = 'LimitExceededError';
  }
}

/** `1,000` (thousands separated), for messages. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A duration in ms as people read it: `1 ms`, `30 s`, `1 min`, `1.5 h`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(3)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(2)} min`;
  return `${+(ms / 3_600_000).toFixed(2)} h`;
}
