/**
 * The typed cause of an incident: what an operator must fix before resolving it.
 *
 * An incident's `kind` says how it is resolved (`job`: the job is handed out again; the others run
 * the failed operation again); its `cause` says what was wrong, so that a list of incidents can be
 * sorted by the fix it needs (correct the model, correct a variable, deploy a process, raise a
 * limit, look at the worker) without reading messages.
 */
import { expressionNames, ExpressionError, type ExpressionFailure } from '../expressions';
import { LimitExceededError } from '../limits';
import { TimerError } from '../timer';
import type { Variables } from './state';

/**
 * Why an incident was raised.
 * - the {@link ExpressionFailure}s: an expression failed, a condition gave no boolean, a value of
 *   the wrong type or one that cannot be stored, a gap in the model, a limit;
 * - `timerInvalid`: a timer expression gave no valid date, duration or cycle;
 * - `noOutgoingFlow`: no condition of a gateway's flows is true and it has no default flow;
 * - `calledProcessMissing`: a call activity calls a process that is not deployed;
 * - `jobFailed`: a job's retries ran out;
 * - `unhandledError`: a BPMN error nothing catches.
 */
export type IncidentCause = ExpressionFailure | 'timerInvalid' | 'noOutgoingFlow' | 'calledProcessMissing' | 'jobFailed' | 'unhandledError';

/** Every cause, for schemas and checks. */
export const INCIDENT_CAUSES: readonly IncidentCause[] = [
  'expressionFailed', 'conditionNotBoolean', 'wrongType', 'valueNotStorable', 'modelGap', 'limitExceeded',
  'timerInvalid', 'noOutgoingFlow', 'calledProcessMissing', 'jobFailed', 'unhandledError',
];

/** The cause of a failure caught while running an element (see `isIncidentCause`). */
export function incidentCauseOf(error: ExpressionError | TimerError | LimitExceededError): IncidentCause {
  if (error instanceof LimitExceededError) return 'limitExceeded';
  if (error instanceof TimerError) return 'timerInvalid';
  return error.failure;
}

const MAX_SHOWN = 8;
const MAX_VALUE_CHARS = 60;

/**
 * "approved = null, amount = 12" for the variables `expressions` read, as `context` holds them
 * (a missing variable shows as null, as FEEL reads it); at most 8 names, long values shortened.
 * Empty when the expressions read no variable.
 */
export function describeVariables(expressions: readonly string[], context: Variables): string {
  const names = new Set<string>();
  for (const expression of expressions) for (const name of expressionNames(expression)) names.add(name);
  const shown = [...names].slice(0, MAX_SHOWN).map((name) => {
    const text = JSON.stringify(Object.hasOwn(context, name) ? context[name] : null) ?? 'null';
    return `${name} = ${text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text}`;
  });
  if (names.size > MAX_SHOWN) shown.push(`and ${names.size - MAX_SHOWN} more`);
  return shown.join(', ');
}
