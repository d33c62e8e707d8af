/**
 * The history vocabulary: every event a history row may hold, as one discriminated union
 * on `type`, the functions that produce them (one per source) and the one parser every
 * reader goes through. Pure (no I/O, no clock): browser-safe, exported by `pure.ts`.
 *
 * ## Sources
 * - a command's step: the runtime's effects, each id-only one completed with the element
 *   of the wait or incident it names ({@link stepEvents}; the step writer);
 * - an official's change of a task: claim, unclaim, assign, comment ({@link taskChangeEvent},
 *   {@link taskCommentEvent}; the task store);
 * - the inbox scan: a task passed its due or follow-up date ({@link passedDateEvent});
 * - the layers above the engine: events of a dotted namespace (`dossier.received`), typed
 *   there and carried opaquely here ({@link ExtensionEvent}, {@link extensionEvent}).
 *
 * Adapters never build an event: they store what a producer returned (as a bound
 * parameter) and read it back through {@link parseHistoryEvent}, so a malformed stored
 * event is recognised in one place. `test/unit/architecture/history-events.test.ts`
 * keeps it so.
 */
import type { Effect } from '../runtime/effects';
import type { InstanceState } from '../runtime/state';

/** Effects that name a wait or an incident by id only; history adds the element it concerns. */
type IdOnlyEffectType =
  | 'taskCompleted'
  | 'taskCancelled'
  | 'jobCompleted'
  | 'jobErrorThrown'
  | 'jobFailed'
  | 'jobRetried'
  | 'jobCancelled'
  | 'timerFired'
  | 'timerCancelled'
  | 'messageReceived'
  | 'messageUnsubscribed'
  | 'signalReceived'
  | 'signalUnsubscribed'
  | 'childCancelled'
  | 'continuationFired'
  | 'continuationCancelled'
  | 'incidentResolved'
  | 'taskClaimed'
  | 'taskUnclaimed'
  | 'taskAssigned'
  | 'taskUpdated'
  | 'taskListenerDenied';

/**
 * What a command's step records: its effects, the id-only ones with the element they concern
 * (`elementId`, absent in rows written before this vocabulary and where the element was unknown).
 */
export type StepHistoryEvent = Exclude<Effect, { type: IdOnlyEffectType }> | (Extract<Effect, { type: IdOnlyEffectType }> & { elementId?: string });

/** An official moved a task between people (`by`: who did it; absent assignee: nobody holds it now). */
export interface TaskChangeEvent {
  type: 'taskClaimed' | 'taskUnclaimed' | 'taskAssigned';
  taskId: string;
  elementId: string;
  assignee?: string;
  previousAssignee?: string;
  by?: string;
}

/** Someone commented on a task. */
export interface TaskCommentEvent {
  type: 'taskCommented';
  taskId: string;
  elementId: string;
  commentId: string;
  by: string;
}

/** An open task passed its due date (`taskOverdue`) or its follow-up date (`taskFollowUp`); the assignee then. */
export interface PassedDateEvent {
  type: 'taskOverdue' | 'taskFollowUp';
  taskId: string;
  elementId: string;
  assignee?: string;
}

/** A type of an extension event: `<namespace>.<name>`, lowercase namespace (`dossier.received`). */
export type ExtensionEventType = `${string}.${string}`;

/**
 * An event of a layer above the engine, in its own dotted namespace; the engine stores and
 * carries it without reading more than its type (and `elementId` when it has one). The layer
 * declares its own union, each member assignable to this (`{ type: 'dossier.received'; ... }`).
 */
export interface ExtensionEvent {
  type: ExtensionEventType;
  elementId?: string;
  [field: string]: unknown;
}

/** Every event a history row may hold. */
export type HistoryEvent = StepHistoryEvent | TaskChangeEvent | TaskCommentEvent | PassedDateEvent | ExtensionEvent;

/** The types of the engine's own events (extension events are all other dotted types). */
export type EngineHistoryEventType = Exclude<HistoryEvent, ExtensionEvent>['type'];

// ---------------------------------------------------------------------------------------
// Producers

/** What a step's producer needs to name the element of an id-only effect: the waits and incidents before the step. */
export interface StepElements {
  /** The element of a wait (task, job, timer, subscription, child, continuation) by its id. */
  wait(id: string): string | undefined;
  /** The element of an incident by its id. */
  incident(id: string): string | undefined;
}

/**
 * The elements of the waits and incidents of a state. With `snapshot`, of the state as it is
 * now (a shallow copy of its two maps), for a state about to be stepped in place.
 */
export function stepElementsOf(state: Partial<Pick<InstanceState, 'waits' | 'incidents'>>, snapshot = false): StepElements {
  const waits = snapshot ? { ...state.waits } : state.waits;
  const incidents = snapshot ? { ...state.incidents } : state.incidents;
  return { wait: (id) => waits?.[id]?.elementId, incident: (id) => incidents?.[id]?.elementId };
}

const ID_OF: Readonly<Record<IdOnlyEffectType, (e: Record<string, unknown>) => unknown>> = {
  taskCompleted: (e) => e.taskId,
  taskCancelled: (e) => e.taskId,
  jobCompleted: (e) => e.jobId,
  jobErrorThrown: (e) => e.jobId,
  jobFailed: (e) => e.jobId,
  jobRetried: (e) => e.jobId,
  jobCancelled: (e) => e.jobId,
  timerFired: (e) => e.timerId,
  timerCancelled: (e) => e.timerId,
  messageReceived: (e) => e.subscriptionId,
  messageUnsubscribed: (e) => e.subscriptionId,
  signalReceived: (e) => e.subscriptionId,
  signalUnsubscribed: (e) => e.subscriptionId,
  childCancelled: (e) => e.waitId,
  continuationFired: (e) => e.continuationId,
  continuationCancelled: (e) => e.continuationId,
  incidentResolved: (e) => e.incidentId,
  taskClaimed: (e) => e.taskId,
  taskUnclaimed: (e) => e.taskId,
  taskAssigned: (e) => e.taskId,
  taskUpdated: (e) => e.taskId,
  taskListenerDenied: (e) => e.taskId,
};

/** The wait or incident an effect opens, with its element (records carried by the effect itself). */
function opened(effect: Effect): { id: string; elementId: string; incident?: true } | undefined {
  switch (effect.type) {
    case 'taskOpened':
      return effect.task;
    case 'jobCreated':
      return effect.job;
    case 'timerScheduled':
      return effect.timer;
    case 'messageSubscribed':
    case 'signalSubscribed':
      return effect.subscription;
    case 'continuationScheduled':
      return effect.continuation;
    case 'childRequested':
      return { id: effect.request.waitId, elementId: effect.request.elementId };
    case 'incidentRaised':
      return { id: effect.incident.id, elementId: effect.incident.elementId, incident: true };
    default:
      return undefined;
  }
}

/** The element of the wait (or incident) `id` opened by an effect before `index` in the same step. */
function openedEarlier(effects: readonly Effect[], index: number, id: string, incident: boolean): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const record = opened(effects[i]);
    if (record && record.id === id && (record.incident === true) === incident) return record.elementId;
  }
  return undefined;
}

/**
 * The history events of one step, in order: its effects, each id-only one with the element
 * it concerns (from `before`, else from a record opened earlier in the same step). Effects
 * already naming their element come back as they are (no copy; the array itself when no
 * effect needed one).
 */
export function stepEvents(effects: readonly Effect[], before?: StepElements): readonly StepHistoryEvent[] {
  let events: StepHistoryEvent[] | undefined;
  for (let i = 0; i < effects.length; i++) {
    const effect = effects[i];
    const idOf = ID_OF[effect.type as IdOnlyEffectType];
    if (!idOf) continue;
    const id = idOf(effect as unknown as Record<string, unknown>);
    if (typeof id !== 'string') continue;
    const incident = effect.type === 'incidentResolved';
    const elementId = (incident ? before?.incident(id) : before?.wait(id)) ?? openedEarlier(effects, i, id, incident);
    if (elementId === undefined) continue;
    events ??= effects.slice();
    // (Object.assign: measured an order of magnitude faster than a spread here, on Node 20.)
    events[i] = Object.assign({}, effect, { elementId }) as StepHistoryEvent;
  }
  return events ?? effects;
}

/** The event of an official's change of a task's assignee. */
export function taskChangeEvent(
  type: TaskChangeEvent['type'],
  change: { taskId: string; elementId: string; assignee?: string | null; previousAssignee?: string | null; by?: string | null },
): TaskChangeEvent {
  return {
    type,
    taskId: change.taskId,
    elementId: change.elementId,
    ...(change.assignee != null ? { assignee: change.assignee } : {}),
    ...(change.previousAssignee != null ? { previousAssignee: change.previousAssignee } : {}),
    ...(change.by != null ? { by: change.by } : {}),
  };
}

/** The event of a comment on a task. */
export function taskCommentEvent(comment: { taskId: string; elementId: string; commentId: string; by: string }): TaskCommentEvent {
  return { type: 'taskCommented', taskId: comment.taskId, elementId: comment.elementId, commentId: comment.commentId, by: comment.by };
}

/** The event of a task found past its due date (`overdue`) or its follow-up date (`followUp`) by the inbox scan. */
export function passedDateEvent(kind: 'overdue' | 'followUp', task: { id: string; elementId: string; assignee?: string | null }): PassedDateEvent {
  return {
    type: kind === 'overdue' ? 'taskOverdue' : 'taskFollowUp',
    taskId: task.id,
    elementId: task.elementId,
    ...(task.assignee != null ? { assignee: task.assignee } : {}),
  };
}

const NAMESPACED = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)+$/;

/** Is `type` an extension type (`<namespace>.<name>`)? */
export function isExtensionType(type: string): type is ExtensionEventType {
  return NAMESPACED.test(type);
}

/**
 * An event of a layer above the engine, checked: its type must be dotted (`dossier.received`),
 * so that it can never be taken for one of the engine's. Throws a TypeError otherwise.
 */
export function extensionEvent<E extends ExtensionEvent>(event: E): E {
  if (!isExtensionType(event.type)) throw new TypeError(`history: an extension event's type must be '<namespace>.<name>', not '${event.type}'`);
  return event;
}

// ---------------------------------------------------------------------------------------
// The row a run of events is stored in

/**
 * Event types that make a row `push` (migration 0006's `history_push_idx`): the live
 * inboxes hear about them. The push feed reads these or a subset.
 */
export const PUSH_EVENT_TYPES: ReadonlySet<string> = new Set<EngineHistoryEventType>([
  'taskOpened',
  'taskClaimed',
  'taskUnclaimed',
  'taskAssigned',
  'taskCommented',
  'taskCompleted',
  'taskCancelled',
  'taskUpdated',
  'taskOverdue',
  'taskFollowUp',
  'incidentRaised',
]);

/** Where the element of an event is, for the types whose element is in a record they carry. */
const NESTED_ELEMENT: Readonly<Record<string, (e: Record<string, any>) => unknown>> = {
  taskOpened: (e) => e.task?.elementId,
  jobCreated: (e) => e.job?.elementId,
  timerScheduled: (e) => e.timer?.elementId,
  continuationScheduled: (e) => e.continuation?.elementId,
  messageSubscribed: (e) => e.subscription?.elementId,
  signalSubscribed: (e) => e.subscription?.elementId,
  incidentRaised: (e) => e.incident?.elementId,
  childRequested: (e) => e.request?.elementId,
};

/** The BPMN element an event concerns, if it names one. */
export function elementOfEvent(event: HistoryEvent | { type: string; [field: string]: unknown }): string | undefined {
  const e = event as Record<string, unknown>;
  const found = NESTED_ELEMENT[event.type]?.(e) ?? e.elementId;
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/** The columns of the history row one command (or one change) writes, besides who and when. */
export interface HistoryRecord {
  /** The first event's type. */
  type: string;
  /** The first event's element. */
  elementId: string | undefined;
  /** Some event is one the live inboxes hear about. */
  push: boolean;
  events: readonly HistoryEvent[];
}

/** The history row of a run of events (at least one), in order. */
export function historyRecord(events: readonly HistoryEvent[]): HistoryRecord {
  const first = events[0];
  return { type: first.type, elementId: elementOfEvent(first), push: events.some((e) => PUSH_EVENT_TYPES.has(e.type)), events };
}

// ---------------------------------------------------------------------------------------
// The parser

/** What a field must be: a string, a number, a boolean, an object, or an object with string `id` and `elementId`. */
type FieldKind = 'string' | 'number' | 'boolean' | 'object' | 'record';

/** Required fields of every engine event type (optional ones are not checked: old rows lack some). */
const REQUIRED: Readonly<Record<EngineHistoryEventType, Readonly<Record<string, FieldKind>>>> = {
  instanceStarted: { processId: 'string', definitionId: 'string' },
  instanceEnded: { status: 'string' },
  instanceSuspended: {},
  instanceResumed: {},
  elementActivated: { elementId: 'string', elementType: 'string' },
  elementCompleted: { elementId: 'string', elementType: 'string' },
  elementTerminated: { elementId: 'string', elementType: 'string' },
  flowTaken: { flowId: 'string' },
  variablesSet: { variables: 'object' },
  taskOpened: { task: 'record' },
  taskCompleted: { taskId: 'string' },
  taskCancelled: { taskId: 'string' },
  jobCreated: { job: 'record' },
  jobCompleted: { jobId: 'string' },
  jobErrorThrown: { jobId: 'string', errorCode: 'string' },
  jobFailed: { jobId: 'string' },
  jobRetried: { jobId: 'string' },
  jobCancelled: { jobId: 'string' },
  timerScheduled: { timer: 'record' },
  timerFired: { timerId: 'string' },
  timerCancelled: { timerId: 'string' },
  messageSubscribed: { subscription: 'record' },
  messageReceived: { subscriptionId: 'string' },
  messageUnsubscribed: { subscriptionId: 'string' },
  signalSubscribed: { subscription: 'record' },
  signalReceived: { subscriptionId: 'string' },
  signalUnsubscribed: { subscriptionId: 'string' },
  signalThrown: { signalName: 'string' },
  escalationThrown: { escalationCode: 'string', elementId: 'string' },
  errorThrown: { errorCode: 'string', elementId: 'string' },
  childRequested: { request: 'object' },
  childCancelled: { waitId: 'string' },
  continuationScheduled: { continuation: 'record' },
  continuationFired: { continuationId: 'string' },
  continuationCancelled: { continuationId: 'string' },
  errorEscaped: { errorCode: 'string' },
  escalationEscaped: { escalationCode: 'string' },
  incidentRaised: { incident: 'record' },
  incidentResolved: { incidentId: 'string' },
  taskClaimed: { taskId: 'string' },
  taskUnclaimed: { taskId: 'string' },
  taskAssigned: { taskId: 'string' },
  taskCommented: { taskId: 'string' },
  taskOverdue: { taskId: 'string' },
  taskFollowUp: { taskId: 'string' },
  taskUpdated: { taskId: 'string', changes: 'object' },
  taskListenerDenied: { taskId: 'string', eventType: 'string' },
};

/** Is `type` one of the engine's own event types? */
export function isEngineEventType(type: string): type is EngineHistoryEventType {
  return Object.prototype.hasOwnProperty.call(REQUIRED, type);
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function fieldProblem(value: unknown, kind: FieldKind): string | undefined {
  switch (kind) {
    case 'record':
      if (!isObject(value)) return 'is not an object';
      if (typeof value.id !== 'string' || value.id === '') return 'has no id';
      if (typeof value.elementId !== 'string' || value.elementId === '') return 'has no elementId';
      return undefined;
    case 'object':
      return isObject(value) ? undefined : 'is not an object';
    default:
      return typeof value === kind ? undefined : `is not a ${kind}`;
  }
}

/** A stored event read back: the event, or why it is not one. */
export type ParsedHistoryEvent = { ok: true; event: HistoryEvent } | { ok: false; reason: string };

/**
 * Reads one stored event: a JSON object whose `type` is one of the engine's (with its
 * required fields, of the right kinds) or an extension type (carried as it is). Anything
 * else is malformed, with the reason (naming the type and the field). Never throws.
 */
export function parseHistoryEvent(value: unknown): ParsedHistoryEvent {
  if (!isObject(value)) return { ok: false, reason: 'the event is not a JSON object' };
  const type = value.type;
  if (typeof type !== 'string' || type === '') return { ok: false, reason: 'the event has no type' };
  if (isEngineEventType(type)) {
    for (const [field, kind] of Object.entries(REQUIRED[type])) {
      const problem = fieldProblem(value[field], kind);
      if (problem) return { ok: false, reason: `the ${type} event's ${field} ${problem}` };
    }
    if (value.elementId !== undefined && typeof value.elementId !== 'string') return { ok: false, reason: `the ${type} event's elementId is not a string` };
    return { ok: true, event: value as unknown as HistoryEvent };
  }
  if (isExtensionType(type)) return { ok: true, event: value as ExtensionEvent };
  return { ok: false, reason: `the event type '${type.slice(0, 100)}' is unknown` };
}

/**
 * Reads a row's stored `events` (a JSON array, or its text): each event parsed, in order,
 * with its place in the row. `events` undefined when the value is not a list at all.
 */
export function parseStoredEvents(stored: unknown): { events: Array<ParsedHistoryEvent & { seq: number }> } | { events: undefined; reason: string } {
  let list = stored;
  if (typeof stored === 'string') {
    try {
      list = JSON.parse(stored);
    } catch {
      return { events: undefined, reason: 'the events are not JSON' };
    }
  }
  if (!Array.isArray(list)) return { events: undefined, reason: 'the events are not a JSON array' };
  return { events: list.map((value, seq) => ({ ...parseHistoryEvent(value), seq })) };
}
