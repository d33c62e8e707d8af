/** Modeler drafts: BPMN documents an analyst is still drawing, kept per user. */
import { named, Timestamp } from './common';
import { operation } from './operation';

const draftIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$', description: 'Chosen by the modeler (letters, digits, . _ -).' } },
  additionalProperties: false,
} as const;

const summaryProperties = {
  id: { type: 'string' },
  name: { type: 'string' },
  processId: { type: 'string' },
  createdAt: Timestamp,
  updatedAt: Timestamp,
} as const;

export const DraftSummary = named('DraftSummary', {
  type: 'object',
  required: ['id', 'createdAt', 'updatedAt'],
  properties: summaryProperties,
});

export const Draft = named('Draft', {
  type: 'object',
  required: ['id', 'createdAt', 'updatedAt', 'xml'],
  properties: { ...summaryProperties, xml: { type: 'string', description: 'The BPMN document as last saved.' } },
});

const roles = ['analyst', 'agency-admin'];

export const listDrafts = operation({
  operationId: 'listDrafts',
  method: 'get',
  path: '/drafts',
  summary: "List the caller's modeler drafts, most recently saved first",
  tag: 'drafts',
  roles,
  responses: { 200: { description: "The caller's drafts (without their XML).", schema: named('DraftList', { type: 'object', required: ['items'], properties: { items: { type: 'array', items: DraftSummary } } }) } },
});

export const getDraft = operation({
  operationId: 'getDraft',
  method: 'get',
  path: '/drafts/{id}',
  summary: 'Get one of the caller\'s drafts with its XML',
  tag: 'drafts',
  roles,
  params: draftIdParams,
  responses: { 200: { description: 'The draft.', schema: Draft } },
  errors: [404],
});

const bpmnXml = { type: 'string', contentMediaType: 'application/xml', description: 'A BPMN 2.0 XML document (not checked: a draft may be unfinished).' };

export const saveDraft = operation({
  operationId: 'saveDraft',
  method: 'put',
  path: '/drafts/{id}',
  summary: 'Save a draft (create or replace)',
  description: 'The body is the BPMN XML (`application/xml` or `text/xml`, at most MOTCUA_MAX_XML_BYTES). A user keeps at most MOTCUA_MAX_DRAFTS_PER_USER drafts (409 past it).',
  tag: 'drafts',
  roles,
  params: draftIdParams,
  query: {
    type: 'object',
    properties: { name: { type: 'string', maxLength: 200 }, processId: { type: 'string', maxLength: 200 } },
    additionalProperties: false,
  },
  otherBodies: { 'application/xml': { schema: bpmnXml }, 'text/xml': { schema: bpmnXml } },
  responses: { 200: { description: 'Saved.', schema: DraftSummary } },
  errors: [409, 413, 415],
});

export const deleteDraft = operation({
  operationId: 'deleteDraft',
  method: 'delete',
  path: '/drafts/{id}',
  summary: 'Delete a draft',
  tag: 'drafts',
  roles,
  params: draftIdParams,
  responses: { 204: { description: 'Deleted.' } },
  errors: [404],
});

export const operations = [listDrafts, getDraft, saveDraft, deleteDraft];
