/**
 * Reading the moddle tree in the rules: element kinds, our `motcua:facts`, the
 * process an element sits in, and the reachable part of a process.
 *
 * Kinds are told apart by their exact `$type` for flow nodes (zeebe's descriptor makes
 * some types extend others, see engine/src/model/moddle-element.ts).
 */
import type { LintNode } from './types';

/** The `motcua:facts` extension of an element, if any. */
export function factsOf(node: LintNode | undefined): LintNode | undefined {
  return (node?.extensionElements?.values as LintNode[] | undefined)?.find((value) => value.$type === 'motcua:Facts');
}

/** The first extension element of `type`, if any. */
export function extensionOf(node: LintNode | undefined, type: string): LintNode | undefined {
  return (node?.extensionElements?.values as LintNode[] | undefined)?.find((value) => value.$type === type);
}

/** The process `node` belongs to (itself when it is one). */
export function processOf(node: LintNode | undefined): LintNode | undefined {
  let current = node;
  while (current && current.$type !== 'bpmn:Process') current = current.$parent;
  return current;
}

/** The process's one-stop facts: a process without them is not a one-stop procedure, and the domain rules leave it alone. */
export function isProcedure(process: LintNode): boolean {
  return process.$type === 'bpmn:Process' && factsOf(process) !== undefined;
}

/** The agency of a flow node: its own, else its process's. */
export function agencyOf(node: LintNode): string | undefined {
  const own = factsOf(node)?.agency;
  if (typeof own === 'string' && own.trim() !== '') return own;
  const inherited = factsOf(processOf(node))?.agency;
  return typeof inherited === 'string' && inherited.trim() !== '' ? inherited : undefined;
}

/** Every flow element of a process or sub-process, nested sub-processes included. */
export function allFlowElements(scope: LintNode): LintNode[] {
  const result: LintNode[] = [];
  const visit = (container: LintNode) => {
    for (const element of (container.flowElements as LintNode[] | undefined) ?? []) {
      result.push(element);
      if (element.flowElements) visit(element);
    }
  };
  visit(scope);
  return result;
}

const ACTIVITY = /^bpmn:(Task|UserTask|ManualTask|ServiceTask|SendTask|ReceiveTask|ScriptTask|BusinessRuleTask|SubProcess|Transaction|AdHocSubProcess|CallActivity)$/;

/** True for tasks, sub-processes and call activities. */
export function isActivity(node: LintNode): boolean {
  return ACTIVITY.test(node.$type);
}

/**
 * The flow nodes of `process` reached from its start events: along sequence flows,
 * into sub-processes (from their start events), out of them, and through the
 * boundary events of every reached activity. Event sub-processes count as reached
 * (an event may start them at any time).
 */
export function reachableNodes(process: LintNode): Set<LintNode> {
  const elements = allFlowElements(process);
  const boundaryOf = new Map<LintNode, LintNode[]>();
  for (const element of elements) {
    if (element.$type === 'bpmn:BoundaryEvent' && element.attachedToRef) {
      const list = boundaryOf.get(element.attachedToRef) ?? [];
      list.push(element);
      boundaryOf.set(element.attachedToRef, list);
    }
  }
  const startsOf = (scope: LintNode) =>
    ((scope.flowElements as LintNode[] | undefined) ?? []).filter((e) => e.$type === 'bpmn:StartEvent' || (e.$type === 'bpmn:SubProcess' && e.triggeredByEvent));
  const reached = new Set<LintNode>();
  const queue: LintNode[] = [...startsOf(process)];
  while (queue.length > 0) {
    const node = queue.pop()!;
    if (reached.has(node)) continue;
    reached.add(node);
    for (const flow of (node.outgoing as LintNode[] | undefined) ?? []) {
      if (flow.$type === 'bpmn:SequenceFlow' && flow.targetRef) queue.push(flow.targetRef);
    }
    queue.push(...(boundaryOf.get(node) ?? []));
    if (node.flowElements) queue.push(...startsOf(node));
  }
  return reached;
}

/**
 * Where a finding about a whole process is shown: the participant (pool) that holds
 * it in a collaboration, which the modeler draws, else the process itself.
 */
export function processShapeId(process: LintNode): string {
  const definitions = process.$parent;
  for (const root of (definitions?.rootElements as LintNode[] | undefined) ?? []) {
    if (root.$type !== 'bpmn:Collaboration') continue;
    const participant = ((root.participants as LintNode[] | undefined) ?? []).find((p) => p.processRef === process);
    if (participant?.id) return participant.id;
  }
  return process.id!;
}
