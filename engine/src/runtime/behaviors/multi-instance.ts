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

/** Called when an inner instance has completed: collect its output, then continue, finish or cut short. */
export function innerCompleted(execution: Execution, inner: ElementInstance): void {
  const body = execution.state.elements[inner.parent];
  const node = execution.node(inner.elementId);
  const loop = node.multiInstance;
  if (!body?.mi || !loop) return;
  const mi = body.mi;
  const context = visibleVariables(execution.state, inner.key);
  if (mi.outputs && loop.outputElement) mi.outputs[inner.loopIndex!] = execution.evaluateAt(inner.key, loop.outputElement);
  mi.completed++;
  mi.active--;
  let done = false;
  if (loop.completionCondition) {
    const stats = { numberOfInstances: mi.items.length, numberOfCompletedInstances: mi.completed, numberOfActiveInstances: mi.active };
    done = execution.condition(loop.completionCondition, { ...context, ...stats });
  }
  execution.removeElement(inner);
  if (done) {
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
