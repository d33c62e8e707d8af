/**
 * What a comparison reads from a BPMN document (a moddle tree from `parseBpmn`): every
 * flow node with its lane, agency, statutory time and documents, and the edges between
 * them (sequence flows, message flows between pools, boundary events from their host).
 *
 * Works on any readable document, executable or not: the as-is models of the library
 * are pools chained by message flows (the applicant carrying papers from one agency to
 * the next), which the engine's compiler would not run.
 */
import { type BpmnElement, extensionOf } from '../../../../engine/src/pure';
import { bpmnTypeName } from './type-name';

/** How a step is carried out. */
export type Performer = 'manual' | 'automated' | 'call';

/** One flow node as the comparison sees it. */
export interface NodeFacts {
  id: string;
  /** The BPMN type without its prefix, e.g. `userTask`, `exclusiveGateway`. */
  type: string;
  name?: string;
  /** The process (pool) it belongs to. */
  processId: string;
  /** Its innermost lane, else its process: who does it. */
  lane: string;
  laneName?: string;
  /** The agency of its own `motcua:facts`, else that of its process. */
  agency?: string;
  /** True when the node's own `motcua:facts` names the agency. */
  ownAgency: boolean;
  /** Its statutory time in working days (0 when it has none). */
  workingDays: number;
  /** The documents its `motcua:facts` asks for. */
  documents: string[];
  /** Set for activities (steps); gateways and events have none. */
  performer?: Performer;
}

/** An edge of the flow graph. */
export interface EdgeFacts {
  /** The flow's id (a boundary edge has none). */
  id?: string;
  kind: 'sequence' | 'message' | 'boundary' | 'subProcess';
  from: string;
  to: string;
}

/** The facts of one document. */
export interface ModelFacts {
  nodes: Map<string, NodeFacts>;
  edges: EdgeFacts[];
  /** Agencies named by the processes' own `motcua:facts`. */
  processAgencies: string[];
  /** What could not be read as meant, one line each, naming the element. */
  warnings: string[];
}

/** Working days per unit: a working day is 8 working hours, 24 hours or a calendar day count as one working day. */
const WORKING_DAYS_PER: Record<string, number> = { workingDays: 1, sameDay: 1, workingHours: 1 / 8, hours: 1 / 24, calendarDays: 1, days: 1 };

const MANUAL = new Set(['task', 'userTask', 'manualTask']);
const AUTOMATED = new Set(['serviceTask', 'scriptTask', 'businessRuleTask', 'sendTask', 'receiveTask']);

/** Reads the facts of a `bpmn:Definitions` moddle element. */
export function readModelFacts(definitions: unknown): ModelFacts {
  const root = definitions as BpmnElement;
  const facts: ModelFacts = { nodes: new Map(), edges: [], processAgencies: [], warnings: [] };
  const roots = root?.rootElements ?? [];
  const processes = roots.filter((e) => e.$type === 'bpmn:Process');
  for (const process of processes) readProcess(facts, process);
  for (const collaboration of roots.filter((e) => e.$type === 'bpmn:Collaboration')) {
    for (const flow of (collaboration.messageFlows as BpmnElement[] | undefined) ?? []) {
      const from = endpoint(flow.sourceRef, 'source');
      const targets = endpoint(flow.targetRef, 'target');
      for (const source of from) for (const target of targets) facts.edges.push({ id: flow.id, kind: 'message', from: source, to: target });
    }
  }
  return facts;

  /** A message flow's end: a flow node, or a pool (its start events when it is the target, its end events when the source). */
  function endpoint(element: BpmnElement | undefined, side: 'source' | 'target'): string[] {
    if (!element?.id) return [];
    if (facts.nodes.has(element.id)) return [element.id];
    if (element.$type === 'bpmn:Participant' && element.processRef?.id) {
      const processId = element.processRef.id;
      const wanted = side === 'target' ? 'startEvent' : 'endEvent';
      return [...facts.nodes.values()].filter((n) => n.processId === processId && n.type === wanted).map((n) => n.id);
    }
    return [];
  }
}

function readProcess(facts: ModelFacts, process: BpmnElement): void {
  const processId = process.id ?? '(process)';
  const processFacts = readFacts(facts, process);
  if (processFacts.agency) facts.processAgencies.push(processFacts.agency);
  const lanes = new Map<string, { id: string; name?: string }>();
  const walkLanes = (laneSet: BpmnElement | undefined): void => {
    for (const lane of (laneSet?.lanes as BpmnElement[] | undefined) ?? []) {
      // parents first, so that a node in a nested lane ends with its innermost lane
      for (const ref of (lane.flowNodeRef as BpmnElement[] | undefined) ?? []) if (ref?.id) lanes.set(ref.id, { id: lane.id ?? processId, name: lane.name });
      walkLanes(lane.childLaneSet as BpmnElement | undefined);
    }
  };
  for (const laneSet of (process.laneSets as BpmnElement[] | undefined) ?? []) walkLanes(laneSet);
  readScope(facts, process, processId, processFacts.agency, lanes);
}

/** Reads the nodes and flows of a process or sub-process. */
function readScope(facts: ModelFacts, scope: BpmnElement, processId: string, processAgency: string | undefined, lanes: Map<string, { id: string; name?: string }>): void {
  const elements = scope.flowElements ?? [];
  for (const element of elements) {
    if (!element.id || element.$type === 'bpmn:SequenceFlow' || !isFlowNode(element)) continue;
    const own = readFacts(facts, element);
    const type = bpmnTypeName(element.$type);
    const lane = lanes.get(element.id) ?? (element.attachedToRef?.id ? lanes.get(element.attachedToRef.id) : undefined);
    const parentScope = scope.$type === 'bpmn:Process' ? undefined : scope.id;
    const node: NodeFacts = {
      id: element.id,
      type,
      name: element.name,
      processId,
      lane: lane?.id ?? (parentScope ? (facts.nodes.get(parentScope)?.lane ?? processId) : processId),
      laneName: lane?.name ?? (parentScope ? facts.nodes.get(parentScope)?.laneName : undefined),
      agency: own.agency ?? processAgency,
      ownAgency: own.agency !== undefined,
      workingDays: own.workingDays,
      documents: own.documents,
      performer: MANUAL.has(type) ? 'manual' : AUTOMATED.has(type) ? 'automated' : type === 'callActivity' ? 'call' : undefined,
    };
    if (facts.nodes.has(element.id)) facts.warnings.push(`the id '${element.id}' is used by more than one element; the first one is compared`);
    else facts.nodes.set(element.id, node);
    if (element.attachedToRef?.id) facts.edges.push({ kind: 'boundary', from: element.attachedToRef.id, to: element.id });
    if (type === 'subProcess' && !element.triggeredByEvent) {
      readScope(facts, element, processId, node.agency, lanes);
      // The sub-process runs its inner flow: enter at its start events; its own outgoing flows leave from it after.
      const inner = (element.flowElements ?? []).filter((e) => e.$type === 'bpmn:StartEvent' && e.id);
      for (const start of inner) facts.edges.push({ kind: 'subProcess', from: element.id, to: start.id! });
    } else if (type === 'subProcess') {
      readScope(facts, element, processId, node.agency, lanes);
    }
  }
  for (const flow of elements.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
    const from = flow.sourceRef?.id;
    const to = flow.targetRef?.id;
    if (!from || !to) {
      facts.warnings.push(`sequence flow '${flow.id ?? '?'}' lacks a ${from ? 'target' : 'source'}; it is left out`);
      continue;
    }
    // Leaving a sub-process means leaving its inner flow: from its inner nodes that have no way on.
    const ends = flow.sourceRef?.$type === 'bpmn:SubProcess' ? innerEnds(flow.sourceRef) : [];
    if (ends.length === 0) facts.edges.push({ id: flow.id, kind: 'sequence', from, to });
    for (const end of ends) facts.edges.push({ id: flow.id, kind: 'subProcess', from: end, to });
  }
}

/** The direct inner flow nodes of a sub-process (not an event sub-process) that no inner sequence flow leaves. */
function innerEnds(subProcess: BpmnElement): string[] {
  if (subProcess.triggeredByEvent) return [];
  const inner = subProcess.flowElements ?? [];
  const left = new Set(inner.filter((e) => e.$type === 'bpmn:SequenceFlow').map((f) => f.sourceRef?.id));
  return inner.filter((e) => e.id && e.$type !== 'bpmn:SequenceFlow' && isFlowNode(e) && !e.attachedToRef && !(e.$type === 'bpmn:SubProcess' && e.triggeredByEvent) && !left.has(e.id)).map((e) => e.id!);
}

function isFlowNode(element: BpmnElement): boolean {
  return /(Task|Event|Gateway|SubProcess|subProcess|CallActivity|callActivity|Transaction)$/.test(element.$type) || element.$type === 'bpmn:Task' || element.$type === 'bpmn:SubProcess';
}

/** The `motcua:facts` of an element: agency, statutory time in working days, documents. */
function readFacts(facts: ModelFacts, element: BpmnElement): { agency?: string; workingDays: number; documents: string[] } {
  const found = extensionOf(element, 'motcua:Facts');
  if (!found) return { workingDays: 0, documents: [] };
  const agency = typeof found.agency === 'string' && found.agency.trim() !== '' ? found.agency.trim() : undefined;
  const amount = found.statutoryTime as number | undefined;
  const unit = (found.timeUnit as string | undefined) ?? 'workingDays';
  let workingDays = 0;
  if (amount !== undefined) {
    const perUnit = WORKING_DAYS_PER[unit];
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) facts.warnings.push(`${describe(element)}: statutoryTime '${String(amount)}' is not a number ≥ 0; counted as 0`);
    else if (perUnit === undefined) facts.warnings.push(`${describe(element)}: timeUnit '${unit}' is unknown; its statutory time is counted as 0`);
    else workingDays = amount * perUnit;
  }
  const documents = ((found.documents as BpmnElement[] | undefined) ?? []).map((d) => (typeof d.name === 'string' ? d.name.trim() : '')).filter((name) => name !== '');
  return { agency, workingDays, documents };
}

function describe(element: BpmnElement): string {
  return `${bpmnTypeName(element.$type)} '${element.id ?? '?'}'`;
}
