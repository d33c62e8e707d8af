/**
 * What the compilation of one process carries around: the graph being built,
 * the problems found so far, and the ids of stand-in nodes.
 */
import type { Limits } from '../limits';
import type { FlowNode, ProcessGraph, Problem } from './graph';
import type { BpmnElement } from './moddle-element';
import type { UnresolvedReference } from './parse-warnings';

/** Document-wide facts every process compilation may consult. */
export interface DocumentInfo {
  /** Ids of every `bpmn:Process` of the document (call activities may name them). */
  processIds: ReadonlySet<string>;
  /** Process ids deployed before, or deployed alongside in other documents. */
  knownProcessIds: (id: string) => boolean;
  /** Unresolved references reported by the parser, to say which id was missing. */
  unresolved: readonly UnresolvedReference[];
  /** The limits a deployable model must keep to. */
  limits: Readonly<ModelLimits>;
}

/** The limits checked when a model is compiled. */
export type ModelLimits = Pick<Limits, 'minTimerCycleMs' | 'maxNestingDepth'>;

/**
 * The compilation of one process. Compile functions add nodes and flows to
 * `graph` and report problems; they never throw for a bad model.
 *
 * An element that cannot run (unsupported type or event) still gets a node, a
 * *stand-in* of type `task` listed in `standIns`, so that structural checks
 * (reachability, flows, boundaries) see the model as drawn and do not pile
 * follow-up problems on top of the first. Stand-ins are removed from the
 * graph before it is returned.
 */
export class CompileContext {
  readonly problems: Problem[] = [];
  readonly standIns = new Set<string>();
  /** The moddle element behind every node and flow id, for checks that need more than the graph. */
  readonly elements = new Map<string, BpmnElement>();

  constructor(
    readonly document: DocumentInfo,
    readonly graph: ProcessGraph,
  ) {}

  /** Records a problem. */
  report(elementId: string, reason: string): void {
    this.problems.push({ elementId, reason });
  }

  /** Adds a node (and remembers its moddle element). */
  addNode(node: FlowNode, element: BpmnElement): void {
    this.graph.nodes[node.id] = node;
    this.elements.set(node.id, element);
  }

  /** The id `element` referred to through `property` when the parser could not resolve it. */
  unresolvedReference(element: BpmnElement, property: string): string | undefined {
    return this.document.unresolved.find(
      (reference) => reference.elementId === element.id && reference.property.replace(/^bpmn:/, '') === property,
    )?.reference;
  }
}
