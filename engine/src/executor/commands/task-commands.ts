/**
 * Commands on user tasks: completing (optimistically from the remembered row when it still waits
 * for the task, else under the instance's lock), and the assignments of tasks with assigning
 * listeners. A transition that runs task listeners (runtime/behaviors/task-listeners.ts) answers
 * when they are done, as Camunda 8.8's does: done, denied (a ConflictError with the listener's
 * reason), or still running after `taskListenerWaitMs`.
 */
import { ConflictError, NotFoundError } from '../../errors';
import type { TaskListenerEvent } from '../../model/graph';
import { instanceIdOf, type InstanceState, type Variables } from '../../runtime/state';
import { assertVariables } from '../../runtime/variables';
import type { TaskRow } from '../../store/ports';
import type { CommandExecutor, InstanceCommand } from '../command-executor';

/**
 * What completing a task answers: when it was completed (the step's time), for the caller's answer
 * without a read; and, when it was read under the command's lock (the locking path), the task as
 * it was just before (open, with its assignee).
 */
export interface TaskCompletion {
  taskId: string;
  completedAt: number;
  task?: TaskRow;
}

/** How to complete a task: its variables, who does it, and the caller's checks run under the command's lock. */
export interface CompleteTaskOptions {
  variables?: Variables;
  actor?: string;
  waitMs?: number;
  /**
   * Whether the caller may complete the task, judged on the task row read under the command's
   * lock (undefined when there is no such task): throws to refuse, before anything is written.
   * With it, the command takes the locking path, and no claim can land between this check and
   * the commit. Synchronous and pure: it may run again when the transaction is retried.
   */
  authorize?: (task: TaskRow | undefined) => void;
  /** Checks the variables against the task (its form), after `authorize`, under the same lock; throws to refuse. */
  validate?: (task: TaskRow, variables: Variables) => void | Promise<void>;
}

/** A task listener denied the transition: the task stays as it was (HTTP 409 with the reason). */
export class TaskListenerDeniedError extends ConflictError {}

/** The task's listeners did not finish within the wait: the transition goes on, the caller may look later. */
export class TaskTransitionPendingError extends ConflictError {}

/**
 * Completes a user task. A task completed or cancelled meanwhile gives a ConflictError. With
 * `authorize`, the caller's checks run on the task as read under the instance's lock (one round
 * trip with the lock), then the step is written: two round trips in all.
 */
export async function completeTask(x: CommandExecutor, taskId: string, options: CompleteTaskOptions = {}): Promise<TaskCompletion> {
  const variables = assertVariables(options.variables);
  const command: InstanceCommand = { type: 'completeTask', taskId, variables, actor: options.actor };
  const instanceId = instanceIdOf(taskId);
  const checked = options.authorize !== undefined || options.validate !== undefined;
  // The remembered state knows neither the task's assignee nor its groups: a checked completion reads them under the lock.
  if (!checked && x.cache.get(instanceId)?.state.waits[taskId]?.kind === 'task') {
    const completedAt = await x.tryOptimistic(instanceId, command);
    if (completedAt !== undefined) return settle(x, taskId, 'completing', completedAt, options.waitMs);
  }
  let read: TaskRow | undefined;
  const completedAt = await x.transaction(async (tx, outcome) => {
    if (!checked) {
      const instance = await tx.lockInstanceOfTask(taskId);
      if (instance?.state.waits[taskId]) return x.runLocked(tx, instance, command, outcome);
      // Slow path, for a precise answer: unknown, or completed/cancelled (perhaps by a concurrent command).
    }
    const { instance, task } = await tx.lockTask(taskId);
    options.authorize?.(task);
    if (!task) throw new NotFoundError(`task '${taskId}' does not exist`, { taskId });
    if (!instance || !instance.state.waits[taskId] || task.state !== 'open') {
      // Completed or cancelled (perhaps by a concurrent command).
      throw new ConflictError(`task '${taskId}' is already ${task.state === 'open' ? 'closed' : task.state}`, { taskId, state: task.state });
    }
    await options.validate?.(task, variables);
    if (checked) read = task;
    return x.runLocked(tx, instance, command, outcome);
  });
  const completion = await settle(x, taskId, 'completing', completedAt, options.waitMs);
  return read ? { ...completion, task: read } : completion;
}

/** Whether the task's user task has listeners of this event (from its definition's graph). */
export async function hasTaskListeners(x: CommandExecutor, task: Pick<TaskRow, 'definitionId' | 'elementId'>, event: TaskListenerEvent): Promise<boolean> {
  const node = (await x.graphs.graph(task.definitionId)).nodes[task.elementId];
  return node?.type === 'userTask' && (node.taskListeners?.[event]?.length ?? 0) > 0;
}

/**
 * Whether the task's user task has listeners of this event, told from the instance as this
 * process remembers it (the task's element is in its wait; no read): undefined when the
 * instance is not remembered waiting for the task (then read the task).
 */
export async function hasRememberedTaskListeners(x: CommandExecutor, taskId: string, event: TaskListenerEvent): Promise<boolean | undefined> {
  const record = x.cache.get(instanceIdOf(taskId));
  const wait = record?.state.waits[taskId];
  if (!record || wait?.kind !== 'task') return undefined;
  return hasTaskListeners(x, { definitionId: record.definitionId, elementId: wait.elementId }, event);
}

/**
 * Claims, assigns or unassigns a task whose user task has assigning listeners: the listeners run,
 * then the task has its new assignee (or a listener's correction), or a listener denied it
 * ({@link TaskListenerDeniedError}). The same refusals as task-assignments.ts: a claim of a task
 * someone else has, an unassignment `onlyIf` another user has it.
 */
export async function assignTaskThroughListeners(
  x: CommandExecutor,
  taskId: string,
  options: { action: 'claim' | 'assign' | 'unassign'; assignee?: string; actor?: string; onlyIf?: string; waitMs?: number },
): Promise<TaskRow> {
  const instanceId = instanceIdOf(taskId);
  const at = await x.transaction(async (tx, outcome) => {
    const { instance, task } = await tx.lockTask(taskId);
    if (!task) throw new NotFoundError(`task '${taskId}' does not exist`, { taskId });
    if (!instance || !instance.state.waits[taskId] || task.state !== 'open') throw new ConflictError(`task '${taskId}' is ${task.state === 'open' ? 'closed' : task.state}`, { taskId, state: task.state });
    if (options.action === 'claim' && task.assignee !== undefined) {
      if (task.assignee === options.assignee) return undefined; // claimed already: answered unchanged
      throw new ConflictError(`task '${taskId}' is already claimed`, { taskId, assignee: task.assignee });
    }
    if (options.action === 'unassign') {
      if (!task.assignee) throw new ConflictError(`task '${taskId}' is not claimed`, { taskId });
      if (options.onlyIf !== undefined && task.assignee !== options.onlyIf) throw new ConflictError(`task '${taskId}' is claimed by someone else`, { taskId, assignee: task.assignee });
    }
    const command: InstanceCommand = {
      type: 'assignTask',
      taskId,
      action: options.action,
      ...(options.assignee !== undefined ? { assignee: options.assignee } : {}),
      ...(task.assignee ? { previousAssignee: task.assignee } : {}),
      actor: options.actor,
    };
    return x.runLocked(tx, instance, command, outcome);
  });
  if (at !== undefined) await settle(x, taskId, 'assigning', at, options.waitMs);
  const task = (await x.store.tasks({ instanceId })).find((t) => t.id === taskId);
  if (!task) throw new NotFoundError(`task '${taskId}' does not exist`, { taskId, instanceId });
  return task;
}

/**
 * After a command that may have begun a transition of the task: waits until its listeners are
 * done. Reads the instance as this process last wrote it, then as stored, woken by this
 * process's commits of the instance and, for commits of other processes, every poll.
 */
async function settle(x: CommandExecutor, taskId: string, event: 'assigning' | 'completing', at: number, waitMs = x.taskListenerWaitMs): Promise<TaskCompletion> {
  const instanceId = instanceIdOf(taskId);
  const begun = x.cache.get(instanceId)?.state;
  const transition = begun ? runningTransition(begun, taskId) : undefined;
  if (!begun || transition === undefined) return { taskId, completedAt: at };
  const deadline = Date.now() + waitMs;
  let wake: () => void = () => undefined;
  const onCommitted = (event: { instanceId: string }) => {
    if (event.instanceId === instanceId) wake();
  };
  x.events.on('committed', onCommitted);
  try {
    for (;;) {
      const instance = await x.store.instance(instanceId);
      const record = { task: (await x.store.tasks({ instanceId })).find((t) => t.id === taskId) };
      const state = instance?.state;
      const wait = state?.waits[taskId];
      if (!wait || wait.kind !== 'task') {
        if (record.task?.state === 'completed') return { taskId, completedAt: record.task.completedAt ?? at };
        throw new ConflictError(`task '${taskId}' was ${record.task?.state ?? 'removed'} while its ${event} listeners ran`, { taskId, state: record.task?.state });
      }
      if (wait.denied && wait.denied.transition === transition) {
        const verb = event === 'assigning' ? 'assignment' : 'completion';
        throw new TaskListenerDeniedError(`the ${verb} of task '${taskId}' was denied by a task listener${wait.denied.reason ? `: ${wait.denied.reason}` : ''}`, {
          taskId,
          transition: event,
          denied: true,
          deniedReason: wait.denied.reason,
        });
      }
      if ((wait.transitions ?? 0) !== transition || !state!.elements[wait.owner]?.taskTransition) return { taskId, completedAt: at };
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new TaskTransitionPendingError(`task '${taskId}' is ${event}: its ${event} listeners' jobs are still running; it goes on when workers complete them`, {
          taskId,
          transition: event,
          pending: true,
        });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, x.taskListenerPollMs));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    x.events.off('committed', onCommitted);
  }
}

/** The number of the task's transition under way, if task listeners run it now. */
function runningTransition(state: InstanceState, taskId: string): number | undefined {
  const wait = state.waits[taskId];
  if (!wait || wait.kind !== 'task' || !state.elements[wait.owner]?.taskTransition) return undefined;
  return wait.transitions ?? 0;
}
