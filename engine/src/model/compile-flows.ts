/**
 * Sequence flows of every scope: source and target must be flow nodes of the
 * same scope; the flow's condition is kept as written. Fills the nodes'
 * `incoming`/`outgoing` (in document order, which decides which flow an
 * exclusive gateway tries first) and `boundaryEvents`.
 */
import type { CompileContext } from './compile-context';
import type { SequenceFlow } from './graph';
import { type BpmnElement, bodyOf } from './moddle-element';

/** Compiles the sequence flows of `container`, whose flow nodes are in scope `scopeId`. */
export function compileFlows(ctx: CompileContext, container: BpmnElement, scopeId: string): void {
  for (const element of container.flowElements ?? []) {
    if (element.$type !== 'bpmn:SequenceFlow') continue;
    if (!element.id) {
      ctx.report(scopeId, `a sequence flow in '${scopeId}' has no id`);
      continue;
    }
    if (ctx.graph.flows[element.id] || ctx.graph.nodes[element.id]) continue; // duplicate id, reported from warnings
    const source = endpoint(ctx, element, 'source', scopeId);
    const target = endpoint(ctx, element, 'target', scopeId);
    if (source === undefined || target === undefined) continue;
    const flow: SequenceFlow = { id: element.id, source, target };
    if (element.name !== undefined) flow.name = element.name;
    const condition = bodyOf(element.conditionExpression);
    if (condition !== undefined) flow.condition = condition;
    ctx.graph.flows[flow.id] = flow;
    ctx.elements.set(flow.id, element);
    ctx.graph.nodes[source].outgoing.push(flow.id);
    ctx.graph.nodes[target].incoming.push(flow.id);
  }
}

function endpoint(ctx: CompileContext, flow: BpmnElement, end: 'source' | 'target', scopeId: string): string | undefined {
  const reference = end === 'source' ? flow.sourceRef : flow.targetRef;
  if (!reference) {
    const missing = ctx.unresolvedReference(flow, `${end}Ref`);
    ctx.report(
      flow.id!,
      `sequence flow '${flow.id}' has no ${end} (${end}Ref ${missing === undefined ? 'is missing' : `'${missing}' does not exist`})`,
    );
    return undefined;
  }
  const id = reference.id!;
  const node = ctx.graph.nodes[id];
  if (!node) {
    ctx.report(flow.id!, `the ${end} '${id}' of sequence flow '${flow.id}' is not a flow node of scope '${scopeId}' (a flow cannot cross a pool or scope boundary)`);
    return undefined;
  }
  if (node.scope !== scopeId) {
    ctx.report(flow.id!, `sequence flow '${flow.id}' in '${scopeId}' crosses a scope boundary: its ${end} '${id}' is in '${node.scope}'`);
    return undefined;
  }
  return id;
}

/** Lists every boundary event on the node it is attached to (when that node exists). */
export function attachBoundaryEvents(ctx: CompileContext): void {
  for (const node of Object.values(ctx.graph.nodes)) {
    if (node.type !== 'boundaryEvent') continue;
    ctx.graph.nodes[node.attachedTo]?.boundaryEvents.push(node.id);
  }
}
