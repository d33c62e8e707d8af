/**
 * Multi-instance activities (BPMN 2.0 §10.3.6, Zeebe loopCharacteristics): a
 * body element instance holds the loop; inner instances run the activity once
 * per item of the input collection, all at once (parallel) or one after the
 * other (sequential). Outputs are collected by index; the completion
 * condition may end the loop early, terminating the inner instances left.
 *
 * Bounded work: a collection larger than `limits.maxMultiInstance` raises an
 * incident and starts nothing; one step starts at most
 * `limits.multiInstanceChunk` inner instances (all bodies together), and a
 * body with more to start opens a `continuation` wait, which the shell runs
 * as a command of its own (a job row written with the step: exactly once,
 * and it survives a crash).
 */
import { ExpressionError } from '../../expressions';
import { LIMIT_SETTINGS, LimitExceededError, formatCount } from '../../limits';
import type { FlowNode } from '../../model/graph';
import type { Execution } from '../execution';
import { openBoundaryWaits } from './activity-waits';
import type { ElementInstance, Json } from '../state';
import { visibleVariables } from '../variables';

/** Enters the body: evaluates and checks the input collection, then starts the first inner instance(s). */
export function enterMultiInstanceBody(execution: Execution, body: ElementInstance, node: FlowNode): void {
  const loop = node.multiInstance;
  if (!loop || !body.mi) return;
  const items = execution.evaluateAt(body.parent, loop.inputCollection);
  if (!Array.isArray(items)) {
    throw new ExpressionError(loop.inputCollection, `input collection '${loop.inputCollection}' of '${node.id}' is not a list (got ${JSON.stringify(items)})`, 'wrongType');
  }
  const max = execution.limits.maxMultiInstance;
  if (items.length > max) {
    throw new LimitExceededError(
      'maxMultiInstance',
      `the input collection '${loop.inputCollection}' of multi-instance '${node.id}' has ${formatCount(items.length)} items, ` +
        `more than the limit of ${formatCount(max)} (${LIMIT_SETTINGS.maxMultiInstance}); no inner instance was started`,
    );
  }
  body.mi = { items, next: 0, completed: 0, active: 0, outputs: loop.outputCollection ? items.map(() => null) : undefined };
  body.children ??= 0;
  body.state = 'waiting';
  openBoundaryWaits(execution, body);
  if (items.length === 0) {
    finishBody(execution, body, node);
    return;
  }
  startMore(execution, body, node);
}

/** Runs the body's continuation: starts the next inner instances (and schedules another continuation if still more). */
export function continueMultiInstance(execution: Execution, body: ElementInstance, node: FlowNode): void {
  if (!body.mi || !node.multiInstance) return;
  startMore(execution, body, node);
}

/**
 * Starts inner instances while the loop wants more (all of them in parallel,
 * one at a time in sequence) and this step's budget lasts; what is left waits
 * for a continuation.
 */
function startMore(execution: Execution, body: ElementInstance, node: FlowNode): void {
  const mi = body.mi!;
  const sequential = node.multiInstance!.sequential;
  while (mi.next < mi.items.length && (!sequential || mi.active === 0)) {
    if (execution.innerStarts >= execution.limits.multiInstanceChunk) {
      scheduleContinuation(execution, body, node);
      return;
    }
    startInner(execution, body, node);
  }
}

function scheduleContinuation(execution: Execution, body: ElementInstance, node: FlowNode): void {
  if (body.waits?.some((id) => execution.state.waits[id]?.kind === 'continuation')) return;
  const id = execution.nextId();
  execution.openWait(body, { id, kind: 'continuation', owner: body.key, elementId: node.id });
  execution.emit({ type: 'continuationScheduled', continuation: { id, elementId: node.id, elementInstanceKey: body.key } });
}

function startInner(execution: Execution, body: ElementInstance, node: FlowNode): void {
  const mi = body.mi!;
  const index = mi.next++;
  mi.active++;
  execution.innerStarts++;
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
  if (mi.next < mi.items.length) {
    // Sequential: the next one (or a continuation). Parallel: the rest comes with the pending continuation.
    if (loop.sequential) startMore(execution, body, node);
    return;
  }
  if (mi.active === 0) finishBody(execution, body, node);
}

function finishBody(execution: Execution, body: ElementInstance, node: FlowNode): void {
  const name = node.multiInstance?.outputCollection;
  const result = name ? { [name]: body.mi?.outputs ?? [] } : undefined;
  execution.completeElement(body.key, result);
}
