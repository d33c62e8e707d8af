/**
 * The runtime's single entry point: a pure function from (graph, state,
 * command, now) to (next state, effects). No I/O, no clock, no randomness:
 * ids come from a counter in the state, time from `now`.
 *
 * @example
 *   const { state, effects } = step(graph, undefined, { type: 'start', instanceId: 'i1', definitionId: 'd1' }, Date.now());
 *   const task = effects.find((e) => e.type === 'taskOpened');
 */
import { ConflictError, InvalidInputError, InvariantError, NotFoundError } from '../errors';
import { DEFAULT_LIMITS, type Limits } from '../limits';
import type { ProcessGraph } from '../model/graph';
import { checkScope, enter, openUserTask } from './behaviors/enter';
import { startListenerPending } from './behaviors/listeners';
import { beginAssigning, beginCompleting, completeTaskListenerJob, taskListenersOf } from './behaviors/task-listeners';
import { continueMultiInstance } from './behaviors/multi-instance';
import { openEventSubProcessWaits } from './behaviors/activity-waits';
import { unhandledError } from './behaviors/unhandled-error';
import type { Command, StartCommand } from './commands';
import type { Effect } from './effects';
import { isIncidentCause, reopenWait } from './event-definitions/waits';
import { throwEvent } from './event-definitions/throw';
import { Execution, cancellationOf, type Operation } from './execution';
import type { InstanceState, Variables, Wait } from './state';
import { ROOT } from './state';
import { withEvaluationClock } from '../expressions';
import { assertVariables, propagate, setLocal } from './variables';
import { assertStateSize } from './limits';
import { APPOINTMENT_VARIABLE, appointmentAt, dueNoLaterThanAppointment, warningBefore, type StepOptions } from './working-time';

/** The outcome of one step: the next state and what happened, in order. */
export interface StepResult {
  state: InstanceState;
  effects: Effect[];
}

/**
 * Applies one command to one process instance.
 * Throws NotFoundError (unknown task/job/wait), ConflictError (instance ended,
 * job waiting on its incident), InvalidInputError (bad variables); never
 * returns a half-applied state. `limits` bound what data may ask for (default {@link DEFAULT_LIMITS}).
 */
export function step(graph: ProcessGraph, state: InstanceState | undefined, command: Command, now: number, options: StepOptions = {}): StepResult {
  return withEvaluationClock(now, () => {
    if (command.type === 'start') {
      if (state) throw new ConflictError(`instance '${state.id}' already exists`, { instanceId: state.id });
      return start(graph, command, now, options);
    }
    if (!state) throw new NotFoundError('instance state is missing');
    // (An ended state is not copied: stepOwned rejects it before touching it.)
    return stepOwned(graph, state.status === 'active' ? cloneState(state) : state, command, now, options);
  }, stepSeed(state, command, now));
}

/**
 * The seed of FEEL's `uuid()` and `random number()` in this step: what identifies it (the
 * instance, its key counter, the time and the command), so that a replay draws the same values
 * and two steps draw different ones. Computed only when a value is drawn.
 */
function stepSeed(state: InstanceState | undefined, command: Command, now: number): () => string {
  const id = state?.id ?? (command.type === 'start' ? command.instanceId : '');
  const key = state?.nextKey ?? 0;
  return () => `${id}\u0000${key}\u0000${now}\u0000${JSON.stringify(command)}`;
}

/**
 * {@link step} for a caller that hands `state` over: it is changed in place (and is
 * the returned state), which saves the deep copy. After a throw it may be half
 * changed: the caller must drop it. The Engine uses this for states it remembers
 * and takes out of its cache for the command.
 */
export function stepOwned(graph: ProcessGraph, state: InstanceState, command: Exclude<Command, StartCommand>, now: number, options: StepOptions = {}): StepResult {
  const seed = stepSeed(state, command, now);
  return withEvaluationClock(now, () => {
    if (state.status !== 'active') {
      throw new ConflictError(`instance '${state.id}' has ended (${state.status})`, { instanceId: state.id, status: state.status });
    }
    if (state.suspended && !WHILE_SUSPENDED.has(command.type)) {
      throw new ConflictError(`instance '${state.id}' is suspended; resume it first (${command.type} refused)`, { instanceId: state.id, suspended: true });
    }
    const execution = new Execution(graph, state, now, options);
    apply(execution, command);
    execution.run(dispatch);
    // A command that only stops or shelves the instance must always go through, whatever its size.
    // Only variables and event payloads make a state grow without bound (elements and waits follow
    // the model), so the state is measured only after a step that stored some.
    if (execution.stateGrew && !OPERATOR_COMMANDS.has(command.type)) assertStateSize(execution.state);
    return { state: execution.state, effects: execution.effects };
  }, seed);
}

/** Commands an operator uses to stop or hold an instance: never refused for its size. */
const OPERATOR_COMMANDS: ReadonlySet<Command['type']> = new Set(['cancel', 'suspend', 'resume']);

/** Commands accepted while the instance is suspended: nothing that moves it on. */
const WHILE_SUSPENDED: ReadonlySet<Command['type']> = new Set(['cancel', 'suspend', 'resume', 'setVariables', 'rescheduleTasks']);

/** Deep copy of a state: plain JSON by construction (a JSON round trip is faster here than structuredClone). */
export function cloneState(state: InstanceState): InstanceState {
  return JSON.parse(JSON.stringify(state)) as InstanceState;
}

function start(graph: ProcessGraph, command: StartCommand, now: number, options: StepOptions): StepResult {
  const variables = withAppointment(graph, assertVariables(command.variables), now, options);
  const startEventId = command.startEventId ?? graph.scopes[graph.processId]?.noneStart;
  if (!startEventId || !graph.startEvents.includes(startEventId)) {
    throw new InvalidInputError(
      command.startEventId
        ? `'${command.startEventId}' is not a start event of process '${graph.processId}'`
        : `process '${graph.processId}' has no none start event; start it by message or timer`,
      { field: 'startEventId' },
    );
  }
  const state: InstanceState = {
    v: 1,
    id: command.instanceId,
    processId: graph.processId,
    definitionId: command.definitionId,
    businessKey: command.businessKey,
    status: 'active',
    nextKey: 1,
    elements: { [ROOT]: { key: ROOT, elementId: graph.processId, parent: -1, state: 'waiting', vars: { ...variables }, children: 0 } },
    waits: {},
    incidents: {},
    joins: {},
    parent: command.parent,
    startedAt: now,
  };
  if (!state.businessKey) delete state.businessKey;
  if (!state.parent) delete state.parent;
  const execution = new Execution(graph, state, now, options);
  execution.emit({ type: 'instanceStarted', processId: graph.processId, definitionId: command.definitionId, businessKey: command.businessKey, variables: { ...variables } });
  try {
    openEventSubProcessWaits(execution, state.elements[ROOT], graph.processId);
  } catch (error) {
    // No element instance exists yet to carry an incident: refuse the start instead.
    if (!isIncidentCause(error)) throw error;
    throw new InvalidInputError(`the instance cannot start: an event sub-process start of '${graph.processId}' failed: ${error.message}`, { field: 'variables' });
  }
  // The process's start listeners run first; the start event is activated when they are done (listeners.ts).
  const root = state.elements[ROOT];
  root.listener = { event: 'start', index: 0, startEventId };
  let listening: boolean;
  try {
    listening = startListenerPending(execution, root);
  } catch (error) {
    if (!isIncidentCause(error)) throw error;
    throw new InvalidInputError(`the instance cannot start: a start execution listener of '${graph.processId}' failed: ${error.message}`, { field: 'variables' });
  }
  if (!listening) {
    delete root.listener;
    execution.activate(startEventId, ROOT);
  }
  execution.run(dispatch);
  assertStateSize(execution.state);
  return { state: execution.state, effects: execution.effects };
}

/**
 * The start variables with `appointmentAt` (ISO) from the process's statutory
 * time counted from receipt (now), unless the caller set it (e.g. a dossier
 * re-entered with its printed appointment). A receipt the calendar cannot count
 * (no data for the dates) refuses the start: an appointment cannot be made up.
 */
function withAppointment(graph: ProcessGraph, variables: Variables, now: number, options: StepOptions): Variables {
  if (!graph.facts?.statutoryTime || Object.hasOwn(variables, APPOINTMENT_VARIABLE)) return variables;
  let at: number | undefined;
  try {
    at = appointmentAt(graph, options, now);
  } catch (error) {
    if (error instanceof InvariantError || !(error instanceof Error)) throw error;
    throw new InvalidInputError(`the instance cannot start: its appointment date cannot be counted: ${error.message}`, { field: APPOINTMENT_VARIABLE });
  }
  return at === undefined ? variables : { ...variables, [APPOINTMENT_VARIABLE]: new Date(at).toISOString() };
}

function dispatch(execution: Execution, operation: Operation): void {
  switch (operation.op) {
    case 'enter':
      return enter(execution, operation.key);
    case 'complete':
      return execution.completeElement(operation.key, operation.result);
    case 'leave':
      return execution.leave(operation.key, operation.flows);
    case 'take':
      return take(execution, operation.flowId, operation.scopeKey);
    case 'scopeCheck':
      return checkScope(execution, operation.key);
  }
}

/** A token travels along a sequence flow into its target (joins wait for their other tokens). */
function take(execution: Execution, flowId: string, scopeKey: number): void {
  if (!execution.state.elements[scopeKey]) return;
  const flow = execution.graph.flows[flowId];
  execution.emit({ type: 'flowTaken', flowId });
  const target = execution.node(flow.target);
  if ((target.type === 'parallelGateway' || target.type === 'inclusiveGateway') && target.incoming.length > 1) {
    const join = execution.arriveAtJoin(target.id, scopeKey, flowId);
    if (target.type === 'parallelGateway' && target.incoming.every((f) => (join[f] ?? 0) > 0)) {
      execution.consumeJoin(target.id, scopeKey);
      execution.activate(target.id, scopeKey);
    }
    return; // inclusive joins are settled when the queue drains
  }
  execution.activate(target.id, scopeKey, target.multiInstance ? { mi: { items: [], next: 0, completed: 0, active: 0 } } : undefined);
}

function findWait<K extends Wait['kind']>(execution: Execution, id: string, kinds: K[], what: string): Extract<Wait, { kind: K }> {
  const wait = execution.state.waits[id];
  if (!wait || !(kinds as string[]).includes(wait.kind)) {
    throw new NotFoundError(`${what} '${id}' is not open in instance '${execution.state.id}'`, { id, instanceId: execution.state.id });
  }
  return wait as Extract<Wait, { kind: K }>;
}

/**
 * A job whose retries ran out has an open incident: no worker may report on it
 * until the incident is resolved (which hands out the job again), as in Zeebe.
 * Otherwise a late report would leave the incident open on a gone element.
 */
function assertNoJobIncident(execution: Execution, jobId: string): void {
  for (const incident of Object.values(execution.state.incidents)) {
    if (incident.jobId === jobId) {
      throw new ConflictError(`job '${jobId}' has an open incident '${incident.id}'; resolve it first`, { id: jobId, incidentId: incident.id });
    }
  }
}

function apply(execution: Execution, command: Exclude<Command, StartCommand>): void {
  const { state } = execution;
  switch (command.type) {
    case 'completeTask': {
      const wait = findWait(execution, command.taskId, ['task'], 'task');
      const variables = assertVariables(command.variables);
      // Completing listeners run first; the task completes when they are done (task-listeners.ts).
      if (beginCompleting(execution, execution.element(wait.owner), variables)) return;
      execution.consumeWait(wait);
      execution.emit({ type: 'taskCompleted', taskId: wait.id, variables: { ...variables } });
      return execution.completeElement(wait.owner, variables);
    }
    case 'completeJob': {
      const wait = findWait(execution, command.jobId, ['job'], 'job');
      assertNoJobIncident(execution, wait.id);
      const variables = assertVariables(command.variables);
      execution.consumeWait(wait);
      if (command.result !== undefined && command.result !== null && !wait.taskListener) {
        throw new InvalidInputError(`job '${wait.id}' is not a task listener's: only those complete with a result (denied, corrections)`, { field: 'body.result' });
      }
      execution.emit({ type: 'jobCompleted', jobId: wait.id });
      if (wait.listener) return completeListenerJob(execution, wait.owner, wait.listener, variables);
      if (wait.taskListener) return completeTaskListenerJob(execution, wait, variables, command.result ?? undefined, openUserTask);
      return execution.completeElement(wait.owner, variables);
    }
    case 'assignTask': {
      const wait = findWait(execution, command.taskId, ['task'], 'task');
      const element = execution.element(wait.owner);
      if (taskListenersOf(execution, element.elementId, 'assigning').length === 0) {
        throw new InvariantError(`task '${wait.id}' has no assigning listeners: it is assigned outside the steps`);
      }
      return beginAssigning(execution, element, command);
    }
    case 'failJob': {
      const wait = findWait(execution, command.jobId, ['job'], 'job');
      assertNoJobIncident(execution, wait.id);
      if (!Number.isInteger(command.retries) || command.retries < 0) {
        throw new InvalidInputError('retries must be a non-negative integer', { field: 'retries' });
      }
      if (command.variables !== undefined) {
        // As in Zeebe: the worker's variables land in the local scope of the job's element.
        const variables = assertVariables(command.variables);
        for (const name of Object.keys(variables)) setLocal(state, wait.owner, name, variables[name]);
        if (Object.keys(variables).length > 0) execution.emit({ type: 'variablesSet', scopeKey: wait.owner, variables: { ...variables } });
      }
      wait.retries = command.retries;
      execution.emit({ type: 'jobFailed', jobId: wait.id, retries: command.retries, errorMessage: command.errorMessage });
      if (command.retries === 0) {
        execution.raiseIncident(execution.element(wait.owner), 'job', 'jobFailed', command.errorMessage || `job '${wait.jobType}' failed`, undefined, wait.id);
      }
      return;
    }
    case 'throwError': {
      const wait = findWait(execution, command.waitId, ['job', 'child'], 'job');
      if (wait.kind === 'job') assertNoJobIncident(execution, wait.id);
      const variables = assertVariables(command.variables);
      const owner = execution.element(wait.owner);
      execution.consumeWait(wait);
      // Recorded as what it is: the worker reported a business error, not a result.
      if (wait.kind === 'job') execution.emit({ type: 'jobErrorThrown', jobId: wait.id, errorCode: command.errorCode, errorMessage: command.errorMessage });
      const outcome = throwEvent(execution, owner, 'error', command.errorCode, variables, true);
      execution.emit({ type: 'errorThrown', errorCode: command.errorCode, elementId: owner.elementId, caught: outcome.caught });
      if (!outcome.caught) {
        const message = command.errorMessage ?? `error '${command.errorCode}' from '${owner.elementId}' was not caught`;
        unhandledError(execution, owner, command.errorCode, message, variables);
      }
      return;
    }
    case 'throwEscalation': {
      const wait = findWait(execution, command.waitId, ['child'], 'called instance');
      const owner = execution.element(wait.owner);
      // The call activity keeps waiting for its child unless an interrupting catch ends it.
      const outcome = throwEvent(execution, owner, 'escalation', command.escalationCode, undefined, true);
      execution.emit({ type: 'escalationThrown', escalationCode: command.escalationCode, elementId: owner.elementId, caught: outcome.caught });
      if (!outcome.caught && state.parent) execution.emit({ type: 'escalationEscaped', escalationCode: command.escalationCode });
      return;
    }
    case 'deliverMessage': {
      const wait = findWait(execution, command.waitId, ['message'], 'message subscription');
      if (wait.messageName !== command.messageName) {
        throw new NotFoundError(`subscription '${wait.id}' waits for message '${wait.messageName}', not '${command.messageName}'`, { id: wait.id });
      }
      execution.emit({ type: 'messageReceived', subscriptionId: wait.id, messageName: wait.messageName });
      return trigger(execution, wait, assertVariables(command.variables));
    }
    case 'fireTimer': {
      const wait = findWait(execution, command.waitId, ['timer'], 'timer');
      execution.emit({ type: 'timerFired', timerId: wait.id });
      return trigger(execution, wait, {});
    }
    case 'continue': {
      const wait = findWait(execution, command.waitId, ['continuation'], 'continuation');
      execution.consumeWait(wait);
      execution.emit({ type: 'continuationFired', continuationId: wait.id });
      const owner = state.elements[wait.owner];
      if (owner?.mi) continueMultiInstance(execution, owner, execution.node(owner.elementId));
      return;
    }
    case 'deliverSignal': {
      const variables = assertVariables(command.variables);
      const matching = Object.values(state.waits).filter((w) => w.kind === 'signal' && w.signalName === command.signalName);
      for (const wait of matching) {
        if (!state.waits[wait.id]) continue; // withdrawn by an earlier trigger of this same signal
        execution.emit({ type: 'signalReceived', subscriptionId: wait.id, signalName: command.signalName });
        trigger(execution, wait, variables);
      }
      return;
    }
    case 'completeChild': {
      const wait = findWait(execution, command.waitId, ['child'], 'called instance');
      const owner = execution.element(wait.owner);
      const node = execution.node(owner.elementId);
      const variables = assertVariables(command.variables);
      execution.consumeWait(wait);
      const propagateAll = node.type === 'callActivity' ? node.propagateAllChildVariables : true;
      return execution.completeElement(owner.key, node.outputs.length > 0 || propagateAll ? variables : undefined);
    }
    case 'failCall': {
      const wait = findWait(execution, command.waitId, ['child'], 'called instance');
      const owner = execution.element(wait.owner);
      execution.consumeWait(wait);
      execution.raiseIncident(owner, 'calledElement', 'calledProcessMissing', command.message, { op: 'enter', key: owner.key });
      return;
    }
    case 'setVariables': {
      const variables = assertVariables(command.variables);
      const scopeKey = command.scopeKey ?? ROOT;
      if (!state.elements[scopeKey]) throw new NotFoundError(`scope ${scopeKey} is not active`, { field: 'scopeKey' });
      for (const name of Object.keys(variables)) setLocal(state, scopeKey, name, variables[name]);
      execution.emit({ type: 'variablesSet', scopeKey, variables: { ...variables } });
      return;
    }
    case 'rescheduleTasks':
      return rescheduleTasks(execution, command);
    case 'resolveIncident': {
      const incident = state.incidents[command.incidentId];
      if (!incident) throw new NotFoundError(`incident '${command.incidentId}' is not open`, { id: command.incidentId });
      // 0 retries would hand out a job that no worker may take, with no incident left to show it.
      if (command.retries !== undefined && (!Number.isInteger(command.retries) || command.retries < 1)) {
        throw new InvalidInputError('retries must be a positive integer', { field: 'retries' });
      }
      delete state.incidents[incident.id];
      execution.emit({ type: 'incidentResolved', incidentId: incident.id });
      const element = state.elements[incident.elementInstanceKey];
      if (!element) return;
      if (incident.kind === 'job' && incident.jobId) {
        const wait = state.waits[incident.jobId];
        if (wait?.kind === 'job') {
          wait.retries = command.retries ?? 1;
          execution.emit({ type: 'jobRetried', jobId: wait.id, retries: wait.retries });
        }
        element.state = 'waiting';
        return;
      }
      element.state = 'active';
      if (incident.resume) execution.push({ op: incident.resume.op, key: incident.resume.key });
      return;
    }
    case 'suspend': {
      if (state.suspended) throw new ConflictError(`instance '${state.id}' is already suspended`, { instanceId: state.id, suspended: true });
      state.suspended = { at: execution.now, ...(command.actor ? { actor: command.actor } : {}), ...(command.reason ? { reason: command.reason } : {}) };
      execution.emit({ type: 'instanceSuspended', ...(command.reason ? { reason: command.reason } : {}) });
      return;
    }
    case 'resume': {
      if (!state.suspended) throw new ConflictError(`instance '${state.id}' is not suspended`, { instanceId: state.id, suspended: false });
      delete state.suspended;
      execution.emit({ type: 'instanceResumed' });
      return;
    }
    case 'cancel': {
      delete state.suspended;
      execution.terminate(ROOT);
      state.status = 'cancelled';
      state.endedAt = execution.now;
      execution.emit({ type: 'instanceEnded', status: 'cancelled', variables: { ...(state.elements[ROOT].vars ?? {}) } });
      return;
    }
  }
}

/**
 * New due dates for open user tasks (the command's own checks first: nothing is applied when
 * one is refused), after the process-scope variables they follow. Each is kept no later than
 * the appointment; the follow-up date of a task due by its statutory time is counted again
 * from it (as when the task opened), one the model sets keeps its own.
 */
function rescheduleTasks(execution: Execution, command: Extract<Command, { type: 'rescheduleTasks' }>): void {
  const { state } = execution;
  if (!Array.isArray(command.tasks)) throw new InvalidInputError('tasks must be a list of { taskId, dueAt }', { field: 'tasks' });
  const waits = command.tasks.map((task, i) => {
    if (!Number.isFinite(task?.dueAt)) throw new InvalidInputError(`tasks[${i}].dueAt must be epoch milliseconds, got ${JSON.stringify(task?.dueAt)}`, { field: `tasks.${i}.dueAt` });
    return findWait(execution, task.taskId, ['task'], 'task');
  });
  if (command.variables !== undefined) {
    const variables = assertVariables(command.variables);
    for (const name of Object.keys(variables)) setLocal(state, ROOT, name, variables[name]);
    if (Object.keys(variables).length > 0) execution.emit({ type: 'variablesSet', scopeKey: ROOT, variables: { ...variables } });
  }
  command.tasks.forEach((task, i) => {
    const wait = waits[i];
    const dueAt = dueNoLaterThanAppointment(task.dueAt, state)!;
    const node = execution.node(wait.elementId);
    const statutory = node.type === 'userTask' && !node.dueDate && !node.followUpDate && node.facts?.statutoryTime !== undefined;
    const followUpAt = statutory ? warningBefore(execution.graph, node, execution.options, execution.now, dueAt) : undefined;
    execution.emit({ type: 'taskUpdated', taskId: wait.id, changes: { dueAt, ...(followUpAt !== undefined ? { followUpAt } : {}) } });
  });
}

/**
 * An awaited event happened (timer, message, signal): interrupt or not, start
 * an event sub-process, choose the branch of an event-based gateway, or simply
 * complete the catching element, with the event's variables.
 */
function trigger(execution: Execution, wait: Wait, payload: Variables): void {
  const owner = execution.state.elements[wait.owner];
  if (!owner) return;
  for (const _ in payload) {
    execution.stateGrew = true; // the payload is kept on the element it starts
    break;
  }
  const node = execution.node(wait.elementId);
  execution.consumeWait(wait);
  if (node.type === 'boundaryEvent') {
    const scopeKey = owner.parent;
    if (node.cancelActivity) execution.terminate(owner.key);
    else reopenWait(execution, wait);
    execution.activate(node.id, scopeKey).triggerResult = payload;
    return;
  }
  if (node.type === 'startEvent') {
    const subProcessId = node.scope;
    if (node.interrupting) {
      closeEventSubProcessWaits(execution, owner.key);
      execution.terminateChildren(owner.key);
    } else {
      reopenWait(execution, wait);
    }
    execution.activate(subProcessId, owner.key).startWith = { startEventId: node.id, variables: payload };
    return;
  }
  const ownerNode = execution.node(owner.elementId);
  if (ownerNode.type === 'eventBasedGateway') {
    const flowId = ownerNode.outgoing.find((f) => execution.graph.flows[f].target === node.id);
    execution.closeWaits(owner);
    execution.emit({ type: 'elementCompleted', elementId: owner.elementId, elementType: ownerNode.type, key: owner.key });
    if (flowId) execution.emit({ type: 'flowTaken', flowId });
    execution.activate(node.id, owner.parent).triggerResult = payload;
    execution.push({ op: 'leave', key: owner.key, flows: [] });
    return;
  }
  execution.completeElement(owner.key, payload);
}

/** Once an interrupting event sub-process starts, the scope's other event sub-process starts close. */
function closeEventSubProcessWaits(execution: Execution, scopeKey: number): void {
  for (const wait of Object.values(execution.state.waits)) {
    if (wait.owner !== scopeKey) continue;
    if (execution.graph.nodes[wait.elementId]?.type !== 'startEvent') continue;
    execution.consumeWait(wait);
    execution.emit(cancellationOf(wait));
  }
}

/**
 * An execution listener's job is done: its variables are set (start: local to the element;
 * end: into the enclosing scope, as the element's result was), then the next listener runs, or
 * the element is entered (start) or left (end).
 */
function completeListenerJob(execution: Execution, key: number, event: 'start' | 'end', variables: Variables): void {
  const element = execution.element(key);
  const progress = element.listener;
  if (!progress || progress.event !== event) throw new InvariantError(`element ${key} is not running ${event} listeners`);
  // Start: local to the element (a multi-instance body's: in the enclosing scope, where its input
  // collection is evaluated); end: into the enclosing scope. The process's: its own scope.
  const local = key === ROOT || (event === 'start' && !element.mi);
  const scopeKey = local ? key : element.parent;
  if (Object.keys(variables).length > 0) {
    if (local) for (const name of Object.keys(variables)) setLocal(execution.state, key, name, variables[name]);
    else propagate(execution.state, scopeKey, variables);
    execution.emit({ type: 'variablesSet', scopeKey, variables: { ...variables } });
  }
  progress.index += 1;
  element.state = 'active';
  if (key === ROOT) {
    if (event === 'end') return execution.push({ op: 'scopeCheck', key });
    if (!startListenerPending(execution, element)) execution.activate(progress.startEventId!, ROOT);
    return;
  }
  if (event === 'start') execution.push({ op: 'enter', key });
  else execution.completeElement(key, undefined, progress.flows);
}
