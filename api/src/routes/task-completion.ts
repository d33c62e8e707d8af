/**
 * Completing a task for a caller, with no read before the command: both `/api/tasks/{id}/complete`
 * and Camunda's `/v2/user-tasks/{userTaskKey}/completion` go through here.
 *
 * The checks run inside the engine's command, on the task row read under the instance's lock
 * (BEGIN, the lock and the row in one round trip): who may complete it (`authorize`, the
 * route's own words and status codes) and the task's form. So no claim can land between the
 * check and the write, and a completion costs 2 round trips.
 *
 * The form is checked from memory only: reading it under the lock through another connection
 * could wait on the lock this command holds (the embedded database has one connection). A form
 * not remembered yet stops the attempt before anything is written; it is read outside the
 * command and the command runs again, once.
 */
import type { TaskCompletion, TaskRow, Variables } from '../../../engine/src/index';
import { validateCamundaTaskForm } from '../forms/camunda-form-ajv';
import type { ApiServices } from '../server';
import type { FormRecord } from '../store/api-store';
import { validateForm } from '../validation';

export interface CompletionRequest {
  taskId: string;
  actor: string;
  variables: Variables;
  /** Throws the route's answer when the caller may not complete `task` (undefined: no such task). */
  authorize: (task: TaskRow | undefined) => asserts task is TaskRow;
}

/** Completes the task once `authorize` and its form accept it; the task as read under the lock comes back. */
export async function completeTaskFor(services: ApiServices, request: CompletionRequest): Promise<TaskCompletion & { task: TaskRow }> {
  const { ctx, apiStore, metrics } = services;
  const { variables } = request;
  const read = new Map<string, FormRecord | undefined>();
  const validate = (task: TaskRow): void => {
    if (!task.formKey) return;
    const key = `${task.definitionId}\u0000${task.formKey}`;
    const known = read.has(key) ? { form: read.get(key) } : apiStore.rememberedFormOf?.(task.definitionId, task.formKey);
    if (!known) throw new FormNotRemembered(key, task.definitionId, task.formKey);
    const form = known.form;
    if (form?.kind === 'camunda-form') validateCamundaTaskForm(form, variables);
    else if (form) validateForm(form.formKey, form.schema, form.schemaHash, variables);
  };
  const complete = () =>
    metrics.command('completeTask', () => ctx.engine.completeTask(request.taskId, { variables, actor: request.actor, authorize: request.authorize, validate }));
  const completion = await complete().catch(async (error: unknown) => {
    if (!(error instanceof FormNotRemembered)) throw error;
    read.set(error.key, await apiStore.formOfDefinition(error.definitionId, error.formKey));
    return complete();
  });
  return { ...completion, task: completion.task! };
}

/** A task's form is not in memory: read it outside the command, then run the command again. */
class FormNotRemembered extends Error {
  constructor(
    readonly key: string,
    readonly definitionId: string,
    readonly formKey: string,
  ) {
    super(`the form '${formKey}' of definition '${definitionId}' is not remembered yet`);
  }
}
