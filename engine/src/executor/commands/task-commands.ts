/** Completing a user task: optimistically from the remembered row when it still waits for the task, else under the instance's lock. */
import { ConflictError, NotFoundError } from '../../errors';
import { instanceIdOf, type Variables } from '../../runtime/state';
import { assertVariables } from '../../runtime/variables';
import type { CommandExecutor, InstanceCommand } from '../command-executor';

/** What completing a task answers: when it was completed (the step's time), for the caller's answer without a read. */
export interface TaskCompletion {
  taskId: string;
  completedAt: number;
}

/** Completes a user task. A task completed or cancelled meanwhile gives a ConflictError. */
export async function completeTask(x: CommandExecutor, taskId: string, options: { variables?: Variables; actor?: string } = {}): Promise<TaskCompletion> {
  const variables = assertVariables(options.variables);
  const command: InstanceCommand = { type: 'completeTask', taskId, variables, actor: options.actor };
  const instanceId = instanceIdOf(taskId);
  if (x.cache.get(instanceId)?.state.waits[taskId]?.kind === 'task') {
    const completedAt = await x.tryOptimistic(instanceId, command);
    if (completedAt !== undefined) return { taskId, completedAt };
  }
  const completedAt = await x.transaction(async (tx, outcome) => {
    const instance = await tx.lockInstanceOfTask(taskId);
    if (!instance || !instance.state.waits[taskId]) {
      // Slow path, for a precise answer: unknown, or completed/cancelled (perhaps by a concurrent command).
      const task = await tx.task(taskId);
      if (!task) throw new NotFoundError(`task '${taskId}' does not exist`, { taskId });
      throw new ConflictError(`task '${taskId}' is already ${task.state === 'open' ? 'closed' : task.state}`, { taskId, state: task.state });
    }
    return x.runLocked(tx, instance, command, outcome);
  });
  return { taskId, completedAt };
}
