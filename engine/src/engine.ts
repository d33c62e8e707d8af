/**
 * The command executor: the shell around the pure runtime.
 *
 * Every public method is one command = one transaction: load and row-lock
 * the instance, `step()` it, persist state and effects, run the follow-ups
 * that must be atomic with it (start a called child, notify a parent, deliver
 * a buffered message), commit, and only then publish what happened. Deadlocks
 * between instances (parent ↔ child) are retried.
 *
 * @example
 *   const engine = new Engine({ store });
 *   await engine.deploy(xml);
 *   const { instanceId } = await engine.startInstance({ processId: 'birth-registration' });
 */
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ConflictError, DeploymentRejectedError, InvalidInputError, MessageNotCorrelatedError, NotFoundError } from './errors';
import { deferredCallJob, deferredCallOf } from './deferred-calls';
import { applyLimits, limitsWith, NO_MODEL_LIMITS, type Limits } from './limits';
import { compileDefinitions, loadProcessModels, parseBpmn } from './model';
import type { ProcessGraph } from './model/graph';
import type { Command } from './runtime/commands';
import type { Effect } from './runtime/effects';
import type { InstanceState, Variables } from './runtime/state';
import { ROOT, instanceIdOf } from './runtime/state';
import { checkCycleInterval } from './runtime/event-definitions/waits';
import { step, stepOwned } from './runtime/step';
import { assertStorableText, storableText } from './runtime/storable-text';
import { assertVariables } from './runtime/variables';
import { workingTimeWithoutCalendar, type StepOptions, type TaskWarning } from './runtime/working-time';
import type { CalendarProvider } from './calendar/index';
import { firstDue, nextDue, parseTimer } from './timer';
import type { AgencyScope, DefinitionRecord, DefinitionSummary, EngineStore, InstanceRecord, JobRow, ProcessOwnerRecord, StoreTransaction } from './store/ports';

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
  /** Bounds on what models, their data and callers may ask for (defaults: `DEFAULT_LIMITS` in limits.ts; the FEEL budget and size bounds are process-wide: the last engine constructed sets them). */
  limits?: Partial<Limits>;
  /** Working calendars by agency, for statutory times and the FEEL working-time functions (default: none, working time counts as calendar time). */
  calendars?: CalendarProvider;
  /** When a task due by its statutory time gets its follow-up (warning) date (default: none). */
  taskWarning?: TaskWarning;
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
  wants(effect: Effect): boolean;
  onStep(tx: StoreTransaction, step: ListenedStep): Promise<void>;
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

type FollowUp = { instanceId: string; command: Exclude<Command, { type: 'start' }> } | { start: StartInput };

interface StartInput {
  definition: DefinitionSummary;
  variables: Variables;
  businessKey?: string;
  startEventId?: string;
  parent?: { instanceId: string; waitId: string; depth?: number };
}

const MAX_ATTEMPTS = 5;

/** When the jobs of a suspended instance are due: never, until it is resumed. */
const SUSPENDED_JOB_DUE = Date.UTC(9999, 11, 31);

/** What one transaction did: events to publish and instance rows to remember, once it has committed. */
class Outbox {
  readonly events: CommittedEvent[] = [];
  readonly records = new Map<string, InstanceRecord>();
  /** Set when jobs were written outside a step's effects (deferred child starts): wake the executor. */
  jobsWritten = false;
  /** Child starts queued in this transaction and not yet written (they count against the chunk). */
  pendingStarts = 0;

  add(record: InstanceRecord, event: CommittedEvent): void {
    this.events.push(event);
    this.records.set(record.id, record);
  }
}

/**
 * The last committed row of recently used instances, for the optimistic path:
 * a command on a remembered instance is computed from it and written in one
 * guarded statement; a stale entry (another process moved the instance on)
 * fails the guard and the command takes the locking path. Bounded, least
 * recently used out first.
 */
class InstanceCache {
  private readonly entries = new Map<string, InstanceRecord>();

  constructor(private readonly max: number) {}

  get(id: string): InstanceRecord | undefined {
    const record = this.entries.get(id);
    if (record) {
      this.entries.delete(id);
      this.entries.set(id, record);
    }
    return record;
  }

  remember(record: InstanceRecord): void {
    this.entries.delete(record.id);
    if (record.status !== 'active' || this.max === 0) return;
    this.entries.set(record.id, record);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  /** Removes and returns a record: the caller owns it (and may change its state) until it remembers a new one. */
  take(id: string): InstanceRecord | undefined {
    const record = this.entries.get(id);
    this.entries.delete(id);
    return record;
  }
}

/** Effects whose follow-ups read or lock other rows: such steps take the locking path. */
function needsFollowUps(state: InstanceState, effects: Effect[]): boolean {
  for (const effect of effects) {
    switch (effect.type) {
      case 'childRequested':
      case 'childCancelled':
      case 'messageSubscribed':
      case 'errorEscaped':
      case 'escalationEscaped':
        return true;
      case 'instanceEnded':
        if (state.parent) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

export class Engine {
  /** Emits 'committed' (CommittedEvent) after each commit, and 'jobs' when jobs or timers were created. */
  readonly events = new EventEmitter();
  readonly store: EngineStore;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly maxXmlBytes: number;
  /** The limits in force: checked at deploy, and passed to every step. */
  readonly limits: Readonly<Limits>;
  private readonly graphs = new Map<string, Promise<ProcessGraph>>();
  private readonly cache: InstanceCache;
  private readonly stepOptions: StepOptions;
  /**
   * The latest version of each process this engine has looked up, for starts
   * without a look-up; the start's write re-checks that no newer version exists.
   */
  private readonly latest = new Map<string, DefinitionSummary>();
  private readonly listeners: StepListener[];

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    this.maxXmlBytes = options.maxXmlBytes ?? 5 * 1024 * 1024;
    this.limits = limitsWith(options.limits);
    this.cache = new InstanceCache(options.cachedInstances ?? 10_000);
    this.listeners = [...(options.listeners ?? [])];
    this.stepOptions = { calendars: options.calendars, taskWarning: options.taskWarning, limits: this.limits };
    this.events.setMaxListeners(100);
    applyLimits(this.limits);
  }

  /** Registers a {@link StepListener}; returns what unregisters it. */
  addStepListener(listener: StepListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Does a listener want one of these effects? (Then the step must run in a transaction.) */
  private listened(effects: readonly Effect[]): boolean {
    return this.listeners.length > 0 && this.listeners.some((listener) => effects.some((effect) => listener.wants(effect)));
  }

  /** Shows a written step to the listeners that want it, inside its transaction. */
  private async notifyListeners(tx: StoreTransaction, step: ListenedStep): Promise<void> {
    for (const listener of this.listeners) {
      if (step.effects.some((effect) => listener.wants(effect))) await listener.onStep(tx, step);
    }
  }

  // ------------------------------------------------------------------ deploy

  /**
   * Validates and stores a BPMN document; each process in it becomes a new
   * version, unless its XML is identical to the latest version (then that one
   * is returned). Rejects with every problem at once; stores nothing then.
   */
  async deploy(xml: string, options: DeployOptions = {}): Promise<DeployResult> {
    assertStorableText({ name: options.name, resourceName: options.resourceName }, '');
    // Parse once; compile twice only when call activities name processes outside the document,
    // which are then looked up (without their XML) among the deployed ones.
    const { definitions: parsed, warnings } = await parseBpmn(xml, { maxBytes: this.maxXmlBytes, maxNestingDepth: this.limits.maxNestingDepth });
    const asked = new Set<string>();
    const limits = this.limits;
    let compiled = compileDefinitions(parsed, { warnings, limits, knownProcessIds: (id: string) => (asked.add(id), true) });
    if (asked.size > 0) {
      const deployed = await this.store.transaction(async (tx) => {
        const found = new Set<string>();
        for (const id of asked) if (await tx.latestDefinition(id)) found.add(id);
        return found;
      });
      compiled = compileDefinitions(parsed, { warnings, limits, knownProcessIds: (id: string) => deployed.has(id) });
    }
    const { graphs, problems } = compiled;
    if (problems.length > 0) throw new DeploymentRejectedError(`the BPMN document has ${problems.length} problem(s)`, problems);
    if (graphs.length === 0) throw new DeploymentRejectedError('the BPMN document has no executable process', [{ elementId: '', reason: 'no executable process' }]);
    if (!this.stepOptions.calendars) for (const graph of graphs) warnings.push(...workingTimeWithoutCalendar(graph));
    const hash = createHash('sha256').update(xml);
    if (options.fingerprint) hash.update('\0').update(options.fingerprint);
    const xmlHash = hash.digest('hex');
    const now = this.now();
    const deploymentId = this.newId();
    const result = await this.transaction(async (tx) => {
      const definitions: DeployResult['definitions'] = [];
      let inserted = false;
      for (const graph of graphs) {
        await tx.lockName(`deploy:${graph.processId}`);
        const owner = await tx.processOwner(graph.processId);
        const modelAgency = graph.facts?.agency;
        options.checkOwnership?.({ processId: graph.processId, owner, modelAgency });
        const agency = modelAgency ?? owner?.agency ?? options.agency;
        if (!owner && agency !== undefined) {
          await tx.insertProcessOwner({ processId: graph.processId, agency, createdAt: now, createdBy: options.actor });
        }
        const latest = await tx.latestDefinition(graph.processId);
        if (latest && latest.xmlHash === xmlHash) {
          definitions.push({ id: latest.id, processId: graph.processId, version: latest.version, duplicate: true });
          continue;
        }
        if (!inserted) {
          await tx.insertDeployment({ id: deploymentId, name: options.name, resourceName: options.resourceName, createdAt: now, createdBy: options.actor });
          inserted = true;
        }
        const version = (latest?.version ?? 0) + 1;
        const definition: DefinitionRecord = {
          id: `${graph.processId}:${version}:${xmlHash.slice(0, 8)}`,
          processId: graph.processId,
          version,
          versionTag: graph.versionTag,
          name: graph.name,
          deploymentId,
          xml,
          xmlHash,
          createdAt: now,
          agency,
        };
        await tx.insertDefinition(definition);
        await this.registerStartEvents(tx, graph, definition, now);
        definitions.push({ id: definition.id, processId: graph.processId, version, duplicate: false });
      }
      // All duplicates: answer with the deployment that holds the existing version.
      const existing = inserted ? deploymentId : (await tx.definitionById(definitions[0].id))?.deploymentId ?? deploymentId;
      const result = { deploymentId: existing, definitions, warnings };
      if (inserted) await options.within?.(tx, result);
      return result;
    });
    this.events.emit('jobs');
    return result;
  }

  /** Message, signal and timer start events of the newest version replace those of older versions. */
  private async registerStartEvents(tx: StoreTransaction, graph: ProcessGraph, definition: DefinitionRecord, now: number): Promise<void> {
    const messages = [];
    const signals = [];
    const timers: JobRow[] = [];
    for (const startId of graph.startEvents) {
      const node = graph.nodes[startId];
      if (node.type !== 'startEvent' || !node.eventDefinition) continue;
      const def = node.eventDefinition;
      const id = `${definition.id}/${startId}`;
      if (def.kind === 'message') messages.push({ id, definitionId: definition.id, elementId: startId, messageName: staticText(def.messageName) });
      else if (def.kind === 'signal') signals.push({ id, definitionId: definition.id, elementId: startId, signalName: staticText(def.signalName) });
      else if (def.kind === 'timer') {
        const timer = parseTimer(def.timerType, staticText(def.expression));
        timers.push({
          id,
          definitionId: definition.id,
          elementId: startId,
          kind: 'start-timer',
          jobType: 'start-timer',
          retries: 3,
          dueAt: firstDue(timer, now),
          headers: {},
          variables: {},
          payload: { timerType: def.timerType, expression: staticText(def.expression), fired: 0 },
        });
      }
    }
    await tx.replaceStartEvents(graph.processId, messages, signals, timers);
  }

  /** The compiled graph of a stored definition (cached; definitions never change). */
  async graph(definitionId: string): Promise<ProcessGraph> {
    let cached = this.graphs.get(definitionId);
    if (!cached) {
      cached = (async () => {
        const definition = await this.store.transaction((tx) => tx.definitionById(definitionId));
        if (!definition) throw new NotFoundError(`definition '${definitionId}' does not exist`, { definitionId });
        return this.compileStored(definition);
      })();
      this.graphs.set(definitionId, cached);
      cached.catch(() => this.graphs.delete(definitionId));
    }
    return cached;
  }

  private async compileStored(definition: DefinitionRecord): Promise<ProcessGraph> {
    // Accepted once: a limit lowered since must not make it unloadable (run-time checks still apply).
    const { graphs } = await loadProcessModels(definition.xml, { maxBytes: Number.MAX_SAFE_INTEGER, knownProcessIds: () => true, limits: NO_MODEL_LIMITS });
    const graph = graphs.find((g) => g.processId === definition.processId);
    if (!graph) throw new NotFoundError(`process '${definition.processId}' is missing from its stored XML`);
    // A model without an agency belongs to the agency recorded at deploy (its process id's owner): its steps too.
    if (definition.agency !== undefined && graph.facts?.agency === undefined) return { ...graph, facts: { ...graph.facts, agency: definition.agency } };
    return graph;
  }

  private async graphIn(tx: StoreTransaction, definitionId: string): Promise<ProcessGraph> {
    const cached = this.graphs.get(definitionId);
    if (cached) return cached;
    const definition = await tx.definitionById(definitionId);
    if (!definition) throw new NotFoundError(`definition '${definitionId}' does not exist`, { definitionId });
    const promise = this.compileStored(definition);
    this.graphs.set(definitionId, promise);
    return promise;
  }

  // ------------------------------------------------------------------ commands

  /** Starts an instance of the latest (or the given) version of a process. */
  async startInstance(options: StartOptions): Promise<{ instanceId: string; definitionId: string; version: number; status: string }> {
    const variables = assertVariables(options.variables);
    if (options.businessKey !== undefined && (typeof options.businessKey !== 'string' || options.businessKey.length > 200)) {
      throw new InvalidInputError('businessKey must be a string of at most 200 characters', { field: 'businessKey' });
    }
    assertStorableText({ businessKey: options.businessKey, processId: options.processId, definitionId: options.definitionId, startEventId: options.startEventId }, '');
    if (options.processId && options.definitionId === undefined && options.version === undefined && !options.within) {
      const known = this.latest.get(options.processId);
      // A refused check on a remembered version is asked again of the version the locking path finds.
      const started = known && (!options.checkDefinition || passes(options.checkDefinition, known)) && (await this.tryOptimisticStart(known, variables, options));
      if (started) return started;
    }
    const started = await this.transaction(async (tx, published) => {
      const definition = await this.resolveDefinition(tx, options);
      options.checkDefinition?.(definition);
      const added = await options.within?.(tx, definition);
      const state = await this.startIn(tx, { definition, variables: added ? { ...variables, ...assertVariables(added) } : variables, businessKey: options.businessKey, startEventId: options.startEventId }, options.actor, published);
      return { instanceId: state.id, definitionId: definition.id, version: definition.version, status: state.status };
    });
    return started;
  }

  private async resolveDefinition(tx: StoreTransaction, options: StartOptions): Promise<DefinitionSummary> {
    if (options.definitionId) {
      const found = await tx.definitionById(options.definitionId);
      if (!found) throw new NotFoundError(`definition '${options.definitionId}' does not exist`, { field: 'definitionId' });
      return found;
    }
    if (!options.processId) throw new InvalidInputError('processId or definitionId is required', { field: 'processId' });
    if (options.version !== undefined) {
      // Inside the command's transaction: on the embedded database a read outside it waits for the one connection it holds.
      const found = await tx.definitionByVersion(options.processId, options.version);
      if (!found) throw new NotFoundError(`process '${options.processId}' has no version ${options.version}`, { field: 'version' });
      return found;
    }
    const latest = await tx.latestDefinition(options.processId);
    if (!latest) throw new NotFoundError(`process '${options.processId}' is not deployed`, { field: 'processId' });
    this.latest.set(options.processId, latest);
    return latest;
  }

  /**
   * A start on the version this engine last saw as the latest, written in one
   * statement that applies only if no newer version exists (no look-up first).
   * Undefined when it did not apply (then the caller looks the version up) or
   * when the start needs follow-ups in its transaction (buffered messages).
   */
  private async tryOptimisticStart(
    definition: DefinitionSummary,
    variables: Variables,
    options: StartOptions,
  ): Promise<{ instanceId: string; definitionId: string; version: number; status: string } | undefined> {
    const input: StartInput = { definition, variables, businessKey: options.businessKey, startEventId: options.startEventId };
    const { record, effects, now } = this.firstStep(await this.graph(definition.id), input, options.actor);
    if (needsFollowUps(record.state, effects) || this.listened(effects)) return undefined;
    let applied: boolean | undefined;
    try {
      applied = await this.store.applyStartIfLatest(record, effects, { now, actor: options.actor }, definition.version);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      applied = false;
    }
    if (!applied) {
      this.latest.delete(record.processId);
      return undefined;
    }
    this.cache.remember(record);
    this.publish([{ instanceId: record.id, processId: record.processId, definitionId: record.definitionId, effects, actor: options.actor, at: now }]);
    return { instanceId: record.id, definitionId: definition.id, version: definition.version, status: record.status };
  }

  /** Completes a user task. A task completed or cancelled meanwhile gives a ConflictError. */
  async completeTask(taskId: string, options: { variables?: Variables; actor?: string } = {}): Promise<void> {
    const variables = assertVariables(options.variables);
    const command: Command = { type: 'completeTask', taskId, variables, actor: options.actor };
    const instanceId = instanceIdOf(taskId);
    if (this.cache.get(instanceId)?.state.waits[taskId]?.kind === 'task' && (await this.tryOptimistic(instanceId, command))) return;
    await this.transaction(async (tx, published) => {
      const instance = await tx.lockInstanceOfTask(taskId);
      if (!instance || !instance.state.waits[taskId]) {
        // Slow path, for a precise answer: unknown, or completed/cancelled (perhaps by a concurrent command).
        const task = await tx.task(taskId);
        if (!task) throw new NotFoundError(`task '${taskId}' does not exist`, { taskId });
        throw new ConflictError(`task '${taskId}' is already ${task.state === 'open' ? 'closed' : task.state}`, { taskId, state: task.state });
      }
      await this.runLocked(tx, instance, command as Exclude<Command, { type: 'start' }>, published);
    });
  }

  /** Completes a job (service task, send task, ...), with its result variables. */
  async completeJob(jobId: string, options: { variables?: Variables; actor?: string } = {}): Promise<void> {
    await this.onJob(jobId, { type: 'completeJob', jobId, variables: assertVariables(options.variables), actor: options.actor });
  }

  /** Reports a failed attempt; with retries left the job is due again at `retryAt`, else an incident opens. */
  async failJob(jobId: string, options: { retries: number; errorMessage: string; retryAt?: number; actor?: string }): Promise<void> {
    await this.onJob(jobId, { type: 'failJob', jobId, retries: options.retries, errorMessage: storableText(String(options.errorMessage)), actor: options.actor }, options.retryAt);
  }

  /** A job worker reports a BPMN error (caught by an error boundary or event sub-process, else an incident). */
  async throwJobError(jobId: string, options: { errorCode: string; errorMessage?: string; variables?: Variables; actor?: string }): Promise<void> {
    if (!options.errorCode) throw new InvalidInputError('errorCode is required', { field: 'errorCode' });
    assertStorableText(options.errorCode, 'errorCode');
    if (options.errorMessage !== undefined) options = { ...options, errorMessage: storableText(String(options.errorMessage)) };
    await this.onJob(jobId, { type: 'throwError', waitId: jobId, errorCode: options.errorCode, errorMessage: options.errorMessage, variables: options.variables, actor: options.actor });
  }

  private async onJob(jobId: string, command: Exclude<Command, { type: 'start' }>, retryAt?: number): Promise<void> {
    await this.transaction(async (tx, published) => {
      const job = await tx.job(jobId);
      if (!job || !job.instanceId) throw new NotFoundError(`job '${jobId}' does not exist`, { jobId });
      const instance = await tx.lockInstance(job.instanceId);
      if (!instance || !(await tx.job(jobId))) throw new ConflictError(`job '${jobId}' was completed by a concurrent command`, { jobId });
      await this.runLocked(tx, instance, command, published, retryAt);
    });
  }

  /** Fires a due timer job, or runs a continuation job (the job executor calls this inside its claim). */
  async fireTimer(jobId: string): Promise<boolean> {
    return this.transaction(async (tx, published) => {
      const job = await tx.job(jobId);
      if (!job?.instanceId) return false;
      const instance = await tx.lockInstance(job.instanceId);
      if (!instance || !(await tx.job(jobId))) return false; // fired or cancelled meanwhile
      if (instance.status !== 'active') {
        await tx.deleteJob(jobId);
        return false;
      }
      const call = deferredCallOf(job);
      if (call) {
        await tx.deleteJob(jobId);
        if (!instance.state.waits[call.waitId]) return false; // the call activity ended meanwhile
        const definition = await tx.definitionById(call.definitionId);
        if (!definition) throw new NotFoundError(`definition '${call.definitionId}' of a deferred call does not exist`, { definitionId: call.definitionId });
        const parent = { instanceId: instance.id, waitId: call.waitId, depth: call.depth };
        await this.startIn(tx, { definition, variables: job.variables, parent }, 'engine', published);
        return true;
      }
      const command: Exclude<Command, { type: 'start' }> =
        job.kind === 'continuation' ? { type: 'continue', waitId: jobId, actor: 'engine' } : { type: 'fireTimer', waitId: jobId, actor: 'timer' };
      await this.runLocked(tx, instance, command, published);
      return true;
    });
  }

  /** Fires a due timer start event: a new instance, and the next occurrence of a cycle. */
  async fireStartTimer(jobId: string): Promise<string | undefined> {
    return this.transaction(async (tx, published) => {
      const job = await tx.job(jobId);
      if (!job?.definitionId) return undefined;
      const definition = await tx.definitionById(job.definitionId);
      if (!definition) {
        await tx.deleteJob(jobId);
        return undefined;
      }
      const payload = (job.payload ?? {}) as { timerType: 'date' | 'duration' | 'cycle'; expression: string; fired: number };
      const timer = parseTimer(payload.timerType, payload.expression);
      // Deployed before the minimum existed (or was raised): refused here, so the executor backs off and gives up.
      checkCycleInterval(timer, job.elementId, this.limits.minTimerCycleMs);
      const state = await this.startIn(tx, { definition, variables: {}, startEventId: job.elementId }, 'timer', published);
      const fired = (payload.fired ?? 0) + 1;
      if (timer.kind === 'cycle' && (timer.repetitions === null || fired < timer.repetitions)) {
        await tx.deleteJob(jobId);
        await tx.insertJob({ ...job, dueAt: nextDue(timer.interval, job.dueAt), lockOwner: undefined, lockExpiresAt: undefined, payload: { ...payload, fired } });
      } else {
        await tx.deleteJob(jobId);
      }
      return state.id;
    });
  }

  /**
   * Correlates a message: to every instance subscription waiting with this
   * name and correlation key, else to a message start event, else it is
   * buffered (when a time to live is given) or rejected.
   */
  async correlateMessage(options: CorrelateOptions): Promise<{ instanceIds: string[]; buffered: boolean }> {
    if (!options.messageName || typeof options.messageName !== 'string') throw new InvalidInputError('messageName is required', { field: 'messageName' });
    assertStorableText({ messageName: options.messageName, correlationKey: options.correlationKey, messageId: options.messageId }, '');
    const variables = assertVariables(options.variables);
    const correlationKey = options.correlationKey ?? '';
    return this.transaction(async (tx, published) => {
      const subscriptions = correlationKey ? await tx.messageSubscriptions(options.messageName, correlationKey, options.agency) : [];
      const seen = new Set<string>();
      for (const subscription of subscriptions) {
        if (!subscription.instanceId || seen.has(subscription.instanceId)) continue;
        const instance = await tx.lockInstance(subscription.instanceId);
        if (!instance || !instance.state.waits[subscription.id]) continue;
        seen.add(instance.id);
        await this.runLocked(tx, instance, { type: 'deliverMessage', waitId: subscription.id, messageName: options.messageName, variables, actor: options.actor }, published);
      }
      if (seen.size === 0) {
        for (const start of await tx.messageStartSubscriptions(options.messageName, options.agency)) {
          const definition = await tx.definitionById(start.definitionId);
          if (!definition) continue;
          const state = await this.startIn(tx, { definition, variables, businessKey: options.correlationKey, startEventId: start.elementId }, options.actor, published);
          seen.add(state.id);
        }
      }
      if (seen.size > 0) return { instanceIds: [...seen], buffered: false };
      if (options.timeToLiveMs && options.timeToLiveMs > 0) {
        await tx.insertBufferedMessage({
          id: this.newId(),
          messageName: options.messageName,
          correlationKey,
          variables,
          messageId: options.messageId,
          expiresAt: this.now() + options.timeToLiveMs,
          agency: options.agency,
        });
        return { instanceIds: [], buffered: true };
      }
      throw new MessageNotCorrelatedError(`no instance waits for message '${options.messageName}' with correlation key '${correlationKey}'`, {
        messageName: options.messageName,
        correlationKey,
      });
    });
  }

  /** Broadcasts a signal to every waiting instance and every signal start event (of `options.agency`, when given). */
  async broadcastSignal(signalName: string, options: BroadcastOptions = {}): Promise<{ instanceIds: string[] }> {
    if (!signalName || typeof signalName !== 'string') throw new InvalidInputError('signalName is required', { field: 'signalName' });
    assertStorableText(signalName, 'signalName');
    const variables = assertVariables(options.variables);
    return this.transaction(async (tx, published) => ({ instanceIds: await this.broadcastIn(tx, signalName, variables, options.actor, published, options.agency) }));
  }

  /**
   * Delivers a signal thrown inside an instance (queued as a job so it survives a crash),
   * then drops the job. It reaches only instances and start events of the throwing
   * instance's agency (those of no agency when it has none): a procedure never moves
   * another agency's dossiers.
   */
  async deliverSignalJob(jobId: string): Promise<boolean> {
    return this.transaction(async (tx, published) => {
      const job = await tx.job(jobId);
      if (!job || job.kind !== 'signal') return false;
      const payload = (job.payload ?? {}) as { signalName?: string; from?: string };
      await tx.deleteJob(jobId);
      const scope: AgencyScope = payload.from ? ((await tx.agencyOfInstance(payload.from)) ?? null) : undefined;
      if (payload.signalName) await this.broadcastIn(tx, payload.signalName, job.variables, 'signal', published, scope);
      return true;
    });
  }

  private async broadcastIn(
    tx: StoreTransaction,
    signalName: string,
    variables: Variables,
    actor: string | undefined,
    published: Outbox,
    scope: AgencyScope,
  ): Promise<string[]> {
    const ids: string[] = [];
    const done = new Set<string>();
    for (const subscription of await tx.signalSubscriptions(signalName, scope)) {
      if (!subscription.instanceId) {
        const definition = await tx.definitionById(subscription.definitionId);
        if (!definition) continue;
        const state = await this.startIn(tx, { definition, variables, startEventId: subscription.elementId }, actor, published);
        ids.push(state.id);
        continue;
      }
      if (done.has(subscription.instanceId)) continue;
      done.add(subscription.instanceId);
      const instance = await tx.lockInstance(subscription.instanceId);
      if (!instance || instance.status !== 'active') continue;
      await this.runLocked(tx, instance, { type: 'deliverSignal', signalName, variables, actor }, published);
      ids.push(instance.id);
    }
    return ids;
  }

  /** Cancels an instance (and its called children). Children of a call activity are cancelled through their parent. */
  async cancelInstance(instanceId: string, options: { actor?: string; reason?: string } = {}): Promise<void> {
    await this.onInstance(instanceId, { type: 'cancel', reason: options.reason, actor: options.actor }, (instance) => {
      if (instance.parentInstanceId) {
        throw new ConflictError(`instance '${instanceId}' was called by '${instance.parentInstanceId}': cancel the parent`, { parentInstanceId: instance.parentInstanceId });
      }
    });
  }

  /**
   * Suspends an instance: it stays where it is, every command that would move it on is refused
   * until {@link resumeInstance}; cancel still works. ConflictError when it is already suspended.
   */
  async suspendInstance(instanceId: string, options: { actor?: string; reason?: string } = {}): Promise<void> {
    await this.onHeldJobs(instanceId, { type: 'suspend', reason: options.reason, actor: options.actor }, SUSPENDED_JOB_DUE);
  }

  /** Resumes a suspended instance (ConflictError when it is not suspended). */
  async resumeInstance(instanceId: string, options: { actor?: string } = {}): Promise<void> {
    await this.onHeldJobs(instanceId, { type: 'resume', actor: options.actor }, undefined);
  }

  /**
   * Suspend or resume, and in the same transaction hold or release the jobs of the instance's
   * service tasks: a worker would otherwise run them while suspended and see its report refused.
   * Released jobs are due at once.
   */
  private async onHeldJobs(instanceId: string, command: Extract<Command, { type: 'suspend' | 'resume' }>, dueAt: number | undefined): Promise<void> {
    await this.transaction(async (tx, published) => {
      const instance = await tx.lockInstance(instanceId);
      if (!instance) throw new NotFoundError(`instance '${instanceId}' does not exist`, { instanceId });
      await this.runLocked(tx, instance, command, published);
      for (const wait of Object.values(instance.state.waits)) {
        if (wait.kind === 'job') await tx.updateJob(wait.id, { dueAt: dueAt ?? this.now(), lockOwner: undefined, lockExpiresAt: undefined });
      }
    });
  }

  /** Sets variables of an instance (the process scope, or a local scope by element instance key). */
  async setVariables(instanceId: string, variables: Variables, options: { scopeKey?: number; actor?: string } = {}): Promise<void> {
    await this.onInstance(instanceId, { type: 'setVariables', variables: assertVariables(variables), scopeKey: options.scopeKey, actor: options.actor });
  }

  /** Resolves an incident: a job incident gets `retries` again, others re-run the step that failed. */
  async resolveIncident(incidentId: string, options: { retries?: number; actor?: string } = {}): Promise<void> {
    await this.transaction(async (tx, published) => {
      const incident = await tx.incident(incidentId);
      if (!incident) throw new NotFoundError(`incident '${incidentId}' does not exist`, { incidentId });
      if (incident.state !== 'open') throw new ConflictError(`incident '${incidentId}' is already resolved`, { incidentId });
      const instance = await tx.lockInstance(incident.instanceId);
      if (!instance) throw new NotFoundError(`instance '${incident.instanceId}' does not exist`);
      await this.runLocked(tx, instance, { type: 'resolveIncident', incidentId, retries: options.retries, actor: options.actor }, published);
    });
  }

  private async onInstance(instanceId: string, command: Exclude<Command, { type: 'start' }>, check?: (instance: InstanceRecord) => void): Promise<void> {
    await this.transaction(async (tx, published) => {
      const instance = await tx.lockInstance(instanceId);
      if (!instance) throw new NotFoundError(`instance '${instanceId}' does not exist`, { instanceId });
      check?.(instance);
      await this.runLocked(tx, instance, command, published);
    });
  }

  // ------------------------------------------------------------------ the transaction shell

  /**
   * The optimistic path: step a remembered state and write it in one guarded
   * statement. False when the step needs the locking path (follow-ups, a
   * stale state, a step too large for one statement, or an error to report
   * from the current state).
   *
   * The record is taken out of the cache for the command and stepped in place
   * (no deep copy); it goes back only as the committed next record. So a
   * concurrent command on the same instance in this process finds no record and
   * takes the locking path, and a failed step or write leaves nothing stale behind.
   */
  private async tryOptimistic(instanceId: string, command: Exclude<Command, { type: 'start' }>): Promise<boolean> {
    const record = this.cache.take(instanceId);
    if (!record || record.status !== 'active') return false;
    const graph = await this.graph(record.definitionId);
    const revision = record.revision;
    const now = this.now();
    let result;
    try {
      result = stepOwned(graph, record.state, command, now, this.stepOptions);
    } catch {
      return false; // let the locking path answer from the current row
    }
    const { state, effects } = result;
    if (needsFollowUps(state, effects) || this.listened(effects)) return false;
    const next: InstanceRecord = { ...record, state, status: state.status, revision: revision + 1, endedAt: state.endedAt };
    let applied: boolean | undefined;
    try {
      applied = await this.store.applyStepIfCurrent(next, effects, { now, actor: command.actor }, revision);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      applied = false;
    }
    if (!applied) return false;
    this.cache.remember(next);
    this.publish([{ instanceId: next.id, processId: next.processId, definitionId: next.definitionId, effects, actor: command.actor, at: now }]);
    return true;
  }

  /**
   * Runs `work` in one transaction, retrying deadlocks and serialization
   * failures; events are published only after the commit.
   */
  private async transaction<T>(work: (tx: StoreTransaction, published: Outbox) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const published = new Outbox();
      try {
        const result = await this.store.transaction((tx) => work(tx, published));
        for (const record of published.records.values()) this.cache.remember(record);
        this.publish(published.events);
        if (published.jobsWritten) this.events.emit('jobs');
        return result;
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && isRetryable(error)) continue;
        throw error;
      }
    }
  }

  private publish(events: CommittedEvent[]): void {
    let jobs = false;
    for (const event of events) {
      this.events.emit('committed', event);
      if (!jobs) jobs = event.effects.some((e) => e.type === 'jobCreated' || e.type === 'timerScheduled' || e.type === 'continuationScheduled' || e.type === 'signalThrown' || e.type === 'jobFailed' || e.type === 'jobRetried');
    }
    if (jobs) this.events.emit('jobs');
  }

  private async startIn(tx: StoreTransaction, input: StartInput, actor: string | undefined, published: Outbox): Promise<InstanceState> {
    const { record, effects, now } = this.firstStep(await this.graphIn(tx, input.definition.id), input, actor);
    await tx.saveStep(record, effects, { now, actor }, 'insert');
    await this.afterStep(tx, record, effects, { now, actor }, published);
    return record.state;
  }

  /** The first step of a new instance and its row (written by the caller). */
  private firstStep(graph: ProcessGraph, input: StartInput, actor: string | undefined): { record: InstanceRecord; effects: Effect[]; now: number } {
    const now = this.now();
    const instanceId = this.newId();
    const { state, effects } = step(
      graph,
      undefined,
      { type: 'start', instanceId, definitionId: input.definition.id, variables: input.variables, businessKey: input.businessKey, startEventId: input.startEventId, parent: input.parent, actor },
      now,
      this.stepOptions,
    );
    const record: InstanceRecord = {
      id: instanceId,
      definitionId: input.definition.id,
      processId: graph.processId,
      businessKey: input.businessKey,
      status: state.status,
      state,
      revision: 1,
      parentInstanceId: input.parent?.instanceId,
      parentWaitId: input.parent?.waitId,
      startedAt: now,
      endedAt: state.endedAt,
    };
    return { record, effects, now };
  }

  private async runLocked(
    tx: StoreTransaction,
    instance: InstanceRecord,
    command: Exclude<Command, { type: 'start' }>,
    published: Outbox,
    retryAt?: number,
  ): Promise<void> {
    const graph = await this.graphIn(tx, instance.definitionId);
    const now = this.now();
    const { state, effects } = step(graph, instance.state, command, now, this.stepOptions);
    const record: InstanceRecord = { ...instance, state, status: state.status, revision: instance.revision + 1, endedAt: state.endedAt };
    await tx.saveStep(record, effects, { now, actor: command.actor, retryAt }, 'update');
    await this.afterStep(tx, record, effects, { now, actor: command.actor, retryAt }, published);
  }

  /** Runs the follow-ups of a saved step that must commit with it (children, parents, buffered messages). */
  private async afterStep(
    tx: StoreTransaction,
    instance: InstanceRecord,
    effects: Effect[],
    context: { now: number; actor?: string; retryAt?: number },
    published: Outbox,
  ): Promise<void> {
    published.add(instance, { instanceId: instance.id, processId: instance.processId, definitionId: instance.definitionId, effects, actor: context.actor, at: context.now });
    if (this.listeners.length > 0) await this.notifyListeners(tx, { instance, effects, now: context.now, actor: context.actor });
    const followUps: FollowUp[] = [];
    for (const effect of effects) {
      switch (effect.type) {
        case 'childRequested': {
          const request = effect.request;
          const definition =
            request.bindingType === 'versionTag' && request.versionTag
              ? await tx.definitionByVersionTag(request.processId, request.versionTag)
              : await tx.latestDefinition(request.processId);
          if (!definition) {
            throw new NotFoundError(`call activity '${request.elementId}' calls process '${request.processId}', which is not deployed`, {
              elementId: request.elementId,
              processId: request.processId,
            });
          }
          if (published.records.size + published.pendingStarts >= this.limits.multiInstanceChunk) {
            // Enough instances written in this transaction: start this child in one of its own (deferred-calls.ts).
            await tx.insertJob(deferredCallJob(instance.id, definition.id, request, context.now));
            published.jobsWritten = true;
            break;
          }
          published.pendingStarts++;
          followUps.push({ start: { definition, variables: request.variables, parent: { instanceId: instance.id, waitId: request.waitId, depth: request.depth } } });
          break;
        }
        case 'childCancelled': {
          const child = await tx.childInstance(instance.id, effect.waitId);
          if (child) followUps.push({ instanceId: child.id, command: { type: 'cancel', reason: 'parent terminated the call activity', actor: context.actor } });
          break;
        }
        case 'messageSubscribed': {
          const buffered = await tx.takeBufferedMessage(effect.subscription.messageName, effect.subscription.correlationKey, context.now, instance.definitionId);
          if (buffered) {
            followUps.push({
              instanceId: instance.id,
              command: { type: 'deliverMessage', waitId: effect.subscription.id, messageName: buffered.messageName, variables: buffered.variables, actor: context.actor },
            });
          }
          break;
        }
        case 'instanceEnded': {
          const parent = instance.state.parent;
          if (parent && effect.status === 'completed') {
            followUps.push({ instanceId: parent.instanceId, command: { type: 'completeChild', waitId: parent.waitId, variables: effect.variables, actor: context.actor } });
          }
          break;
        }
        case 'escalationEscaped': {
          const parent = instance.state.parent;
          if (parent) {
            followUps.push({ instanceId: parent.instanceId, command: { type: 'throwEscalation', waitId: parent.waitId, escalationCode: effect.escalationCode, actor: context.actor } });
          }
          break;
        }
        case 'errorEscaped': {
          const parent = instance.state.parent;
          if (parent) {
            followUps.push({
              instanceId: parent.instanceId,
              command: { type: 'throwError', waitId: parent.waitId, errorCode: effect.errorCode, errorMessage: effect.errorMessage, variables: effect.variables, actor: context.actor },
            });
          }
          break;
        }
        default:
          break;
      }
    }
    for (const followUp of followUps) {
      if ('start' in followUp) {
        published.pendingStarts--;
        await this.startIn(tx, followUp.start, context.actor, published);
        continue;
      }
      const target = await tx.lockInstance(followUp.instanceId);
      if (!target || target.status !== 'active') continue;
      if (followUp.command.type === 'deliverMessage' && !target.state.waits[followUp.command.waitId]) continue;
      await this.runLocked(tx, target, followUp.command, published);
    }
  }

  /** Variables of an instance's process scope. */
  async variables(instanceId: string): Promise<Variables> {
    const instance = await this.store.instance(instanceId);
    if (!instance) throw new NotFoundError(`instance '${instanceId}' does not exist`, { instanceId });
    return instance.state.elements[ROOT]?.vars ?? {};
  }
}

/** Whether a check passes (does not throw). */
function passes<T>(check: (value: T) => void, value: T): boolean {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

function staticText(expression: string): string {
  return expression.startsWith('=') ? expression.slice(1).trim().replace(/^"(.*)"$/, '$1') : expression;
}

/** PostgreSQL deadlock (40P01), serialization failure (40001), a lost prepared statement. */
function isRetryable(error: unknown): boolean {
  const e = error as { code?: string; parent?: { code?: string }; original?: { code?: string } } | undefined;
  const code = e?.code ?? e?.parent?.code ?? e?.original?.code;
  // 26000/42P05: a prepared statement vanished or exists already: on the embedded database all
  // connections share one session; the failed connection starts its statements over.
  return code === '40P01' || code === '40001' || code === '26000' || code === '42P05';
}
