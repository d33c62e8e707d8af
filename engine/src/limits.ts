/**
 * The engine's bounds on what models and callers may make it do: the FEEL evaluation budget and
 * the size of variables and of an instance's state, in one option bag.
 *
 * Why one place: the expression module and the pure runtime keep their bounds process-wide (they
 * have no options to carry them); the engine sets them from {@link EngineOptions.limits}.
 */
import { DEFAULT_EXPRESSION_LIMITS, setExpressionLimits } from './expressions';
import { DEFAULT_STATE_LIMITS, setStateLimits } from './runtime/limits';

/** The bounds; every field has a default. */
export interface EngineLimits {
  /** Operations one FEEL evaluation may take (default 250,000). */
  feelMaxOperations: number;
  /** Bytes of a FEEL result's JSON and characters of any string built while evaluating (default 1 MiB). */
  feelMaxResultBytes: number;
  /** Bytes of the JSON of one variable (default 1 MiB). */
  maxVariableBytes: number;
  /** Bytes of the JSON of one instance's state (default 8 MiB). */
  maxStateBytes: number;
}

/** The defaults of {@link EngineLimits}. */
export const DEFAULT_ENGINE_LIMITS: Readonly<EngineLimits> = Object.freeze({
  feelMaxOperations: DEFAULT_EXPRESSION_LIMITS.maxOperations,
  feelMaxResultBytes: DEFAULT_EXPRESSION_LIMITS.maxResultBytes,
  maxVariableBytes: DEFAULT_STATE_LIMITS.maxVariableBytes,
  maxStateBytes: DEFAULT_STATE_LIMITS.maxStateBytes,
});

/**
 * Sets the bounds for this process (unset fields: defaults). Throws RangeError on a bound that is
 * not a positive integer.
 */
export function applyLimits(limits: Partial<EngineLimits>): void {
  const merged = { ...DEFAULT_ENGINE_LIMITS, ...limits };
  setExpressionLimits({ maxOperations: merged.feelMaxOperations, maxResultBytes: merged.feelMaxResultBytes });
  setStateLimits({ maxVariableBytes: merged.maxVariableBytes, maxStateBytes: merged.maxStateBytes });
}
