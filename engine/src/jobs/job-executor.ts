/**
 * The job executor: the only timer-driven shell of the engine. It claims due
 * work from the jobs table (timers, timer start events, signal broadcasts and
 * jobs of the types it has handlers for) and turns each into a command.
 *
 * Claims use `FOR UPDATE SKIP LOCKED` plus a lock with an expiry, so several
 * engine processes on one PostgreSQL share the work and a crashed process's
 * claims are taken over when their lock expires. A timer fires inside a
 * transaction that first checks the timer row still exists, so it fires
 * exactly once even when two processes raced for it.
 *
 * Continuations (the rest of a multi-instance too large for one command) are
 * claimed and run like timers.
 *
 * Wake-ups: the engine's 'jobs' event (work created in this process), a
 * timer set to the earliest due time, and a poll interval as the fallback for
 * work created by other processes.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { storableText } from '../runtime/storable-text';
import { addDuration } from '../timer';
import type { Engine } from '../engine';
import type { Variables } from '../runtime/state';
import type { JobKind, JobRow } from '../store/ports';
import { silentLogger, type Logger } from '../logger';

/** What a job handler gets: the job and the variables visible at its element. */
export interface ActivatedJob {
  id: string;
  instanceId: string;
  elementId: string;
  jobType: string;
  retries: number;
  headers: Record<string, string>;
  variables: Variables;
}

/** A job handler returns the variables to set; it throws `BpmnError` for a business error, anything else for a failure. */
export type JobHandler = (job: ActivatedJob) => Promise<Variables | void>;

/** Thrown by a job handler to raise a BPMN error at the job's element (caught by error boundaries). */
export class BpmnError extends Error {
  constructor(
    readonly errorCode: string,
    message?: string,
    readonly variables?: Variables,
  ) {
    super(message ?? errorCode);
    this.name = 'BpmnError';
  }
}

/**
 * Thrown by a job handler to fail the attempt with its own terms: the retries left (default: one
 * fewer), an ISO 8601 back-off before the next attempt (default: the executor's), variables to set.
 */
export class JobFailure extends Error {
  readonly retries?: number;
  readonly retryBackoff?: string;
  readonly variables?: Variables;

  constructor(message: string, options: { retries?: number; retryBackoff?: string; variables?: Variables } = {}) {
    super(message);
    this.name = 'JobFailure';
    this.retries = options.retries;
    this.retryBackoff = options.retryBackoff;
    this.variables = options.variables;
  }
}

export interface JobExecutorOptions {
  engine: Engine;
  /** Name of this worker in job locks (default: a random id). */
  owner?: string;
  handlers?: Record<string, JobHandler>;
  /** Poll interval for work created by other processes (default 1000 ms). */
  pollMs?: number;
  /** How long a claim holds before another process may take the job over (default 30 s). */
  lockMs?: number;
  /** Jobs claimed per round (default 32). */
  batchSize?: number;
  /** Back-off before retry n (1-based) of a failed job (default 1 s · 2^(n-1), at most 10 min). */
  backoff?: (attempt: number) => number;
  /** Called with errors that are not the handler's (e.g. the database went away); default: logged at error on `logger`. */
  onError?: (error: unknown) => void;
  /** Where the executor's failures are logged, with the job's id, type and instance id (default: nowhere). */
  logger?: Logger;
  now?: () => number;
}

const TIMER_KINDS: JobKind[] = ['timer', 'start-timer', 'signal', 'continuation'];

/** A timer that fell due while its instance is suspended is looked at again this much later. */
const SUSPENDED_RECHECK_MS = 60_000;

export class JobExecutor {
  readonly owner: string;
  private readonly engine: Engine;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly pollMs: number;
  private readonly lockMs: number;
  private readonly batchSize: number;
  private readonly backoff: (attempt: number) => number;
  private readonly onError: (error: unknown) => void;
  private readonly logger: Logger;
  private readonly customOnError: boolean;
  private readonly now: () => number;
  private running = false;
  private wakeTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly onJobs = () => this.wake();

  constructor(options: JobExecutorOptions) {
    this.engine = options.engine;
    this.owner = options.owner ?? `worker-${randomUUID().slice(0, 8)}`;
    this.pollMs = options.pollMs ?? 1000;
    this.lockMs = options.lockMs ?? 30_000;
    this.batchSize = options.batchSize ?? 32;
    this.backoff = options.backoff ?? ((n) => Math.min(1000 * 2 ** (n - 1), 600_000));
    this.customOnError = options.onError !== undefined;
    this.logger = (options.logger ?? silentLogger).child({ component: 'job-executor' });
    this.onError = options.onError ?? ((error) => this.logger.error({ err: error }, 'job executor error'));
    this.now = options.now ?? Date.now;
    for (const [type, handler] of Object.entries(options.handlers ?? {})) this.register(type, handler);
  }

  /** Registers the handler of a job type (`zeebe:taskDefinition type`). */
  register(jobType: string, handler: JobHandler): void {
    this.handlers.set(jobType, handler);
  }

  /** Starts claiming work in the background until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.engine.events.on('jobs', this.onJobs);
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.pollTimer.unref?.();
    this.wake();
  }

  /** Stops claiming and waits for the handlers in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.engine.events.off('jobs', this.onJobs);
    clearInterval(this.pollTimer);
    clearTimeout(this.wakeTimer);
    await this.round;
    await Promise.allSettled([...this.inFlight]);
  }

  private wake(): void {
    if (!this.running) return;
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = (async () => {
      do {
        this.again = false;
        try {
          const count = await this.runOnce();
          if (count > 0) this.again = true;
        } catch (error) {
          this.onError(error);
        }
      } while (this.again && this.running);
      await this.scheduleNext();
    })().finally(() => {
      this.round = undefined;
    });
  }

  private async scheduleNext(): Promise<void> {
    if (!this.running) return;
    try {
      // Jobs of types it has no handler for are external workers' (they may wait long): never a reason to wake up.
      const timers = await this.engine.store.nextDueAt(TIMER_KINDS);
      const tasks = this.handlers.size > 0 ? await this.engine.store.nextDueAt(['task'], [...this.handlers.keys()]) : undefined;
      const due = timers === undefined ? tasks : tasks === undefined ? timers : Math.min(timers, tasks);
      clearTimeout(this.wakeTimer);
      if (due === undefined) return;
      const delay = Math.max(0, Math.min(due - this.now(), 2_147_000_000));
      if (delay < this.pollMs) {
        this.wakeTimer = setTimeout(() => this.wake(), delay + 1);
        this.wakeTimer.unref?.();
      }
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * One round: claims and runs what is due now. Returns how many jobs it took.
   * Tests call it directly with a controlled clock.
   */
  async runOnce(): Promise<number> {
    const now = this.now();
    const timers = await this.engine.store.transaction((tx) =>
      tx.claimJobs({ now, owner: this.owner, lockMs: this.lockMs, limit: this.batchSize, kinds: TIMER_KINDS }),
    );
    for (const job of timers) await this.fire(job);
    let tasks: JobRow[] = [];
    if (this.handlers.size > 0) {
      tasks = await this.engine.store.transaction((tx) =>
        tx.claimJobs({ now, owner: this.owner, lockMs: this.lockMs, limit: this.batchSize, kinds: ['task'], jobTypes: [...this.handlers.keys()] }),
      );
      const runs = tasks.map((job) => this.track(this.handle(job)));
      await Promise.allSettled(runs);
    }
    return timers.length + tasks.length;
  }

  private track(run: Promise<void>): Promise<void> {
    this.inFlight.add(run);
    return run.finally(() => this.inFlight.delete(run));
  }

  private async fire(job: JobRow): Promise<void> {
    try {
      let fired: unknown = true;
      if (job.kind === 'timer' || job.kind === 'continuation') fired = await this.engine.fireTimer(job.id);
      else if (job.kind === 'start-timer') fired = await this.engine.fireStartTimer(job.id);
      else if (job.kind === 'signal') fired = await this.engine.deliverSignalJob(job.id);
      else fired = false;
      // Nothing fired and the row is still there: its instance or definition is gone, or its kind unknown.
      if (!fired) await this.setAside(job, `the ${String(job.kind)} job could not fire: its instance or definition does not exist, or its kind is unknown`);
    } catch (error) {
      if (error instanceof ConflictError && error.details.suspended === true) {
        // The instance is suspended: not a failure; look again in a minute (no retry is spent).
        await this.engine.store
          .transaction(async (tx) => {
            if (await tx.job(job.id)) await tx.updateJob(job.id, { dueAt: this.now() + SUSPENDED_RECHECK_MS, lockOwner: undefined, lockExpiresAt: undefined });
          })
          .catch(this.onError);
        return;
      }
      // The timer could not fire: retry later, never lose it.
      this.report(error, job);
      await this.retryLater(job, error);
    }
  }

  /** Releases a job after a failure that is not its handler's: due again after a back-off, one retry fewer (none left: never claimed again). */
  private async retryLater(job: JobRow, error: unknown): Promise<void> {
    await this.engine.store
      .transaction(async (tx) => {
        const current = await tx.job(job.id);
        if (!current) return;
        const attempt = 4 - Math.max(current.retries, 1);
        await tx.updateJob(job.id, {
          retries: Math.max(current.retries - 1, 0),
          dueAt: this.now() + this.backoff(attempt),
          lockOwner: undefined,
          lockExpiresAt: undefined,
          errorMessage: storableText(error instanceof Error ? error.message : String(error)),
        });
      })
      .catch(this.onError);
  }

  /**
   * Takes a malformed job out of the claims for good (no retries left, lock released,
   * the reason in its error message) when its row is still there, and reports it: it is
   * never claimed again, in a tight loop or otherwise, and the other jobs run.
   */
  private async setAside(job: JobRow, reason: string): Promise<void> {
    await this.engine.store
      .transaction(async (tx) => {
        const current = await tx.job(job.id);
        if (!current) return;
        this.report(new Error(`job '${job.id}' (${String(job.kind)} '${job.jobType}') set aside: ${reason}`), job);
        await tx.updateJob(job.id, { retries: 0, lockOwner: undefined, lockExpiresAt: undefined, errorMessage: storableText(reason) });
      })
      .catch(this.onError);
  }

  /**
   * The job's attempt failed for good: an incident on its instance (failJob with no
   * retries left); when even that cannot be written (a broken instance), set aside.
   */
  private async failForGood(job: JobRow, message: string): Promise<void> {
    try {
      await this.engine.failJob(job.id, { retries: 0, errorMessage: message, actor: this.owner });
    } catch (error) {
      if (error instanceof ConflictError || error instanceof NotFoundError) {
        await this.setAside(job, message);
        return;
      }
      this.report(error, job);
      await this.setAside(job, `${message}; opening its incident failed too: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A failure while running `job`: to `onError` when given, else logged with the job's and instance's ids. */
  private report(error: unknown, job: JobRow): void {
    if (this.customOnError) this.onError(error);
    else this.logger.error({ err: error, jobId: job.id, jobKind: job.kind, jobType: job.jobType, instanceId: job.instanceId }, 'job failed outside its handler');
  }

  private async handle(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.jobType);
    if (!handler || !job.instanceId) {
      await this.setAside(job, handler ? 'the job belongs to no instance' : `no handler for job type '${job.jobType}'`);
      return;
    }
    if (!isPlainObject(job.variables) || !isPlainObject(job.headers)) {
      await this.failForGood(job, `the job's stored ${isPlainObject(job.variables) ? 'headers are' : 'variables are'} not a JSON object`);
      return;
    }
    const activated: ActivatedJob = {
      id: job.id,
      instanceId: job.instanceId,
      elementId: job.elementId,
      jobType: job.jobType,
      retries: job.retries,
      headers: job.headers,
      variables: job.variables,
    };
    try {
      let result: Variables | void;
      try {
        // A handler that throws before returning its promise fails the attempt like one that rejects.
        result = await handler(activated);
      } catch (error) {
        if (error instanceof BpmnError) {
          await this.engine.throwJobError(job.id, { errorCode: error.errorCode, errorMessage: error.message, variables: error.variables, actor: this.owner });
          return;
        }
        const failure = error instanceof JobFailure ? error : undefined;
        const retries = failure?.retries !== undefined ? Math.max(Math.floor(failure.retries), 0) : Math.max(job.retries - 1, 0);
        const attempt = Math.max(1, 3 - retries);
        let retryAt = this.now() + this.backoff(attempt);
        if (failure?.retryBackoff) {
          try {
            retryAt = addDuration(this.now(), failure.retryBackoff);
          } catch {
            // Not an ISO 8601 duration: the executor's own back-off (the message says why below).
          }
        }
        await this.engine.failJob(job.id, {
          retries,
          errorMessage: error instanceof Error ? error.message : String(error),
          retryAt,
          variables: failure?.variables,
          actor: this.owner,
        });
        return;
      }
      await this.engine.completeJob(job.id, { variables: result ?? {}, actor: this.owner });
    } catch (error) {
      if (error instanceof ConflictError || error instanceof NotFoundError) {
        // The job was cancelled or completed meanwhile (an interrupting boundary event): nothing
        // to do, unless its row is still there (its instance is gone): then it is set aside.
        await this.setAside(job, `its instance cannot take it: ${error.message}`);
        return;
      }
      if (error instanceof InvalidInputError) {
        // What the handler returned (or reported) cannot be stored: that is the job's failure, for good.
        await this.failForGood(job, `the result of job type '${job.jobType}' cannot be stored: ${error.message}`);
        return;
      }
      // The database failed, or the instance is broken: released for a later try, one retry fewer.
      this.report(error, job);
      await this.retryLater(job, error);
    }
  }
}

/** A plain JSON object (not an array, not null). */
function isPlainObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
