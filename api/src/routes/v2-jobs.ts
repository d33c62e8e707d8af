/**
 * `/v2/jobs…`: the job worker subset of Camunda 8's Orchestration Cluster REST API, so that
 * Camunda's own clients (`@camunda8/orchestration-cluster-api`'s job workers, with OAuth
 * client credentials at `/api/oauth/token`) serve motcua's service tasks unchanged:
 *
 *   POST  /v2/jobs/activation        {type, worker, timeout, maxJobsToActivate, fetchVariable, requestTimeout, tenantIds}
 *   POST  /v2/jobs/{jobKey}/completion {variables, result}
 *   POST  /v2/jobs/{jobKey}/failure  {retries, errorMessage, retryBackOff, variables}
 *   POST  /v2/jobs/{jobKey}/error    {errorCode, errorMessage, variables}
 *   PATCH /v2/jobs/{jobKey}          {changeset: {retries, timeout}}
 *
 * The same rules as `/api/jobs` (same `ExternalJobs`): role `worker`, the jobs of its
 * agency, one key per activation. Camunda's semantics where they differ from ours:
 * `requestTimeout` 0 means the server's default long poll (here 10 s, within
 * `MOTCUA_JOB_MAX_REQUEST_TIMEOUT_MS`), a negative one no long polling, a larger one is
 * capped; `retries` of a failure defaults to 0. A `jobKey` is the number of the job's
 * activation (migration 0021): a key whose job was activated again is not found, as in
 * Camunda. Process instance, definition and element instance keys are numbers (the
 * facade's key table, `v2/common.ts`); the tenant is always `<default>`. Errors are problem documents, as Camunda's are.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { TASK_LISTENER_EVENT_HEADER, type ExternalJob, type JobResult, type Variables } from '../../../engine/src/index';
import { ForbiddenError } from '../auth/errors';
import { canWorkJobs } from '../auth/policy';
import type { ApiServices } from '../server';
import { refuseUnstorableText } from '../text-guard';
import { compileValidator, type JsonSchema } from '../validation';
import { externalJobsOf, reachableJob } from './jobs';
import { definitionParts, keysOf, type Keys } from './v2/common';

/** Largest JSON body (as the /api routes). */
const MAX_JSON_BYTES = 1024 * 1024;

/** Camunda's long poll when the request asks for "the default" (requestTimeout 0). */
const DEFAULT_LONG_POLL_MS = 10_000;

const variables = { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 200 } } as const;

const activationBody = compileValidator<{ type: string; worker?: string; timeout: number; maxJobsToActivate: number; fetchVariable?: string[]; requestTimeout?: number }>('body', {
  type: 'object',
  required: ['type', 'timeout', 'maxJobsToActivate'],
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 200 },
    worker: { type: 'string', maxLength: 200 },
    timeout: { type: 'integer', minimum: 1, maximum: 7 * 24 * 3600 * 1000 },
    maxJobsToActivate: { type: 'integer', minimum: 1, maximum: 1000 },
    fetchVariable: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 } },
    requestTimeout: { type: 'integer' },
    tenantIds: { type: 'array', items: { type: 'string' } },
    tenantFilter: { type: 'string' },
  },
});
const completionBody = compileValidator<{ variables?: Variables; result?: JobResult | null }>('body', { type: 'object', properties: { variables: { ...variables, type: ['object', 'null'] }, result: {} } });
const failureBody = compileValidator<{ retries?: number; errorMessage?: string; retryBackOff?: number; variables?: Variables }>('body', {
  type: 'object',
  properties: {
    retries: { type: 'integer', minimum: 0, maximum: 1000 },
    errorMessage: { type: 'string', maxLength: 10_000 },
    retryBackOff: { type: 'integer', minimum: 0, maximum: 30 * 24 * 3600 * 1000 },
    variables: { ...variables, type: ['object', 'null'] },
  },
});
const errorBody = compileValidator<{ errorCode: string; errorMessage?: string; variables?: Variables }>('body', {
  type: 'object',
  required: ['errorCode'],
  properties: { errorCode: { type: 'string', minLength: 1, maxLength: 200 }, errorMessage: { type: 'string', maxLength: 10_000 }, variables: { ...variables, type: ['object', 'null'] } },
});
const updateBody = compileValidator<{ changeset: { retries?: number | null; timeout?: number | null } }>('body', {
  type: 'object',
  required: ['changeset'],
  properties: {
    changeset: {
      type: 'object',
      properties: { retries: { type: ['integer', 'null'], minimum: 1, maximum: 1000 }, timeout: { type: ['integer', 'null'], minimum: 1000, maximum: 7 * 24 * 3600 * 1000 } },
    },
    operationReference: {},
  },
});
const keyParams = compileValidator<{ jobKey: string }>('params', {
  type: 'object',
  required: ['jobKey'],
  properties: { jobKey: { type: 'string', minLength: 1, maxLength: 25 } },
} as JsonSchema);

/** A job as Camunda's `ActivatedJobResult` (process instance and definition with their numeric keys). */
async function camundaJob(job: ExternalJob, keys: Keys) {
  return {
    type: job.type,
    ...definitionParts(job.definitionId),
    elementId: job.elementId,
    customHeaders: job.customHeaders,
    worker: job.worker,
    retries: job.retries,
    deadline: job.deadline,
    variables: job.variables,
    tenantId: '<default>',
    jobKey: job.activationKey,
    processInstanceKey: await keys.key('instance', job.instanceId),
    processDefinitionKey: await keys.key('definition', job.definitionId),
    elementInstanceKey: await keys.key('element', job.jobId),
    // A task listener's job says so, with its event (the headers carry the task's properties, as in Camunda 8.8).
    kind: job.customHeaders[TASK_LISTENER_EVENT_HEADER] ? 'TASK_LISTENER' : 'BPMN_ELEMENT',
    listenerEventType: job.customHeaders[TASK_LISTENER_EVENT_HEADER]?.toUpperCase() ?? 'UNSPECIFIED',
    userTask: null,
    tags: [],
    rootProcessInstanceKey: null,
  };
}

/** The `/v2` router (mounted by the server at `/v2`). */
export function createV2JobRouter(services: ApiServices): Router {
  const { ctx, metrics } = services;
  const jobs = externalJobsOf(services);
  const router = express.Router();
  router.use(express.json({ limit: MAX_JSON_BYTES, type: ['application/json', 'application/*+json'] }), refuseUnstorableText());
  const worker = [
    services.mount.authenticate,
    (req: Request, _res: Response, next: NextFunction) => next(req.principal && !canWorkJobs(req.principal) ? new ForbiddenError('the /v2 job routes are for workers (service accounts) only') : undefined),
  ];
  const scope = (req: Request) => ({ agency: req.principal!.agency!, actor: req.principal!.id });
  const handle = (run: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
    res.locals.route = `/v2${req.route?.path ?? ''}`;
    run(req, res).catch(next);
  };

  router.post(
    '/jobs/activation',
    ...worker,
    handle(async (req, res) => {
      const body = activationBody(req.body ?? {});
      const max = ctx.config.jobMaxRequestTimeoutMs;
      const asked = body.requestTimeout ?? 0;
      const requestTimeoutMs = asked < 0 ? 0 : asked === 0 ? Math.min(DEFAULT_LONG_POLL_MS, max) : Math.min(asked, max);
      const gone = new AbortController();
      const onClose = () => {
        if (!res.writableEnded) gone.abort();
      };
      res.on('close', onClose);
      try {
        const activated = await jobs.activate({
          type: body.type,
          worker: body.worker || 'default',
          maxJobs: body.maxJobsToActivate,
          lockMs: body.timeout,
          fetchVariables: body.fetchVariable,
          requestTimeoutMs,
          agency: req.principal!.agency!,
          signal: gone.signal,
        });
        const keys = keysOf(services);
        const out = [];
        for (const job of activated) out.push(await camundaJob(job, keys));
        res.status(200).json({ jobs: out });
      } finally {
        res.off('close', onClose);
      }
    }),
  );

  router.post(
    '/jobs/:jobKey/completion',
    ...worker,
    handle(async (req, res) => {
      const raw = keyParams({ ...req.params }).jobKey;
      const body = completionBody(req.body ?? {});
      await reachableJob(raw, 'params.jobKey', async () => {
        const jobKey = await jobs.keyOfActivation(raw);
        await metrics.command('completeJob', () => jobs.complete(jobKey, { variables: body.variables ?? {}, result: body.result ?? undefined }, scope(req)));
      });
      res.status(204).end();
    }),
  );

  router.post(
    '/jobs/:jobKey/failure',
    ...worker,
    handle(async (req, res) => {
      const raw = keyParams({ ...req.params }).jobKey;
      const body = failureBody(req.body ?? {});
      await reachableJob(raw, 'params.jobKey', async () => {
        const jobKey = await jobs.keyOfActivation(raw);
        await metrics.command('failJob', () =>
          jobs.fail(jobKey, { retries: body.retries ?? 0, errorMessage: body.errorMessage, retryBackOffMs: body.retryBackOff, variables: body.variables ?? undefined }, scope(req)),
        );
      });
      res.status(204).end();
    }),
  );

  router.post(
    '/jobs/:jobKey/error',
    ...worker,
    handle(async (req, res) => {
      const raw = keyParams({ ...req.params }).jobKey;
      const body = errorBody(req.body ?? {});
      await reachableJob(raw, 'params.jobKey', async () => {
        const jobKey = await jobs.keyOfActivation(raw);
        await metrics.command('throwJobError', () => jobs.throwError(jobKey, { errorCode: body.errorCode, errorMessage: body.errorMessage, variables: body.variables ?? undefined }, scope(req)));
      });
      res.status(204).end();
    }),
  );

  router.patch(
    '/jobs/:jobKey',
    ...worker,
    handle(async (req, res) => {
      const raw = keyParams({ ...req.params }).jobKey;
      const { changeset } = updateBody(req.body ?? {});
      await reachableJob(raw, 'params.jobKey', async () => {
        const jobKey = await jobs.keyOfActivation(raw);
        await jobs.update(jobKey, { retries: changeset.retries ?? undefined, timeoutMs: changeset.timeout ?? undefined }, scope(req));
      });
      res.status(204).end();
    }),
  );

  return router;
}
