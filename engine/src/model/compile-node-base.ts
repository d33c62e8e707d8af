/**
 * The fields every graph node shares, and stand-in nodes for elements that
 * cannot run (see `CompileContext.standIns`).
 */
import { checkUnsupportedExtensions, compileExecutionListeners, compileFacts, compileIoMapping } from './compile-extensions';
import type { CompileContext } from './compile-context';
import type { PassThroughTaskNode } from './graph';
import type { BpmnElement } from './moddle-element';

/** The common part of a node; `incoming`, `outgoing` and `boundaryEvents` are filled in once all flows are known. */
export function nodeBase(ctx: CompileContext, element: BpmnElement, scope: string) {
  const { inputs, outputs } = compileIoMapping(ctx, element);
  checkUnsupportedExtensions(ctx, element);
  const facts = compileFacts(ctx, element);
  const executionListeners = compileExecutionListeners(ctx, element);
  return {
    id: element.id!,
    ...(element.name === undefined ? {} : { name: element.name }),
    scope,
    incoming: [] as string[],
    outgoing: [] as string[],
    boundaryEvents: [] as string[],
    inputs,
    outputs,
    ...(facts === undefined ? {} : { facts }),
    ...(executionListeners === undefined ? {} : { executionListeners }),
  };
}

/**
 * A stand-in for an element that cannot run: a plain task with the element's
 * id, so that flows and reachability stay as drawn. The caller has reported
 * the problem already.
 */
export function standIn(ctx: CompileContext, element: BpmnElement, scope: string): PassThroughTaskNode {
  ctx.standIns.add(element.id!);
  return {
    id: element.id!,
    ...(element.name === undefined ? {} : { name: element.name }),
    type: 'task',
    scope,
    incoming: [],
    outgoing: [],
    boundaryEvents: [],
    inputs: [],
    outputs: [],
  };
}
