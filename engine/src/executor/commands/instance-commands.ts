/** Commands on a whole instance: cancel, suspend and resume (holding its jobs), set variables, reschedule tasks, resolve an incident. */
import { ConflictError, NotFoundError } from '../../errors';
import type { RescheduleTasksCommand } from '../../runtime/commands';
import type { Variables } from '../../runtime/state';
import { assertVariables } from '../../runtime/variables';
import type { InstanceRecord, StoreTransaction } from '../../store/ports';
import type { CommandExecutor, InstanceCommand } from '../command-executor';

/** When the jobs of a suspended instance are due: never, until it is resumed. */
const SUSPENDED_JOB_DUE = Date.UTC(9999, 11, 31);

/** Cancels an instance (and its called children). Children of a call activity are cancelled through their parent. */
export async function cancelInstance(x: CommandExecutor, instanceId: string, options: { actor?: string; reason?: string } = {}): Promise<void> {
  await onInstance(x, instanceId, { type: 'cancel', reason: options.reason, actor: options.actor }, (instance) => {
    if (instance.parentInstanceId) {
      throw new ConflictError(`instance '${instanceId}' was called by '${instance.parentInstanceId}': cancel the parent`, { parentInstanceId: instance.parentInstanceId });
    }
  });
}

/**
 * Suspends an instance: it stays where it is, every command that would move it on is refused
 * until {@link resumeInstance}; cancel still works. ConflictError when it is already suspended.
 */
export async function suspendInstance(x: CommandExecutor, instanceId: string, options: { actor?: string; reason?: string } = {}): Promise<void> {
  await onHeldJobs(x, instanceId, { type: 'suspend', reason: options.reason, actor: options.actor }, SUSPENDED_JOB_DUE);
}

/** Resumes a suspended instance (ConflictError when it is not suspended). */
export async function resumeInstance(x: CommandExecutor, instanceId: string, options: { actor?: string } = {}): Promise<void> {
  await onHeldJobs(x, instanceId, { type: 'resume', actor: options.actor }, undefined);
}

/**
 * Suspend or resume, and in the same transaction hold or release the jobs of the instance's
 * service tasks: a worker would otherwise run them while suspended and see its report refused.
 * Released jobs are due at once.
 */
async function onHeldJobs(x: CommandExecutor, instanceId: string, command: Extract<InstanceCommand, { type: 'suspend' | 'resume' }>, dueAt: number | undefined): Promise<void> {
  await x.transaction(async (tx, outcome) => {
    const instance = await tx.lockInstance(instanceId);
    if (!instance) throw new NotFoundError(`instance '${instanceId}' does not exist`, { instanceId });
    await x.runLocked(tx, instance, command, outcome);
    for (const wait of Object.values(instance.state.waits)) {
      if (wait.kind === 'job') await tx.updateJob(wait.id, { dueAt: dueAt ?? x.now(), lockOwner: undefined, lockExpiresAt: undefined });
    }
  });
}

/** Sets variables of an instance (the process scope, or a local scope by element instance key). */
export async function setVariables(x: CommandExecutor, instanceId: string, variables: Variables, options: { scopeKey?: number; actor?: string } = {}): Promise<void> {
  await onInstance(x, instanceId, { type: 'setVariables', variables: assertVariables(variables), scopeKey: options.scopeKey, actor: options.actor });
}

/** What the work of {@link rescheduleTasks} answers: its own result, and the due dates (and variables) to write with it. */
export interface TaskSchedule<T> {
  result: T;
  /** The new due dates of open user tasks (only those that change); none and no variables: no step is written. */
  tasks?: RescheduleTasksCommand['tasks'];
  /** Process-scope variables set with them (e.g. `appointmentAt`). */
  variables?: Variables;
}

/**
 * Runs `within` in one transaction with the instance row locked, then writes what it answers as
 * a `rescheduleTasks` step of the instance (new due dates of open tasks, the variables they
 * follow), before the commit: the work of a layer above (a dossier's appointment moved) and the
 * due dates that follow it commit together or not at all. `within` gets the instance as locked
 * (undefined when it does not exist); an ended instance gets no step.
 */
export async function rescheduleTasks<T>(
  x: CommandExecutor,
  instanceId: string,
  options: { actor?: string; within: (tx: StoreTransaction, instance: InstanceRecord | undefined) => Promise<TaskSchedule<T>> },
): Promise<T> {
  return x.transaction(async (tx, outcome) => {
    const instance = await tx.lockInstance(instanceId);
    const schedule = await options.within(tx, instance);
    const tasks = schedule.tasks ?? [];
    const variables = schedule.variables && Object.keys(schedule.variables).length > 0 ? assertVariables(schedule.variables) : undefined;
    if (instance && instance.status === 'active' && (tasks.length > 0 || variables)) {
      await x.runLocked(tx, instance, { type: 'rescheduleTasks', tasks, ...(variables ? { variables } : {}), actor: options.actor }, outcome);
    }
    return schedule.result;
  });
}

/** Resolves an incident: a job incident gets `retries` again, others re-run the step that failed. */
export async function resolveIncident(x: CommandExecutor, incidentId: string, options: { retries?: number; actor?: string } = {}): Promise<void> {
  await x.transaction(async (tx, outcome) => {
    const incident = await tx.incident(incidentId);
    if (!incident) throw new NotFoundError(`incident '${incidentId}' does not exist`, { incidentId });
    if (incident.state !== 'open') throw new ConflictError(`incident '${incidentId}' is already resolved`, { incidentId });
    const instance = await tx.lockInstance(incident.instanceId);
    if (!instance) throw new NotFoundError(`instance '${incident.instanceId}' does not exist`);
    await x.runLocked(tx, instance, { type: 'resolveIncident', incidentId, retries: options.retries, actor: options.actor }, outcome);
  });
}

async function onInstance(x: CommandExecutor, instanceId: string, command: InstanceCommand, check?: (instance: InstanceRecord) => void): Promise<void> {
  await x.transaction(async (tx, outcome) => {
    const instance = await tx.lockInstance(instanceId);
    if (!instance) throw new NotFoundError(`instance '${instanceId}' does not exist`, { instanceId });
    check?.(instance);
    await x.runLocked(tx, instance, command, outcome);
  });
}
