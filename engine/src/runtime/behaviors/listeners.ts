/**
 * Zeebe execution listeners (Camunda 8.8): a `start` listener is a job that runs after the
 * element's input mappings and before the element is entered; an `end` listener is a job that
 * runs after its output mappings and before it is left. Listeners of one event run one after the
 * other, in document order; the element waits for each job. Variables a listener job completes
 * with are set as a job result would be (start: local to the element, so its behavior sees them;
 * end: into the enclosing scope).
 *
 * On the process itself: `start` before its start event is activated, `end` after its last
 * element ended and before the instance completes; their variables go into the process scope.
 * On a multi-instance activity, as Camunda defines it: the listeners run for the multi-instance
 * body (`start` before its input collection is evaluated, with their variables in the enclosing
 * scope so that they may produce it; `end` after the body completed and its output collection
 * was set) and for each inner instance (as for any element).
 */
import { evaluate, evaluateString, ExpressionError } from '../../expressions';
import type { ListenerDefinition } from '../../model/graph';
import type { Execution } from '../execution';
import { ROOT, type ElementInstance } from '../state';
import { visibleVariables } from '../variables';

/** Opens the job of listener `definition` of `element` and marks the element waiting for it. */
export function openListenerJob(execution: Execution, element: ElementInstance, event: 'start' | 'end', definition: ListenerDefinition): void {
  const context = visibleVariables(execution.state, element.key);
  const jobType = evaluateString(definition.type, context);
  const retriesValue = evaluate(definition.retries, context);
  const retries = Number(retriesValue);
  if (!Number.isInteger(retries) || retries < 0) {
    throw new ExpressionError(definition.retries, `execution listener retries must be a non-negative integer (got ${JSON.stringify(retriesValue)})`);
  }
  const id = execution.nextId();
  execution.openWait(element, { id, kind: 'job', owner: element.key, elementId: element.elementId, retries, jobType, listener: event });
  execution.emit({
    type: 'jobCreated',
    job: { id, elementId: element.elementId, elementInstanceKey: element.key, jobType, retries, headers: {}, variables: { ...context } },
  });
  element.state = 'waiting';
}

/** The execution listeners of an element instance: the process's for the root, the node's for the rest (bodies and inner instances alike). */
export function executionListenersOf(execution: Execution, element: ElementInstance): { start: ListenerDefinition[]; end: ListenerDefinition[] } | undefined {
  return element.key === ROOT ? execution.graph.executionListeners : execution.node(element.elementId).executionListeners;
}

/**
 * Before an element is entered: opens its next start listener's job and returns true, or
 * returns false (every start listener done, or none) so the element is entered now.
 */
export function startListenerPending(execution: Execution, element: ElementInstance): boolean {
  const listeners = executionListenersOf(execution, element)?.start ?? [];
  const index = element.listener?.event === 'start' ? element.listener.index : 0;
  if (index < listeners.length) {
    element.listener = { ...element.listener, event: 'start', index };
    openListenerJob(execution, element, 'start', listeners[index]);
    return true;
  }
  // Kept (all done) so that entering again after an incident neither re-applies inputs nor re-runs listeners.
  if (listeners.length > 0) element.listener = { event: 'start', index: listeners.length };
  return false;
}

/**
 * After an element completed (outputs applied, waits closed): opens its next end listener's job
 * and returns true, or returns false when every end listener is done (or none).
 */
export function endListenerPending(execution: Execution, element: ElementInstance, flows: string[] | undefined): boolean {
  const listeners = executionListenersOf(execution, element)?.end ?? [];
  const index = element.listener?.event === 'end' ? element.listener.index : 0;
  if (index >= listeners.length) return false;
  element.listener = { event: 'end', index, ...(flows ? { flows } : {}) };
  openListenerJob(execution, element, 'end', listeners[index]);
  return true;
}
