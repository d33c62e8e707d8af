/**
 * Service accounts: how external job workers sign in. An agency admin issues one for its
 * agency (through the API or `motcua service-account create`) and gets a client id and a
 * secret, shown once; the worker exchanges them for a short-lived token with the role
 * `worker` at `POST /api/oauth/token` (OAuth 2.0 client credentials, RFC 6749 §4.4).
 *
 * The secret is kept only as a scrypt hash (`passwords.ts`); a revoked account's tokens
 * are refused at once, because verifying a worker's token reads its account.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../../../engine/src/index';
import { UnauthorizedError } from './errors';
import { hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';

/** One service account (an OAuth client of one agency). */
export interface ServiceAccountRecord {
  /** The OAuth client id; also the `sub` of its tokens. */
  id: string;
  name: string;
  agency: string;
  /** scrypt hash of the client secret; never the secret. */
  secretHash: string;
  createdAt: number;
  createdBy?: string;
  /** Set once revoked: its tokens are refused, it gets no new one. */
  revokedAt?: number;
  revokedBy?: string;
}

/**
 * The service accounts table.
 *
 * ## Contract
 * - Records are plain objects; `secretHash` is stored as given (the store hashes nothing).
 * - `revoke` keeps the first revocation's time and author; it returns undefined for an unknown id.
 * - Every method works outside any transaction.
 */
export interface ServiceAccountStore {
  create(account: Omit<ServiceAccountRecord, 'revokedAt' | 'revokedBy'>): Promise<ServiceAccountRecord>;
  byId(id: string): Promise<ServiceAccountRecord | undefined>;
  list(filter?: { agency?: string }): Promise<ServiceAccountRecord[]>;
  revoke(id: string, options: { at: number; by?: string }): Promise<ServiceAccountRecord | undefined>;
}

/** A service account as shown to people (without its secret hash). */
export function serviceAccountView(account: ServiceAccountRecord) {
  return {
    clientId: account.id,
    name: account.name,
    agency: account.agency,
    createdAt: new Date(account.createdAt).toISOString(),
    createdBy: account.createdBy,
    revokedAt: account.revokedAt === undefined ? undefined : new Date(account.revokedAt).toISOString(),
    revokedBy: account.revokedBy,
  };
}

/** The principal of a service account's tokens: role `worker`, its agency, no groups. */
export function workerPrincipal(account: ServiceAccountRecord): Principal {
  return { id: account.id, name: account.name, roles: ['worker'], agency: account.agency, groups: [] };
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@+-]{0,127}$/u;

/**
 * Issues a new service account for an agency; answers it with its client secret, which
 * is shown this once (only its hash is kept).
 */
export async function issueServiceAccount(
  store: ServiceAccountStore,
  input: { name: string; agency: string; createdBy?: string; now: number },
): Promise<{ account: ServiceAccountRecord; clientSecret: string }> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!NAME.test(name)) throw new InvalidInputError('The name of a service account must be 1 to 128 letters, digits, spaces and . _ @ + -', { field: 'name' });
  if (!input.agency) throw new InvalidInputError('A service account works for an agency', { field: 'agency' });
  const clientSecret = randomBytes(32).toString('base64url');
  const account = await store.create({
    id: `sa-${randomUUID()}`,
    name,
    agency: input.agency,
    secretHash: await hashPassword(clientSecret),
    createdAt: input.now,
    createdBy: input.createdBy,
  });
  return { account, clientSecret };
}

/** Revokes a service account; NotFoundError for an unknown client id. */
export async function revokeServiceAccount(store: ServiceAccountStore, clientId: string, options: { at: number; by?: string }): Promise<ServiceAccountRecord> {
  const account = await store.revoke(clientId, options);
  if (!account) throw new NotFoundError(`service account '${clientId}' does not exist`, { field: 'clientId' });
  return account;
}

let dummyHash: Promise<string> | undefined;

/**
 * The account of a client id and secret. An unknown client, a wrong secret and a revoked
 * account all throw the same `UnauthorizedError`, after the same work (a hash is checked
 * in every case).
 */
export async function authenticateClient(store: ServiceAccountStore, clientId: string, clientSecret: string): Promise<ServiceAccountRecord> {
  const refused = () => new UnauthorizedError('Unknown client or wrong client secret', { reason: 'invalid client' });
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || clientSecret === '' || clientSecret.length > 1024 || clientId.length > 200) throw refused();
  const account = clientId === '' ? undefined : await store.byId(clientId);
  dummyHash ??= hashPassword('no client has this secret, it only spends the time a real check spends');
  const matches = await verifyPassword(clientSecret, account?.secretHash ?? (await dummyHash));
  if (!account || !matches || account.revokedAt !== undefined) throw refused();
  return account;
}
