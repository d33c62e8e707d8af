/**
 * Effects: past-tense facts produced by one `step`. The shell persists them
 * (tasks, jobs, timers, subscriptions, incidents tables) and appends every one
 * of them to the instance's history, in order.
 */
import type { OneStopShopFacts } from '../model/graph';
import type { Json, Variables, InstanceStatus } from './state';
import type { IncidentCause } from './incident-cause';

export interface TaskRecord {
  id: string;
  elementId: string;
  elementInstanceKey: number;
  name?: string;
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  /** Epoch milliseconds, when the model gives a due date. */
  dueAt?: number;
  followUpAt?: number;
  formKey?: string;
  facts?: OneStopShopFacts;
}

export interface JobRecord {
  id: string;
  elementId: string;
  elementInstanceKey: number;
  jobType: string;
  retries: number;
  headers: Record<string, string>;
  /** Variables visible at the element when the job was created (inputs applied). */
  variables: Variables;
  /**
   * A task listener's job that no element waits for (a `canceling` listener: its task is gone);
   * its completion is recorded, nothing else moves.
   */
  detached?: boolean;
}

/** Task fields a task listener corrected (Camunda's `corrections`); `null` clears a field. */
export interface TaskChanges {
  assignee?: string | null;
  dueAt?: number | null;
  followUpAt?: number | null;
  candidateUsers?: string[];
  candidateGroups?: string[];
  priority?: number;
}

export interface TimerRecord {
  id: string;
  elementId: string;
  elementInstanceKey: number;
  dueAt: number;
}

export interface SubscriptionRecord {
  id: string;
  elementId: string;
  elementInstanceKey: number;
  messageName: string;
  correlationKey: string;
}

export interface SignalSubscriptionRecord {
  id: string;
  elementId: string;
  elementInstanceKey: number;
  signalName: string;
}

/** Work of an element left for a follow-up command, run by the job executor in a transaction of its own. */
export interface ContinuationRecord {
  id: string;
  elementId: string;
  elementInstanceKey: number;
}

export interface ChildRequest {
  waitId: string;
  elementId: string;
  elementInstanceKey: number;
  processId: string;
  bindingType: 'latest' | 'versionTag' | 'deployment';
  versionTag?: string;
  variables: Variables;
  /** How deep the called instance will be in its chain of callers (1 for a child of a top-level instance). */
  depth?: number;
}

export type Effect =
  | { type: 'instanceStarted'; processId: string; definitionId: string; businessKey?: string; variables: Variables }
  | { type: 'instanceEnded'; status: Exclude<InstanceStatus, 'active'>; variables: Variables }
  | { type: 'instanceSuspended'; reason?: string }
  | { type: 'instanceResumed' }
  | { type: 'elementActivated'; elementId: string; elementType: string; key: number }
  | { type: 'elementCompleted'; elementId: string; elementType: string; key: number }
  | { type: 'elementTerminated'; elementId: string; elementType: string; key: number }
  | { type: 'flowTaken'; flowId: string }
  | { type: 'variablesSet'; scopeKey: number; variables: Variables }
  | { type: 'taskOpened'; task: TaskRecord }
  | { type: 'taskCompleted'; taskId: string; variables: Variables }
  | { type: 'taskCancelled'; taskId: string }
  /** A task's assignment after its assigning listeners (tasks without them are assigned outside the steps: task-assignments.ts). */
  | { type: 'taskClaimed'; taskId: string; assignee: string }
  | { type: 'taskUnclaimed'; taskId: string; previousAssignee?: string }
  | { type: 'taskAssigned'; taskId: string; assignee: string; previousAssignee?: string }
  /** Task listeners corrected these fields of the task. */
  | { type: 'taskUpdated'; taskId: string; changes: TaskChanges }
  /** A task listener denied a transition (assigning, updating, completing): the task stays as it was. */
  | { type: 'taskListenerDenied'; taskId: string; eventType: string; deniedReason: string }
  | { type: 'jobCreated'; job: JobRecord }
  | { type: 'jobCompleted'; jobId: string }
  /** A job worker reported a BPMN error instead of a result: the job is gone, the error is thrown at its element. */
  | { type: 'jobErrorThrown'; jobId: string; errorCode: string; errorMessage?: string }
  | { type: 'jobFailed'; jobId: string; retries: number; errorMessage: string }
  | { type: 'jobRetried'; jobId: string; retries: number }
  | { type: 'jobCancelled'; jobId: string }
  | { type: 'timerScheduled'; timer: TimerRecord }
  | { type: 'timerFired'; timerId: string }
  | { type: 'timerCancelled'; timerId: string }
  | { type: 'messageSubscribed'; subscription: SubscriptionRecord }
  | { type: 'messageReceived'; subscriptionId: string; messageName: string }
  | { type: 'messageUnsubscribed'; subscriptionId: string }
  | { type: 'signalSubscribed'; subscription: SignalSubscriptionRecord }
  | { type: 'signalReceived'; subscriptionId: string; signalName: string }
  | { type: 'signalUnsubscribed'; subscriptionId: string }
  | { type: 'signalThrown'; signalName: string; variables: Variables }
  | { type: 'escalationThrown'; escalationCode: string; elementId: string; caught: boolean }
  | { type: 'errorThrown'; errorCode: string; elementId: string; caught: boolean }
  | { type: 'childRequested'; request: ChildRequest }
  | { type: 'childCancelled'; waitId: string }
  | { type: 'continuationScheduled'; continuation: ContinuationRecord }
  | { type: 'continuationFired'; continuationId: string }
  | { type: 'continuationCancelled'; continuationId: string }
  /** An uncaught BPMN error leaves a child instance: the shell throws it at the parent's call activity. */
  | { type: 'errorEscaped'; errorCode: string; errorMessage?: string; variables: Variables }
  /** An uncaught escalation leaves a child instance: the shell throws it at the parent's call activity. */
  | { type: 'escalationEscaped'; escalationCode: string }
  | { type: 'incidentRaised'; incident: { id: string; elementId: string; elementInstanceKey: number; kind: string; cause: IncidentCause; message: string; jobId?: string } }
  | { type: 'incidentResolved'; incidentId: string };

export type EffectType = Effect['type'];

export type { Json };
