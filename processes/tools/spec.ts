/**
 * The semantic description of a BPMN document that the library's generator turns into
 * XML with a diagram: processes (one pool each), lanes, nodes, flows, messages.
 *
 * Why a description and not hand-written XML: the layout (lanes as bands, nodes by
 * topological rank, orthogonal flows) is computed, so a procedure's model stays a short
 * list of steps that an analyst can read and change, and the committed .bpmn files are
 * regenerated from it (`processes/tools/build.ts`).
 */

/** The units of statutory time of `motcua:facts` (engine/src/model/motcua.json). */
export type TimeUnit = 'workingDays' | 'workingHours' | 'hours' | 'days' | 'sameDay';

/** Our one-stop-shop facts of a process or a step (`motcua:facts`). */
export interface FactsSpec {
  agency?: string;
  statutoryTime?: number;
  timeUnit?: TimeUnit;
  /** The cut-off of the statutory time: `legal` (the one in force, 15:00 by default), or "HH:MM". */
  cutoff?: string;
  /** The dossier status the step represents (received, processing, supplement-requested, ...). */
  dossierStatus?: string;
  /** Names of the documents the step needs. */
  documents?: string[];
}

/** The kinds of node the generator writes. */
export type NodeKind =
  | 'startEvent'
  | 'endEvent'
  | 'userTask'
  | 'task'
  | 'manualTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'eventBasedGateway'
  | 'messageCatch'
  | 'timerCatch'
  | 'boundaryTimer';

/** One flow node. */
export interface NodeSpec {
  id: string;
  kind: NodeKind;
  name?: string;
  /** The lane (id) the node sits in; boundary events sit in their host's lane. */
  lane: string;
  facts?: FactsSpec;
  /** `zeebe:assignmentDefinition candidateGroups` (user tasks). */
  groups?: string;
  /** `zeebe:formDefinition formKey` (user tasks). */
  formKey?: string;
  /** The message id (messageCatch). */
  message?: string;
  /** An ISO 8601 duration (timerCatch, boundaryTimer). */
  timer?: string;
  /** The host activity (boundaryTimer). */
  attachedTo?: string;
  /** `false` for a non-interrupting boundary event. */
  interrupting?: boolean;
  /** `zeebe:output` mappings. */
  outputs?: Array<{ source: string; target: string }>;
  /** The preferred row inside its lane (0 = the main line); the first free row from it is taken. */
  row?: number;
  /** An XML comment written just before the element. */
  comment?: string;
}

/** One sequence flow. */
export interface FlowSpec {
  id: string;
  from: string;
  to: string;
  name?: string;
  /** A FEEL condition, `=...`. */
  condition?: string;
  /** The default flow of its (exclusive) gateway. */
  isDefault?: boolean;
}

/** One lane: an agency and a role. */
export interface LaneSpec {
  id: string;
  name: string;
}

/** One process, drawn as one pool. */
export interface ProcessSpec {
  id: string;
  name: string;
  /** The pool's label. */
  participantName: string;
  executable: boolean;
  facts?: FactsSpec;
  lanes: LaneSpec[];
  nodes: NodeSpec[];
  flows: FlowSpec[];
}

/** A message (with a Zeebe subscription when it is correlated by key). */
export interface MessageSpec {
  id: string;
  name: string;
  correlationKey?: string;
}

/** A message flow between two pools (a hand-off between separate procedures). */
export interface MessageFlowSpec {
  id: string;
  from: string;
  to: string;
  name?: string;
}

/** A whole document: its processes (pools), messages and message flows. */
export interface DocumentSpec {
  id: string;
  /** A comment at the top of the file. */
  comment?: string;
  processes: ProcessSpec[];
  messages?: MessageSpec[];
  messageFlows?: MessageFlowSpec[];
}
