/**
 * The engine's persistence port, in domain words. The engine shell talks only
 * to these interfaces; `store-sequelize/` implements them on PostgreSQL (and
 * on the embedded PGlite, which is PostgreSQL too).
 *
 * ## Contract
 * - Every method of `StoreTransaction` runs inside the transaction it belongs
 *   to: there is no way to forget to pass it (on PGlite a query outside the
 *   open transaction would wait forever).
 * - `lockInstance` takes a row lock held until commit: two commands on one
 *   instance never interleave.
 * - Records are plain objects; ORM models never leave the adapter.
 */
import type { StepElements } from '../history/events';
import type { Effect } from '../runtime/effects';
import type { InstanceState, Variables } from '../runtime/state';
import type { IncidentCause } from '../runtime/incident-cause';

export interface DeploymentRecord {
  id: string;
  name?: string;
  resourceName?: string;
  createdAt: number;
  createdBy?: string;
}

export interface DefinitionRecord {
  id: string;
  processId: string;
  version: number;
  versionTag?: string;
  name?: string;
  deploymentId: string;
  xml: string;
  xmlHash: string;
  createdAt: number;
  /**
   * The agency the version belongs to: its process's `motcua:facts agency`, else the
   * owner of its process id; absent when neither names one.
   */
  agency?: string;
}

/** A definition without its XML: what starting an instance needs. */
export type DefinitionSummary = Omit<DefinitionRecord, 'xml'>;

/** Who owns a process id: the agency that first deployed it (only that agency deploys new versions). */
export interface ProcessOwnerRecord {
  processId: string;
  agency: string;
  createdAt: number;
  createdBy?: string;
}

/**
 * Which agency's rows a command may reach: `undefined` every agency (internal callers,
 * such as the job executor), `null` only rows that belong to no agency, a string only
 * that agency's. An instance belongs to the agency of its definition.
 */
export type AgencyScope = string | null | undefined;

export interface InstanceRecord {
  id: string;
  definitionId: string;
  processId: string;
  businessKey?: string;
  status: InstanceState['status'];
  state: InstanceState;
  revision: number;
  parentInstanceId?: string;
  parentWaitId?: string;
  startedAt: number;
  endedAt?: number;
}

export interface TaskRow {
  id: string;
  instanceId: string;
  processId: string;
  definitionId: string;
  elementId: string;
  name?: string;
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  agency?: string;
  state: 'open' | 'completed' | 'cancelled';
  dueAt?: number;
  formKey?: string;
  createdAt: number;
  completedAt?: number;
  completedBy?: string;
}

export type JobKind = 'task' | 'timer' | 'start-timer' | 'signal' | 'continuation';

export interface JobRow {
  id: string;
  instanceId?: string;
  definitionId?: string;
  elementId: string;
  kind: JobKind;
  jobType: string;
  retries: number;
  dueAt: number;
  lockOwner?: string;
  lockExpiresAt?: number;
  errorMessage?: string;
  headers: Record<string, string>;
  variables: Variables;
  payload?: Record<string, unknown>;
}

export interface MessageSubscriptionRow {
  id: string;
  instanceId?: string;
  definitionId: string;
  elementId: string;
  messageName: string;
  correlationKey?: string;
}

export interface SignalSubscriptionRow {
  id: string;
  instanceId?: string;
  definitionId: string;
  elementId: string;
  signalName: string;
}

export interface BufferedMessageRow {
  id: string;
  messageName: string;
  correlationKey?: string;
  variables: Variables;
  messageId?: string;
  expiresAt: number;
  /** The agency that published it: only instances of that agency take it (absent: any instance). */
  agency?: string;
}

export interface IncidentRow {
  id: string;
  instanceId: string;
  elementId: string;
  kind: string;
  /** What was wrong (undefined for incidents raised before causes were recorded). */
  cause?: IncidentCause;
  message: string;
  jobId?: string;
  state: 'open' | 'resolved';
  createdAt: number;
}

/** One event of an instance's history (a history row holds a run of them: migration 0006). */
export interface HistoryRow {
  /** `<history row id>.<place of the event in the row, from 0>`. */
  id: string;
  instanceId: string;
  at: number;
  actor?: string;
  type: string;
  elementId?: string;
  data: Record<string, unknown>;
}

/** Who and when, recorded with every effect in history. */
export interface EffectContext {
  now: number;
  actor?: string;
  /** For `jobFailed`: when the job becomes due again. */
  retryAt?: number;
  /**
   * The elements of the waits and incidents before the step, so that history names the
   * element of an effect that names only a wait's id (`taskCompleted`); default: the
   * instance's state after the step (which no longer holds what the step closed).
   */
  before?: StepElements;
}

/**
 * SQL inside a command's transaction, for the adapters of the layers above the engine
 * (the API's forms, the dossier layer's rows) that must commit with the command or not at
 * all. Only adapters (`store-sequelize/` folders) use it; everything else speaks in the
 * port's domain words.
 */
export interface TransactionSql {
  /** Runs a statement now and returns its rows. */
  select(text: string, bind?: unknown[]): Promise<Array<Record<string, any>>>;
  /** Queues a statement whose result is not needed (sent with the next select or the commit). */
  run(text: string, bind?: unknown[]): Promise<void>;
  /**
   * Runs several statements now, in one round trip, and returns the rows of each. Each
   * statement sees what committed before it started (a read after a `FOR UPDATE` sees the
   * rows the lock's holder wrote).
   */
  selectEach(statements: ReadonlyArray<{ text: string; bind?: unknown[] }>): Promise<Array<Array<Record<string, any>>>>;
  /**
   * Runs a statement that cannot be prepared now (a cursor's `DECLARE`, `FETCH` or `CLOSE`),
   * its values written into it as literals, and returns its rows. A cursor lives until the
   * transaction ends: a long reading in batches, of one snapshot.
   */
  selectUnprepared(text: string, bind?: unknown[]): Promise<Array<Record<string, any>>>;
}

/** A statement queued through {@link TransactionSql.run}, to be sent later. */
export interface QueuedWrite {
  text: string;
  bind: unknown[];
}

/** Everything one command may read and write, inside one transaction. */
export interface StoreTransaction {
  /** The transaction's SQL, for other layers' adapters (see {@link TransactionSql}). */
  readonly sql: TransactionSql;
  insertDeployment(deployment: DeploymentRecord): Promise<void>;
  insertDefinition(definition: DefinitionRecord): Promise<void>;
  /** Latest version of a process, without its XML. */
  latestDefinition(processId: string): Promise<DefinitionSummary | undefined>;
  definitionById(id: string): Promise<DefinitionRecord | undefined>;
  definitionByVersionTag(processId: string, versionTag: string): Promise<DefinitionSummary | undefined>;
  /** One version of a process, without its XML. */
  definitionByVersion(processId: string, version: number): Promise<DefinitionSummary | undefined>;
  /** Takes a transaction-scoped advisory lock on a name (serializes deploys of one process id). */
  lockName(name: string): Promise<void>;
  /** The owner of a process id, if one was recorded. */
  processOwner(processId: string): Promise<ProcessOwnerRecord | undefined>;
  /** Records the owner of a process id; a process id that has one keeps it (the insert is then a no-op). */
  insertProcessOwner(owner: ProcessOwnerRecord): Promise<void>;

  /** Reads and row-locks an instance until commit. */
  lockInstance(id: string): Promise<InstanceRecord | undefined>;
  /** Reads and row-locks the instance that a task belongs to (one round trip). */
  lockInstanceOfTask(taskId: string): Promise<InstanceRecord | undefined>;
  /**
   * Reads and row-locks the instance that a task belongs to and the task row, in one round
   * trip: the task as it is under the lock (no claim can change it before commit).
   */
  lockTask(taskId: string): Promise<{ instance?: InstanceRecord; task?: TaskRow }>;
  childInstance(parentInstanceId: string, parentWaitId: string): Promise<InstanceRecord | undefined>;

  /**
   * Writes one step: the instance row (inserted for a start, updated otherwise)
   * and what its effects say (tasks, jobs, timers, subscriptions, incidents),
   * and appends every effect to history. Effects that cancel out within the
   * step (a task opened and cancelled) are written in their final form.
   */
  saveStep(instance: InstanceRecord, effects: Effect[], context: EffectContext, mode: 'insert' | 'update'): Promise<void>;

  task(id: string): Promise<TaskRow | undefined>;
  job(id: string): Promise<JobRow | undefined>;
  incident(id: string): Promise<IncidentRow | undefined>;

  /** Instance subscriptions waiting for this message and key, of instances in `scope` (the filter is in the query). */
  messageSubscriptions(messageName: string, correlationKey: string, scope?: AgencyScope): Promise<MessageSubscriptionRow[]>;
  /** Message start events of this name, of definitions in `scope`. */
  messageStartSubscriptions(messageName: string, scope?: AgencyScope): Promise<MessageSubscriptionRow[]>;
  /** Signal subscriptions (instances and start events) of this name, in `scope`. */
  signalSubscriptions(signalName: string, scope?: AgencyScope): Promise<SignalSubscriptionRow[]>;
  /** The agency of an instance's definition (undefined when it has none or the instance does not exist). */
  agencyOfInstance(instanceId: string): Promise<string | undefined>;
  /** Replaces the start-event subscriptions and start timers of a process id with those of its newest version. */
  replaceStartEvents(processId: string, messages: MessageSubscriptionRow[], signals: SignalSubscriptionRow[], timers: JobRow[]): Promise<void>;

  insertBufferedMessage(message: BufferedMessageRow): Promise<boolean>;
  /**
   * Takes (deletes and returns) the oldest live buffered message for a subscription of an
   * instance of `definitionId`: one published without an agency, or by the definition's agency.
   */
  takeBufferedMessage(messageName: string, correlationKey: string, now: number, definitionId: string): Promise<BufferedMessageRow | undefined>;

  insertJob(job: JobRow): Promise<void>;
  updateJob(id: string, changes: Partial<Pick<JobRow, 'dueAt' | 'retries' | 'lockOwner' | 'lockExpiresAt' | 'errorMessage'>>): Promise<void>;
  deleteJob(id: string): Promise<void>;
  /**
   * Claims due jobs for one worker (FOR UPDATE SKIP LOCKED, then a lock with
   * an expiry), so that N engine processes never run one job twice at once.
   */
  claimJobs(options: { now: number; owner: string; lockMs: number; limit: number; kinds: JobKind[]; jobTypes?: string[] }): Promise<JobRow[]>;
}

/** The store: transactions plus the reads that need none. */
export interface EngineStore {
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /**
   * Writes one step in a single statement (its own transaction) if, and only
   * if, the instance row still has `expectedRevision`: the optimistic path for
   * a state the engine already holds. Answers whether it applied; undefined
   * when the step is too large for one statement (use a transaction instead).
   *
   * `writes` are statements of other layers' adapters (a step listener's, queued through a
   * {@link TransactionSql}) that must commit with the step: they travel with it, in one
   * round trip and one transaction. Each must raise a serialization failure when what it was
   * computed from moved on (`motcua_expect`, migration 0026); then nothing applies and the
   * answer is a RetryableStoreError (or false when the step's own guard failed).
   */
  applyStepIfCurrent(instance: InstanceRecord, effects: Effect[], context: EffectContext, expectedRevision: number, writes?: ReadonlyArray<QueuedWrite>): Promise<boolean | undefined>;
  /**
   * Writes the first step of a new instance in a single statement (its own
   * transaction) if, and only if, its process has no version newer than
   * `latestVersion`: a start on the latest version the engine already knows,
   * without looking it up first. Answers whether it applied; undefined when the
   * step is too large for one statement.
   */
  applyStartIfLatest(instance: InstanceRecord, effects: Effect[], context: EffectContext, latestVersion: number): Promise<boolean | undefined>;
  /** Earliest due time of any job of these kinds, for the executor's next wake-up. */
  nextDueAt(kinds: JobKind[], jobTypes?: string[]): Promise<number | undefined>;
  /**
   * Records, once, that open user tasks passed a date: their due date (`overdue`: one
   * `taskOverdue` history event each) or their follow-up date (`followUp`: `taskFollowUp`),
   * at most `batchSize` tasks, oldest first; resolves with how many were recorded.
   *
   * ## Contract
   * Exactly once across any number of processes on one database: each task is marked and its
   * event written in one transaction, and concurrent callers split the work (no task twice).
   * A task completed at the same moment is recorded before, or not at all.
   */
  recordPassedDates(kind: 'overdue' | 'followUp', now: number, batchSize: number): Promise<number>;
  instance(id: string): Promise<InstanceRecord | undefined>;
  history(instanceId: string): Promise<HistoryRow[]>;
  tasks(filter: { instanceId?: string; state?: TaskRow['state'] }): Promise<TaskRow[]>;
  jobs(filter: { instanceId?: string; kind?: JobKind }): Promise<JobRow[]>;
  incidents(filter: { instanceId?: string; state?: IncidentRow['state'] }): Promise<IncidentRow[]>;
  definitions(processId?: string): Promise<DefinitionRecord[]>;
  /** True on the embedded database: one session, one node, pool of one. */
  readonly embedded: boolean;
  close(): Promise<void>;
}
