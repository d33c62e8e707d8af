/**
 * What each kind of flow node does when a token enters it (one function per
 * BPMN element family). A behavior either completes the element at once, or
 * opens waits and leaves it `waiting` until a command arrives.
 */
import { evaluate, evaluateString, evaluateStringList, ExpressionError } from '../../expressions';
import type {
  CallActivityNode,
  EndEventNode,
  FlowNode,
  GatewayNode,
  IntermediateCatchEventNode,
  IntermediateThrowEventNode,
  JobDefinition,
  SubProcessNode,
  UserTaskNode,
} from '../../model/graph';
import { firstDue, parseTimer } from '../../timer';
import { LIMIT_SETTINGS, LimitExceededError } from '../../limits';
import type { Execution } from '../execution';
import { isIncidentCause, openEventWait } from '../event-definitions/waits';
import { assertComputedVariable } from '../limits';
import { describeVariables, incidentCauseOf } from '../incident-cause';
import { throwEvent } from '../event-definitions/throw';
import type { ElementInstance, Variables } from '../state';
import { ROOT } from '../state';
import { visibleVariables } from '../variables';
import { openBoundaryWaits, openEventSubProcessWaits } from './activity-waits';
import { enterMultiInstanceBody } from './multi-instance';
import { unhandledError } from './unhandled-error';
import { userTaskDueAt, userTaskFollowUpAt } from './task-due';
import { endListenerPending, startListenerPending } from './listeners';
import { beginCreating } from './task-listeners';
import type { TaskRecord } from '../effects';

/** Runs the behavior of the element instance `key`; modelling/data failures become incidents. */
export function enter(execution: Execution, key: number): void {
  const element = execution.state.elements[key];
  if (!element) return;
  const node = execution.node(element.elementId);
  element.state = 'active';
  try {
    if (element.mi) {
      // The body's start listeners run before its input collection is evaluated.
      if (node.executionListeners && startListenerPending(execution, element)) return;
      enterMultiInstanceBody(execution, element, node);
      return;
    }
    // Once start listeners began, the inputs are applied already (their jobs saw them).
    if (!element.listener && (element.loopIndex === undefined || node.inputs.length > 0)) execution.applyInputs(element, node.inputs);
    if (node.executionListeners && startListenerPending(execution, element)) return;
    enterNode(execution, element, node);
  } catch (error) {
    if (!isIncidentCause(error)) throw error;
    if (!execution.state.elements[key]) throw error;
    execution.closeWaits(element);
    execution.raiseIncident(element, error instanceof LimitExceededError ? 'limitExceeded' : 'expression', incidentCauseOf(error), error.message, { op: 'enter', key });
  }
}

function enterNode(execution: Execution, element: ElementInstance, node: FlowNode): void {
  switch (node.type) {
    case 'startEvent':
    case 'boundaryEvent':
    case 'task':
    case 'manualTask':
      return completeWithTrigger(execution, element);
    case 'endEvent':
      return enterEndEvent(execution, element, node);
    case 'intermediateThrowEvent':
      return enterThrowEvent(execution, element, node);
    case 'intermediateCatchEvent':
      return enterCatchEvent(execution, element, node);
    case 'exclusiveGateway':
    case 'inclusiveGateway':
    case 'parallelGateway':
      return enterGateway(execution, element, node);
    case 'eventBasedGateway':
      return enterEventBasedGateway(execution, element, node);
    case 'userTask':
      return enterUserTask(execution, element, node);
    case 'serviceTask':
    case 'sendTask':
    case 'businessRuleTask':
      return enterJob(execution, element, node.job);
    case 'receiveTask':
      if (element.triggerResult) return completeWithTrigger(execution, element);
      openEventWait(execution, element, element.elementId, node.message);
      return wait(execution, element);
    case 'scriptTask': {
      const value = execution.evaluateAt(element.key, node.expression);
      assertComputedVariable(execution, node.resultVariable, value, node.expression);
      return execution.completeElement(element.key, { [node.resultVariable]: value });
    }
    case 'subProcess':
      return enterSubProcess(execution, element, node);
    case 'callActivity':
      return enterCallActivity(execution, element, node);
  }
}

function completeWithTrigger(execution: Execution, element: ElementInstance): void {
  const result = element.triggerResult;
  element.triggerResult = undefined;
  execution.completeElement(element.key, result);
}

/** Marks the element as waiting and opens its boundary event waits. */
function wait(execution: Execution, element: ElementInstance): void {
  element.state = 'waiting';
  openBoundaryWaits(execution, element);
}

function enterEndEvent(execution: Execution, element: ElementInstance, node: EndEventNode): void {
  const definition = node.eventDefinition;
  if (!definition) return execution.completeElement(element.key);
  switch (definition.kind) {
    case 'terminate':
      execution.terminateChildren(element.parent, element.key);
      return execution.completeElement(element.key);
    case 'error': {
      const code = definition.errorCode ?? '';
      const outcome = throwEvent(execution, element, 'error', code, undefined, false);
      execution.emit({ type: 'errorThrown', errorCode: code, elementId: element.elementId, caught: outcome.caught });
      if (!outcome.caught) unhandledError(execution, element, code, `error '${code}' thrown by '${element.elementId}' was not caught`, undefined);
      return;
    }
    case 'escalation':
      return throwEscalation(execution, element, definition.escalationCode ?? '');
    case 'signal':
      execution.emit({ type: 'signalThrown', signalName: evaluateString(definition.signalName, visibleVariables(execution.state, element.key)), variables: {} });
      return execution.completeElement(element.key);
    case 'message':
      if (node.job) return enterJob(execution, element, node.job);
      return execution.completeElement(element.key);
    default:
      return execution.completeElement(element.key);
  }
}

function throwEscalation(execution: Execution, element: ElementInstance, code: string): void {
  const outcome = throwEvent(execution, element, 'escalation', code, undefined, false);
  execution.emit({ type: 'escalationThrown', escalationCode: code, elementId: element.elementId, caught: outcome.caught });
  // Uncaught in a called instance: it goes on to the parent's call activity (as in Zeebe); the child continues.
  if (!outcome.caught && execution.state.parent) execution.emit({ type: 'escalationEscaped', escalationCode: code });
  if (!outcome.interrupted) execution.completeElement(element.key);
}

function enterThrowEvent(execution: Execution, element: ElementInstance, node: IntermediateThrowEventNode): void {
  const definition = node.eventDefinition;
  if (!definition) return execution.completeElement(element.key);
  switch (definition.kind) {
    case 'signal':
      execution.emit({ type: 'signalThrown', signalName: evaluateString(definition.signalName, visibleVariables(execution.state, element.key)), variables: {} });
      return execution.completeElement(element.key);
    case 'escalation':
      return throwEscalation(execution, element, definition.escalationCode ?? '');
    case 'link': {
      const targetId = execution.graph.scopes[node.scope]?.linkTargets[definition.linkName];
      if (!targetId) throw new ExpressionError('', `no link catch event named '${definition.linkName}' in scope '${node.scope}'`, 'modelGap');
      execution.emit({ type: 'elementCompleted', elementId: element.elementId, elementType: node.type, key: element.key });
      execution.activate(targetId, element.parent);
      execution.push({ op: 'leave', key: element.key, flows: [] });
      return;
    }
    case 'message':
      if (node.job) return enterJob(execution, element, node.job);
      return execution.completeElement(element.key);
  }
}

function enterCatchEvent(execution: Execution, element: ElementInstance, node: IntermediateCatchEventNode): void {
  if (element.triggerResult || node.eventDefinition.kind === 'link') return completeWithTrigger(execution, element);
  openEventWait(execution, element, element.elementId, node.eventDefinition);
  element.state = 'waiting';
}

function enterGateway(execution: Execution, element: ElementInstance, node: GatewayNode): void {
  if (node.type === 'parallelGateway') return execution.completeElement(element.key, undefined, node.outgoing);
  const context = visibleVariables(execution.state, element.key);
  const taken: string[] = [];
  for (const flowId of node.outgoing) {
    if (flowId === node.defaultFlow) continue;
    const condition = execution.graph.flows[flowId].condition;
    if (condition === undefined || execution.condition(condition, context)) {
      taken.push(flowId);
      if (node.type === 'exclusiveGateway') break;
    }
  }
  if (taken.length === 0 && node.defaultFlow) taken.push(node.defaultFlow);
  if (taken.length === 0 && node.outgoing.length > 0) {
    const conditions: string[] = [];
    for (const flowId of node.outgoing) {
      const condition = execution.graph.flows[flowId].condition;
      if (condition !== undefined) conditions.push(condition);
    }
    const variables = describeVariables(conditions, context);
    const message = `gateway '${node.id}': no condition of flows ${node.outgoing.join(', ')} is true and there is no default flow${variables ? `; variables: ${variables}` : ''}`;
    execution.raiseIncident(element, 'noOutgoingFlow', 'noOutgoingFlow', message, { op: 'enter', key: element.key });
    return;
  }
  execution.completeElement(element.key, undefined, taken);
}

function enterEventBasedGateway(execution: Execution, element: ElementInstance, node: GatewayNode): void {
  for (const flowId of node.outgoing) {
    const target = execution.node(execution.graph.flows[flowId].target);
    if (target.type === 'intermediateCatchEvent' && target.eventDefinition.kind !== 'link') {
      openEventWait(execution, element, target.id, target.eventDefinition);
    } else if (target.type === 'receiveTask') {
      openEventWait(execution, element, target.id, target.message);
    }
  }
  element.state = 'waiting';
}

function enterUserTask(execution: Execution, element: ElementInstance, node: UserTaskNode): void {
  const context = visibleVariables(execution.state, element.key);
  const assignee = node.assignee ? evaluate(node.assignee, context) : null;
  const id = execution.nextId();
  const dueAt = userTaskDueAt(execution, node, context);
  const followUpAt = userTaskFollowUpAt(execution, node, context, dueAt);
  const task: TaskRecord = {
    id,
    elementId: element.elementId,
    elementInstanceKey: element.key,
    name: node.name,
    assignee: assignee === null || assignee === '' ? undefined : String(assignee),
    candidateGroups: node.candidateGroups ? evaluateStringList(node.candidateGroups, context) : [],
    candidateUsers: node.candidateUsers ? evaluateStringList(node.candidateUsers, context) : [],
    dueAt,
    followUpAt,
    formKey: node.formKey,
    // The step's own facts win; the procedure's (e.g. its agency) fill the gaps.
    facts: execution.graph.facts || node.facts ? { ...execution.graph.facts, ...node.facts } : undefined,
  };
  // Creating listeners run first; the task opens when they are done (task-listeners.ts).
  if (node.taskListeners?.creating && beginCreating(execution, element, task)) return;
  openUserTask(execution, element, task);
}

/** Opens the task of a user task element and waits for it (with its boundary events). */
export function openUserTask(execution: Execution, element: ElementInstance, task: TaskRecord): void {
  execution.openWait(element, { id: task.id, kind: 'task', owner: element.key, elementId: element.elementId });
  execution.emit({ type: 'taskOpened', task });
  wait(execution, element);
}

function enterJob(execution: Execution, element: ElementInstance, job: JobDefinition): void {
  const context = visibleVariables(execution.state, element.key);
  const jobType = evaluateString(job.type, context);
  const retriesValue = evaluate(job.retries, context);
  const retries = Number(retriesValue);
  if (!Number.isInteger(retries) || retries < 0) {
    throw new ExpressionError(job.retries, `job retries must be a non-negative integer (got ${JSON.stringify(retriesValue)})`, 'wrongType');
  }
  const id = execution.nextId();
  execution.openWait(element, { id, kind: 'job', owner: element.key, elementId: element.elementId, retries, jobType });
  execution.emit({
    type: 'jobCreated',
    job: { id, elementId: element.elementId, elementInstanceKey: element.key, jobType, retries, headers: job.headers, variables: { ...context } },
  });
  wait(execution, element);
}

function enterSubProcess(execution: Execution, element: ElementInstance, node: SubProcessNode): void {
  element.state = 'waiting';
  element.children ??= 0;
  openBoundaryWaits(execution, element);
  openEventSubProcessWaits(execution, element, node.id);
  const startWith = element.startWith;
  if (startWith) {
    element.startWith = undefined;
    const start = execution.activate(startWith.startEventId, element.key);
    start.triggerResult = startWith.variables;
    return;
  }
  const startId = execution.graph.scopes[node.id]?.noneStart;
  if (!startId) throw new ExpressionError('', `sub-process '${node.id}' has no none start event`, 'modelGap');
  execution.activate(startId, element.key);
}

function enterCallActivity(execution: Execution, element: ElementInstance, node: CallActivityNode): void {
  // A process that calls itself (directly or round about) would start instances without end, all in one transaction.
  const depth = (execution.state.parent?.depth ?? (execution.state.parent ? 1 : 0)) + 1;
  const max = execution.limits.maxNestingDepth;
  if (depth > max) {
    throw new LimitExceededError(
      'maxNestingDepth',
      `call activity '${node.id}' would start a called instance ${depth} levels deep in its chain of callers, more than the limit of ${max} (${LIMIT_SETTINGS.maxNestingDepth})`,
    );
  }
  const processId = evaluateString(node.calledElement, visibleVariables(execution.state, element.parent));
  const variables: Variables = node.propagateAllParentVariables
    ? { ...visibleVariables(execution.state, element.key) }
    : { ...(element.vars ?? {}) };
  const id = execution.nextId();
  execution.openWait(element, { id, kind: 'child', owner: element.key, elementId: element.elementId });
  execution.emit({
    type: 'childRequested',
    request: { waitId: id, elementId: element.elementId, elementInstanceKey: element.key, processId, bindingType: node.bindingType, versionTag: node.versionTag, variables, depth },
  });
  wait(execution, element);
}

/** Completes a scope element (sub-process or the process) whose last child has ended. */
export function checkScope(execution: Execution, key: number): void {
  const scope = execution.state.elements[key];
  if (!scope || (scope.children ?? 0) > 0 || scope.mi || scope.state === 'incident') return;
  const prefix = `${key}/`;
  for (const id in execution.state.joins) if (id.startsWith(prefix)) return; // tokens wait at a join
  if (execution.hasPendingTake(key)) return; // a token is on its way in; its end checks the scope again
  if (key === ROOT) {
    if (execution.state.status !== 'active') return;
    execution.closeWaits(scope);
    // The process's end listeners run before the instance completes (listeners.ts).
    if (execution.graph.executionListeners && endListenerPending(execution, scope, undefined)) return;
    execution.state.status = 'completed';
    execution.state.endedAt = execution.now;
    execution.emit({ type: 'instanceEnded', status: 'completed', variables: { ...(scope.vars ?? {}) } });
    return;
  }
  if (scope.state === 'waiting') execution.completeElement(key);
}
