/**
 * What every activity shares: multi-instance (`bpmn:multiInstanceLoopCharacteristics`
 * with `zeebe:loopCharacteristics`), the default flow, and the activity
 * features that are refused (standard loops, compensation handlers).
 */
import type { CompileContext } from './compile-context';
import { nodeBase } from './compile-node-base';
import type { MultiInstance } from './graph';
import { type BpmnElement, bodyOf, describeElement, extensionOf, stringAttribute } from './moddle-element';

/**
 * `nodeBase` plus `multiInstance` and `defaultFlow`; `ok` is false when the
 * activity cannot run at all (the caller then makes a stand-in).
 */
export function activityBase(ctx: CompileContext, activity: BpmnElement, scope: string) {
  let ok = true;
  if (activity.isForCompensation) {
    ctx.report(activity.id!, `${describeElement(activity)} is a compensation handler (isForCompensation): compensation is not supported`);
    ok = false;
  }
  const multiInstance = compileLoop(ctx, activity);
  const defaultFlow = compileDefaultFlow(ctx, activity);
  return {
    ok,
    base: {
      ...nodeBase(ctx, activity, scope),
      ...(multiInstance ? { multiInstance } : {}),
      ...(defaultFlow === undefined ? {} : { defaultFlow }),
    },
  };
}

/** The id of the `default` flow of an activity or gateway; whether it leaves the element is checked on the graph. */
export function compileDefaultFlow(ctx: CompileContext, element: BpmnElement): string | undefined {
  if (element.default) return element.default.id;
  const missing = ctx.unresolvedReference(element, 'default');
  if (missing !== undefined) {
    ctx.report(element.id!, `default flow '${missing}' of ${describeElement(element)} does not exist`);
  }
  return undefined;
}

function compileLoop(ctx: CompileContext, activity: BpmnElement): MultiInstance | undefined {
  const loop = activity.loopCharacteristics;
  if (!loop) return undefined;
  if (loop.$type === 'bpmn:StandardLoopCharacteristics') {
    ctx.report(activity.id!, `${describeElement(activity)} has a standard loop (bpmn:standardLoopCharacteristics), which is not supported; use a multi-instance with zeebe:loopCharacteristics`);
    return undefined;
  }
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    ctx.report(activity.id!, `${describeElement(activity)} has loop characteristics of type ${loop.$type}, which are not supported`);
    return undefined;
  }
  const zeebe = extensionOf(loop, 'zeebe:LoopCharacteristics');
  const inputCollection = stringAttribute(zeebe, 'inputCollection');
  if (inputCollection === undefined) {
    const cardinality = bodyOf(loop.loopCardinality) === undefined ? '' : ' (loopCardinality is not supported)';
    ctx.report(activity.id!, `multi-instance ${describeElement(activity)} has no input collection (zeebe:loopCharacteristics inputCollection)${cardinality}`);
    return undefined;
  }
  const multiInstance: MultiInstance = { sequential: loop.isSequential ?? false, inputCollection };
  const inputElement = stringAttribute(zeebe, 'inputElement');
  const outputCollection = stringAttribute(zeebe, 'outputCollection');
  const outputElement = stringAttribute(zeebe, 'outputElement');
  const completionCondition = bodyOf(loop.completionCondition);
  if (inputElement !== undefined) multiInstance.inputElement = inputElement;
  if ((outputCollection === undefined) !== (outputElement === undefined)) {
    ctx.report(activity.id!, `multi-instance ${describeElement(activity)} needs both outputCollection and outputElement, or neither`);
  } else if (outputCollection !== undefined) {
    multiInstance.outputCollection = outputCollection;
    multiInstance.outputElement = outputElement;
  }
  if (completionCondition !== undefined) multiInstance.completionCondition = completionCondition;
  return multiInstance;
}
