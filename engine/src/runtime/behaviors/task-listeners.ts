/**
 * Zeebe task listeners (Camunda 8.8) on user tasks: at each lifecycle transition of a task
 * (`creating`, `assigning`, `updating`, `completing`, `canceling`) the listeners of that event run
 * as jobs, one after the other in document order, served by job workers like any job. The
 * transition waits for them (blocking, as in Camunda):
 *
 * - `creating`: the task opens once every creating listener is done, with their corrections.
 * - `assigning`: a claim, assignment or unassignment takes effect once every listener is done
 *   (a correction of `assignee` wins over the one asked for); a listener may deny it, and the
 *   task keeps its assignee.
 * - `completing`: the task completes (with the caller's variables) once every listener is done;
 *   a listener may deny it, and the task stays open.
 * - `updating`: motcua has no operation that updates a task's fields, so these never run.
 * - `canceling`: when the task is cancelled (boundary event, termination, instance cancellation)
 *   the listeners' jobs are created at once, detached: the cancellation does not wait for them
 *   (Camunda 8.8 does), and they see the task's last variables.
 *
 * A listener's job completes without variables (Camunda refuses them too); its `result` may
 * deny (`denied`, `deniedReason`: not for creating and canceling) or correct the task
 * (`corrections` of assignee, dueDate, followUpDate, candidateUsers, candidateGroups, priority:
 * not for canceling). A denial drops the corrections of the transition. A job that fails without
 * retries raises an incident on the task's element, as any job; resolving it retries the job.
 */
import { ConflictError, InvalidInputError, InvariantError } from '../../errors';
import { evaluate, evaluateString, ExpressionError } from '../../expressions';
import type { ListenerDefinition, TaskListenerEvent, UserTaskNode } from '../../model/graph';
import type { JobResult } from '../commands';
import type { TaskChanges, TaskRecord } from '../effects';
import type { Execution } from '../execution';
import type { ElementInstance, TaskCorrections, TaskTransition, Variables, Wait } from '../state';
import { visibleVariables } from '../variables';

/** Header names of a task listener's job, as Camunda 8.8 gives the user task's properties. */
export const TASK_LISTENER_HEADERS = {
  event: 'io.camunda.zeebe:listenerEventType',
  taskKey: 'io.camunda.zeebe:userTaskKey',
  action: 'io.camunda.zeebe:action',
  assignee: 'io.camunda.zeebe:assignee',
  candidateGroups: 'io.camunda.zeebe:candidateGroups',
  candidateUsers: 'io.camunda.zeebe:candidateUsers',
  dueDate: 'io.camunda.zeebe:dueDate',
  followUpDate: 'io.camunda.zeebe:followUpDate',
  formKey: 'io.camunda.zeebe:formKey',
} as const;

/** The header that marks a task listener's job, with its event (creating, assigning, …). */
export const TASK_LISTENER_EVENT_HEADER = TASK_LISTENER_HEADERS.event;

/** The listeners of one event of a user task (none when it has none). */
export function taskListenersOf(execution: Execution, elementId: string, event: TaskListenerEvent): ListenerDefinition[] {
  const node = execution.node(elementId);
  return node.type === 'userTask' ? (node as UserTaskNode).taskListeners?.[event] ?? [] : [];
}

/** Opens the job of one task listener; the element waits for it. */
function openTaskListenerJob(
  execution: Execution,
  element: ElementInstance,
  event: TaskListenerEvent,
  definition: ListenerDefinition,
  headers: Record<string, string>,
  detached = false,
): void {
  const context = visibleVariables(execution.state, element.key);
  const jobType = evaluateString(definition.type, context);
  const retriesValue = evaluate(definition.retries, context);
  const retries = Number(retriesValue);
  if (!Number.isInteger(retries) || retries < 0) {
    throw new ExpressionError(definition.retries, `task listener retries must be a non-negative integer (got ${JSON.stringify(retriesValue)})`);
  }
  const id = execution.nextId();
  if (!detached) {
    execution.openWait(element, { id, kind: 'job', owner: element.key, elementId: element.elementId, retries, jobType, taskListener: event as Exclude<TaskListenerEvent, 'canceling'> });
  }
  execution.emit({
    type: 'jobCreated',
    job: {
      id,
      elementId: element.elementId,
      elementInstanceKey: element.key,
      jobType,
      retries,
      headers: { ...headers, [TASK_LISTENER_HEADERS.event]: event },
      variables: { ...context },
      ...(detached ? { detached: true } : {}),
    },
  });
}

function taskHeaders(taskId: string, fields: Partial<Pick<TaskRecord, 'assignee' | 'candidateGroups' | 'candidateUsers' | 'dueAt' | 'followUpAt' | 'formKey'>>, action?: string): Record<string, string> {
  const headers: Record<string, string> = { [TASK_LISTENER_HEADERS.taskKey]: taskId };
  if (action) headers[TASK_LISTENER_HEADERS.action] = action;
  if (fields.assignee) headers[TASK_LISTENER_HEADERS.assignee] = fields.assignee;
  if (fields.candidateGroups?.length) headers[TASK_LISTENER_HEADERS.candidateGroups] = JSON.stringify(fields.candidateGroups);
  if (fields.candidateUsers?.length) headers[TASK_LISTENER_HEADERS.candidateUsers] = JSON.stringify(fields.candidateUsers);
  if (fields.dueAt !== undefined) headers[TASK_LISTENER_HEADERS.dueDate] = new Date(fields.dueAt).toISOString();
  if (fields.followUpAt !== undefined) headers[TASK_LISTENER_HEADERS.followUpDate] = new Date(fields.followUpAt).toISOString();
  if (fields.formKey) headers[TASK_LISTENER_HEADERS.formKey] = fields.formKey;
  return headers;
}

/** The task wait of a user task element (undefined while it is being created). */
function taskWaitOf(execution: Execution, element: ElementInstance): Extract<Wait, { kind: 'task' }> | undefined {
  for (const id of element.waits ?? []) {
    const wait = execution.state.waits[id];
    if (wait?.kind === 'task') return wait;
  }
  return undefined;
}

/** Opens the job of the transition's next listener. */
function runNext(execution: Execution, element: ElementInstance, transition: TaskTransition): void {
  const listeners = taskListenersOf(execution, element.elementId, transition.event);
  const taskId = transition.task?.id ?? taskWaitOf(execution, element)?.id ?? '';
  const fields = transition.task ?? { assignee: transition.event === 'assigning' ? transition.assignee ?? undefined : undefined };
  openTaskListenerJob(execution, element, transition.event, listeners[transition.index], taskHeaders(taskId, fields, transition.action ?? (transition.event === 'completing' ? 'complete' : undefined)));
  element.state = 'waiting';
}

/**
 * Before a user task opens: runs its creating listeners (returns true: the task opens when they
 * are done), or returns false when it has none.
 */
export function beginCreating(execution: Execution, element: ElementInstance, task: TaskRecord): boolean {
  if (taskListenersOf(execution, element.elementId, 'creating').length === 0) return false;
  const transition: TaskTransition = { event: 'creating', index: 0, corrections: {}, task };
  element.taskTransition = transition;
  runNext(execution, element, transition);
  return true;
}

/** Starts the assigning listeners of a task (the caller checked it has some). */
export function beginAssigning(execution: Execution, element: ElementInstance, command: { action: 'claim' | 'assign' | 'unassign'; assignee?: string; previousAssignee?: string; actor?: string }): void {
  assertNoTransition(execution, element);
  const wait = taskWaitOf(execution, element)!;
  wait.transitions = (wait.transitions ?? 0) + 1;
  const transition: TaskTransition = {
    event: 'assigning',
    index: 0,
    corrections: {},
    action: command.action,
    assignee: command.assignee ?? null,
    ...(command.previousAssignee ? { previousAssignee: command.previousAssignee } : {}),
    ...(command.actor ? { actor: command.actor } : {}),
  };
  element.taskTransition = transition;
  runNext(execution, element, transition);
}

/** Starts the completing listeners of a task, or returns false when it has none. */
export function beginCompleting(execution: Execution, element: ElementInstance, variables: Variables): boolean {
  assertNoTransition(execution, element);
  if (taskListenersOf(execution, element.elementId, 'completing').length === 0) return false;
  const wait = taskWaitOf(execution, element)!;
  wait.transitions = (wait.transitions ?? 0) + 1;
  const transition: TaskTransition = { event: 'completing', index: 0, corrections: {}, variables };
  element.taskTransition = transition;
  runNext(execution, element, transition);
  return true;
}

/** A task in the middle of a transition refuses another one (as Camunda's task in ASSIGNING, COMPLETING… does). */
export function assertNoTransition(execution: Execution, element: ElementInstance): void {
  const running = element.taskTransition;
  if (!running) return;
  const taskId = taskWaitOf(execution, element)?.id ?? running.task?.id;
  throw new TaskTransitionConflict(`task '${taskId}' is ${running.event}: its ${running.event} listeners are still running; try again when they are done`, { taskId, transition: running.event });
}

/** A transition refused because another one is under way (a ConflictError). */
export class TaskTransitionConflict extends ConflictError {}

/** When a user task is cancelled: its canceling listeners' jobs, detached (nobody waits for them). */
export function openCancelingJobs(execution: Execution, element: ElementInstance, taskId: string): void {
  const listeners = taskListenersOf(execution, element.elementId, 'canceling');
  for (const definition of listeners) {
    try {
      openTaskListenerJob(execution, element, 'canceling', definition, taskHeaders(taskId, {}, 'cancel'), true);
    } catch (error) {
      // A job type or retries that cannot be evaluated must not stop the cancellation (an operator's last resort).
      if (!(error instanceof ExpressionError)) throw error;
    }
  }
}

/**
 * A task listener's job completed: applies its result (denial or corrections), then runs the
 * next listener or finishes the transition.
 */
export function completeTaskListenerJob(execution: Execution, wait: Extract<Wait, { kind: 'job' }>, variables: Variables, result: JobResult | undefined, openTask: TaskOpener): void {
  const element = execution.element(wait.owner);
  const transition = element.taskTransition;
  if (!transition || transition.event !== wait.taskListener) throw new InvariantError(`element ${element.key} is not running ${wait.taskListener} task listeners`);
  if (Object.keys(variables).length > 0) {
    throw new InvalidInputError('a task listener job completes without variables (as in Camunda 8.8); correct the task with result.corrections instead', { field: 'body.variables' });
  }
  if (result?.denied) {
    if (transition.event === 'creating') throw new InvalidInputError(`a creating task listener cannot deny (only assigning, updating and completing ones can)`, { field: 'body.result.denied' });
    return deny(execution, element, transition, typeof result.deniedReason === 'string' ? result.deniedReason : '');
  }
  if (result?.corrections) Object.assign(transition.corrections, correctionsOf(result.corrections));
  transition.index += 1;
  element.state = 'active';
  if (transition.index < taskListenersOf(execution, element.elementId, transition.event).length) return runNext(execution, element, transition);
  delete element.taskTransition;
  finish(execution, element, transition, openTask);
}

/** Opens a user task that its creating listeners let through (enter.ts). */
export type TaskOpener = (execution: Execution, element: ElementInstance, task: TaskRecord) => void;

function deny(execution: Execution, element: ElementInstance, transition: TaskTransition, reason: string): void {
  delete element.taskTransition;
  element.state = 'waiting';
  const wait = taskWaitOf(execution, element)!;
  wait.denied = { transition: wait.transitions ?? 0, event: transition.event, reason };
  execution.emit({ type: 'taskListenerDenied', taskId: wait.id, eventType: transition.event, deniedReason: reason });
}

function finish(execution: Execution, element: ElementInstance, transition: TaskTransition, openTask: TaskOpener): void {
  const corrections = transition.corrections;
  if (transition.event === 'creating') {
    openTask(execution, element, withCorrections(transition.task!, corrections));
    return;
  }
  const wait = taskWaitOf(execution, element)!;
  const { assignee, ...others } = corrections;
  if (transition.event === 'assigning') {
    const final = assignee !== undefined ? assignee : transition.assignee ?? null;
    if (Object.keys(others).length > 0) execution.emit({ type: 'taskUpdated', taskId: wait.id, changes: others });
    const previous = transition.previousAssignee ? { previousAssignee: transition.previousAssignee } : {};
    if (final === null) execution.emit({ type: 'taskUnclaimed', taskId: wait.id, ...previous });
    else if (transition.action === 'claim' && final === transition.assignee) execution.emit({ type: 'taskClaimed', taskId: wait.id, assignee: final });
    else execution.emit({ type: 'taskAssigned', taskId: wait.id, assignee: final, ...previous });
    element.state = 'waiting';
    return;
  }
  // completing
  if (Object.keys(corrections).length > 0) execution.emit({ type: 'taskUpdated', taskId: wait.id, changes: corrections as TaskChanges });
  const variables = transition.variables ?? {};
  execution.consumeWait(wait);
  execution.emit({ type: 'taskCompleted', taskId: wait.id, variables: { ...variables } });
  execution.completeElement(element.key, variables);
}

function withCorrections(task: TaskRecord, corrections: TaskCorrections): TaskRecord {
  const next: TaskRecord = { ...task };
  if (corrections.assignee !== undefined) {
    if (corrections.assignee === null) delete next.assignee;
    else next.assignee = corrections.assignee;
  }
  if (corrections.dueAt !== undefined) {
    if (corrections.dueAt === null) delete next.dueAt;
    else next.dueAt = corrections.dueAt;
  }
  if (corrections.followUpAt !== undefined) {
    if (corrections.followUpAt === null) delete next.followUpAt;
    else next.followUpAt = corrections.followUpAt;
  }
  if (corrections.candidateUsers) next.candidateUsers = corrections.candidateUsers;
  if (corrections.candidateGroups) next.candidateGroups = corrections.candidateGroups;
  return next;
}

/**
 * Camunda's corrections as task changes: an empty string clears assignee and dates, an empty
 * list clears candidates, null or absent keeps; priority 0 to 100. Anything else is the worker's
 * input error (400 naming the field).
 */
export function correctionsOf(input: NonNullable<JobResult['corrections']>): TaskCorrections {
  const out: TaskCorrections = {};
  const field = (name: string) => ({ field: `body.result.corrections.${name}` });
  if (input.assignee !== undefined && input.assignee !== null) {
    if (typeof input.assignee !== 'string') throw new InvalidInputError('corrections.assignee must be a string', field('assignee'));
    out.assignee = input.assignee === '' ? null : input.assignee;
  }
  for (const [name, key] of [
    ['dueDate', 'dueAt'],
    ['followUpDate', 'followUpAt'],
  ] as const) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    if (value === '') {
      out[key] = null;
      continue;
    }
    const at = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
    if (!Number.isFinite(at)) throw new InvalidInputError(`corrections.${name} must be an ISO 8601 date and time (or '' to clear it)`, field(name));
    out[key] = at;
  }
  for (const name of ['candidateUsers', 'candidateGroups'] as const) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) throw new InvalidInputError(`corrections.${name} must be a list of names`, field(name));
    out[name] = [...value];
  }
  if (input.priority !== undefined && input.priority !== null) {
    if (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > 100) throw new InvalidInputError('corrections.priority must be an integer from 0 to 100', field('priority'));
    out.priority = input.priority;
  }
  return out;
}
