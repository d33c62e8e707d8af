/**
 * The jobs external workers take over HTTP, as a port in domain words:
 * `store-sequelize/sequelize-external-job-store.ts` implements it on PostgreSQL.
 *
 * An external worker activates jobs of one type: each job it gets is locked for it
 * until a deadline (`lockOwner` names the worker, `lockExpiresAt` the deadline) under a
 * new activation key (migration 0021).
 * Its report (complete, fail, BPMN error) runs as an engine command whose transaction
 * first locks the job row with {@link ExternalJobStore.lockForReport} and checks the
 * activation still holds it.
 *
 * ## Contract
 * - `activate` is one statement (its own transaction): due jobs of kind `task` of the
 *   type, with retries left, unlocked or with an expired lock, of definitions of
 *   `agency` exactly (a job's agency is its definition's), oldest due first, at most
 *   `limit`; claimed with `FOR UPDATE SKIP LOCKED`, so two activations never get one job.
 * - `lockForReport` runs inside the command's transaction and row-locks the job until
 *   commit: an activation racing with a report either waits for it (and then finds the
 *   job gone) or went first (and the report sees the new lock).
 * - Records are plain objects.
 */
import type { InstanceState } from '../runtime/state';
import type { AgencyScope, JobRow, StoreTransaction } from './ports';

/** An activated job with the state of its instance (to read the variables visible at its element). */
export interface ActivatedJobRow {
  job: JobRow;
  /** This activation's key: a new number from a sequence (decimal text), for each job of each activation. */
  activationKey: string;
  /** The agency of the job's definition. */
  agency?: string;
  /** The instance's current state; absent when the instance row is gone. */
  state?: InstanceState;
}

/** What a report on a job needs to know of its row, read under a row lock. */
export interface LockedJob {
  job: JobRow;
  agency?: string;
  /** The key of the job's latest activation (absent: never activated by a worker). */
  activationKey?: string;
}

export interface ExternalJobStore {
  /** Claims jobs for one activation (see the contract). */
  activate(options: { type: string; owner: string; now: number; lockMs: number; limit: number; agency: AgencyScope }): Promise<ActivatedJobRow[]>;
  /** Releases the jobs of these activations, still locked by them (their caller went away). */
  release(activationKeys: string[]): Promise<void>;
  /** The id of the job whose latest activation has this key (undefined: completed, gone, or activated again since). */
  jobOfActivation(activationKey: string): Promise<string | undefined>;
  /** Row-locks a job inside a command's transaction and reads it with its agency. */
  lockForReport(tx: StoreTransaction, jobId: string): Promise<LockedJob | undefined>;
  /** A job with its agency, outside any transaction. */
  job(jobId: string): Promise<LockedJob | undefined>;
  /** Sets the retries of a job that has retries left (one with none waits on its incident); false when it had none or is gone. */
  updateRetries(jobId: string, retries: number): Promise<boolean>;
  /** Moves the lock deadline of a job still locked by the activation `activationKey`; false when the lock moved on or the job is gone. */
  extendLock(jobId: string, activationKey: string, lockExpiresAt: number): Promise<boolean>;
}
