/**
 * Multi-instance activities (BPMN 2.0 §10.3.6, Zeebe loopCharacteristics): a
 * body element instance holds the loop; inner instances run the activity once
 * per item of the input collection, all at once (parallel) or one after the
 * other (sequential). Outputs are collected by index; the completion
 * condition may end the loop early, terminating the inner instances left.
 */
import { ExpressionError } from '../../expressions';
import type { FlowNode } from '../../model/graph';
import type { Execution } from '../execution';
import { openBoundaryWaits } from './activity-waits';
import type { ElementInstance, Json } from '../state';
import { visibleVariables } from '../variables';

/** Enters the body: evaluates the input collection and starts the first inner instance(s). */
export function enterMultiInstanceBody(execution: Execution, body: ElementInstance, node: FlowNode): void {
  const loop = node.multiInstance;
  if (!loop || !body.mi) return;
  const items = execution.evaluateAt(body.parent, loop.inputCollection);
  if (!Array.isArray(items)) {
    throw new ExpressionError(loop.inputCollection, `input collection '${loop.inputCollection}' of '${node.id}' is not a list (got ${JSON.stringify(items)})`);
  }
  body.mi = { items, next: 0, completed: 0, active: 0, outputs: loop.outputCollection ? items.map(() => null) : undefined };
  body.children ??= 0;
  body.state = 'waiting';
  openBoundaryWaits(execution, body);
  if (items.length === 0) {
    finishBody(execution, body, node);
    return;
  }
  const first = loop.sequential ? 1 : items.length;
  for (let i = 0; i < first; i++) startInner(execution, body, node);
}

function startInner(execution: Execution, body: ElementInstance, node: FlowNode): void {
  const mi = body.mi!;
  const index = mi.next++;
  mi.active++;
  const vars: Record<string, Json> = { loopCounter: index + 1 };
  const inputElement = node.multiInstance?.inputElement;
  if (inputElement) vars[inputElement] = mi.items[index];
  execution.activate(node.id, body.key, { loopIndex: index, vars });
}

/** What the completion of one inner instance yields, evaluated before anything changes. */
export interface InnerCompletion {
  /** The value of the output element, when the loop collects outputs. */
  output?: Json;
  /** True when the completion condition says the loop is done. */
  done: boolean;
}

/**
 * Evaluates the output element and the completion condition for an inner
 * instance that is completing. Changes nothing, so an ExpressionError here
 * can become an incident and the completion can be retried as is.
 */
export function evaluateInnerCompletion(execution: Execution, inner: ElementInstance): InnerCompletion {
  const body = execution.state.elements[inner.parent];
  const loop = execution.node(inner.elementId).multiInstance;
  if (!body?.mi || !loop) return { done: false };
  const mi = body.mi;
  const completion: InnerCompletion = { done: false };
  if (mi.outputs && loop.outputElement) completion.output = execution.evaluateAt(inner.key, loop.outputElement);
  if (loop.completionCondition) {
    const stats = { numberOfInstances: mi.items.length, numberOfCompletedInstances: mi.completed + 1, numberOfActiveInstances: mi.active - 1 };
    completion.done = execution.condition(loop.completionCondition, { ...visibleVariables(execution.state, inner.key), ...stats });
  }
  return completion;
}

/** Called when an inner instance has completed: collect its output, then continue, finish or cut short. */
export function innerCompleted(execution: Execution, inner: ElementInstance, completion: InnerCompletion): void {
  const body = execution.state.elements[inner.parent];
  const node = execution.node(inner.elementId);
  const loop = node.multiInstance;
  if (!body?.mi || !loop) return;
  const mi = body.mi;
  if (mi.outputs && completion.output !== undefined) mi.outputs[inner.loopIndex!] = completion.output;
  mi.completed++;
  mi.active--;
  execution.removeElement(inner);
  if (completion.done) {
    execution.terminateChildren(body.key);
    mi.active = 0;
    finishBody(execution, body, node);
    return;
  }
  if (loop.sequential && mi.next < mi.items.length) {
    startInner(execution, body, node);
    return;
  }
  if (mi.active === 0 && mi.next >= mi.items.length) {
    finishBody(execution, body, node);
  }
}

function finishBody(execution: Execution, body: ElementInstance, node: FlowNode): void {
  const name = node.multiInstance?.outputCollection;
  const result = name ? { [name]: body.mi?.outputs ?? [] } : undefined;
  execution.completeElement(body.key, result);
}
