/**
 * The external workers' jobs on PostgreSQL (the port: `store/external-job-store.ts`).
 *
 * Activation is one UPDATE over a `FOR UPDATE OF j SKIP LOCKED` sub-select, so it is
 * one transaction and two workers (or two nodes) never get one job; `OF j` keeps the
 * definitions row that the agency filter reads unlocked. The agency filter is the
 * same as the other scoped queries': the definition's agency, compared with
 * `IS NOT DISTINCT FROM`. The index `jobs_type_due_idx (job_type, due_at)` serves it. Each
 * activated row gets a new `activation_key` from the sequence of migration 0021.
 */
import { QueryTypes } from 'sequelize';
import type { ActivatedJobRow, ExternalJobStore, LockedJob } from '../store/external-job-store';
import type { AgencyScope, StoreTransaction } from '../store/ports';
import type { Database } from './connect';
import { date, opt, toJob, type Row } from './rows';

/** A jobs row (with `definition_agency`) as a report sees it. */
function locked(row: Row): LockedJob {
  return { job: toJob(row), agency: opt(row.definition_agency ?? null), activationKey: row.activation_key == null ? undefined : String(row.activation_key) };
}

export function createSequelizeExternalJobStore(db: Database): ExternalJobStore {
  const { sequelize } = db;
  const select = async (text: string, bind: unknown[]): Promise<Row[]> => (await sequelize.query(text, { bind, type: QueryTypes.SELECT })) as Row[];

  return {
    async activate(options: { type: string; owner: string; now: number; lockMs: number; limit: number; agency: AgencyScope }): Promise<ActivatedJobRow[]> {
      const now = date(options.now);
      const agencyFilter = options.agency === undefined ? '' : 'AND EXISTS (SELECT 1 FROM definitions d WHERE d.id = j.definition_id AND d.agency IS NOT DISTINCT FROM $6::text)';
      const bind: unknown[] = [options.type, now, options.limit, options.owner, date(options.now + options.lockMs)];
      if (options.agency !== undefined) bind.push(options.agency);
      const rows = await select(
        `WITH claimed AS (
           UPDATE jobs SET lock_owner = $4, lock_expires_at = $5, activation_key = nextval('job_activation_keys')
           WHERE id IN (
             SELECT j.id FROM jobs j
             WHERE j.job_type = $1 AND j.kind = 'task' AND j.due_at <= $2 AND j.retries > 0
               AND (j.lock_expires_at IS NULL OR j.lock_expires_at < $2) ${agencyFilter}
             ORDER BY j.due_at, j.id
             LIMIT $3
             FOR UPDATE OF j SKIP LOCKED)
           RETURNING *)
         SELECT c.*, d.agency AS definition_agency, i.state AS instance_state
           FROM claimed c
           LEFT JOIN definitions d ON d.id = c.definition_id
           LEFT JOIN instances i ON i.id = c.instance_id
          ORDER BY c.due_at, c.id`,
        bind,
      );
      return rows.map((row) => ({ job: toJob(row), activationKey: String(row.activation_key), agency: opt(row.definition_agency ?? null), state: row.instance_state ?? undefined }));
    },

    async release(activationKeys: string[]): Promise<void> {
      if (activationKeys.length === 0) return;
      await sequelize.query('UPDATE jobs SET lock_owner = NULL, lock_expires_at = NULL WHERE activation_key = ANY($1::bigint[])', { bind: [activationKeys] });
    },

    async jobOfActivation(activationKey: string): Promise<string | undefined> {
      const rows = await select('SELECT id FROM jobs WHERE activation_key = $1::bigint', [activationKey]);
      return rows[0]?.id;
    },

    async lockForReport(tx: StoreTransaction, jobId: string): Promise<LockedJob | undefined> {
      const rows = await tx.sql.select(
        `SELECT j.*, (SELECT d.agency FROM definitions d WHERE d.id = j.definition_id) AS definition_agency FROM jobs j WHERE j.id = $1 FOR UPDATE OF j`,
        [jobId],
      );
      return rows[0] && locked(rows[0]);
    },

    async job(jobId: string): Promise<LockedJob | undefined> {
      const rows = await select('SELECT j.*, (SELECT d.agency FROM definitions d WHERE d.id = j.definition_id) AS definition_agency FROM jobs j WHERE j.id = $1', [jobId]);
      return rows[0] && locked(rows[0]);
    },

    async updateRetries(jobId: string, retries: number): Promise<boolean> {
      const rows = await select('UPDATE jobs SET retries = $2 WHERE id = $1 AND retries > 0 RETURNING id', [jobId, retries]);
      return rows.length === 1;
    },

    async extendLock(jobId: string, activationKey: string, lockExpiresAt: number): Promise<boolean> {
      const rows = await select('UPDATE jobs SET lock_expires_at = $3 WHERE id = $1 AND activation_key = $2::bigint AND lock_owner IS NOT NULL RETURNING id', [
        jobId,
        activationKey,
        date(lockExpiresAt),
      ]);
      return rows.length === 1;
    },
  };
}
