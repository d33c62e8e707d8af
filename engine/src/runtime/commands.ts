/**
 * Commands: what can be asked of one process instance. Imperative names,
 * a discriminated union on `type`. Every command may carry `actor`, the user
 * or system that asked, which history records.
 */
import type { Json, Variables } from './state';

interface Base {
  actor?: string;
}

/** Start a new instance (state must be `undefined`). */
export interface StartCommand extends Base {
  type: 'start';
  instanceId: string;
  definitionId: string;
  variables?: Variables;
  businessKey?: string;
  /** A start event other than the none start event (message or timer start). */
  startEventId?: string;
  /** Set when the instance is the child of a call activity. */
  parent?: { instanceId: string; waitId: string; depth?: number };
}

export interface CompleteTaskCommand extends Base {
  type: 'completeTask';
  taskId: string;
  variables?: Variables;
}

export interface CompleteJobCommand extends Base {
  type: 'completeJob';
  jobId: string;
  variables?: Variables;
  /** A task listener's verdict (Camunda's job `result` of type `userTask`): deny the transition, or correct the task. */
  result?: JobResult;
}

/** What a task listener's job may complete with (Camunda 8.8's `JobResultUserTask`). */
export interface JobResult {
  denied?: boolean;
  deniedReason?: string;
  corrections?: {
    assignee?: string | null;
    dueDate?: string | null;
    followUpDate?: string | null;
    candidateUsers?: string[] | null;
    candidateGroups?: string[] | null;
    priority?: number | null;
  };
}

/**
 * Claim, assign or unassign a user task that has assigning listeners: the listeners' jobs run
 * first, then the task is assigned (or the change is denied). Tasks without them are assigned
 * outside the steps (task-assignments.ts).
 */
export interface AssignTaskCommand extends Base {
  type: 'assignTask';
  taskId: string;
  action: 'claim' | 'assign' | 'unassign';
  /** The new assignee (a user id); absent to unassign. */
  assignee?: string;
  /** The assignee the task row has now (told by the caller: assignments outside the steps are not in the state). */
  previousAssignee?: string;
}

/** A job attempt failed: `retries` left; 0 raises an incident. */
export interface FailJobCommand extends Base {
  type: 'failJob';
  jobId: string;
  retries: number;
  errorMessage: string;
  /** Variables set in the local scope of the job's element (the next attempt sees them). */
  variables?: Variables;
}

/** A job worker reports a BPMN error: caught by error boundary/event sub-process or an incident. */
export interface ThrowErrorCommand extends Base {
  type: 'throwError';
  /** A job id, or the wait id of a call activity whose child ended with an uncaught error. */
  waitId: string;
  errorCode: string;
  errorMessage?: string;
  variables?: Variables;
}

/** An escalation escaped the child instance of a call activity: thrown at the call activity. */
export interface ThrowEscalationCommand extends Base {
  type: 'throwEscalation';
  /** The wait id of the call activity. */
  waitId: string;
  escalationCode: string;
}

/** Deliver a correlated message to one open message wait of this instance. */
export interface DeliverMessageCommand extends Base {
  type: 'deliverMessage';
  waitId: string;
  messageName: string;
  variables?: Variables;
}

/** A due timer of this instance fires. */
export interface FireTimerCommand extends Base {
  type: 'fireTimer';
  waitId: string;
}

/** Run the work an element left for a follow-up command (its `continuation` wait). */
export interface ContinueCommand extends Base {
  type: 'continue';
  waitId: string;
}

/** A broadcast signal reaches this instance (all matching signal waits trigger). */
export interface DeliverSignalCommand extends Base {
  type: 'deliverSignal';
  signalName: string;
  variables?: Variables;
}

/** The child instance of a call activity completed with these variables. */
export interface CompleteChildCommand extends Base {
  type: 'completeChild';
  waitId: string;
  variables?: Variables;
}

/**
 * The child a call activity asked for cannot start (its process is not deployed): the call
 * activity stops on an incident, and resolving it asks for the child again.
 */
export interface FailCallCommand extends Base {
  type: 'failCall';
  waitId: string;
  /** Why, naming the call activity and the process. */
  message: string;
}

/** Set variables in a scope (the process by default). */
export interface SetVariablesCommand extends Base {
  type: 'setVariables';
  variables: Variables;
  /** Element instance key of the scope; the process scope when absent. */
  scopeKey?: number;
}

/**
 * Move the due dates of open user tasks, and set process-scope variables with them (the
 * appointment the due dates follow): nothing else moves. Each due date is kept no later than
 * the instance's `appointmentAt` (as it is after `variables`); a task due by its statutory
 * time gets its follow-up (warning) date counted again from the new due date, one with a
 * `followUpDate` of its own keeps it. Each listed task gets a `taskUpdated` effect: the
 * caller lists only the tasks whose due date changes (the state does not hold due dates).
 */
export interface RescheduleTasksCommand extends Base {
  type: 'rescheduleTasks';
  /** The new due dates (epoch ms) of open user tasks of the instance, by task id. */
  tasks: Array<{ taskId: string; dueAt: number }>;
  /** Process-scope variables set first (e.g. `appointmentAt`). */
  variables?: Variables;
}

/** Resolve an incident: retry the failed job (with `retries`) or run the failed step again. */
export interface ResolveIncidentCommand extends Base {
  type: 'resolveIncident';
  incidentId: string;
  retries?: number;
}

/** Cancel the instance: every live element is terminated, nothing else runs. */
export interface CancelCommand extends Base {
  type: 'cancel';
  reason?: string;
}

/**
 * Suspend the instance: an operator stops it where it stands (for instance while an incident is
 * investigated). Every command that would move it on is refused with a ConflictError until
 * `resume`; cancel still works. A timer that falls due meanwhile is retried later by the job
 * executor, a job worker's report is refused.
 */
export interface SuspendCommand extends Base {
  type: 'suspend';
  reason?: string;
}

/** Resume a suspended instance: commands are accepted again, nothing else changes. */
export interface ResumeCommand extends Base {
  type: 'resume';
}

export type Command =
  | StartCommand
  | CompleteTaskCommand
  | CompleteJobCommand
  | AssignTaskCommand
  | FailJobCommand
  | ThrowErrorCommand
  | ThrowEscalationCommand
  | DeliverMessageCommand
  | FireTimerCommand
  | ContinueCommand
  | DeliverSignalCommand
  | CompleteChildCommand
  | FailCallCommand
  | SetVariablesCommand
  | RescheduleTasksCommand
  | ResolveIncidentCommand
  | CancelCommand
  | SuspendCommand
  | ResumeCommand;

export type CommandType = Command['type'];

export type { Json, Variables };
