/** Incidents: technical failures waiting for a person. */
import { idParams, named, pageOf, pageQuery, Timestamp } from './common';
import { operation } from './operation';
import { INCIDENT_CAUSES } from '../../../engine/src/index';

export const Incident = named('Incident', {
  type: 'object',
  required: ['id', 'instanceId', 'elementId', 'kind', 'message', 'state', 'createdAt'],
  properties: {
    id: { type: 'string' },
    instanceId: { type: 'string' },
    elementId: { type: 'string' },
    kind: { type: 'string', description: 'How the incident is resolved: `job` hands the job out again, the others run the failed step again.' },
    cause: {
      type: 'string',
      enum: [...INCIDENT_CAUSES],
      description: 'What was wrong: a failed expression, a condition that gave no boolean, a value of the wrong type, a gap in the model, a limit, an invalid timer, a gateway with no flow to take, a called process that is not deployed, a job out of retries, an uncaught BPMN error. Absent on incidents raised before causes were recorded.',
    },
    message: { type: 'string' },
    jobId: { type: 'string' },
    state: { type: 'string', enum: ['open', 'resolved'] },
    createdAt: Timestamp,
  },
});

export const RetryIncidentBody = named('RetryIncidentBody', {
  type: 'object',
  properties: { retries: { type: 'integer', minimum: 1, maximum: 100, description: 'Retries given back to a failed job (default 1).' } },
  additionalProperties: false,
});

export const listIncidents = operation({
  operationId: 'listIncidents',
  method: 'get',
  path: '/incidents',
  summary: 'List incidents, newest first',
  tag: 'incidents',
  roles: ['agency-admin (own agency)'],
  query: {
    type: 'object',
    properties: {
      state: { type: 'string', enum: ['open', 'resolved'], default: 'open' },
      instanceId: { type: 'string', minLength: 1, maxLength: 200 },
      ...pageQuery,
    },
    additionalProperties: false,
  },
  responses: { 200: { description: 'A page of incidents.', schema: pageOf('IncidentPage', Incident) } },
});

export const retryIncident = operation({
  operationId: 'retryIncident',
  method: 'post',
  path: '/incidents/{id}/retry',
  summary: 'Resolve an incident: retry its job or re-run the failed step',
  tag: 'incidents',
  roles: ['agency-admin (own agency)'],
  params: idParams,
  body: RetryIncidentBody,
  responses: { 200: { description: 'The incident, resolved (it may open again if the step fails again).', schema: Incident } },
  errors: [404, 409],
});

export const operations = [listIncidents, retryIncident];
