/** Definitions: the immutable, versioned processes made by deployments. */
import { idParams, named, pageOf, pageQuery, Timestamp } from './common';
import { operation } from './operation';

const summaryProperties = {
  id: { type: 'string' },
  processId: { type: 'string' },
  version: { type: 'integer' },
  versionTag: { type: 'string' },
  name: { type: 'string' },
  deploymentId: { type: 'string' },
  createdAt: Timestamp,
  agency: { type: 'string', description: 'The agency the version belongs to: its model’s `motcua:facts agency`, else its process id’s owner (absent: none).' },
} as const;

export const DefinitionSummary = named('DefinitionSummary', {
  type: 'object',
  required: ['id', 'processId', 'version', 'deploymentId', 'createdAt'],
  properties: summaryProperties,
});

export const Definition = named('Definition', {
  type: 'object',
  required: ['id', 'processId', 'version', 'deploymentId', 'createdAt', 'xml'],
  properties: { ...summaryProperties, xml: { type: 'string', description: 'The BPMN document with its diagram (BPMN DI).' } },
});

export const listDefinitions = operation({
  operationId: 'listDefinitions',
  method: 'get',
  path: '/definitions',
  summary: 'List process definitions (the latest version of each, or all versions)',
  tag: 'definitions',
  roles: ['analyst', 'agency-admin', 'official'],
  query: {
    type: 'object',
    properties: {
      processId: { type: 'string', minLength: 1, maxLength: 200 },
      latest: { type: 'boolean', default: true, description: 'Only the latest version of each process.' },
      ...pageQuery,
    },
    additionalProperties: false,
  },
  responses: { 200: { description: 'A page of definitions, by process id (then newest version first).', schema: pageOf('DefinitionPage', DefinitionSummary) } },
});

export const getDefinition = operation({
  operationId: 'getDefinition',
  method: 'get',
  path: '/definitions/{id}',
  summary: 'Get a definition with its BPMN XML (for drawing the diagram)',
  tag: 'definitions',
  roles: ['analyst', 'agency-admin', 'official'],
  params: idParams,
  responses: { 200: { description: 'The definition.', schema: Definition } },
  errors: [404],
});

export const getDefinitionXml = operation({
  operationId: 'getDefinitionXml',
  method: 'get',
  path: '/definitions/{id}/xml',
  summary: 'Get the BPMN XML of a definition',
  tag: 'definitions',
  roles: ['analyst', 'agency-admin', 'official'],
  params: idParams,
  responses: { 200: { description: 'The BPMN document.', content: { 'application/xml': { schema: { type: 'string' } } } } },
  errors: [404],
});

export const operations = [listDefinitions, getDefinition, getDefinitionXml];
