/**
 * The state of one process instance: plain JSON, versioned, no Dates, no closures.
 *
 * Shape: a flat map of live element instances (each with its parent's key), a
 * map of open waits (tasks, jobs, timers, subscriptions, called children) that
 * commands refer to by id, and the variables, kept on the element instance
 * that owns a scope (the process itself is element instance 0).
 */
import type { IncidentCause } from './incident-cause';
import type { TaskRecord } from './effects';

/** JSON value of a process variable. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Variables = Record<string, Json>;

/** The key of the root element instance, which stands for the process itself. */
export const ROOT = 0;

export type ElementState = 'active' | 'waiting' | 'incident';

/** One live activation of a flow node (or of the process / a multi-instance body). */
export interface ElementInstance {
  key: number;
  elementId: string;
  /** Key of the enclosing element instance (a sub-process, multi-instance body, or ROOT); -1 for ROOT. */
  parent: number;
  state: ElementState;
  /** Local variables when this instance owns a variable scope. */
  vars?: Variables;
  /** Marks a multi-instance body (the element instance that holds the loop). */
  mi?: MultiInstanceLoop;
  /** For an inner instance of a multi-instance body: its loop counter (0-based). */
  loopIndex?: number;
  /** Ids of waits owned by this instance (its task/job/timer, boundary events, gateway events). */
  waits?: string[];
  /** Number of live child element instances (scopes only). */
  children?: number;
  /**
   * Variables carried by the event that activated this element (a boundary
   * event, a catch event reached through an event-based gateway); consumed on entry.
   */
  triggerResult?: Variables;
  /**
   * While execution listeners run: which ones (`start` before entering, `end` after completing),
   * how many of them are done, and (end) the flows to leave by afterwards.
   */
  listener?: { event: 'start' | 'end'; index: number; flows?: string[]; startEventId?: string };
  /** While a user task's task listeners run (see behaviors/task-listeners.ts): the transition under way. */
  taskTransition?: TaskTransition;
  /** For an event sub-process activated by an event: its start event and payload; consumed on entry. */
  startWith?: { startEventId: string; variables: Variables };
}

/** What a user task's listeners may correct (Camunda's `corrections`); `null` clears. */
export interface TaskCorrections {
  assignee?: string | null;
  dueAt?: number | null;
  followUpAt?: number | null;
  candidateUsers?: string[];
  candidateGroups?: string[];
  priority?: number;
}

/** A user task transition waiting for its task listeners' jobs, one after the other. */
export interface TaskTransition {
  event: 'creating' | 'assigning' | 'updating' | 'completing';
  /** How many of the event's listeners are done. */
  index: number;
  /** Corrections of the listeners done so far. */
  corrections: TaskCorrections;
  /** assigning: who asked (history), what (claim, assign, unassign) and the assignee asked for (null: none). */
  actor?: string;
  action?: 'claim' | 'assign' | 'unassign';
  assignee?: string | null;
  previousAssignee?: string;
  /** completing: the completion's variables. */
  variables?: Variables;
  /** creating: the task as it will open (its id is reserved). */
  task?: TaskRecord;
}

export interface MultiInstanceLoop {
  items: Json[];
  /** Next index to start (sequential) or number started (parallel). */
  next: number;
  completed: number;
  active: number;
  outputs?: Json[];
}

/** Something an element instance waits for, addressed by id from outside. */
export type Wait =
  | {
      id: string;
      kind: 'task';
      owner: number;
      elementId: string;
      /** Transitions that ran task listeners so far, and how the last one ended when listeners denied it. */
      transitions?: number;
      denied?: { transition: number; event: string; reason: string };
    }
  | { id: string; kind: 'job'; owner: number; elementId: string; retries: number; jobType: string; listener?: 'start' | 'end'; taskListener?: 'creating' | 'assigning' | 'updating' | 'completing' }
  | { id: string; kind: 'timer'; owner: number; elementId: string; dueAt: number; repetitions?: number; interval?: string }
  | { id: string; kind: 'message'; owner: number; elementId: string; messageName: string; correlationKey: string }
  | { id: string; kind: 'signal'; owner: number; elementId: string; signalName: string }
  | { id: string; kind: 'child'; owner: number; elementId: string }
  /** Work left for a follow-up command (a multi-instance body starting its next chunk of inner instances). */
  | { id: string; kind: 'continuation'; owner: number; elementId: string };

export type WaitKind = Wait['kind'];

/** A technical failure waiting for a person: resolved by `resolveIncident` after fixing its cause. */
export interface Incident {
  id: string;
  elementInstanceKey: number;
  elementId: string;
  kind: 'expression' | 'job' | 'unhandledError' | 'noOutgoingFlow' | 'calledElement' | 'limitExceeded';
  /** What was wrong (absent in states written before causes were recorded). */
  cause?: IncidentCause;
  message: string;
  /** The job to retry for `job` incidents. */
  jobId?: string;
  /** Operation to run again when the incident is resolved (for non-job incidents). */
  resume?: ResumePoint;
}

/** The operation that failed, to run again when its incident is resolved. */
export type ResumePoint = { op: 'enter' | 'complete' | 'leave'; key: number };

export type InstanceStatus = 'active' | 'completed' | 'terminated' | 'cancelled';

/** The whole, persisted state of one process instance. */
export interface InstanceState {
  /** Schema version of this JSON. */
  v: 1;
  id: string;
  processId: string;
  definitionId: string;
  businessKey?: string;
  status: InstanceStatus;
  /** Next key for an element instance or wait: keys are never reused. */
  nextKey: number;
  elements: Record<string, ElementInstance>;
  waits: Record<string, Wait>;
  incidents: Record<string, Incident>;
  /** Tokens arrived at joins, keyed `<scopeKey>/<gatewayId>`, value: incoming flow id → count. */
  joins: Record<string, Record<string, number>>;
  /** Set when this instance was started by a call activity of another instance. */
  parent?: { instanceId: string; waitId: string; depth?: number };
  startedAt: number;
  endedAt?: number;
  /**
   * Set while an operator has suspended the instance: it stays active, but nothing moves it on
   * (tasks, jobs, timers, messages, signals, incident retries are refused) until it is resumed.
   */
  suspended?: { at: number; actor?: string; reason?: string };
}

/**
 * The instance a wait (task, job, timer, subscription) belongs to. Wait and
 * incident ids are `<instance id>-<key>` (see `Execution.nextId`), so the
 * owner is known without a look-up.
 */
export function instanceIdOf(waitId: string): string {
  const dash = waitId.lastIndexOf('-');
  return dash > 0 ? waitId.slice(0, dash) : waitId;
}
