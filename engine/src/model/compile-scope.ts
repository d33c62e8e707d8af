/**
 * Walks a process or sub-process: one node per flow node, then into its
 * sub-processes, each of which becomes a scope of its own.
 */
import type { CompileContext } from './compile-context';
import { activityBase } from './compile-activity';
import { compileCallActivity } from './compile-call-activity';
import {
  type StartPosition,
  compileBoundaryEvent,
  compileEndEvent,
  compileIntermediateCatchEvent,
  compileIntermediateThrowEvent,
  compileStartEvent,
} from './compile-events';
import { compileGateway, isSupportedGateway } from './compile-gateways';
import { standIn } from './compile-node-base';
import {
  compileJobTask,
  compilePassThroughTask,
  compileReceiveTask,
  compileScriptTask,
  compileUserTask,
} from './compile-tasks';
import type { FlowNode, ScopeInfo, SubProcessNode } from './graph';
import { LIMIT_SETTINGS } from '../limits';
import { type BpmnElement, describeElement, describeType } from './moddle-element';

/** Flow elements that describe data or documentation and never execute: skipped. */
const NOT_EXECUTED = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference', 'bpmn:SequenceFlow']);

/** Flow node types that exist in BPMN but not in this engine, with the reason given. */
const UNSUPPORTED: Record<string, string> = {
  'bpmn:ComplexGateway': 'complex gateways are not supported',
  'bpmn:Transaction': 'transactions (and their cancel/compensation semantics) are not supported',
  'bpmn:AdHocSubProcess': 'ad-hoc sub-processes are not supported',
  'bpmn:ImplicitThrowEvent': 'implicit throw events are not supported',
  'bpmn:ChoreographyTask': 'choreographies are not executable',
  'bpmn:SubChoreography': 'choreographies are not executable',
  'bpmn:CallChoreography': 'choreographies are not executable',
};

/** Sub-process kinds: each nests a scope (the unsupported ones are refused, but still nest). */
const SCOPE_TYPES = new Set(['bpmn:SubProcess', 'bpmn:AdHocSubProcess', 'bpmn:Transaction']);

/**
 * Compiles the flow nodes of `container` (a process or sub-process) into
 * scope `scopeId`, then those of its sub-processes, depth first. A worklist,
 * not recursion, so that no nesting can exhaust the stack; a sub-process
 * nested deeper than `limits.maxNestingDepth` is a problem and its content is
 * not compiled.
 */
export function compileScope(ctx: CompileContext, container: BpmnElement, scopeId: string, where: StartPosition): void {
  const maxDepth = ctx.document.limits.maxNestingDepth;
  const stack: Array<{ container: BpmnElement; scopeId: string; where: StartPosition; depth: number }> = [{ container, scopeId, where, depth: 0 }];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const scope: ScopeInfo = { id: current.scopeId, children: [], eventSubProcesses: [], linkTargets: {} };
    ctx.graph.scopes[current.scopeId] = scope;
    const nested: Array<{ container: BpmnElement; scopeId: string; where: StartPosition; depth: number }> = [];
    for (const element of current.container.flowElements ?? []) {
      if (NOT_EXECUTED.has(element.$type)) continue;
      if (!element.id) {
        ctx.report(current.scopeId, `a ${describeType(element.$type)} in '${current.scopeId}' has no id`);
        continue;
      }
      if (ctx.graph.nodes[element.id]) continue; // a duplicate id: reported from the parser's warnings
      let node: FlowNode;
      if (SCOPE_TYPES.has(element.$type) && current.depth + 1 > maxDepth) {
        ctx.report(
          element.id,
          `${describeElement(element)} is nested ${current.depth + 1} sub-processes deep, more than the limit of ${maxDepth} (${LIMIT_SETTINGS.maxNestingDepth})`,
        );
        node = standIn(ctx, element, current.scopeId);
      } else {
        node = compileFlowNode(ctx, element, current.scopeId, current.where);
      }
      ctx.addNode(node, element);
      scope.children.push(node.id);
      if (node.type === 'subProcess') {
        if (node.triggeredByEvent) scope.eventSubProcesses.push(node.id);
        nested.push({ container: element, scopeId: element.id, where: node.triggeredByEvent ? 'eventSubProcess' : 'subProcess', depth: current.depth + 1 });
      }
    }
    // Reversed onto the stack: the first sub-process is compiled first, as a recursive walk would.
    for (let i = nested.length - 1; i >= 0; i--) stack.push(nested[i]);
  }
}

function compileFlowNode(ctx: CompileContext, element: BpmnElement, scope: string, where: StartPosition): FlowNode {
  switch (element.$type) {
    case 'bpmn:StartEvent':
      return compileStartEvent(ctx, element, scope, where);
    case 'bpmn:EndEvent':
      return compileEndEvent(ctx, element, scope);
    case 'bpmn:IntermediateCatchEvent':
      return compileIntermediateCatchEvent(ctx, element, scope);
    case 'bpmn:IntermediateThrowEvent':
      return compileIntermediateThrowEvent(ctx, element, scope);
    case 'bpmn:BoundaryEvent':
      return compileBoundaryEvent(ctx, element, scope);
    case 'bpmn:Task':
    case 'bpmn:ManualTask':
      return compilePassThroughTask(ctx, element, scope);
    case 'bpmn:UserTask':
      return compileUserTask(ctx, element, scope);
    case 'bpmn:ServiceTask':
    case 'bpmn:SendTask':
    case 'bpmn:BusinessRuleTask':
      return compileJobTask(ctx, element, scope);
    case 'bpmn:ReceiveTask':
      return compileReceiveTask(ctx, element, scope);
    case 'bpmn:ScriptTask':
      return compileScriptTask(ctx, element, scope);
    case 'bpmn:SubProcess':
      return compileSubProcess(ctx, element, scope);
    case 'bpmn:CallActivity':
      return compileCallActivity(ctx, element, scope);
  }
  if (isSupportedGateway(element.$type)) return compileGateway(ctx, element, scope);
  const reason = UNSUPPORTED[element.$type] ?? `${element.$type} elements are not supported`;
  ctx.report(element.id!, `${describeElement(element)}: ${reason}`);
  return standIn(ctx, element, scope);
}

/** An embedded or event sub-process; its content is compiled as a scope of its own. */
function compileSubProcess(ctx: CompileContext, subProcess: BpmnElement, scope: string): FlowNode {
  const { ok, base } = activityBase(ctx, subProcess, scope);
  const triggeredByEvent = subProcess.triggeredByEvent ?? false;
  if (triggeredByEvent && base.multiInstance) {
    ctx.report(subProcess.id!, `event sub-process '${subProcess.id}' cannot be a multi-instance`);
  }
  if (!ok) return standIn(ctx, subProcess, scope);
  const node: SubProcessNode = { ...base, type: 'subProcess', triggeredByEvent };
  return node;
}
