/**
 * The compiled, executable form of one BPMN process: what the runtime walks.
 *
 * Shape: `compile()` turns a bpmn-moddle tree into a `ProcessGraph`, a plain,
 * read-only index of flow nodes and sequence flows keyed by id. Every
 * expression stays a string (FEEL when it starts with `=`, a literal
 * otherwise) and is evaluated by the runtime through `expressions/`. Nothing
 * in here refers to moddle objects, so a graph can be cached, compared and
 * logged freely.
 */

/** A FEEL expression (`=a + 1`) or a static literal (`"hello"`), as written in the model. */
export type Expression = string;

/** One `zeebe:input` / `zeebe:output` mapping: `target` receives the value of `source`. */
export interface Mapping {
  source: Expression;
  target: string;
}

/** Timer event definitions, as modelled (`timeDate`, `timeDuration`, `timeCycle`). */
export interface TimerDefinition {
  kind: 'timer';
  timerType: 'date' | 'duration' | 'cycle';
  expression: Expression;
}

/** A message event definition; `correlationKey` is absent on message start events. */
export interface MessageDefinition {
  kind: 'message';
  messageName: Expression;
  correlationKey?: Expression;
}

/** A signal event definition, by signal name. */
export interface SignalDefinition {
  kind: 'signal';
  signalName: Expression;
}

/** An error event definition; no `errorCode` on a catch event means "catch all". */
export interface ErrorDefinition {
  kind: 'error';
  errorCode?: string;
}

/** An escalation event definition; no `escalationCode` on a catch event means "catch all". */
export interface EscalationDefinition {
  kind: 'escalation';
  escalationCode?: string;
}

/** A terminate end event. */
export interface TerminateDefinition {
  kind: 'terminate';
}

/** A link throw/catch pair connected by `linkName` within one scope. */
export interface LinkDefinition {
  kind: 'link';
  linkName: string;
}

export type EventDefinition =
  | TimerDefinition
  | MessageDefinition
  | SignalDefinition
  | ErrorDefinition
  | EscalationDefinition
  | TerminateDefinition
  | LinkDefinition;

/** `zeebe:loopCharacteristics` plus BPMN's `multiInstanceLoopCharacteristics`. */
export interface MultiInstance {
  sequential: boolean;
  inputCollection: Expression;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: Expression;
  completionCondition?: Expression;
}

/**
 * A statutory time from `motcua:facts`: counted on the agency's working calendar
 * (see engine/src/calendar). The legacy unit name `days` compiles to `calendarDays`.
 */
export interface StatutoryTime {
  amount: number;
  unit: 'workingDays' | 'workingHours' | 'hours' | 'calendarDays' | 'sameDay';
  /** `legal`: the cut-off in force (a start after it counts from the next working day); "HH:MM": that cut-off. Default: only `sameDay` uses the legal one. */
  cutoff?: string;
  /** On a boundary timer: fire this long before the attached task's due date instead of after its start. */
  beforeDue?: boolean;
}

/** The one-stop-shop facts carried by our own moddle namespace (`motcua:`). */
export interface OneStopShopFacts {
  /** The agency responsible for the step, e.g. an electronic agency identifier. */
  agency?: string;
  /** Statutory time of the step (or, on the process, of the procedure; on a timer event, its duration). */
  statutoryTime?: StatutoryTime;
  /** The dossier status that this step represents (e.g. `processing`). */
  dossierStatus?: string;
  /** Documents the step needs from the applicant. */
  documents?: string[];
}

export type ElementType =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'task'
  | 'manualTask'
  | 'userTask'
  | 'serviceTask'
  | 'sendTask'
  | 'businessRuleTask'
  | 'receiveTask'
  | 'scriptTask'
  | 'subProcess'
  | 'callActivity';

interface NodeBase {
  id: string;
  name?: string;
  /** Id of the scope that contains the node: the process id or an enclosing sub-process id. */
  scope: string;
  incoming: string[];
  outgoing: string[];
  /** Ids of boundary events attached to this node (activities only). */
  boundaryEvents: string[];
  inputs: Mapping[];
  outputs: Mapping[];
  multiInstance?: MultiInstance;
  facts?: OneStopShopFacts;
  /** `zeebe:executionListeners`: jobs run before the element is entered (start) and after it completed (end), in order. */
  executionListeners?: { start: ListenerDefinition[]; end: ListenerDefinition[] };
}

/** One Zeebe listener: a job of `type` with `retries` (expressions, like a task definition's). */
export interface ListenerDefinition {
  type: Expression;
  retries: Expression;
}

export interface StartEventNode extends NodeBase {
  type: 'startEvent';
  eventDefinition?: EventDefinition;
  /** For the start event of an event sub-process: does it cancel the enclosing scope? */
  interrupting: boolean;
}

export interface EndEventNode extends NodeBase {
  type: 'endEvent';
  eventDefinition?: EventDefinition;
  /** Message end events run as a job, like a send task. */
  job?: JobDefinition;
}

export interface IntermediateCatchEventNode extends NodeBase {
  type: 'intermediateCatchEvent';
  eventDefinition: TimerDefinition | MessageDefinition | SignalDefinition | LinkDefinition;
}

export interface IntermediateThrowEventNode extends NodeBase {
  type: 'intermediateThrowEvent';
  eventDefinition?: MessageDefinition | SignalDefinition | EscalationDefinition | LinkDefinition;
  /** Message throw events run as a job, like a send task. */
  job?: JobDefinition;
}

export interface BoundaryEventNode extends NodeBase {
  type: 'boundaryEvent';
  attachedTo: string;
  cancelActivity: boolean;
  eventDefinition:
    | TimerDefinition
    | MessageDefinition
    | SignalDefinition
    | ErrorDefinition
    | EscalationDefinition;
}

export interface GatewayNode extends NodeBase {
  type: 'exclusiveGateway' | 'parallelGateway' | 'inclusiveGateway' | 'eventBasedGateway';
  defaultFlow?: string;
}

/** The job a service, send or business rule task (or a message throw event) creates. */
export interface JobDefinition {
  type: Expression;
  retries: Expression;
  headers: Record<string, string>;
}

export interface JobTaskNode extends NodeBase {
  type: 'serviceTask' | 'sendTask' | 'businessRuleTask';
  job: JobDefinition;
  defaultFlow?: string;
}

export interface UserTaskNode extends NodeBase {
  type: 'userTask';
  assignee?: Expression;
  candidateGroups?: Expression;
  candidateUsers?: Expression;
  dueDate?: Expression;
  followUpDate?: Expression;
  /** `zeebe:formDefinition` formKey or formId. */
  formKey?: string;
  defaultFlow?: string;
  /** `zeebe:taskListeners`: jobs run at each lifecycle transition of the task, in document order (see runtime/behaviors/task-listeners.ts). */
  taskListeners?: Partial<Record<TaskListenerEvent, ListenerDefinition[]>>;
}

/** The user task transitions Camunda 8.8 task listeners run on. */
export type TaskListenerEvent = 'creating' | 'assigning' | 'updating' | 'completing' | 'canceling';

export interface ReceiveTaskNode extends NodeBase {
  type: 'receiveTask';
  message: MessageDefinition;
  defaultFlow?: string;
}

export interface ScriptTaskNode extends NodeBase {
  type: 'scriptTask';
  /** `zeebe:script` expression (FEEL). */
  expression: Expression;
  resultVariable: string;
  defaultFlow?: string;
}

export interface PassThroughTaskNode extends NodeBase {
  type: 'task' | 'manualTask';
  defaultFlow?: string;
}

export interface SubProcessNode extends NodeBase {
  type: 'subProcess';
  /** An event sub-process: started by its start event, never by a sequence flow. */
  triggeredByEvent: boolean;
  defaultFlow?: string;
}

export interface CallActivityNode extends NodeBase {
  type: 'callActivity';
  /** Static process id, or a FEEL expression (`=...`). */
  calledElement: Expression;
  /** `latest` (default) or `versionTag` (pinned by `zeebe:versionTag`) or `deployment`. */
  bindingType: 'latest' | 'versionTag' | 'deployment';
  versionTag?: string;
  propagateAllChildVariables: boolean;
  propagateAllParentVariables: boolean;
  defaultFlow?: string;
}

export type FlowNode =
  | StartEventNode
  | EndEventNode
  | IntermediateCatchEventNode
  | IntermediateThrowEventNode
  | BoundaryEventNode
  | GatewayNode
  | JobTaskNode
  | UserTaskNode
  | ReceiveTaskNode
  | ScriptTaskNode
  | PassThroughTaskNode
  | SubProcessNode
  | CallActivityNode;

/** A sequence flow; `condition` is a FEEL expression (`=amount > 100`). */
export interface SequenceFlow {
  id: string;
  name?: string;
  source: string;
  target: string;
  condition?: Expression;
}

/** What the runtime needs to know about a scope (the process itself or a sub-process). */
export interface ScopeInfo {
  id: string;
  /** The none start event that starts the scope when it is entered normally. */
  noneStart?: string;
  /** Flow nodes directly inside this scope (not nested deeper). */
  children: string[];
  /** Event sub-processes directly inside this scope. */
  eventSubProcesses: string[];
  /** Link catch events of this scope by link name. */
  linkTargets: Record<string, string>;
}

/** A compiled, runnable BPMN process. Plain data: safe to cache and share between instances. */
export interface ProcessGraph {
  processId: string;
  name?: string;
  /** `zeebe:versionTag` of the process, if any. */
  versionTag?: string;
  /** `zeebe:executionListeners` of the process itself: start before its start event, end before the instance completes. */
  executionListeners?: { start: ListenerDefinition[]; end: ListenerDefinition[] };
  facts?: OneStopShopFacts;
  nodes: Record<string, FlowNode>;
  flows: Record<string, SequenceFlow>;
  /** Keyed by scope id; the process itself is the scope whose id is `processId`. */
  scopes: Record<string, ScopeInfo>;
  /** Top-level start events: none, message and timer starts of the process. */
  startEvents: string[];
  /**
   * For every inclusive gateway with more than one incoming flow: the nodes from
   * which it can still be reached without passing through it. The runtime uses
   * this to decide that no further token can arrive at the join.
   */
  inclusiveJoinSources: Record<string, string[]>;
  /** Process ids named by call activities with a static `calledElement`. */
  calledProcesses: string[];
}

/** One deploy-time problem: which element, and what is wrong with it. */
export interface Problem {
  elementId: string;
  reason: string;
}
