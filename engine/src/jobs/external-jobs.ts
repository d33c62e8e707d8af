/**
 * External job workers: the jobs of service tasks whose type no in-process handler
 * serves are taken by workers outside the engine (over HTTP, see the API's
 * `/api/jobs`), which activate them, then complete, fail or throw a BPMN error.
 *
 * ## Locks and keys
 * An activation locks each job it hands out for its worker until a deadline, under a
 * new activation key (a number from a sequence). The key a worker gets is
 * `<job id>.<activation key>`: a report (complete, fail, error, new deadline) is
 * accepted only while that activation still holds the job. Once the deadline passes, the job is
 * offered again; when another activation took it, the old key is refused with a
 * {@link ConflictError} saying so, so two workers never both report on one attempt.
 * A report after the deadline that nobody took over is still accepted.
 *
 * ## Who gets what
 * Jobs of the types the in-process executor serves (the HTTP connector) are never
 * handed out here, and the executor never claims other types. A worker works for one
 * agency: it sees only jobs of that agency's definitions, and another agency's key is
 * "not found" to it.
 *
 * ## Long polling
 * With a request timeout, an activation that finds nothing waits for new work and
 * tries again, until it gets jobs or the timeout passes. Waiting holds no database
 * connection (on the embedded database there is only one): it wakes on the engine's
 * `jobs` event (work created in this process) and, for work of other processes, jobs
 * whose back-off ends and locks that expire, at the poll interval.
 *
 * @example
 *   const jobs = new ExternalJobs({ engine, store: createSequelizeExternalJobStore(db), inProcessTypes: ['http'] });
 *   const [job] = await jobs.activate({ type: 'lookup', worker: 'w1', maxJobs: 1, lockMs: 30_000, agency: 'A' });
 *   await jobs.complete(job.key, { variables: { found: true } }, { agency: 'A' });
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import type { Engine } from '../engine';
import type { JobDefinition, ProcessGraph } from '../model/graph';
import type { JobResult } from '../runtime/commands';
import type { Variables } from '../runtime/state';
import { visibleVariables } from '../runtime/variables';
import type { ExternalJobStore, LockedJob } from '../store/external-job-store';
import type { JobRow, StoreTransaction } from '../store/ports';

/** A job as a worker gets it. */
export interface ExternalJob {
  /** What the worker reports with: `<job id>.<activation key>`. */
  key: string;
  /** This activation's number (Camunda's numeric `jobKey`, see {@link ExternalJobs.keyOfActivation}). */
  activationKey: string;
  jobId: string;
  type: string;
  instanceId: string;
  definitionId: string;
  elementId: string;
  retries: number;
  /** When the lock ends (epoch ms): the job is offered again after it. */
  deadline: number;
  worker: string;
  customHeaders: Record<string, string>;
  variables: Variables;
  agency?: string;
}

/** Options of {@link ExternalJobs.activate}. */
export interface ActivateOptions {
  type: string;
  worker: string;
  maxJobs: number;
  /** How long each job stays locked for this worker, ms. */
  lockMs: number;
  /** Only these variables (all when absent). */
  fetchVariables?: string[];
  /** Long polling: how long to wait for a job when none is there, ms (0: answer at once). */
  requestTimeoutMs?: number;
  /** The worker's agency: only jobs of its definitions (see {@link AgencyScope}). */
  agency: string | null | undefined;
  /** Stops waiting (the caller went away); jobs already claimed are released. */
  signal?: AbortSignal;
}

/** Who reports: the worker's agency (jobs of other agencies are not found), and the actor history records. */
export interface ReportScope {
  agency: string | null | undefined;
  actor?: string;
}

export interface ExternalJobsOptions {
  engine: Engine;
  store: ExternalJobStore;
  /** Job types the in-process executor serves: never handed to external workers. */
  inProcessTypes?: Iterable<string>;
  /** While long polling, how often to look again for work of other processes (default 1000 ms). */
  pollMs?: number;
  now?: () => number;
}

const KEY_SEPARATOR = '.';

/** Splits a key into its job id and activation token; InvalidInputError when it is not a key. */
export function parseJobKey(key: string): { jobId: string; token: string } {
  const at = typeof key === 'string' ? key.lastIndexOf(KEY_SEPARATOR) : -1;
  if (at <= 0 || at === key.length - 1) throw new InvalidInputError(`'${key}' is not a job key (a key is what job activation returned)`, { field: 'params.key' });
  return { jobId: key.slice(0, at), token: key.slice(at + 1) };
}


export class ExternalJobs {
  private readonly engine: Engine;
  private readonly store: ExternalJobStore;
  private readonly inProcess: Set<string>;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly waiters = new Set<() => void>();
  private readonly onJobs = () => {
    for (const waiter of this.waiters) waiter();
  };

  constructor(options: ExternalJobsOptions) {
    this.engine = options.engine;
    this.store = options.store;
    this.inProcess = new Set(options.inProcessTypes ?? []);
    this.pollMs = options.pollMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Whether jobs of this type are served in-process (and never handed out here). */
  servedInProcess(type: string): boolean {
    return this.inProcess.has(type);
  }

  /**
   * Activates up to `maxJobs` jobs of a type for a worker, waiting up to the request
   * timeout when none is there. ConflictError for a type served in-process.
   */
  async activate(options: ActivateOptions): Promise<ExternalJob[]> {
    if (this.inProcess.has(options.type)) {
      throw new ConflictError(`jobs of type '${options.type}' are run by the engine itself (an in-process handler serves them), never by external workers`, {
        field: 'body.type',
        type: options.type,
      });
    }
    const waitUntil = this.now() + Math.max(0, options.requestTimeoutMs ?? 0);
    let woken = false;
    let wake: (() => void) | undefined;
    const waiter = () => {
      woken = true;
      wake?.();
    };
    const onAbort = () => wake?.();
    this.addWaiter(waiter);
    options.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        woken = false;
        const jobs = await this.tryActivate(options);
        if (options.signal?.aborted) {
          // Nobody will work on them: offered again at once rather than after the lock.
          await this.store.release(jobs.map((j) => j.activationKey));
          return [];
        }
        const left = waitUntil - this.now();
        if (jobs.length > 0 || left <= 0) return jobs;
        if (!woken) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(left, this.pollMs));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
        if (options.signal?.aborted) return [];
      }
    } finally {
      this.removeWaiter(waiter);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** One listener on the engine's `jobs` event for every waiting activation (hundreds may wait at once). */
  private addWaiter(waiter: () => void): void {
    if (this.waiters.size === 0) this.engine.events.on('jobs', this.onJobs);
    this.waiters.add(waiter);
  }

  private removeWaiter(waiter: () => void): void {
    this.waiters.delete(waiter);
    if (this.waiters.size === 0) this.engine.events.off('jobs', this.onJobs);
  }

  private async tryActivate(options: ActivateOptions): Promise<ExternalJob[]> {
    const now = this.now();
    const rows = await this.store.activate({ type: options.type, owner: options.worker, now, lockMs: options.lockMs, limit: options.maxJobs, agency: options.agency });
    const wanted = options.fetchVariables && options.fetchVariables.length > 0 ? new Set(options.fetchVariables) : undefined;
    return rows.map(({ job, activationKey, agency, state }): ExternalJob => {
      // The variables visible at the job's element now (a failed attempt may have set some), else those it was created with.
      const wait = state?.waits?.[job.id];
      const all = wait && state?.elements?.[wait.owner] ? visibleVariables(state, wait.owner) : job.variables;
      const variables: Variables = {};
      for (const [name, value] of Object.entries(all ?? {})) if (!wanted || wanted.has(name)) variables[name] = value;
      return {
        key: `${job.id}${KEY_SEPARATOR}${activationKey}`,
        activationKey,
        jobId: job.id,
        type: job.jobType,
        instanceId: job.instanceId ?? '',
        definitionId: job.definitionId ?? '',
        elementId: job.elementId,
        retries: job.retries,
        deadline: now + options.lockMs,
        worker: options.worker,
        customHeaders: job.headers ?? {},
        variables,
        agency,
      };
    });
  }

  /**
   * The key of the job whose latest activation has this number (Camunda's clients know a
   * job by that number alone). NotFoundError when no job has it: completed, gone, or
   * activated again after its lock expired.
   */
  async keyOfActivation(activationKey: string): Promise<string> {
    if (!/^[1-9][0-9]{0,18}$/.test(activationKey)) throw new InvalidInputError(`'${activationKey}' is not a job key (a positive number)`, { field: 'params.jobKey' });
    const jobId = await this.store.jobOfActivation(activationKey);
    if (jobId === undefined) {
      throw new NotFoundError(`job key ${activationKey} names no job: it was completed, its element ended, or it was activated again after its lock expired`, {
        field: 'params.jobKey',
      });
    }
    return `${jobId}${KEY_SEPARATOR}${activationKey}`;
  }

  /** Completes the job of a key with the worker's result variables (a task listener's: with its `result`, denial or corrections). */
  async complete(key: string, options: { variables?: Variables; result?: JobResult }, scope: ReportScope): Promise<void> {
    const { jobId, token } = parseJobKey(key);
    await this.engine.completeJob(jobId, {
      variables: options.variables ?? {},
      ...(options.result !== undefined && options.result !== null ? { result: options.result } : {}),
      actor: scope.actor,
      check: async (tx, job) => this.checkLock(await this.locked(tx, job), token, scope, 'complete'),
    });
  }

  /**
   * Reports a failed attempt: `retries` left (0 opens an incident), due again after
   * `retryBackOffMs`, with the worker's message and variables (set at the job's element).
   */
  async fail(key: string, options: { retries: number; retryBackOffMs?: number; errorMessage?: string; variables?: Variables }, scope: ReportScope): Promise<void> {
    const { jobId, token } = parseJobKey(key);
    await this.engine.failJob(jobId, {
      retries: options.retries,
      errorMessage: options.errorMessage ?? '',
      retryAt: this.now() + Math.max(0, options.retryBackOffMs ?? 0),
      variables: options.variables,
      actor: scope.actor,
      check: async (tx, job) => this.checkLock(await this.locked(tx, job), token, scope, 'fail'),
    });
  }

  /** Throws a BPMN error at the job's element: an error boundary or event sub-process catches it, else an incident. */
  async throwError(key: string, options: { errorCode: string; errorMessage?: string; variables?: Variables }, scope: ReportScope): Promise<void> {
    const { jobId, token } = parseJobKey(key);
    await this.engine.throwJobError(jobId, {
      errorCode: options.errorCode,
      errorMessage: options.errorMessage,
      variables: options.variables,
      actor: scope.actor,
      check: async (tx, job) => this.checkLock(await this.locked(tx, job), token, scope, 'throw an error for'),
    });
  }

  /**
   * Changes the retries of a job (it must have retries left: one waiting on its incident
   * is retried by resolving the incident) and/or moves its lock deadline to `timeoutMs`
   * from now (only while this key's activation holds it).
   */
  async update(key: string, changes: { retries?: number; timeoutMs?: number }, scope: ReportScope): Promise<{ retries: number; deadline?: number }> {
    const { jobId, token } = parseJobKey(key);
    const found = await this.store.job(jobId);
    if (!found || !this.visible(found, scope)) throw this.notFound(jobId);
    // A new deadline needs the lock: refused before anything changes.
    if (changes.timeoutMs !== undefined) this.checkLock(found, token, scope, 'change the timeout of');
    if (changes.retries !== undefined) {
      if (!Number.isInteger(changes.retries) || changes.retries < 1) throw new InvalidInputError('retries must be a positive integer', { field: 'body.retries' });
      if (!(await this.store.updateRetries(jobId, changes.retries))) {
        const now = await this.store.job(jobId);
        if (!now) throw this.notFound(jobId);
        throw new ConflictError(`job '${jobId}' has no retries left and an open incident: resolve the incident to retry it`, { jobId });
      }
    }
    let deadline: number | undefined;
    if (changes.timeoutMs !== undefined) {
      const current = await this.store.job(jobId);
      if (!current) throw this.notFound(jobId);
      this.checkLock(current, token, scope, 'change the timeout of');
      deadline = this.now() + changes.timeoutMs;
      if (!(await this.store.extendLock(jobId, token, deadline))) throw this.movedOn(jobId, undefined, 'change the timeout of');
    }
    const after = await this.store.job(jobId);
    return { retries: after?.job.retries ?? changes.retries ?? found.job.retries, deadline };
  }

  private async locked(tx: StoreTransaction, job: JobRow): Promise<LockedJob> {
    return (await this.store.lockForReport(tx, job.id)) ?? { job };
  }

  private visible(locked: LockedJob, scope: ReportScope): boolean {
    if (locked.job.kind !== 'task' || this.inProcess.has(locked.job.jobType)) return false;
    return scope.agency === undefined || (locked.agency ?? null) === scope.agency;
  }

  private notFound(jobId: string): NotFoundError {
    return new NotFoundError(`job '${jobId}' does not exist: it was completed, or its element ended (a boundary event, a cancellation)`, { jobId, field: 'params.key' });
  }

  private movedOn(jobId: string, holder: string | undefined, what: string): ConflictError {
    return new ConflictError(
      `cannot ${what} job '${jobId}' with this key: its lock expired and the job was ${holder ? `activated again by worker '${holder}'` : 'offered again'}; only the newest activation's key may report on it`,
      { jobId, reason: 'lock moved on', ...(holder ? { worker: holder } : {}) },
    );
  }

  /** Throws unless this activation (its key) holds the job: the job's latest activation, its lock not released. */
  private checkLock(locked: LockedJob, activationKey: string, scope: ReportScope, what: string): void {
    if (!this.visible(locked, scope)) throw this.notFound(locked.job.id);
    if (locked.activationKey !== activationKey || locked.job.lockOwner === undefined) {
      throw this.movedOn(locked.job.id, locked.activationKey !== activationKey ? locked.job.lockOwner : undefined, what);
    }
  }
}

/**
 * Deploy warnings for the jobs of a process that no in-process handler serves: one per
 * job type, naming its elements, so an operator knows a worker must serve it (else its
 * jobs wait forever). A type given as an expression is named with its expression.
 */
export function unservedJobTypeWarnings(graph: ProcessGraph, served: Iterable<string>): string[] {
  const known = new Set(served);
  const byType = new Map<string, string[]>();
  for (const node of Object.values(graph.nodes)) {
    const job = (node as { job?: JobDefinition }).job;
    // Execution listeners are jobs too (as in Camunda 8.8): their types need a worker as well.
    const listeners = node.executionListeners ? [...node.executionListeners.start, ...node.executionListeners.end] : [];
    if (node.type === 'userTask' && node.taskListeners) for (const each of Object.values(node.taskListeners)) listeners.push(...(each ?? []));
    for (const definition of [...(job ? [job] : []), ...listeners]) {
      if (typeof definition.type !== 'string') continue;
      const type = definition.type.startsWith('=') ? definition.type : definition.type.trim();
      if (known.has(type)) continue;
      const elements = byType.get(type) ?? [];
      if (!elements.includes(node.id)) byType.set(type, [...elements, node.id]);
    }
  }
  // The process's own execution listeners, named by the process id.
  for (const definition of graph.executionListeners ? [...graph.executionListeners.start, ...graph.executionListeners.end] : []) {
    if (typeof definition.type !== 'string') continue;
    const type = definition.type.startsWith('=') ? definition.type : definition.type.trim();
    if (known.has(type)) continue;
    const elements = byType.get(type) ?? [];
    if (!elements.includes(graph.processId)) byType.set(type, [...elements, graph.processId]);
  }
  return [...byType].map(([type, elements]) => {
    const where = `${elements.length === 1 ? 'element' : 'elements'} ${elements.map((id) => `'${id}'`).join(', ')} of '${graph.processId}'`;
    return type.startsWith('=')
      ? `the job type of ${where} is the expression '${type}': no in-process handler serves it; an external job worker must activate the type it evaluates to (POST /api/jobs/activation), or its jobs wait`
      : `job type '${type}' (${where}) is served by no in-process handler: an external job worker must activate it (POST /api/jobs/activation), or its jobs wait`;
  });
}
