/**
 * `/api/jobs`: external job workers (service accounts, role `worker`) activate the jobs
 * of a type and report on them. The rules live in the engine's `ExternalJobs` (locks,
 * keys, agency scope, long polling); this is parse, authorize, call, answer.
 */
import type { Router } from 'express';
import { type ExternalJob, ExternalJobs, type JobResult, NotFoundError, type Variables } from '../../../engine/src/index';
import { canWorkJobs } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { IN_PROCESS_JOB_TYPES } from '../job-handlers';
import { RequestValidationError } from '../problem';
import * as schemas from '../schemas/jobs';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';

function jobView(job: ExternalJob) {
  return {
    key: job.key,
    type: job.type,
    instanceId: job.instanceId,
    definitionId: job.definitionId,
    elementId: job.elementId,
    retries: job.retries,
    deadline: iso(job.deadline),
    worker: job.worker,
    customHeaders: job.customHeaders,
    variables: job.variables,
  };
}

interface ActivateBody {
  type: string;
  worker: string;
  maxJobsToActivate: number;
  timeout: number;
  fetchVariable?: string[];
  requestTimeout: number;
}

/** The external jobs service of an app (one per app, built on first use). */
export function externalJobsOf(services: ApiServices): ExternalJobs {
  const holder = services as ApiServices & { externalJobs?: ExternalJobs };
  holder.externalJobs ??= new ExternalJobs({
    engine: services.ctx.engine,
    store: services.ctx.stores.externalJobs,
    inProcessTypes: services.ctx.inProcessJobTypes ?? IN_PROCESS_JOB_TYPES,
    pollMs: services.ctx.config.jobPollMs,
    now: services.ctx.now,
  });
  return holder.externalJobs;
}

/**
 * Runs a report on the job of `key`; any "not found" on the way (no such job, another agency's,
 * completed, ended) becomes one answer, the same whatever the reason, so that another agency's
 * job keys cannot be probed (docs/conventions.md).
 */
export async function reachableJob<T>(key: string, field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(`job key '${key}' names no job this worker can report on: it does not exist, or it was completed, or its element ended`, { field });
    throw error;
  }
}

export function createJobRoutes(router: Router, services: ApiServices): void {
  const { ctx, metrics } = services;
  const jobs = externalJobsOf(services);
  const allow = canWorkJobs;
  const scope = (p: Principal) => ({ agency: p.agency!, actor: p.id });

  mount<Record<string, string>, Record<string, never>, ActivateBody>(
    router,
    schemas.activateJobs,
    services.mount,
    async ({ body, principal, res }) => {
      const max = ctx.config.jobMaxRequestTimeoutMs;
      if (body.requestTimeout > max) {
        throw new RequestValidationError([{ field: 'body.requestTimeout', message: `must be at most ${max} ms (MOTCUA_JOB_MAX_REQUEST_TIMEOUT_MS)` }]);
      }
      // The caller may go away while its activation waits: then nothing is handed out.
      const gone = new AbortController();
      const onClose = () => {
        if (!res.writableEnded) gone.abort();
      };
      res.on('close', onClose);
      try {
        const activated = await jobs.activate({
          type: body.type,
          worker: body.worker,
          maxJobs: body.maxJobsToActivate,
          lockMs: body.timeout,
          fetchVariables: body.fetchVariable,
          requestTimeoutMs: body.requestTimeout,
          agency: principal!.agency!,
          signal: gone.signal,
        });
        return { status: 200, body: { jobs: activated.map(jobView) } };
      } finally {
        res.off('close', onClose);
      }
    },
    { allow },
  );

  mount<{ key: string }, Record<string, never>, { variables?: Variables; result?: JobResult }>(
    router,
    schemas.completeJob,
    services.mount,
    async ({ params, body, principal }) => {
      await reachableJob(params.key, 'params.key', () => metrics.command('completeJob', () => jobs.complete(params.key, { variables: body.variables, result: body.result }, scope(principal!))));
      return { status: 204 };
    },
    { allow },
  );

  mount<{ key: string }, Record<string, never>, { retries: number; retryBackOff: number; errorMessage?: string; variables?: Variables }>(
    router,
    schemas.failJob,
    services.mount,
    async ({ params, body, principal }) => {
      await reachableJob(params.key, 'params.key', () =>
        metrics.command('failJob', () =>
          jobs.fail(params.key, { retries: body.retries, retryBackOffMs: body.retryBackOff, errorMessage: body.errorMessage, variables: body.variables }, scope(principal!)),
        ),
      );
      return { status: 204 };
    },
    { allow },
  );

  mount<{ key: string }, Record<string, never>, { errorCode: string; errorMessage?: string; variables?: Variables }>(
    router,
    schemas.throwJobError,
    services.mount,
    async ({ params, body, principal }) => {
      await reachableJob(params.key, 'params.key', () => metrics.command('throwJobError', () => jobs.throwError(params.key, body, scope(principal!))));
      return { status: 204 };
    },
    { allow },
  );

  mount<{ key: string }, Record<string, never>, { retries?: number; timeout?: number }>(
    router,
    schemas.updateJob,
    services.mount,
    async ({ params, body, principal }) => {
      const updated = await reachableJob(params.key, 'params.key', () => jobs.update(params.key, { retries: body.retries, timeoutMs: body.timeout }, scope(principal!)));
      return { status: 200, body: { key: params.key, retries: updated.retries, deadline: iso(updated.deadline) } };
    },
    { allow },
  );
}
