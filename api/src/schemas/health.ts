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
  },
});

export const getHealth = operation({
  operationId: 'getHealth',
  method: 'get',
  path: '/health',
  summary: 'Is the service up and its database reachable?',
  tag: 'service',
  roles: ['anonymous'],
  responses: {
    200: { description: 'Up.', schema: Health },
    503: { description: 'The database is not reachable.', schema: Health },
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
