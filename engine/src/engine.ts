/**
 * The engine: BPMN processes deployed, run and stored, one command = one transaction.
 *
 * This class is the facade; the work is in ./executor: `command-executor.ts` (the
 * transaction shell with the optimistic and the locking paths), one file per kind of
 * command in `executor/commands/`, the follow-ups that commit with a step
 * (`follow-ups.ts`), and the caches of compiled graphs and of recently used instances.
 * Every command loads and row-locks the instance (or writes it in one guarded statement),
 * `step()`s it, persists state and effects, runs what must be atomic with it (a called
 * child, a parent, a buffered message, the step listeners), commits, and only then
 * publishes what happened on `events`.
 *
 * @example
 *   const engine = new Engine({ store });
 *   await engine.deploy(xml);
 *   const { instanceId } = await engine.startInstance({ processId: 'birth-registration' });
 */
import type { EventEmitter } from 'node:events';
import type { Limits } from './limits';
import type { ProcessGraph } from './model/graph';
import { ROOT, type Variables } from './runtime/state';
import type { EngineStore, InstanceRecord, StoreTransaction } from './store/ports';
import { NotFoundError } from './errors';
import { CommandExecutor } from './executor/command-executor';
import { deploy } from './executor/commands/deploy';
import { cancelInstance, rescheduleTasks, resolveIncident, resumeInstance, setVariables, suspendInstance, type TaskSchedule } from './executor/commands/instance-commands';
import { completeJob, failJob, fireStartTimer, fireTimer, throwJobError, type JobCheck } from './executor/commands/job-commands';
import { correlateMessage } from './executor/commands/message-commands';
import { broadcastSignal, deliverSignalJob } from './executor/commands/signal-commands';
import { startInstance, type StartedInstance } from './executor/commands/start';
import { assignTaskThroughListeners, completeTask, hasRememberedTaskListeners, hasTaskListeners, type CompleteTaskOptions, type TaskCompletion } from './executor/commands/task-commands';
import type { AssigningListeners } from './task-assignments';
import type { JobResult } from './runtime/commands';
import type { BroadcastOptions, CorrelateOptions, DeployOptions, DeployResult, EngineOptions, StartOptions, StepListener } from './executor/options';

export type { BroadcastOptions, CommittedEvent, CorrelateOptions, DeployOptions, DeployResult, EngineOptions, ListenedStep, ProcessOwnershipFacts, StartOptions, StepListener, StepListenerOutcome } from './executor/options';
export type { StartedInstance } from './executor/commands/start';
export type { TaskCompletion } from './executor/commands/task-commands';
export type { JobCheck } from './executor/commands/job-commands';
export type { TaskSchedule } from './executor/commands/instance-commands';

export class Engine {
  private readonly x: CommandExecutor;

  constructor(options: EngineOptions) {
    this.x = new CommandExecutor(options);
  }

  /** Emits 'committed' (CommittedEvent) after each commit, and 'jobs' when jobs or timers were created. */
  get events(): EventEmitter {
    return this.x.events;
  }

  get store(): EngineStore {
    return this.x.store;
  }

  /** The limits in force: checked at deploy, and passed to every step. */
  get limits(): Readonly<Limits> {
    return this.x.limits;
  }

  /** Registers a {@link StepListener}; returns what unregisters it. */
  addStepListener(listener: StepListener): () => void {
    return this.x.addStepListener(listener);
  }

  /**
   * Validates and stores a BPMN document; each process in it becomes a new version, unless
   * its XML is identical to the latest version (then that one is returned). Rejects with
   * every problem at once (DeploymentRejectedError); stores nothing then.
   */
  deploy(xml: string, options: DeployOptions = {}): Promise<DeployResult> {
    return deploy(this.x, xml, options);
  }

  /** The compiled graph of a stored definition (cached; definitions never change). */
  graph(definitionId: string): Promise<ProcessGraph> {
    return this.x.graphs.graph(definitionId);
  }

  /** Starts an instance of the latest (or the given) version of a process. */
  startInstance(options: StartOptions): Promise<StartedInstance> {
    return startInstance(this.x, options);
  }

  /** Completes a user task. A task completed or cancelled meanwhile gives a ConflictError. */
  completeTask(taskId: string, options: CompleteTaskOptions = {}): Promise<TaskCompletion> {
    return completeTask(this.x, taskId, options);
  }

  /**
   * Claims, assigns and unassigns tasks whose user task has assigning listeners (the listeners'
   * jobs run first): give it to `TaskAssignments` (option `listeners`).
   */
  get assigningListeners(): AssigningListeners {
    return {
      has: (task) => hasTaskListeners(this.x, task, 'assigning'),
      hasRemembered: (taskId) => hasRememberedTaskListeners(this.x, taskId, 'assigning'),
      assign: (taskId, options) => assignTaskThroughListeners(this.x, taskId, options),
    };
  }

  /** Completes a job (service task, send task, ...), with its result variables (a task listener's: with its `result`). */
  completeJob(jobId: string, options: { variables?: Variables; result?: JobResult; actor?: string; check?: JobCheck } = {}): Promise<void> {
    return completeJob(this.x, jobId, options);
  }

  /** Reports a failed attempt; with retries left the job is due again at `retryAt`, else an incident opens. */
  failJob(jobId: string, options: { retries: number; errorMessage: string; retryAt?: number; actor?: string; variables?: Variables; check?: JobCheck }): Promise<void> {
    return failJob(this.x, jobId, options);
  }

  /** A job worker reports a BPMN error (caught by an error boundary or event sub-process, else an incident). */
  throwJobError(jobId: string, options: { errorCode: string; errorMessage?: string; variables?: Variables; actor?: string; check?: JobCheck }): Promise<void> {
    return throwJobError(this.x, jobId, options);
  }

  /** Fires a due timer job, or runs a continuation job (the job executor calls this inside its claim). */
  fireTimer(jobId: string): Promise<boolean> {
    return fireTimer(this.x, jobId);
  }

  /** Fires a due timer start event: a new instance, and the next occurrence of a cycle. */
  fireStartTimer(jobId: string): Promise<string | undefined> {
    return fireStartTimer(this.x, jobId);
  }

  /**
   * Correlates a message: to every instance subscription waiting with this name and
   * correlation key, else to a message start event, else it is buffered (when a time to
   * live is given) or rejected.
   */
  correlateMessage(options: CorrelateOptions): Promise<{ instanceIds: string[]; buffered: boolean }> {
    return correlateMessage(this.x, options);
  }

  /** Broadcasts a signal to every waiting instance and every signal start event (of `options.agency`, when given). */
  broadcastSignal(signalName: string, options: BroadcastOptions = {}): Promise<{ instanceIds: string[] }> {
    return broadcastSignal(this.x, signalName, options);
  }

  /** Delivers a signal thrown inside an instance (queued as a job so it survives a crash), within its agency. */
  deliverSignalJob(jobId: string): Promise<boolean> {
    return deliverSignalJob(this.x, jobId);
  }

  /** Cancels an instance (and its called children). Children of a call activity are cancelled through their parent. */
  cancelInstance(instanceId: string, options: { actor?: string; reason?: string } = {}): Promise<void> {
    return cancelInstance(this.x, instanceId, options);
  }

  /**
   * Suspends an instance: it stays where it is, every command that would move it on is refused
   * until {@link resumeInstance}; cancel still works. ConflictError when it is already suspended.
   */
  suspendInstance(instanceId: string, options: { actor?: string; reason?: string } = {}): Promise<void> {
    return suspendInstance(this.x, instanceId, options);
  }

  /** Resumes a suspended instance (ConflictError when it is not suspended). */
  resumeInstance(instanceId: string, options: { actor?: string } = {}): Promise<void> {
    return resumeInstance(this.x, instanceId, options);
  }

  /** Sets variables of an instance (the process scope, or a local scope by element instance key). */
  setVariables(instanceId: string, variables: Variables, options: { scopeKey?: number; actor?: string } = {}): Promise<void> {
    return setVariables(this.x, instanceId, variables, options);
  }

  /**
   * Runs `within` in one transaction with the instance locked, and writes the due dates (and
   * process variables) it answers as a step of the instance before the commit: for a layer
   * above whose own change moves what the due dates follow (a dossier's appointment).
   *
   * @example
   *   await engine.rescheduleTasks(instanceId, { actor, within: async (tx, instance) => ({ result: undefined, tasks: [{ taskId, dueAt }], variables: { appointmentAt } }) });
   */
  rescheduleTasks<T>(instanceId: string, options: { actor?: string; within: (tx: StoreTransaction, instance: InstanceRecord | undefined) => Promise<TaskSchedule<T>> }): Promise<T> {
    return rescheduleTasks(this.x, instanceId, options);
  }

  /** Resolves an incident: a job incident gets `retries` again, others re-run the step that failed. */
  resolveIncident(incidentId: string, options: { retries?: number; actor?: string } = {}): Promise<void> {
    return resolveIncident(this.x, incidentId, options);
  }

  /** Variables of an instance's process scope. */
  async variables(instanceId: string): Promise<Variables> {
    const instance = await this.x.store.instance(instanceId);
    if (!instance) throw new NotFoundError(`instance '${instanceId}' does not exist`, { instanceId });
    return instance.state.elements[ROOT]?.vars ?? {};
  }
}
