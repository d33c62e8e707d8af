/**
 * From a moddle tree to `ProcessGraph`s: one per executable process, with
 * every problem of the document reported at once.
 *
 * Which processes are compiled: those marked `isExecutable="true"` (Camunda
 * Modeler marks the process it executes, and leaves partner pools of a
 * collaboration unmarked or `false`). When no process is marked true, as in
 * models exchanged between tools (the OMG MIWG models), every process with
 * content that is not marked `isExecutable="false"` is compiled, which includes
 * the processes behind the participants of a collaboration; empty "black box"
 * pools are skipped. A process marked false is never compiled (Camunda 8 does
 * not run it either), so it never becomes a version of its process id; a
 * document with nothing else is refused with that reason.
 */
import { DEFAULT_LIMITS } from '../limits';
import { type DocumentInfo, type ModelLimits, CompileContext } from './compile-context';
import { compileExecutionListeners, compileFacts, checkUnsupportedExtensions } from './compile-extensions';
import { attachBoundaryEvents, compileFlows } from './compile-flows';
import { compileScope } from './compile-scope';
import type { ProcessGraph, Problem } from './graph';
import { type BpmnElement, extensionOf, stringAttribute } from './moddle-element';
import { problemsFromWarnings, unresolvedReferences } from './parse-warnings';
import { inclusiveJoinSources } from './reachability';
import { validateGraph } from './validate';

/** Options of {@link compileDefinitions}. */
export interface CompileOptions {
  /**
   * Tells whether a process id is deployed already (or deployed alongside),
   * for call activities that call a process outside this document.
   */
  knownProcessIds?: (id: string) => boolean;
  /** The warnings of `parseBpmn`: dropped elements and duplicate ids in them become problems. */
  warnings?: readonly string[];
  /** Shortest timer cycle and deepest sub-process nesting a model may have (defaults: `DEFAULT_LIMITS`). */
  limits?: Partial<ModelLimits>;
  /**
   * Also compile processes marked `isExecutable="false"` when none is marked true: for tools
   * that check or analyse models drawn for interchange (the OMG MIWG models mark every process
   * false). Never for a deploy: such a process must not become a runnable version.
   */
  includeNotExecutable?: boolean;
}

/** The compiled processes of a document and every problem found. */
export interface CompileResult {
  /** One graph per compiled process; only deployable when `problems` is empty. */
  graphs: ProcessGraph[];
  problems: Problem[];
}

/**
 * Compiles the processes of a parsed document (`parseBpmn().definitions`).
 * Never throws for a bad model: every problem is in `problems`, each naming
 * the element to fix. Graphs are returned even when there are problems
 * (without the elements that cannot run), for tools that show partial results.
 *
 * @example
 * const { definitions, warnings } = await parseBpmn(xml);
 * const { graphs, problems } = compileDefinitions(definitions, { warnings, knownProcessIds: (id) => store.has(id) });
 * if (problems.length > 0) throw new DeploymentRejectedError('...', problems);
 */
export function compileDefinitions(definitions: unknown, options: CompileOptions = {}): CompileResult {
  const root = definitions as BpmnElement | undefined;
  const warnings = options.warnings ?? [];
  const problems: Problem[] = problemsFromWarnings(warnings);
  if (!root || root.$type !== 'bpmn:Definitions') {
    problems.push({ elementId: 'definitions', reason: 'the document root is not a bpmn:Definitions element' });
    return { graphs: [], problems };
  }
  const processes = selectProcesses(root, options.includeNotExecutable);
  if (processes.length === 0) {
    const marked = (root.rootElements ?? []).find((element) => element.$type === 'bpmn:Process' && element.id && element.isExecutable === false);
    const reason = marked
      ? `the document contains no executable process: process '${marked.id}' is marked isExecutable="false" (as Camunda 8, such a process is not deployed as runnable; mark the process to run isExecutable="true")`
      : 'the document contains no process to deploy';
    problems.push({ elementId: marked?.id ?? root.id ?? 'definitions', reason });
    return { graphs: [], problems };
  }
  const document: DocumentInfo = {
    processIds: new Set(processes.map((process) => process.id!)),
    knownProcessIds: options.knownProcessIds ?? (() => false),
    unresolved: unresolvedReferences(warnings),
    limits: {
      minTimerCycleMs: options.limits?.minTimerCycleMs ?? DEFAULT_LIMITS.minTimerCycleMs,
      maxNestingDepth: options.limits?.maxNestingDepth ?? DEFAULT_LIMITS.maxNestingDepth,
    },
  };
  const graphs: ProcessGraph[] = [];
  for (const process of processes) {
    const ctx = compileProcess(process, document);
    graphs.push(withoutStandIns(ctx));
    problems.push(...ctx.problems);
  }
  return { graphs, problems: unique(problems) };
}

/** The processes to compile; see the module comment. */
export function selectProcesses(definitions: BpmnElement, includeNotExecutable = false): BpmnElement[] {
  const processes = (definitions.rootElements ?? []).filter((element) => element.$type === 'bpmn:Process' && element.id);
  const executable = processes.filter((process) => process.isExecutable === true);
  if (executable.length > 0) return executable;
  return processes.filter((process) => (includeNotExecutable || process.isExecutable !== false) && (process.flowElements ?? []).length > 0);
}

function compileProcess(process: BpmnElement, document: DocumentInfo): CompileContext {
  const graph: ProcessGraph = {
    processId: process.id!,
    nodes: {},
    flows: {},
    scopes: {},
    startEvents: [],
    inclusiveJoinSources: {},
    calledProcesses: [],
  };
  if (process.name !== undefined) graph.name = process.name;
  const ctx = new CompileContext(document, graph);
  const versionTag = stringAttribute(extensionOf(process, 'zeebe:VersionTag'), 'value');
  if (versionTag !== undefined) graph.versionTag = versionTag;
  const facts = compileFacts(ctx, process);
  if (facts) graph.facts = facts;
  const executionListeners = compileExecutionListeners(ctx, process);
  if (executionListeners) graph.executionListeners = executionListeners;
  checkUnsupportedExtensions(ctx, process);

  compileScope(ctx, process, graph.processId, 'process');
  compileFlows(ctx, process, graph.processId);
  for (const scopeId of Object.keys(graph.scopes)) {
    if (scopeId !== graph.processId) compileFlows(ctx, ctx.elements.get(scopeId)!, scopeId);
  }
  attachBoundaryEvents(ctx);
  validateGraph(ctx);

  graph.startEvents = graph.scopes[graph.processId].children.filter((id) => graph.nodes[id].type === 'startEvent');
  for (const node of Object.values(graph.nodes)) {
    if (node.type === 'inclusiveGateway' && node.incoming.length > 1) {
      graph.inclusiveJoinSources[node.id] = inclusiveJoinSources(graph, node.id);
    }
  }
  return ctx;
}

/** The graph without stand-in nodes (and flows touching them): only what can run. */
function withoutStandIns(ctx: CompileContext): ProcessGraph {
  const { graph, standIns } = ctx;
  if (standIns.size === 0) return graph;
  const flows = Object.fromEntries(
    Object.entries(graph.flows).filter(([, flow]) => !standIns.has(flow.source) && !standIns.has(flow.target)),
  );
  const keep = (id: string) => !standIns.has(id);
  const keepFlow = (id: string) => id in flows;
  const nodes = Object.fromEntries(
    Object.entries(graph.nodes)
      .filter(([id]) => keep(id))
      .map(([id, node]) => [
        id,
        { ...node, incoming: node.incoming.filter(keepFlow), outgoing: node.outgoing.filter(keepFlow), boundaryEvents: node.boundaryEvents.filter(keep) },
      ]),
  );
  const scopes = Object.fromEntries(
    Object.entries(graph.scopes).map(([id, scope]) => [
      id,
      { ...scope, children: scope.children.filter(keep), eventSubProcesses: scope.eventSubProcesses.filter(keep) },
    ]),
  );
  const inclusive = Object.fromEntries(
    Object.entries(graph.inclusiveJoinSources)
      .filter(([id]) => keep(id))
      .map(([id, sources]) => [id, sources.filter(keep)]),
  );
  return { ...graph, nodes, flows, scopes, inclusiveJoinSources: inclusive, startEvents: graph.startEvents.filter(keep) };
}

function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.elementId}\u0000${problem.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
