/** Service accounts: the OAuth clients (client credentials) that external job workers sign in as. */
import { named, Timestamp } from './common';
import { operation } from './operation';

const admins = ['agency-admin (own agency)'];

export const ServiceAccount = named('ServiceAccount', {
  type: 'object',
  required: ['clientId', 'name', 'agency', 'createdAt'],
  properties: {
    clientId: { type: 'string' },
    name: { type: 'string' },
    agency: { type: 'string' },
    createdAt: Timestamp,
    createdBy: { type: 'string' },
    revokedAt: Timestamp,
    revokedBy: { type: 'string' },
  },
});

export const IssuedServiceAccount = named('IssuedServiceAccount', {
  type: 'object',
  required: ['clientId', 'clientSecret', 'name', 'agency', 'createdAt', 'tokenUrl'],
  properties: {
    ...ServiceAccount.properties,
    clientSecret: { type: 'string', description: 'Shown this once: only its hash is kept.' },
    tokenUrl: { type: 'string', description: 'Where the worker exchanges client id and secret for a token (grant_type=client_credentials).' },
  },
});

export const CreateServiceAccountBody = named('CreateServiceAccountBody', {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 128, description: 'What the worker is, e.g. `land-registry-lookup`.' } },
  additionalProperties: false,
});

const clientIdParams = {
  type: 'object',
  required: ['clientId'],
  properties: { clientId: { type: 'string', minLength: 1, maxLength: 200 } },
  additionalProperties: false,
} as const;

export const createServiceAccount = operation({
  operationId: 'createServiceAccount',
  method: 'post',
  path: '/service-accounts',
  summary: "Issue a service account (client id and secret) for a job worker of the caller's agency",
  tag: 'service-accounts',
  roles: admins,
  body: CreateServiceAccountBody,
  responses: { 201: { description: 'Issued; the secret is in this answer only.', schema: IssuedServiceAccount } },
});

export const listServiceAccounts = operation({
  operationId: 'listServiceAccounts',
  method: 'get',
  path: '/service-accounts',
  summary: "List the service accounts of the caller's agency (revoked ones too)",
  tag: 'service-accounts',
  roles: admins,
  responses: { 200: { description: 'The service accounts, oldest first.', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ServiceAccount } } } } },
});

export const revokeServiceAccount = operation({
  operationId: 'revokeServiceAccount',
  method: 'post',
  path: '/service-accounts/{clientId}/revoke',
  summary: 'Revoke a service account: its tokens are refused at once',
  tag: 'service-accounts',
  roles: admins,
  params: clientIdParams,
  responses: { 200: { description: 'Revoked.', schema: ServiceAccount } },
  errors: [404],
});

export const operations = [createServiceAccount, listServiceAccounts, revokeServiceAccount];
