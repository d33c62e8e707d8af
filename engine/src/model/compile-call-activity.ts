/**
 * Call activities (`zeebe:calledElement`): which process they start, which
 * version of it, and how variables travel between parent and child.
 */
import { isFeel } from '../expressions';
import type { CompileContext } from './compile-context';
import { activityBase } from './compile-activity';
import { standIn } from './compile-node-base';
import type { CallActivityNode, FlowNode } from './graph';
import { type BpmnElement, describeElement, extensionOf, stringAttribute } from './moddle-element';

const BINDING_TYPES = ['latest', 'deployment', 'versionTag'] as const;

/**
 * A call activity. Whether a static process id exists is checked once every
 * process of the document is known (`validate-calls.ts`).
 */
export function compileCallActivity(ctx: CompileContext, activity: BpmnElement, scope: string): FlowNode {
  const { ok, base } = activityBase(ctx, activity, scope);
  const called = extensionOf(activity, 'zeebe:CalledElement');
  const processIdExpression = stringAttribute(called, 'processIdExpression');
  const calledElement =
    stringAttribute(called, 'processId') ??
    (processIdExpression === undefined ? undefined : isFeel(processIdExpression) ? processIdExpression : `=${processIdExpression}`);
  if (calledElement === undefined) {
    const bpmnAttribute = activity.calledElement ? ` (the BPMN calledElement attribute '${activity.calledElement}' is not used)` : '';
    ctx.report(activity.id!, `${describeElement(activity)} has no called element (zeebe:calledElement processId)${bpmnAttribute}`);
    return standIn(ctx, activity, scope);
  }
  const bindingType = (stringAttribute(called, 'bindingType') ?? 'latest') as CallActivityNode['bindingType'];
  const versionTag = stringAttribute(called, 'versionTag');
  let bindingOk = true;
  if (!BINDING_TYPES.includes(bindingType)) {
    ctx.report(activity.id!, `${describeElement(activity)} has binding type '${bindingType}'; expected one of ${BINDING_TYPES.join(', ')}`);
    bindingOk = false;
  } else if (bindingType === 'versionTag' && versionTag === undefined) {
    ctx.report(activity.id!, `${describeElement(activity)} binds by version tag but has no versionTag`);
    bindingOk = false;
  }
  if (!ok || !bindingOk) return standIn(ctx, activity, scope);
  const node: CallActivityNode = {
    ...base,
    type: 'callActivity',
    calledElement,
    bindingType,
    propagateAllChildVariables: (called?.propagateAllChildVariables as boolean | undefined) ?? true,
    propagateAllParentVariables: (called?.propagateAllParentVariables as boolean | undefined) ?? true,
  };
  if (bindingType === 'versionTag') node.versionTag = versionTag;
  return node;
}
