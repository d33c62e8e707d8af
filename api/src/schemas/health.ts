/** Health and the API description. */
import { named } from './common';
import { operation } from './operation';

export const Health = named('Health', {
  type: 'object',
  required: ['status', 'version', 'database'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    version: { type: 'string', description: 'The version of motcua.' },
    database: {
      type: 'object',
      required: ['reachable', 'embedded'],
      properties: {
        reachable: { type: 'boolean' },
        embedded: { type: 'boolean' },
        serverVersion: { type: 'string' },
        latencyMs: { type: 'number' },
      },
    },
    parts: {
      type: 'object',
      description: 'Every other part of the service and whether it is serving: `push` (socket.io attached, its feed following history), `jobs` (the job executor running).',
      additionalProperties: {
        type: 'object',
        required: ['ready'],
        properties: { ready: { type: 'boolean' }, detail: { type: 'string', description: 'Why it is not ready.' } },
      },
    },
  },
});

export const getHealth = operation({
  operationId: 'getHealth',
  method: 'get',
  path: '/health',
  summary: 'Is every part of the service serving (database, push gateway, job executor)?',
  tag: 'service',
  roles: ['anonymous'],
  responses: {
    200: { description: 'Up.', schema: Health },
    503: { description: 'A part is not serving yet (start-up) or any more: the database, or one named in `parts`.', schema: Health },
  },
});

export const getOpenApi = operation({
  operationId: 'getOpenApi',
  method: 'get',
  path: '/openapi.json',
  summary: 'This document (OpenAPI 3.1)',
  tag: 'service',
  roles: ['anonymous'],
  responses: { 200: { description: 'The OpenAPI document.', schema: { type: 'object' } } },
});

export const operations = [getHealth, getOpenApi];
