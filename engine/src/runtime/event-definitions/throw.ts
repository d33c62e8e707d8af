/**
 * BPMN error and escalation propagation (BPMN 2.0 §10.5.4): from the element
 * that throws, outwards through enclosing scopes, the first matching catch
 * wins: an event sub-process of the scope, then a boundary event of the
 * activity that forms the scope. Errors always interrupt; escalations
 * interrupt or not as the catching event says.
 */
import type { BoundaryEventNode, FlowNode, StartEventNode } from '../../model/graph';
import type { Execution } from '../execution';
import type { ElementInstance, Variables } from '../state';
import { ROOT } from '../state';

type Kind = 'error' | 'escalation';

interface Catcher {
  /** The element instance whose boundary catches, or the scope whose event sub-process catches. */
  at: ElementInstance;
  node: BoundaryEventNode | StartEventNode;
  subProcessId?: string;
}

function matches(node: FlowNode, kind: Kind, code: string): boolean {
  if (node.type !== 'boundaryEvent' && node.type !== 'startEvent') return false;
  const definition = node.eventDefinition;
  if (!definition || definition.kind !== kind) return false;
  const expected = definition.kind === 'error' ? definition.errorCode : definition.kind === 'escalation' ? definition.escalationCode : undefined;
  return expected === undefined || expected === '' || expected === code;
}

/** Finds a catching boundary event on the activity of element instance `at`. Exact codes beat catch-alls. */
function boundaryCatch(execution: Execution, at: ElementInstance, kind: Kind, code: string): Catcher | undefined {
  if (at.loopIndex !== undefined) return undefined; // inner instances have no boundaries; the body has
  const node = execution.graph.nodes[at.elementId];
  if (!node) return undefined;
  let fallback: Catcher | undefined;
  for (const boundaryId of node.boundaryEvents) {
    const boundary = execution.graph.nodes[boundaryId];
    if (!matches(boundary, kind, code)) continue;
    const catcher = { at, node: boundary as BoundaryEventNode };
    if (hasExactCode(boundary, code)) return catcher;
    fallback ??= catcher;
  }
  return fallback;
}

/** Finds an event sub-process of the scope `scope` whose start event catches. */
function eventSubProcessCatch(execution: Execution, scope: ElementInstance, kind: Kind, code: string, from?: string): Catcher | undefined {
  const scopeId = scope.key === ROOT ? execution.graph.processId : scope.elementId;
  const info = execution.graph.scopes[scopeId];
  if (!info) return undefined;
  let fallback: Catcher | undefined;
  for (const subProcessId of info.eventSubProcesses) {
    if (subProcessId === from) continue; // an event sub-process does not catch its own throw
    const startId = execution.graph.scopes[subProcessId]?.children.find((id) => execution.graph.nodes[id].type === 'startEvent');
    if (!startId) continue;
    const start = execution.graph.nodes[startId];
    if (!matches(start, kind, code)) continue;
    const catcher = { at: scope, node: start as StartEventNode, subProcessId };
    if (hasExactCode(start, code)) return catcher;
    fallback ??= catcher;
  }
  return fallback;
}

function hasExactCode(node: FlowNode, code: string): boolean {
  if (node.type !== 'boundaryEvent' && node.type !== 'startEvent') return false;
  const definition = node.eventDefinition;
  if (definition?.kind === 'error') return definition.errorCode === code;
  if (definition?.kind === 'escalation') return definition.escalationCode === code;
  return false;
}

/** Walks outwards from the thrower and returns the first catcher, if any. */
function findCatcher(execution: Execution, thrower: ElementInstance, kind: Kind, code: string, includeSelf: boolean): Catcher | undefined {
  if (includeSelf) {
    const own = boundaryCatch(execution, thrower, kind, code);
    if (own) return own;
  }
  let cursor = thrower;
  while (cursor.key !== ROOT) {
    const scope = execution.state.elements[cursor.parent];
    if (!scope) return undefined;
    const fromSubProcess = execution.graph.nodes[cursor.elementId]?.type === 'subProcess' ? cursor.elementId : undefined;
    const inner = scope.mi ? undefined : eventSubProcessCatch(execution, scope, kind, code, fromSubProcess);
    if (inner) return inner;
    if (scope.key !== ROOT) {
      const boundary = boundaryCatch(execution, scope, kind, code);
      if (boundary) return boundary;
    }
    cursor = scope;
  }
  return undefined;
}

/** What happened to a throw. `interrupted`: the thrower itself was terminated by the catch. */
export interface ThrowOutcome {
  caught: boolean;
  interrupted: boolean;
}

/**
 * Throws a BPMN error or escalation from element instance `thrower`.
 * `includeSelf`: the thrower is an activity whose own boundary events may catch
 * (a job reporting an error), as opposed to a throw/end event inside a scope.
 */
export function throwEvent(
  execution: Execution,
  thrower: ElementInstance,
  kind: Kind,
  code: string,
  variables: Variables | undefined,
  includeSelf: boolean,
): ThrowOutcome {
  const catcher = findCatcher(execution, thrower, kind, code, includeSelf);
  if (!catcher) return { caught: false, interrupted: false };
  const payload: Variables = { ...(variables ?? {}) };
  if (catcher.node.type === 'boundaryEvent') {
    const activity = catcher.at;
    const interrupting = kind === 'error' || catcher.node.cancelActivity;
    const scopeKey = activity.parent;
    if (interrupting) execution.terminate(activity.key);
    const boundary = execution.activate(catcher.node.id, scopeKey);
    boundary.triggerResult = payload;
    return { caught: true, interrupted: interrupting && isWithin(execution, thrower, activity) };
  }
  const scope = catcher.at;
  const interrupting = kind === 'error' || catcher.node.interrupting;
  if (interrupting) execution.terminateChildren(scope.key);
  const subProcess = execution.activate(catcher.subProcessId as string, scope.key, { state: 'active' });
  subProcess.startWith = { startEventId: catcher.node.id, variables: payload };
  return { caught: true, interrupted: interrupting };
}

function isWithin(execution: Execution, inner: ElementInstance, outer: ElementInstance): boolean {
  let cursor: ElementInstance | undefined = inner;
  while (cursor) {
    if (cursor.key === outer.key) return true;
    cursor = cursor.parent >= 0 ? execution.state.elements[cursor.parent] : undefined;
  }
  return false;
}
