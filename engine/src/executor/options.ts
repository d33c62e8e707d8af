/**
 * The engine's public option and result types: what callers pass to its commands and what
 * the listeners and subscribers of `engine.events` see.
 */
import type { RescheduleTasksCommand } from '../runtime/commands';
import type { CalendarProvider } from '../calendar/index';
import type { Limits } from '../limits';
import type { Logger } from '../logger';
import type { Effect } from '../runtime/effects';
import type { Variables } from '../runtime/state';
import type { TaskWarning } from '../runtime/working-time';
import type { DefinitionSummary, EngineStore, InstanceRecord, ProcessOwnerRecord, StoreTransaction } from '../store/ports';

export interface EngineOptions {
  store: EngineStore;
  /** The clock (epoch ms). Tests pass a controllable one. */
  now?: () => number;
  /** Ids of instances, deployments and definitions. */
  newId?: () => string;
  /** Largest BPMN document accepted by `deploy` (default 5 MB). */
  maxXmlBytes?: number;
  /** Instances whose last state is kept for the optimistic command path (default 10,000; 0 turns it off). */
  cachedInstances?: number;
  /** Code that commits with every step it wants (see {@link StepListener}); more can be added with `addStepListener`. */
  listeners?: StepListener[];
  /**
   * How long a task operation (claim, assign, complete) waits for its task listeners' jobs before
   * answering that they still run (default 30 s), and how often it looks for workers' results
   * committed by other processes meanwhile (default 200 ms).
   */
  taskListenerWaitMs?: number;
  taskListenerPollMs?: number;
  /** Bounds on what models, their data and callers may ask for (defaults: `DEFAULT_LIMITS` in limits.ts; the FEEL budget and size bounds are process-wide: the last engine constructed sets them). */
  limits?: Partial<Limits>;
  /** Working calendars by agency, for statutory times and the FEEL working-time functions (default: none, working time counts as calendar time). */
  calendars?: CalendarProvider;
  /** When a task due by its statutory time gets its follow-up (warning) date (default: none). */
  taskWarning?: TaskWarning;
  /** Where the executor's lines go (each about one command, with its kind, instance, task or job); default: nowhere. */
  logger?: Logger;
}

/** One written step, as a {@link StepListener} sees it inside the command's transaction. */
export interface ListenedStep {
  /** The instance row as the step left it. */
  instance: InstanceRecord;
  /** Every effect of the step, in order. */
  effects: readonly Effect[];
  now: number;
  actor?: string;
}

/**
 * Code outside the engine that must commit with a command or not at all: the dossier
 * layer's status, legal deadlines, audit entries, projections and outboxes. The model is
 * Camunda 7's history event handler and diagram-js's post-execute behaviors.
 *
 * ## Contract
 * - `onStep` runs inside the command's transaction, right after each step it wants is
 *   written (a command can write several steps: a called child, a parent resumed), and
 *   before the commit. It writes its own rows through `tx.sql` (its adapter's SQL).
 * - If it throws, the whole command rolls back and the caller gets the error: nothing of
 *   the step, nor of any other listener, is stored.
 * - `wants` is asked for each effect; a step with no wanted effect is not shown to the
 *   listener, and a command none of whose steps any listener wants keeps the engine's
 *   one-statement path (a listener costs nothing where it has nothing to write).
 * - Events are published to `engine.events` only after the commit, as without listeners.
 */
export interface StepListener {
  /**
   * Whether the listener wants the steps of this instance at all (default: every instance).
   * Asked before `wants`: the dossier layer wants only instances that run a dossier, so the
   * commands of every other instance keep the one-statement path.
   */
  wantsInstance?(instance: InstanceRecord): boolean;
  wants(effect: Effect): boolean;
  /**
   * Shows a written step. May resolve with a function to call once the command has
   * committed (never called when it rolled back): where a listener remembers what it wrote;
   * or with a {@link StepListenerOutcome}, which may also ask for due dates to move.
   */
  onStep(tx: StoreTransaction, step: ListenedStep): Promise<void | (() => void) | StepListenerOutcome>;
  /**
   * The listener may run on the optimistic path (default false). There its `onStep` gets a
   * transaction that queues writes and reads nothing: any read, and every method of `tx`
   * but `tx.sql.run`, throws, and the command takes the locking path (where `onStep` runs
   * again, with a real transaction). Its queued writes are sent with the step's guarded
   * statement, in one round trip; each must raise a serialization failure when what it was
   * computed from moved on (`motcua_expect`, migration 0026), so nothing is written from a
   * stale memory.
   */
  optimistic?: boolean;
}

/**
 * What a listener's `onStep` may answer. `reschedule`: the step moved what the instance's due
 * dates follow (a dossier's appointment, moved by a supplement the process received): the
 * engine writes a `rescheduleTasks` step of the same instance right after the listeners, in
 * the same transaction (never on the optimistic path: the command takes the locking path).
 */
export interface StepListenerOutcome {
  afterCommit?: () => void;
  reschedule?: Omit<RescheduleTasksCommand, 'type' | 'actor'>;
}

/** What a committed command did, published after commit to `engine.events` ('committed'). */
export interface CommittedEvent {
  instanceId: string;
  processId: string;
  definitionId: string;
  effects: Effect[];
  actor?: string;
  at: number;
}

export interface DeployResult {
  deploymentId: string;
  definitions: Array<{ id: string; processId: string; version: number; duplicate: boolean }>;
  warnings: string[];
}

/** What a deploy knows about one process of the document and its id, for {@link DeployOptions.checkOwnership}. */
export interface ProcessOwnershipFacts {
  processId: string;
  /** The agency that owns the process id (first deployed it); absent for a new id or one nobody owns yet. */
  owner?: ProcessOwnerRecord;
  /** The agency the model names (its process's `motcua:facts agency`). */
  modelAgency?: string;
}

/** Options of {@link Engine.deploy}: names for the record, who deploys, and the ownership check. */
export interface DeployOptions {
  name?: string;
  resourceName?: string;
  actor?: string;
  /**
   * What else makes this deployment what it is (e.g. a hash of the forms deployed with it):
   * the same XML with another fingerprint is a new version, never a duplicate.
   */
  fingerprint?: string;
  /** Runs inside the deploy's transaction when a new deployment was stored (not for a duplicate): what must commit with it. */
  within?: (tx: StoreTransaction, result: DeployResult) => Promise<void>;
  /**
   * The deploying agency: recorded as the owner of a new process id whose model names
   * no agency, and as the agency of versions whose model names none and whose id has no owner.
   */
  agency?: string;
  /**
   * The agency that owns what nothing else gives an agency (the model names none, its id has no
   * owner, the deploy named none): its officials and admins see its tasks and incidents.
   */
  defaultAgency?: string;
  /**
   * Refuse (DeploymentRejectedError naming the process) a process that would belong to no agency
   * even with `defaultAgency`: its tasks and incidents would be seen by nobody. Without it such a
   * process deploys with a warning (the engine's own callers: tests, embedding code).
   */
  requireAgency?: boolean;
  /**
   * Called inside the deploy transaction for each process, after its id is locked and its
   * owner read; throwing refuses the whole document (nothing is stored). The caller decides
   * who may deploy over whose process id: the engine only records ownership.
   */
  checkOwnership?: (facts: ProcessOwnershipFacts) => void;
}

export interface StartOptions {
  processId?: string;
  definitionId?: string;
  version?: number;
  variables?: Variables;
  businessKey?: string;
  actor?: string;
  /** Start at this start event (message or timer start) instead of the none start event. */
  startEventId?: string;
  /** Called with the definition about to be started; throwing refuses the start (nothing is stored). */
  checkDefinition?: (definition: DefinitionSummary) => void;
  /** Runs in the start's transaction before the first step (rows that must commit with the start, e.g. a dossier); the variables it returns are added. */
  within?: (tx: StoreTransaction, definition: DefinitionSummary) => Promise<Variables | void>;
}

export interface CorrelateOptions {
  messageName: string;
  correlationKey?: string;
  variables?: Variables;
  /** Keep the message this long when nothing waits for it yet (otherwise it is rejected). */
  timeToLiveMs?: number;
  /** Idempotency: a second message with the same id is ignored while the first is buffered. */
  messageId?: string;
  actor?: string;
  /**
   * Reach only instances (and message start events) of this agency; a buffered message
   * is then taken only by instances of it. Undefined: every agency (internal callers).
   */
  agency?: string;
}

/** Options of {@link Engine.broadcastSignal}. */
export interface BroadcastOptions {
  variables?: Variables;
  actor?: string;
  /** Reach only instances and signal start events of this agency. Undefined: every agency (internal callers). */
  agency?: string;
}
