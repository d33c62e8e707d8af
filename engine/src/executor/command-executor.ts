/**
 * The shell around the pure runtime: one command = one transaction.
 *
 * Two paths. The **locking path** loads and row-locks the instance, `step()`s it, writes the
 * state and effects, shows the step to the listeners, runs the follow-ups that must commit
 * with it (follow-ups.ts), commits, and only then publishes what happened. The **optimistic
 * path** steps the instance's last committed row kept in memory and writes it in one guarded
 * statement (no lock, one round trip); a stale row or a step with follow-ups falls back to
 * the locking path. A step listeners want stays on it only when every one of them is
 * `optimistic` and writes without reading (their queued writes travel with the step, in the
 * same round trip); else it falls back too. Transactions the database asks to run again
 * (RetryableStoreError, raised by the adapter) are run again a few times.
 *
 * The command files in ./commands use this class; the Engine facade wires it.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { RetryableStoreError } from '../errors';
import { stepElementsOf } from '../history/events';
import { applyLimits, limitsWith, type Limits } from '../limits';
import { silentLogger, type Logger } from '../logger';
import type { ProcessGraph } from '../model/graph';
import type { Command } from '../runtime/commands';
import type { Effect } from '../runtime/effects';
import type { InstanceState, Variables } from '../runtime/state';
import { step, stepOwned } from '../runtime/step';
import type { StepOptions } from '../runtime/working-time';
import type { DefinitionSummary, EngineStore, InstanceRecord, QueuedWrite, StoreTransaction, TransactionSql } from '../store/ports';
import { commandLogger } from './command-log';
import { needsFollowUps, runFollowUps } from './follow-ups';
import { GraphCache } from './graph-cache';
import { InstanceCache } from './instance-cache';
import type { CommittedEvent, EngineOptions, ListenedStep, StepListener, StepListenerOutcome } from './options';
import { TransactionOutcome } from './transaction-outcome';

/** A command on an existing instance (every command but `start`). */
export type InstanceCommand = Exclude<Command, { type: 'start' }>;

/** What starts an instance: a definition, its variables, and where it was called from. */
export interface StartInput {
  definition: DefinitionSummary;
  variables: Variables;
  businessKey?: string;
  startEventId?: string;
  parent?: { instanceId: string; waitId: string; depth?: number };
}

/** Who and when, for the history of a step (and `retryAt` for a failed job's next attempt). */
export interface StepContext {
  now: number;
  actor?: string;
  retryAt?: number;
}

const MAX_ATTEMPTS = 5;

export class CommandExecutor {
  /** Emits 'committed' (CommittedEvent) after each commit, and 'jobs' when jobs or timers were created. */
  readonly events = new EventEmitter();
  readonly store: EngineStore;
  readonly now: () => number;
  readonly newId: () => string;
  readonly maxXmlBytes: number;
  readonly limits: Readonly<Limits>;
  readonly stepOptions: StepOptions;
  readonly graphs: GraphCache;
  readonly cache: InstanceCache;
  /**
   * The latest version of each process this engine has looked up, for starts
   * without a look-up; the start's write re-checks that no newer version exists.
   */
  readonly latest = new Map<string, DefinitionSummary>();
  /** The executor's logger; a line about a command goes to its child (command-log.ts). */
  readonly logger: Logger;
  private readonly listeners: StepListener[];
  /** How long a task operation waits for its task listeners, and how often it looks meanwhile (task-commands.ts). */
  readonly taskListenerWaitMs: number;
  readonly taskListenerPollMs: number;

  constructor(options: EngineOptions) {
    this.taskListenerWaitMs = options.taskListenerWaitMs ?? 30_000;
    this.taskListenerPollMs = options.taskListenerPollMs ?? 200;
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    this.maxXmlBytes = options.maxXmlBytes ?? 5 * 1024 * 1024;
    this.limits = limitsWith(options.limits);
    this.graphs = new GraphCache(options.store);
    this.cache = new InstanceCache(options.cachedInstances ?? 10_000);
    this.listeners = [...(options.listeners ?? [])];
    this.logger = (options.logger ?? silentLogger).child({ component: 'executor' });
    this.stepOptions = { calendars: options.calendars, taskWarning: options.taskWarning, limits: this.limits };
    this.events.setMaxListeners(100);
    applyLimits(this.limits);
  }

  addStepListener(listener: StepListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Does a listener want one of these effects of this instance? (Then the step must run in a transaction.) */
  listened(effects: readonly Effect[], instance: InstanceRecord): boolean {
    return this.listeners.length > 0 && this.listeners.some((listener) => wantsStep(listener, instance, effects));
  }

  /**
   * Runs `work` in one transaction, running it again when the store says the database asked
   * for it; events are published only after the commit.
   */
  async transaction<T>(work: (tx: StoreTransaction, outcome: TransactionOutcome) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const outcome = new TransactionOutcome();
      try {
        const result = await this.store.transaction((tx) => work(tx, outcome));
        for (const committed of outcome.afterCommit) committed();
        for (const record of outcome.records.values()) this.cache.remember(record);
        this.publish(outcome.events);
        if (outcome.jobsWritten) this.events.emit('jobs');
        return result;
      } catch (error) {
        if (error instanceof RetryableStoreError) {
          const log = commandLogger(this.logger, outcome.command?.command, outcome.command?.instanceId);
          if (attempt < MAX_ATTEMPTS) {
            log.debug({ err: error, attempt }, 'the database asked to run the transaction again');
            continue;
          }
          log.warn({ err: error, attempts: attempt }, 'the transaction was asked to run again too often; giving up');
        }
        throw error;
      }
    }
  }

  /**
   * The optimistic path: step a remembered state and write it in one guarded
   * statement (with the optimistic listeners' writes); resolves with the step's time. Undefined when the step needs the locking path (follow-ups, a listener that reads, a
   * stale state, a step too large for one statement, or an error to report from the
   * current state).
   *
   * The record is taken out of the cache for the command and stepped in place (no deep
   * copy); it goes back only as the committed next record. So a concurrent command on the
   * same instance in this process finds no record and takes the locking path, and a failed
   * step or write leaves nothing stale behind.
   */
  async tryOptimistic(instanceId: string, command: InstanceCommand): Promise<number | undefined> {
    const record = this.cache.take(instanceId);
    if (!record || record.status !== 'active') return undefined;
    const graph = await this.graphs.graph(record.definitionId);
    const revision = record.revision;
    const now = this.now();
    // The state is stepped in place: history needs the elements of the waits it closes.
    const before = stepElementsOf(record.state, true);
    let result;
    try {
      result = stepOwned(graph, record.state, command, now, this.stepOptions);
    } catch (error) {
      commandLogger(this.logger, command, instanceId).debug({ err: error }, 'the remembered state refused the command; the locking path answers from the current row');
      return undefined;
    }
    const { state, effects } = result;
    const next: InstanceRecord = { ...record, state, status: state.status, revision: revision + 1, endedAt: state.endedAt };
    if (needsFollowUps(state, effects)) return undefined;
    let listened: { writes: QueuedWrite[]; afterCommit: Array<() => void> } | undefined;
    if (this.listened(effects, next)) {
      listened = await this.listenOptimistically({ instance: next, effects, now, actor: command.actor });
      if (!listened) return undefined;
    }
    if (!(await this.guarded(() => this.store.applyStepIfCurrent(next, effects, { now, actor: command.actor, before }, revision, listened?.writes)))) {
      commandLogger(this.logger, command, instanceId).debug({ revision }, 'the instance moved on since it was remembered; taking the locking path');
      return undefined;
    }
    if (listened) for (const committed of listened.afterCommit) committed();
    this.cache.remember(next);
    this.publish([{ instanceId: next.id, processId: next.processId, definitionId: next.definitionId, effects, actor: command.actor, at: now }]);
    return now;
  }

  /**
   * Shows a step to the listeners that want it, on a transaction that only queues writes
   * (see StepListener.optimistic): their writes and after-commit calls, or undefined when a
   * listener cannot (it is not optimistic, it read, or it failed: the locking path runs it
   * again and answers).
   */
  private async listenOptimistically(step: ListenedStep): Promise<{ writes: QueuedWrite[]; afterCommit: Array<() => void> } | undefined> {
    const wanting = this.listeners.filter((listener) => wantsStep(listener, step.instance, step.effects));
    if (wanting.some((listener) => !listener.optimistic)) return undefined;
    const writes: QueuedWrite[] = [];
    const tx = writesOnly(writes);
    const afterCommit: Array<() => void> = [];
    for (const listener of wanting) {
      try {
        const answer = outcomeOf(await listener.onStep(tx, step));
        // Due dates to move are a step of their own: the locking path writes it.
        if (answer.reschedule) return undefined;
        if (answer.afterCommit) afterCommit.push(answer.afterCommit);
      } catch {
        return undefined;
      }
    }
    return { writes, afterCommit };
  }

  /** Runs a guarded one-statement write; false when it did not apply or the database asked to run it again. */
  async guarded(write: () => Promise<boolean | undefined>): Promise<boolean> {
    try {
      return (await write()) === true;
    } catch (error) {
      if (error instanceof RetryableStoreError) return false;
      throw error;
    }
  }

  publish(events: CommittedEvent[]): void {
    let jobs = false;
    for (const event of events) {
      this.events.emit('committed', event);
      if (!jobs) jobs = event.effects.some((e) => e.type === 'jobCreated' || e.type === 'timerScheduled' || e.type === 'continuationScheduled' || e.type === 'signalThrown' || e.type === 'jobFailed' || e.type === 'jobRetried');
    }
    if (jobs) this.events.emit('jobs');
  }

  /** Starts an instance inside `tx`: its first step, written, with its follow-ups. */
  async startIn(tx: StoreTransaction, input: StartInput, actor: string | undefined, outcome: TransactionOutcome): Promise<InstanceState> {
    const { record, effects, now } = this.firstStep(await this.graphs.graphIn(tx, input.definition.id), input, actor);
    await tx.saveStep(record, effects, { now, actor }, 'insert');
    await this.afterStep(tx, record, effects, { now, actor }, outcome);
    return record.state;
  }

  /** The first step of a new instance and its row (written by the caller). */
  firstStep(graph: ProcessGraph, input: StartInput, actor: string | undefined): { record: InstanceRecord; effects: Effect[]; now: number } {
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

  /** Steps a locked instance inside `tx` and writes the step, with its follow-ups; resolves with the step's time. */
  async runLocked(tx: StoreTransaction, instance: InstanceRecord, command: InstanceCommand, outcome: TransactionOutcome, retryAt?: number): Promise<number> {
    const graph = await this.graphs.graphIn(tx, instance.definitionId);
    const now = this.now();
    outcome.command = { command, instanceId: instance.id };
    const { state, effects } = step(graph, instance.state, command, now, this.stepOptions);
    const record: InstanceRecord = { ...instance, state, status: state.status, revision: instance.revision + 1, endedAt: state.endedAt };
    // `step` stepped a copy: the state before still names the waits the step closed.
    await tx.saveStep(record, effects, { now, actor: command.actor, retryAt, before: stepElementsOf(instance.state) }, 'update');
    await this.afterStep(tx, record, effects, { now, actor: command.actor, retryAt }, outcome);
    return now;
  }

  /** After a written step: remember what to publish, show it to the listeners, run the follow-ups that must commit with it. */
  private async afterStep(tx: StoreTransaction, instance: InstanceRecord, effects: Effect[], context: StepContext, outcome: TransactionOutcome): Promise<void> {
    outcome.add(instance, { instanceId: instance.id, processId: instance.processId, definitionId: instance.definitionId, effects, actor: context.actor, at: context.now });
    if (this.listeners.length > 0) await this.notifyListeners(tx, { instance, effects, now: context.now, actor: context.actor }, outcome);
    await runFollowUps(this, tx, instance, effects, context, outcome);
  }

  /**
   * Shows a written step to the listeners that want it, inside its transaction; then writes the
   * due dates they asked to move, as a step of the same instance (re-read under its lock).
   */
  private async notifyListeners(tx: StoreTransaction, step: ListenedStep, outcome: TransactionOutcome): Promise<void> {
    const reschedules: NonNullable<StepListenerOutcome['reschedule']>[] = [];
    for (const listener of this.listeners) {
      if (!wantsStep(listener, step.instance, step.effects)) continue;
      const answer = outcomeOf(await listener.onStep(tx, step));
      if (answer.afterCommit) outcome.afterCommit.push(answer.afterCommit);
      if (answer.reschedule) reschedules.push(answer.reschedule);
    }
    for (const reschedule of reschedules) {
      const instance = await tx.lockInstance(step.instance.id);
      if (!instance || instance.status !== 'active') continue;
      await this.runLocked(tx, instance, { type: 'rescheduleTasks', ...reschedule, actor: step.actor }, outcome);
    }
  }
}

/** A listener's answer as an outcome (it may answer nothing, or only what to call after the commit). */
function outcomeOf(answer: void | (() => void) | StepListenerOutcome): StepListenerOutcome {
  if (!answer) return {};
  return typeof answer === 'function' ? { afterCommit: answer } : answer;
}

/** Thrown by the transaction of {@link writesOnly} when a listener reads: the step needs the locking path. */
class NeedsTransaction extends Error {}

/** A transaction that only queues writes into `writes` (the optimistic path's listeners'). */
function writesOnly(writes: QueuedWrite[]): StoreTransaction {
  const refuse = (): never => {
    throw new NeedsTransaction('a listener on the optimistic path read');
  };
  const sql: TransactionSql = {
    select: async () => refuse(),
    selectEach: async () => refuse(),
    selectUnprepared: async () => refuse(),
    run: async (text, bind = []) => {
      writes.push({ text, bind });
    },
  };
  return new Proxy({ sql } as unknown as StoreTransaction, {
    get: (target, property) => (property === 'sql' ? sql : property === 'then' ? undefined : async () => refuse()),
  });
}

function wantsStep(listener: StepListener, instance: InstanceRecord, effects: readonly Effect[]): boolean {
  return (!listener.wantsInstance || listener.wantsInstance(instance)) && effects.some((effect) => listener.wants(effect));
}
