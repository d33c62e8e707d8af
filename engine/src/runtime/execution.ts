/**
 * The mechanics of one `step`: a queue of small named operations run in a
 * loop (create/enter/complete an element instance, take a flow, check a scope),
 * over a mutable working copy of the state, collecting effects as data.
 *
 * Element behaviours live in `behaviors/`; they call back into this class to
 * open waits, complete or terminate instances. Nothing here performs I/O or
 * reads a clock: `now` is given.
 */
import { ExpressionError, evaluate } from '../expressions';
import { findUnstorableText } from './storable-text';
import { InvariantError } from '../errors';
import { DEFAULT_LIMITS, type Limits } from '../limits';
import type { FlowNode, Mapping, ProcessGraph } from '../model/graph';
import type { Effect } from './effects';
import type { ElementInstance, Incident, InstanceState, Json, ResumePoint, Variables, Wait } from './state';
import { ROOT } from './state';
import { describeVariables, incidentCauseOf, type IncidentCause } from './incident-cause';
import { evaluateInnerCompletion, innerCompleted, type InnerCompletion } from './behaviors/multi-instance';
import { endListenerPending } from './behaviors/listeners';
import { openCancelingJobs } from './behaviors/task-listeners';
import { propagate, setLocal, visibleVariables, writeMapping } from './variables';
import { assertComputedVariable } from './limits';
import { withWorkingTime, type StepOptions } from './working-time';

/** A named unit of progress inside one step. */
export type Operation =
  | { op: 'enter'; key: number }
  | { op: 'complete'; key: number; result?: Variables }
  | { op: 'leave'; key: number; flows?: string[] }
  | { op: 'take'; flowId: string; scopeKey: number }
  | { op: 'scopeCheck'; key: number };

/** Hard cap on operations in one step: a model that loops without waiting ends in an error naming its elements. */
export const MAX_OPERATIONS = 100_000;

export class Execution {
  readonly effects: Effect[] = [];
  private readonly queue: Operation[] = [];
  private head = 0;
  /** Inner multi-instance instances started by this step so far (bounded by `limits.multiInstanceChunk`). */
  innerStarts = 0;

  constructor(
    readonly graph: ProcessGraph,
    readonly state: InstanceState,
    readonly now: number,
    /** The step's options: the working-calendar provider, the task warning, the limits. */
    readonly options: StepOptions = {},
  ) {
    this.limits = options.limits ?? DEFAULT_LIMITS;
  }

  /** The bounds in force for this step (from its options). */
  readonly limits: Readonly<Limits>;

  // ---------------------------------------------------------------- queue

  push(operation: Operation): void {
    this.queue.push(operation);
  }

  /**
   * True when a token is still travelling into the scope: a queued `take`
   * whose target is not activated yet (so not counted in `children`). A scope
   * must not complete while one is pending: a link throw or an event-based
   * gateway leaves without outgoing flows before the element it activated has
   * taken its own flow.
   */
  hasPendingTake(scopeKey: number): boolean {
    for (let i = this.head; i < this.queue.length; i++) {
      const operation = this.queue[i];
      if (operation.op === 'take' && operation.scopeKey === scopeKey) return true;
    }
    return false;
  }

  /** Run queued operations until none is left, then settle inclusive joins; repeat until stable. */
  run(dispatch: (execution: Execution, operation: Operation) => void): void {
    let count = 0;
    for (;;) {
      while (this.head < this.queue.length) {
        const operation = this.queue[this.head++];
        if (++count > MAX_OPERATIONS) {
          const recent = this.queue.slice(-20).map(describe).join(', ');
          throw new InvariantError(
            `step exceeded ${MAX_OPERATIONS} operations without reaching a wait state (a loop with no wait?): ${recent}`,
          );
        }
        dispatch(this, operation);
      }
      this.queue.length = 0;
      this.head = 0;
      if (!this.settleInclusiveJoins()) break;
    }
  }

  // ---------------------------------------------------------------- keys and effects

  nextKey(): number {
    return this.state.nextKey++;
  }

  /** A globally unique id for a wait or incident of this instance. */
  nextId(): string {
    return `${this.state.id}-${this.state.nextKey++}`;
  }

  emit(effect: Effect): void {
    if (effect.type === 'variablesSet') this.stateGrew = true;
    this.effects.push(effect);
  }

  /**
   * Set when this step stored values that can make the state grow without bound (variables,
   * event payloads): only then is the state's size measured against its limit (./limits.ts).
   */
  stateGrew = false;

  /** Bytes of the state as computed variables are added in this step (see assertComputedVariable). */
  stateBytes?: number;

  node(elementId: string): FlowNode {
    const node = this.graph.nodes[elementId];
    if (!node) throw new InvariantError(`element '${elementId}' is not in process '${this.graph.processId}'`);
    return node;
  }

  element(key: number): ElementInstance {
    const element = this.state.elements[key];
    if (!element) throw new InvariantError(`element instance ${key} does not exist`);
    return element;
  }

  // ---------------------------------------------------------------- element instances

  /** Create an element instance under a scope and queue its entry. */
  activate(elementId: string, scopeKey: number, extra?: Partial<ElementInstance>): ElementInstance {
    const node = this.node(elementId);
    const element: ElementInstance = { key: this.nextKey(), elementId, parent: scopeKey, state: 'active', ...extra };
    if (extra && (extra.vars || extra.triggerResult || extra.startWith)) this.stateGrew = true;
    this.state.elements[element.key] = element;
    const scope = this.state.elements[scopeKey];
    if (scope) scope.children = (scope.children ?? 0) + 1;
    this.emit({ type: 'elementActivated', elementId, elementType: element.mi ? 'multiInstanceBody' : node.type, key: element.key });
    this.push({ op: 'enter', key: element.key });
    return element;
  }

  /** Remove an element instance from its scope (after completion or termination). */
  removeElement(element: ElementInstance): void {
    delete this.state.elements[element.key];
    const scope = this.state.elements[element.parent];
    if (scope && scope.children) scope.children--;
  }

  /**
   * Completes an element instance: applies output mappings, closes its waits,
   * and (unless it is an inner instance of a multi-instance body) leaves it
   * along its outgoing flows.
   */
  completeElement(key: number, result?: Variables, flows?: string[]): void {
    const element = this.state.elements[key];
    if (!element) return;
    const node = this.node(element.elementId);
    const isInner = element.loopIndex !== undefined;
    // Coming back from an end listener: the outputs were applied before it ran.
    const ending = element.listener?.event === 'end';
    if (ending) {
      // nothing to map again
    } else if (!element.mi) {
      try {
        this.applyOutputs(element, node.outputs, result);
      } catch (error) {
        if (error instanceof ExpressionError) {
          this.raiseIncident(element, 'expression', error.failure, error.message, { op: 'complete', key });
          return;
        }
        throw error;
      }
    } else if (result) {
      this.stateGrew = true;
      propagate(this.state, element.parent, result);
    }
    // An inner multi-instance completion evaluates its output element and the
    // completion condition first: if that fails, the incident leaves the loop
    // counters untouched and `complete` can simply run again once resolved.
    let loop: InnerCompletion | undefined;
    if (isInner) {
      try {
        loop = evaluateInnerCompletion(this, element);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        this.raiseIncident(element, 'expression', error.failure, error.message, { op: 'complete', key });
        return;
      }
    }
    this.closeWaits(element);
    if (node.executionListeners) {
      try {
        if (endListenerPending(this, element, ending ? element.listener?.flows : flows)) return;
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        this.raiseIncident(element, 'expression', incidentCauseOf(error), error.message, { op: 'complete', key });
        return;
      }
    }
    this.emit({ type: 'elementCompleted', elementId: element.elementId, elementType: element.mi ? 'multiInstanceBody' : node.type, key });
    if (loop) {
      innerCompleted(this, element, loop);
      return;
    }
    this.push({ op: 'leave', key, flows });
  }

  private applyOutputs(element: ElementInstance, outputs: Mapping[], result?: Variables): void {
    if (outputs.length === 0) {
      if (result && Object.keys(result).length > 0) {
        propagate(this.state, element.key, result);
        this.emit({ type: 'variablesSet', scopeKey: element.key, variables: result });
      }
      return;
    }
    if (result) for (const name of Object.keys(result)) setLocal(this.state, element.key, name, result[name]);
    const context = visibleVariables(this.state, element.key);
    const produced: Variables = {};
    // A nested target merges into the variable where it is written: the one the parent scope sees.
    let written: Variables | undefined;
    for (const mapping of outputs) {
      const value = storable(mapping.source, mapping.target, evaluate(mapping.source, context));
      if (mapping.target.includes('.')) written ??= visibleVariables(this.state, element.parent);
      const name = writeMapping(produced, mapping.target, value, written ?? context);
      assertComputedVariable(this, name, produced[name], mapping.source);
    }
    propagate(this.state, element.parent, produced);
    this.emit({ type: 'variablesSet', scopeKey: element.parent, variables: produced });
  }

  /**
   * Applies input mappings as local variables of the element instance. They
   * read the enclosing scope; an inner instance of a multi-instance activity
   * also sees its own input element and loop counter (Zeebe: `=item.name`).
   */
  applyInputs(element: ElementInstance, inputs: Mapping[]): void {
    if (inputs.length === 0) return;
    const context = visibleVariables(this.state, element.loopIndex !== undefined ? element.key : element.parent);
    const locals: Variables = {};
    for (const mapping of inputs) {
      const value = storable(mapping.source, mapping.target, evaluate(mapping.source, context));
      const name = writeMapping(locals, mapping.target, value, context);
      assertComputedVariable(this, name, locals[name], mapping.source);
    }
    element.vars = { ...(element.vars ?? {}), ...locals };
    this.stateGrew = true;
  }

  /** Leaves a completed element: removes it and takes its outgoing flows. */
  leave(key: number, flows?: string[]): void {
    const element = this.state.elements[key];
    if (!element) return;
    const node = this.node(element.elementId);
    const outgoing = flows ?? this.selectOutgoing(element, node);
    if (outgoing === undefined) return; // incident raised
    this.removeElement(element);
    for (const flowId of outgoing) this.push({ op: 'take', flowId, scopeKey: element.parent });
    if (outgoing.length === 0) this.push({ op: 'scopeCheck', key: element.parent });
  }

  /**
   * Outgoing flows of a non-gateway: unconditional ones always, conditional ones
   * when true, the default flow only when no conditional flow is true.
   */
  private selectOutgoing(element: ElementInstance, node: FlowNode): string[] | undefined {
    if (node.outgoing.length === 0) return [];
    const defaultFlow = 'defaultFlow' in node ? node.defaultFlow : undefined;
    let hasConditions = false;
    for (const flowId of node.outgoing) if (this.graph.flows[flowId].condition) hasConditions = true;
    if (!hasConditions) return node.outgoing.filter((f) => f !== defaultFlow);
    try {
      const context = visibleVariables(this.state, element.key);
      const taken: string[] = [];
      let conditionalTaken = false;
      for (const flowId of node.outgoing) {
        if (flowId === defaultFlow) continue;
        const condition = this.graph.flows[flowId].condition;
        if (!condition) taken.push(flowId);
        else if (this.condition(condition, context)) {
          taken.push(flowId);
          conditionalTaken = true;
        }
      }
      if (!conditionalTaken && defaultFlow) taken.push(defaultFlow);
      return taken;
    } catch (error) {
      if (error instanceof ExpressionError) {
        this.raiseIncident(element, 'expression', error.failure, error.message, { op: 'leave', key: element.key });
        return undefined;
      }
      throw error;
    }
  }

  condition(expression: string, context: Variables): boolean {
    // The working-time functions count on the process's agency calendar.
    const value = evaluate(expression, withWorkingTime(expression, context, this.options, this.graph.facts?.agency, this.now));
    if (typeof value !== 'boolean') {
      const variables = describeVariables([expression], context);
      throw new ExpressionError(expression, `condition '${expression}' did not evaluate to a boolean (got ${JSON.stringify(value) ?? 'null'})${variables ? `; variables: ${variables}` : ''}`, 'conditionNotBoolean');
    }
    return value;
  }

  /**
   * Terminates an element instance and everything inside it, innermost first.
   * Iterative, with one pass over the elements for the whole subtree (not one
   * per child), so a scope with many inner instances ends in linear time.
   */
  terminate(key: number): void {
    const element = this.state.elements[key];
    if (element) this.terminateAll([element]);
  }

  /** Terminates every child of a scope, keeping the scope itself. */
  terminateChildren(scopeKey: number, except?: number): void {
    this.terminateAll(this.childrenOf(scopeKey).filter((child) => child.key !== except));
    this.clearJoins(scopeKey);
  }

  /** Ends the subtrees of `roots` in order, each child before its parent, children in key order. */
  private terminateAll(roots: ElementInstance[]): void {
    if (roots.length === 0) return;
    const byParent = new Map<number, ElementInstance[]>();
    for (const k in this.state.elements) {
      const e = this.state.elements[k];
      let siblings = byParent.get(e.parent);
      if (!siblings) byParent.set(e.parent, (siblings = []));
      siblings.push(e);
    }
    for (const root of roots) {
      // Post-order without recursion: a frame is an element and how many of its children are done.
      const stack: Array<{ element: ElementInstance; next: number }> = [{ element: root, next: 0 }];
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        const children = byParent.get(frame.element.key);
        if (children && frame.next < children.length) {
          stack.push({ element: children[frame.next++], next: 0 });
          continue;
        }
        stack.pop();
        this.endOne(frame.element);
      }
    }
  }

  private endOne(element: ElementInstance): void {
    const key = element.key;
    this.clearJoins(key);
    // A user task being cancelled: its canceling listeners run (detached jobs, task-listeners.ts).
    const taskId = element.waits?.find((id) => this.state.waits[id]?.kind === 'task') ?? element.taskTransition?.task?.id;
    this.closeWaits(element);
    if (taskId !== undefined && key !== ROOT) openCancelingJobs(this, element, taskId);
    for (const incident of Object.values(this.state.incidents)) {
      if (incident.elementInstanceKey === key) {
        delete this.state.incidents[incident.id];
        this.emit({ type: 'incidentResolved', incidentId: incident.id });
      }
    }
    if (key !== ROOT) {
      this.emit({ type: 'elementTerminated', elementId: element.elementId, elementType: element.mi ? 'multiInstanceBody' : this.node(element.elementId).type, key });
      this.removeElement(element);
    }
  }

  childrenOf(scopeKey: number): ElementInstance[] {
    const children: ElementInstance[] = [];
    for (const k in this.state.elements) {
      const element = this.state.elements[k];
      if (element.parent === scopeKey) children.push(element);
    }
    return children;
  }

  private clearJoins(scopeKey: number): void {
    const prefix = `${scopeKey}/`;
    for (const id of Object.keys(this.state.joins)) if (id.startsWith(prefix)) delete this.state.joins[id];
  }

  // ---------------------------------------------------------------- waits

  openWait(element: ElementInstance, wait: Wait): void {
    this.state.waits[wait.id] = wait;
    (element.waits ??= []).push(wait.id);
  }

  /** Closes every wait owned by the element instance, emitting the matching cancellation effects. */
  closeWaits(element: ElementInstance, keep?: string): void {
    if (!element.waits) return;
    for (const id of element.waits) {
      if (id === keep) continue;
      const wait = this.state.waits[id];
      if (!wait) continue;
      delete this.state.waits[id];
      this.emit(cancellationOf(wait));
    }
    element.waits = keep && this.state.waits[keep] ? [keep] : undefined;
  }

  /** Forget a wait that was consumed (fired, delivered, completed) without a cancellation effect. */
  consumeWait(wait: Wait): void {
    delete this.state.waits[wait.id];
    const owner = this.state.elements[wait.owner];
    if (owner?.waits) {
      owner.waits = owner.waits.filter((id) => id !== wait.id);
      if (owner.waits.length === 0) owner.waits = undefined;
    }
  }

  // ---------------------------------------------------------------- incidents

  /** Stops `element` on an incident of `kind` (how it is resolved) and `cause` (what was wrong). */
  raiseIncident(element: ElementInstance, kind: Incident['kind'], cause: IncidentCause, message: string, resume?: ResumePoint, jobId?: string): void {
    const incident: Incident = { id: this.nextId(), elementInstanceKey: element.key, elementId: element.elementId, kind, cause, message, resume, jobId };
    this.state.incidents[incident.id] = incident;
    element.state = 'incident';
    this.emit({
      type: 'incidentRaised',
      incident: { id: incident.id, elementId: element.elementId, elementInstanceKey: element.key, kind, cause, message, jobId },
    });
  }

  // ---------------------------------------------------------------- joins

  /** Records a token arriving at a joining gateway; true when the gateway may fire now (parallel). */
  arriveAtJoin(gatewayId: string, scopeKey: number, flowId: string): Record<string, number> {
    const id = `${scopeKey}/${gatewayId}`;
    const join = (this.state.joins[id] ??= {});
    join[flowId] = (join[flowId] ?? 0) + 1;
    return join;
  }

  /** Removes one token per incoming flow that has one, after a join fired. */
  consumeJoin(gatewayId: string, scopeKey: number): void {
    const id = `${scopeKey}/${gatewayId}`;
    const join = this.state.joins[id];
    if (!join) return;
    for (const flowId of Object.keys(join)) {
      if (--join[flowId] <= 0) delete join[flowId];
    }
    if (Object.keys(join).length === 0) delete this.state.joins[id];
  }

  /**
   * Fires inclusive joins that wait for nothing any more: a token is waiting at
   * the join and no live element (or waiting join token) of its scope can still
   * reach it. Returns true when one fired (so the queue runs again).
   */
  private settleInclusiveJoins(): boolean {
    let fired = false;
    for (const id of Object.keys(this.state.joins)) {
      const slash = id.indexOf('/');
      const scopeKey = Number(id.slice(0, slash));
      const gatewayId = id.slice(slash + 1);
      const node = this.graph.nodes[gatewayId];
      if (!node || node.type !== 'inclusiveGateway') continue;
      if (this.canStillReach(gatewayId, scopeKey)) continue;
      // One token per incoming flow passes; a second token on the same flow
      // (e.g. merged by an exclusive gateway upstream) fires the join again.
      this.consumeJoin(gatewayId, scopeKey);
      this.activate(gatewayId, scopeKey, { state: 'active' });
      fired = true;
    }
    return fired;
  }

  canStillReach(gatewayId: string, scopeKey: number): boolean {
    const sources = this.graph.inclusiveJoinSources[gatewayId] ?? [];
    if (sources.length === 0) return false;
    for (const k in this.state.elements) {
      const element = this.state.elements[k];
      if (element.parent === scopeKey && sources.includes(element.elementId)) return true;
    }
    const prefix = `${scopeKey}/`;
    for (const id of Object.keys(this.state.joins)) {
      if (!id.startsWith(prefix)) continue;
      const other = id.slice(prefix.length);
      if (other !== gatewayId && sources.includes(other)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- helpers for behaviors

  /** Evaluates an expression in the scope of an element instance. */
  evaluateAt(key: number, expression: string): Json {
    return storable(expression, 'result', evaluate(expression, visibleVariables(this.state, key)));
  }

  /** Sets variables with propagation starting at the element instance, recording the change. */
  setVariables(key: number, variables: Variables | undefined): void {
    if (!variables || Object.keys(variables).length === 0) return;
    propagate(this.state, key, variables);
    this.emit({ type: 'variablesSet', scopeKey: key, variables });
  }
}

function describe(operation: Operation): string {
  switch (operation.op) {
    case 'take':
      return `take ${operation.flowId}`;
    default:
      return `${operation.op} #${operation.key}`;
  }
}

/** The effect that records a wait being withdrawn without firing. */
export function cancellationOf(wait: Wait): Effect {
  switch (wait.kind) {
    case 'task':
      return { type: 'taskCancelled', taskId: wait.id };
    case 'job':
      return { type: 'jobCancelled', jobId: wait.id };
    case 'timer':
      return { type: 'timerCancelled', timerId: wait.id };
    case 'message':
      return { type: 'messageUnsubscribed', subscriptionId: wait.id };
    case 'signal':
      return { type: 'signalUnsubscribed', subscriptionId: wait.id };
    case 'child':
      return { type: 'childCancelled', waitId: wait.id };
    case 'continuation':
      return { type: 'continuationCancelled', continuationId: wait.id };
  }
}

/**
 * An expression's result (`target`: the variable it goes to), unless it holds text
 * PostgreSQL cannot store (U+0000, a lone surrogate): then an ExpressionError, which
 * becomes an incident on the element instead of a state or history row that breaks
 * later reads.
 */
function storable(source: string, target: string, value: Json): Json {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  const found = findUnstorableText(value, target);
  if (found) throw new ExpressionError(source, `the result of '${source}' cannot be stored: ${found.field} ${found.reason}`, 'valueNotStorable');
  return value;
}
