/**
 * Process ids and who may deploy them: a process id belongs to the agency that first
 * deployed it; its agency admins let analysts deploy new versions of it.
 */
import { Id, named, Timestamp } from './common';
import { operation } from './operation';

const processParams = {
  type: 'object',
  required: ['processId'],
  properties: { processId: Id },
  additionalProperties: false,
} as const;

const analystParams = {
  type: 'object',
  required: ['processId', 'userId'],
  properties: { processId: Id, userId: { ...Id, description: 'User id of the analyst.' } },
  additionalProperties: false,
} as const;

export const ProcessAnalyst = named('ProcessAnalyst', {
  type: 'object',
  required: ['processId', 'userId', 'agency', 'grantedAt'],
  properties: {
    processId: { type: 'string' },
    userId: { type: 'string' },
    agency: { type: 'string', description: 'The owning agency that granted it.' },
    grantedAt: Timestamp,
    grantedBy: { type: 'string' },
  },
});

export const ProcessAnalysts = named('ProcessAnalysts', {
  type: 'object',
  required: ['processId', 'owner', 'items'],
  properties: {
    processId: { type: 'string' },
    owner: { type: 'string', description: 'The agency that owns the process id.' },
    items: { type: 'array', items: ProcessAnalyst },
  },
});

const owners = ['agency-admin (of the agency that owns the process id)'];

export const listProcessAnalysts = operation({
  operationId: 'listProcessAnalysts',
  method: 'get',
  path: '/processes/{processId}/analysts',
  summary: 'The analysts allowed to deploy new versions of a process id',
  tag: 'processes',
  roles: owners,
  params: processParams,
  responses: { 200: { description: 'The owner and its grants.', schema: ProcessAnalysts } },
  errors: [404],
});

export const grantProcessAnalyst = operation({
  operationId: 'grantProcessAnalyst',
  method: 'put',
  path: '/processes/{processId}/analysts/{userId}',
  summary: 'Let an analyst deploy new versions of a process id',
  description: 'The user must exist, be enabled and be an analyst (else 422). Granting twice changes nothing.',
  tag: 'processes',
  roles: owners,
  params: analystParams,
  responses: { 200: { description: 'Granted.', schema: ProcessAnalyst } },
  errors: [404, 422],
});

export const revokeProcessAnalyst = operation({
  operationId: 'revokeProcessAnalyst',
  method: 'delete',
  path: '/processes/{processId}/analysts/{userId}',
  summary: 'Stop an analyst deploying new versions of a process id',
  description: 'Revoking a grant that does not exist changes nothing.',
  tag: 'processes',
  roles: owners,
  params: analystParams,
  responses: { 204: { description: 'Revoked.' } },
  errors: [404],
});

export const operations = [listProcessAnalysts, grantProcessAnalyst, revokeProcessAnalyst];
