/** Commands on jobs: a worker's completion, failure or BPMN error; a due timer, continuation or deferred call; a timer start event. */
import { deferredCallOf } from '../../deferred-calls';
import { ConflictError, InvalidInputError, NotFoundError } from '../../errors';
import { checkCycleInterval } from '../../runtime/event-definitions/waits';
import { assertStorableText, storableText } from '../../runtime/storable-text';
import type { JobResult } from '../../runtime/commands';
import type { Variables } from '../../runtime/state';
import { assertVariables } from '../../runtime/variables';
import type { JobRow, StoreTransaction } from '../../store/ports';
import { nextDue, parseTimer } from '../../timer';
import type { CommandExecutor, InstanceCommand } from '../command-executor';

/** Runs inside a job command's transaction before the step (an external worker's lock check); throwing refuses the command. */
export type JobCheck = (tx: StoreTransaction, job: JobRow) => Promise<void>;

/** Completes a job (service task, send task, ...), with its result variables. */
export async function completeJob(x: CommandExecutor, jobId: string, options: { variables?: Variables; result?: JobResult; actor?: string; check?: JobCheck } = {}): Promise<void> {
  const result = options.result === undefined || options.result === null ? undefined : assertJobResult(options.result);
  await onJob(x, jobId, { type: 'completeJob', jobId, variables: assertVariables(options.variables), ...(result ? { result } : {}), actor: options.actor }, undefined, options.check);
}

/** A job result as Camunda's clients send it (`type: 'userTask'` or none); InvalidInputError naming the field otherwise. */
function assertJobResult(result: unknown): JobResult {
  if (typeof result !== 'object' || Array.isArray(result)) throw new InvalidInputError('result must be an object', { field: 'body.result' });
  const r = result as Record<string, unknown>;
  if (r.type !== undefined && r.type !== null && r.type !== 'userTask') {
    throw new InvalidInputError(`result type '${String(r.type)}' is not supported (only 'userTask', for task listeners)`, { field: 'body.result.type' });
  }
  if (r.denied !== undefined && r.denied !== null && typeof r.denied !== 'boolean') throw new InvalidInputError('result.denied must be a boolean', { field: 'body.result.denied' });
  if (r.deniedReason !== undefined && r.deniedReason !== null) {
    if (typeof r.deniedReason !== 'string') throw new InvalidInputError('result.deniedReason must be a string', { field: 'body.result.deniedReason' });
    assertStorableText(r.deniedReason, 'result.deniedReason');
  }
  if (r.corrections !== undefined && r.corrections !== null && (typeof r.corrections !== 'object' || Array.isArray(r.corrections))) {
    throw new InvalidInputError('result.corrections must be an object', { field: 'body.result.corrections' });
  }
  return {
    ...(r.denied === true ? { denied: true } : {}),
    ...(typeof r.deniedReason === 'string' ? { deniedReason: r.deniedReason.slice(0, 10_000) } : {}),
    ...(r.corrections ? { corrections: r.corrections as JobResult['corrections'] } : {}),
  };
}

/** Reports a failed attempt; with retries left the job is due again at `retryAt`, else an incident opens. */
export async function failJob(
  x: CommandExecutor,
  jobId: string,
  options: { retries: number; errorMessage: string; retryAt?: number; actor?: string; variables?: Variables; check?: JobCheck },
): Promise<void> {
  const variables = options.variables === undefined ? undefined : assertVariables(options.variables);
  await onJob(x, jobId, { type: 'failJob', jobId, retries: options.retries, errorMessage: storableText(String(options.errorMessage)), variables, actor: options.actor }, options.retryAt, options.check);
}

/** A job worker reports a BPMN error (caught by an error boundary or event sub-process, else an incident). */
export async function throwJobError(
  x: CommandExecutor,
  jobId: string,
  options: { errorCode: string; errorMessage?: string; variables?: Variables; actor?: string; check?: JobCheck },
): Promise<void> {
  if (!options.errorCode) throw new InvalidInputError('errorCode is required', { field: 'errorCode' });
  assertStorableText(options.errorCode, 'errorCode');
  if (options.errorMessage !== undefined) options = { ...options, errorMessage: storableText(String(options.errorMessage)) };
  await onJob(x, jobId, { type: 'throwError', waitId: jobId, errorCode: options.errorCode, errorMessage: options.errorMessage, variables: options.variables, actor: options.actor }, undefined, options.check);
}

async function onJob(x: CommandExecutor, jobId: string, command: InstanceCommand, retryAt?: number, check?: JobCheck): Promise<void> {
  await x.transaction(async (tx, outcome) => {
    const job = await tx.job(jobId);
    if (!job || !job.instanceId) throw new NotFoundError(`job '${jobId}' does not exist`, { jobId });
    if (job.payload?.detached === true) {
      await check?.(tx, job);
      return onDetachedJob(tx, job, command, retryAt ?? Date.now());
    }
    const instance = await tx.lockInstance(job.instanceId);
    if (!instance || !(await tx.job(jobId))) throw new ConflictError(`job '${jobId}' was completed by a concurrent command`, { jobId });
    await check?.(tx, job);
    await x.runLocked(tx, instance, command, outcome, retryAt);
  });
}

/**
 * A report on a detached job (a canceling task listener's: its task is gone, no element waits):
 * a completion removes it; a failure with retries offers it again after the back-off; without
 * retries it is set aside (retries 0, the message kept; the task it would stop is gone, so no
 * incident can hold it). A BPMN error has nowhere to go and is refused.
 */
async function onDetachedJob(tx: StoreTransaction, job: JobRow, command: InstanceCommand, dueAt: number): Promise<void> {
  switch (command.type) {
    case 'completeJob':
      if (command.variables && Object.keys(command.variables).length > 0) {
        throw new InvalidInputError('a task listener job completes without variables (as in Camunda 8.8)', { field: 'body.variables' });
      }
      if (command.result?.denied || command.result?.corrections) {
        throw new InvalidInputError('a canceling task listener can neither deny nor correct (the task is cancelled)', { field: 'body.result' });
      }
      return tx.deleteJob(job.id);
    case 'failJob':
      return tx.updateJob(job.id, { retries: command.retries, errorMessage: command.errorMessage, dueAt, lockOwner: undefined, lockExpiresAt: undefined });
    default:
      throw new ConflictError(`job '${job.id}' is a canceling task listener's: its task is cancelled, so it cannot throw a BPMN error; complete or fail it`, { jobId: job.id });
  }
}

/** Fires a due timer job, or runs a continuation job (the job executor calls this inside its claim). */
export async function fireTimer(x: CommandExecutor, jobId: string): Promise<boolean> {
  return x.transaction(async (tx, outcome) => {
    const job = await tx.job(jobId);
    if (!job?.instanceId) return false;
    const instance = await tx.lockInstance(job.instanceId);
    if (!instance || !(await tx.job(jobId))) return false; // fired or cancelled meanwhile
    if (instance.status !== 'active') {
      await tx.deleteJob(jobId);
      return false;
    }
    const call = deferredCallOf(job);
    if (call) {
      await tx.deleteJob(jobId);
      if (!instance.state.waits[call.waitId]) return false; // the call activity ended meanwhile
      const definition = await tx.definitionById(call.definitionId);
      if (!definition) throw new NotFoundError(`definition '${call.definitionId}' of a deferred call does not exist`, { definitionId: call.definitionId });
      const parent = { instanceId: instance.id, waitId: call.waitId, depth: call.depth };
      await x.startIn(tx, { definition, variables: job.variables, parent }, 'engine', outcome);
      return true;
    }
    const command: InstanceCommand =
      job.kind === 'continuation' ? { type: 'continue', waitId: jobId, actor: 'engine' } : { type: 'fireTimer', waitId: jobId, actor: 'timer' };
    await x.runLocked(tx, instance, command, outcome);
    return true;
  });
}

/** Fires a due timer start event: a new instance, and the next occurrence of a cycle. */
export async function fireStartTimer(x: CommandExecutor, jobId: string): Promise<string | undefined> {
  return x.transaction(async (tx, outcome) => {
    const job = await tx.job(jobId);
    if (!job?.definitionId) return undefined;
    const definition = await tx.definitionById(job.definitionId);
    if (!definition) {
      await tx.deleteJob(jobId);
      return undefined;
    }
    const payload = (job.payload ?? {}) as { timerType: 'date' | 'duration' | 'cycle'; expression: string; fired: number };
    const timer = parseTimer(payload.timerType, payload.expression);
    // Deployed before the minimum existed (or was raised): refused here, so the executor backs off and gives up.
    checkCycleInterval(timer, job.elementId, x.limits.minTimerCycleMs);
    const state = await x.startIn(tx, { definition, variables: {}, startEventId: job.elementId }, 'timer', outcome);
    const fired = (payload.fired ?? 0) + 1;
    if (timer.kind === 'cycle' && (timer.repetitions === null || fired < timer.repetitions)) {
      await tx.deleteJob(jobId);
      await tx.insertJob({ ...job, dueAt: nextDue(timer.interval, job.dueAt), lockOwner: undefined, lockExpiresAt: undefined, payload: { ...payload, fired } });
    } else {
      await tx.deleteJob(jobId);
    }
    return state.id;
  });
}
