/** The national portal synchronisation and the notice outbox: the unsent lists, the re-send, the status mapping. */
import { named, Timestamp } from './common';
import { operation } from './operation';

const staff = ['official', 'agency-admin'];

export const UnsentDossier = named('UnsentDossier', {
  type: 'object',
  required: ['dossierId', 'agency', 'pending', 'attempts', 'firstCreatedAt', 'nextAt'],
  properties: {
    dossierId: { type: 'string' },
    agency: { type: 'string' },
    pending: { type: 'integer', description: 'Messages of the dossier not yet delivered (they leave in order).' },
    attempts: { type: 'integer', description: 'Most tries of one of them; after 10 they wait for a re-send.' },
    firstCreatedAt: Timestamp,
    nextAt: Timestamp,
    lastError: { type: 'string' },
  },
});

const unsentList = { type: 'object', required: ['items', 'configured'], properties: { configured: { type: 'boolean', description: 'Whether a transport is configured (MOTCUA_PORTAL_URL / MOTCUA_SMTP_URL); without one everything stays queued.' }, items: { type: 'array', items: UnsentDossier } } } as const;
const limitQuery = { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } }, additionalProperties: false } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } }, additionalProperties: false } as const;

export const StatusMappingDocument = named('PortalStatusMapping', {
  type: 'object',
  description: 'Local dossier status → the portal status `{ code, name }`; every status must be mapped (onestop/src/portal/data/status-mapping.json).',
  required: ['statuses'],
  properties: { version: { type: 'integer' }, statuses: { type: 'object', additionalProperties: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } } } },
});

export const listUnsynchronisedDossiers = operation({
  operationId: 'listUnsynchronisedDossiers',
  method: 'get',
  path: '/portal/unsynchronised',
  summary: "Dossiers of the caller's agency whose records have not all reached the national portal",
  tag: 'portal',
  roles: staff,
  query: limitQuery,
  responses: { 200: { description: 'Oldest first.', schema: unsentList } },
});

export const resendDossierToPortal = operation({
  operationId: 'resendDossierToPortal',
  method: 'post',
  path: '/portal/dossiers/{id}/resend',
  summary: "Send a dossier's pending portal records again now",
  description: 'Makes them due now with their tries reset, then sends what is due.',
  tag: 'portal',
  roles: ['agency-admin'],
  params: idParams,
  responses: { 200: { description: 'What was done.', schema: { type: 'object', required: ['requeued', 'sent', 'failed'], properties: { requeued: { type: 'integer' }, sent: { type: 'integer' }, failed: { type: 'integer' } } } } },
  errors: [404],
});

export const getPortalStatusMapping = operation({
  operationId: 'getPortalStatusMapping',
  method: 'get',
  path: '/portal/status-mapping',
  summary: 'The local → portal status mapping in force',
  tag: 'portal',
  roles: staff,
  responses: { 200: { description: 'The mapping (version 0: the bundled one).', schema: { type: 'object', required: ['mapping', 'version'], properties: { mapping: StatusMappingDocument, version: { type: 'integer' }, updatedAt: Timestamp, updatedBy: { type: 'string' } } } } },
});

export const replacePortalStatusMapping = operation({
  operationId: 'replacePortalStatusMapping',
  method: 'put',
  path: '/portal/status-mapping',
  summary: 'Replace the local → portal status mapping',
  description: 'Validated (every local status mapped to a code); applies to every record sent from now on, queued ones included.',
  tag: 'portal',
  roles: ['agency-admin'],
  body: { type: 'object' },
  responses: { 200: { description: 'The new version.', schema: { type: 'object', required: ['version'], properties: { version: { type: 'integer' } } } } },
});

export const listUnsentNotices = operation({
  operationId: 'listUnsentNotices',
  method: 'get',
  path: '/notices/unsent',
  summary: "Dossiers of the caller's agency with notices to the applicant not yet sent",
  tag: 'portal',
  roles: staff,
  query: limitQuery,
  responses: { 200: { description: 'Oldest first.', schema: unsentList } },
});

export const operations = [listUnsynchronisedDossiers, resendDossierToPortal, getPortalStatusMapping, replacePortalStatusMapping, listUnsentNotices];
