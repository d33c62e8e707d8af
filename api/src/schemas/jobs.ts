/**
 * External job workers (`/api/jobs`): activate the jobs of a type, then complete, fail,
 * throw a BPMN error, or change retries and lock timeout. Callers are service accounts
 * (role `worker`, see `/api/oauth/token`) and reach only their agency's jobs.
 */
import { named, Timestamp, Variables } from './common';
import { operation } from './operation';

const workers = ['worker (own agency)'];

const JobType = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const jobKeyParams = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', minLength: 3, maxLength: 500, description: 'The `key` job activation returned (it names the job and the activation).' } },
  additionalProperties: false,
} as const;

export const ActivateJobsBody = named('ActivateJobsBody', {
  type: 'object',
  required: ['type', 'worker', 'maxJobsToActivate'],
  properties: {
    type: { ...JobType, description: 'The job type (`zeebe:taskDefinition type`).' },
    worker: { type: 'string', minLength: 1, maxLength: 200, description: 'Name of the worker (recorded in the lock, named when another worker\'s key is refused).' },
    maxJobsToActivate: { type: 'integer', minimum: 1, maximum: 1000 },
    timeout: { type: 'integer', minimum: 1000, maximum: 7 * 24 * 3600 * 1000, default: 300_000, description: 'How long the jobs stay locked for this worker, ms (default 5 minutes); then they are offered again.' },
    fetchVariable: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 }, description: 'Only these variables (default: all visible at the job).' },
    requestTimeout: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Long polling: when no job is there, wait up to this long for one, ms (at most `MOTCUA_JOB_MAX_REQUEST_TIMEOUT_MS`; 0 answers at once).',
    },
  },
  additionalProperties: false,
});

export const ActivatedJob = named('ActivatedJob', {
  type: 'object',
  required: ['key', 'type', 'instanceId', 'definitionId', 'elementId', 'retries', 'deadline', 'worker', 'customHeaders', 'variables'],
  properties: {
    key: { type: 'string', description: 'Report on the job with this key (complete, fail, error, update).' },
    type: { type: 'string' },
    instanceId: { type: 'string' },
    definitionId: { type: 'string' },
    elementId: { type: 'string' },
    retries: { type: 'integer' },
    deadline: { ...Timestamp, description: 'When the lock ends: the job is then offered again, and this key no longer accepted once another activation took it.' },
    worker: { type: 'string' },
    customHeaders: { type: 'object', additionalProperties: { type: 'string' } },
    variables: Variables,
  },
});

export const ActivatedJobs = named('ActivatedJobs', {
  type: 'object',
  required: ['jobs'],
  properties: { jobs: { type: 'array', items: ActivatedJob } },
});

export const CompleteJobBody = named('CompleteJobBody', {
  type: 'object',
  properties: {
    variables: Variables,
    result: {
      type: 'object',
      description: "A task listener's verdict (Camunda 8.8's job result of type userTask): deny the task's transition, or correct the task.",
      properties: {
        type: { type: 'string', enum: ['userTask'] },
        denied: { type: 'boolean' },
        deniedReason: { type: 'string', maxLength: 10_000 },
        corrections: {
          type: 'object',
          properties: {
            assignee: { type: ['string', 'null'], maxLength: 200, description: "A username; '' clears it." },
            dueDate: { type: ['string', 'null'], maxLength: 64, description: "ISO 8601 date and time; '' clears it." },
            followUpDate: { type: ['string', 'null'], maxLength: 64 },
            candidateUsers: { type: ['array', 'null'], maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 } },
            candidateGroups: { type: ['array', 'null'], maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 } },
            priority: { type: ['integer', 'null'], minimum: 0, maximum: 100 },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
});

export const FailJobBody = named('FailJobBody', {
  type: 'object',
  required: ['retries'],
  properties: {
    retries: { type: 'integer', minimum: 0, maximum: 1000, description: 'Retries left; 0 opens an incident.' },
    retryBackOff: { type: 'integer', minimum: 0, maximum: 30 * 24 * 3600 * 1000, default: 0, description: 'Wait this long before the job is offered again, ms.' },
    errorMessage: { type: 'string', maxLength: 10_000 },
    variables: { ...Variables, description: 'Set in the local scope of the job\'s element; the next attempt sees them.' },
  },
  additionalProperties: false,
});

export const ThrowJobErrorBody = named('ThrowJobErrorBody', {
  type: 'object',
  required: ['errorCode'],
  properties: {
    errorCode: { type: 'string', minLength: 1, maxLength: 200, description: 'Caught by an error boundary event or event sub-process with this code (or a catch-all); else an incident.' },
    errorMessage: { type: 'string', maxLength: 10_000 },
    variables: Variables,
  },
  additionalProperties: false,
});

export const UpdateJobBody = named('UpdateJobBody', {
  type: 'object',
  minProperties: 1,
  properties: {
    retries: { type: 'integer', minimum: 1, maximum: 1000, description: 'New retries of a job that has some left (a job with an incident is retried by resolving the incident).' },
    timeout: { type: 'integer', minimum: 1000, maximum: 7 * 24 * 3600 * 1000, description: 'New lock deadline, ms from now (only while this key\'s activation holds the job).' },
  },
  additionalProperties: false,
});

export const UpdatedJob = named('UpdatedJob', {
  type: 'object',
  required: ['key', 'retries'],
  properties: { key: { type: 'string' }, retries: { type: 'integer' }, deadline: Timestamp },
});

export const activateJobs = operation({
  operationId: 'activateJobs',
  method: 'post',
  path: '/jobs/activation',
  summary: 'Activate jobs of a type for an external worker (long polling with requestTimeout)',
  tag: 'jobs',
  roles: workers,
  body: ActivateJobsBody,
  responses: { 200: { description: 'The jobs activated (none when nothing came within the request timeout).', schema: ActivatedJobs } },
  errors: [409],
});

export const completeJob = operation({
  operationId: 'completeJob',
  method: 'post',
  path: '/jobs/{key}/completion',
  summary: 'Complete a job with its result variables',
  tag: 'jobs',
  roles: workers,
  params: jobKeyParams,
  body: CompleteJobBody,
  responses: { 204: { description: 'Completed: the process moves on.' } },
  errors: [404, 409],
});

export const failJob = operation({
  operationId: 'failJob',
  method: 'post',
  path: '/jobs/{key}/failure',
  summary: 'Report a failed attempt: retries left, back-off, message',
  tag: 'jobs',
  roles: workers,
  params: jobKeyParams,
  body: FailJobBody,
  responses: { 204: { description: 'Recorded: offered again after the back-off, or an incident when no retries are left.' } },
  errors: [404, 409],
});

export const throwJobError = operation({
  operationId: 'throwJobError',
  method: 'post',
  path: '/jobs/{key}/error',
  summary: 'Throw a BPMN error from a job (a business error, not a technical failure)',
  tag: 'jobs',
  roles: workers,
  params: jobKeyParams,
  body: ThrowJobErrorBody,
  responses: { 204: { description: 'Thrown: caught by a boundary event or event sub-process, else an incident.' } },
  errors: [404, 409],
});

export const updateJob = operation({
  operationId: 'updateJob',
  method: 'patch',
  path: '/jobs/{key}',
  summary: "Change a job's retries or its lock timeout",
  tag: 'jobs',
  roles: workers,
  params: jobKeyParams,
  body: UpdateJobBody,
  responses: { 200: { description: 'The job as changed.', schema: UpdatedJob } },
  errors: [404, 409],
});

export const operations = [activateJobs, completeJob, failJob, throwJobError, updateJob];
