/**
 * Authentication as one object: signs users of the built-in store in, issues our own
 * tokens, and verifies bearer tokens, ours first and then (when configured) those of an
 * external identity provider. Routes, the push gateway and the CLI share one instance.
 *
 * Settings (environment, read once by {@link loadAuthConfig}; a wrong value stops
 * start-up with a message naming the variable):
 *
 * | variable                   | meaning                                             |
 * |----------------------------|-----------------------------------------------------|
 * | `MOTCUA_JWT_SECRET`        | HS256 key of our tokens, ≥ 32 bytes; default: generated once, kept in the database |
 * | `MOTCUA_TOKEN_TTL_SECONDS` | lifetime of our tokens (default 28800 = 8 h)        |
 * | `MOTCUA_WORKER_TOKEN_TTL_SECONDS` | lifetime of service accounts' (job workers') tokens (default 900 = 15 min) |
 * | `MOTCUA_JWKS_URL`          | identity provider's key set; enables external tokens (https, or http on loopback) |
 * | `MOTCUA_JWT_ISSUER`        | its `iss` (required with `MOTCUA_JWKS_URL`)         |
 * | `MOTCUA_JWT_AUDIENCE`      | the `aud` it issues for us (required with `MOTCUA_JWKS_URL`) |
 * | `MOTCUA_ROLES_CLAIM`, `MOTCUA_AGENCY_CLAIM`, `MOTCUA_GROUPS_CLAIM` | claim names (default `roles`, `agency`, `groups`) |
 */
import { decodeProtectedHeader } from 'jose';
import { InvalidInputError } from '../../../engine/src/index';
import type { SecretStore, UserRecord, UserStore } from '../store/user-store';
import { UnauthorizedError } from './errors';
import { createJwksVerifier } from './jwks';
import { authenticateClient, workerPrincipal, type ServiceAccountStore } from './service-accounts';
import { checkPasswordPolicy, hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from './passwords';
import { ROLES, type Principal, type Role, type TokenVerifier } from './principal';
import {
  createOwnTokens,
  DEFAULT_CLAIM_NAMES,
  DEFAULT_TOKEN_TTL_SECONDS,
  loadSigningKey,
  signingKeyFromEnv,
  type ClaimNames,
  type IssuedToken,
} from './tokens';

/** Lifetime of a service account's token unless `MOTCUA_WORKER_TOKEN_TTL_SECONDS` says otherwise: 15 minutes. */
export const DEFAULT_WORKER_TOKEN_TTL_SECONDS = 15 * 60;

/** What a username may look like: letters, digits and `._@+-`, starting with a letter or digit, at most 128. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/** Authentication settings, from {@link loadAuthConfig}. */
export interface AuthConfig {
  /** Lifetime of our tokens in seconds. */
  tokenTtlSeconds: number;
  /** Lifetime of the tokens of service accounts (job workers) in seconds (`MOTCUA_WORKER_TOKEN_TTL_SECONDS`, default 900). */
  workerTokenTtlSeconds: number;
  /** True when `MOTCUA_JWT_SECRET` gives the key (else it is generated and kept in the database). */
  secretFromEnv: boolean;
  /** The external identity provider, when `MOTCUA_JWKS_URL` is set. */
  jwks?: { url: URL; issuer: string; audience: string; claims: ClaimNames };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Reads and checks the authentication settings; throws naming the variable at fault. */
export function loadAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const secretFromEnv = signingKeyFromEnv(env) !== undefined;

  const rawTtl = env.MOTCUA_TOKEN_TTL_SECONDS;
  let tokenTtlSeconds = DEFAULT_TOKEN_TTL_SECONDS;
  if (rawTtl !== undefined && rawTtl !== '') {
    tokenTtlSeconds = Number(rawTtl);
    if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 60 || tokenTtlSeconds > 30 * 24 * 3600) {
      throw new Error(`configuration: MOTCUA_TOKEN_TTL_SECONDS must be an integer from 60 to 2592000 (got '${rawTtl}')`);
    }
  }

  const rawWorkerTtl = env.MOTCUA_WORKER_TOKEN_TTL_SECONDS;
  let workerTokenTtlSeconds = DEFAULT_WORKER_TOKEN_TTL_SECONDS;
  if (rawWorkerTtl !== undefined && rawWorkerTtl !== '') {
    workerTokenTtlSeconds = Number(rawWorkerTtl);
    if (!Number.isInteger(workerTokenTtlSeconds) || workerTokenTtlSeconds < 60 || workerTokenTtlSeconds > 24 * 3600) {
      throw new Error(`configuration: MOTCUA_WORKER_TOKEN_TTL_SECONDS must be an integer from 60 to 86400 (got '${rawWorkerTtl}')`);
    }
  }

  const rawUrl = env.MOTCUA_JWKS_URL;
  if (rawUrl === undefined || rawUrl === '') return { tokenTtlSeconds, workerTokenTtlSeconds, secretFromEnv };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Error(`configuration: MOTCUA_JWKS_URL is not a URL (got '${rawUrl}')`);
  }
  // Keys fetched over plain http could be swapped on the way: anyone could then sign tokens.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new Error(`configuration: MOTCUA_JWKS_URL must be an https:// URL (plain http only on localhost) (got '${rawUrl}')`);
  }
  const issuer = env.MOTCUA_JWT_ISSUER;
  const audience = env.MOTCUA_JWT_AUDIENCE;
  if (!issuer) throw new Error('configuration: MOTCUA_JWT_ISSUER is required when MOTCUA_JWKS_URL is set (the `iss` of the provider\'s tokens)');
  if (!audience) throw new Error('configuration: MOTCUA_JWT_AUDIENCE is required when MOTCUA_JWKS_URL is set (the `aud` it issues for this API)');
  const claims: ClaimNames = {
    roles: env.MOTCUA_ROLES_CLAIM || DEFAULT_CLAIM_NAMES.roles,
    agency: env.MOTCUA_AGENCY_CLAIM || DEFAULT_CLAIM_NAMES.agency,
    groups: env.MOTCUA_GROUPS_CLAIM || DEFAULT_CLAIM_NAMES.groups,
  };
  return { tokenTtlSeconds, workerTokenTtlSeconds, secretFromEnv, jwks: { url, issuer, audience, claims } };
}

/** The principal of a built-in user: its id, name, known roles, agency and groups. */
export function principalOf(user: UserRecord): Principal {
  const principal: Principal = {
    id: user.id,
    roles: user.roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role)),
    groups: [...user.groups],
  };
  if (user.name !== undefined) principal.name = user.name;
  if (user.agency !== undefined) principal.agency = user.agency;
  return principal;
}

/** A new user of the built-in store, as typed by an administrator (see {@link addUser}). */
export interface NewUserInput {
  username: string;
  /** The chosen password (checked against the policy, then hashed). */
  password: string;
  name?: string;
  roles: Role[];
  agency?: string;
  groups?: string[];
}

/**
 * Checks and stores a new user: username shape, known roles (at least one), an agency
 * for officials and agency admins, group names, the password policy; then hashes the
 * password. Throws `InvalidInputError` naming the field, or `ConflictError` when the
 * username is taken.
 */
export async function addUser(users: UserStore, input: NewUserInput): Promise<UserRecord> {
  if (!USERNAME_PATTERN.test(input.username)) {
    throw new InvalidInputError(
      `The username '${input.username}' is not valid: letters, digits and . _ @ + -, starting with a letter or digit, at most 128`,
      { field: 'username' },
    );
  }
  if (input.roles.length === 0) throw new InvalidInputError('A user needs at least one role', { field: 'roles' });
  const unknown = input.roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) {
    throw new InvalidInputError(`Unknown role(s) ${unknown.join(', ')}; known: ${ROLES.join(', ')}`, { field: 'roles' });
  }
  const agency = input.agency?.trim() || undefined;
  if (!agency && input.roles.some((role) => role === 'official' || role === 'agency-admin')) {
    throw new InvalidInputError('Officials and agency admins need an agency', { field: 'agency' });
  }
  const groups = [...new Set((input.groups ?? []).map((group) => group.trim()).filter(Boolean))];
  const badGroup = groups.find((group) => /[\s,]/.test(group) || group.length > 128);
  if (badGroup !== undefined) throw new InvalidInputError(`The group '${badGroup}' is not valid`, { field: 'groups' });
  checkPasswordPolicy(input.password);
  const passwordHash = await hashPassword(input.password);
  return users.create({ username: input.username, passwordHash, name: input.name?.trim() || undefined, roles: [...new Set(input.roles)], agency, groups });
}

/** What a successful {@link AuthService.login} returns. */
export interface LoginResult {
  /** Bearer token. */
  token: string;
  principal: Principal;
  /** When the token expires, epoch ms. */
  expiresAt: number;
}

/**
 * Authentication for one API process: a {@link TokenVerifier} (ours, then the external
 * identity provider's when configured) plus sign-in against the built-in user store.
 */
export interface AuthService extends TokenVerifier {
  /**
   * Signs a built-in user in. Unknown username, wrong password and disabled user all
   * throw the same `UnauthorizedError`, after about the same work (a password hash is
   * checked in every case), so the answer tells nothing about which usernames exist.
   */
  login(username: string, password: string): Promise<LoginResult>;
  /** Issues one of our tokens for any principal (tests, service accounts, token refresh). */
  issueToken(principal: Principal): Promise<IssuedToken>;
  /**
   * The principal of a bearer token; throws `UnauthorizedError` when it is not
   * accepted: malformed, expired, not for us, or ours but for a user since disabled, or
   * issued before the user's password changed or the user was disabled (revoked).
   */
  verify(token: string): Promise<Principal>;
  /**
   * Exchanges a service account's client id and secret for a short-lived token with the
   * role `worker` (OAuth 2.0 client credentials). Unknown client, wrong secret and revoked
   * account all throw the same `UnauthorizedError`.
   */
  clientCredentials(clientId: string, clientSecret: string): Promise<IssuedToken & { principal: Principal }>;
  /** The built-in user store. */
  readonly users: UserStore;
  /** The service accounts (job workers). */
  readonly serviceAccounts: ServiceAccountStore;
  /** The settings in force. */
  readonly config: AuthConfig;
}

/** Options of {@link createAuthService}. */
export interface AuthServiceOptions {
  /** Where users and the signing key's secret are kept. */
  stores: { users: UserStore; secrets: SecretStore; serviceAccounts: ServiceAccountStore };
  /** Environment to read settings from, as the composition root passes it (none: defaults). */
  env?: NodeJS.ProcessEnv;
  /** The clock, epoch ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Builds the authentication service: reads the settings, loads (or generates and
 * stores) the signing key and prepares the dummy hash used for unknown usernames.
 *
 * @example
 *   const auth = await createAuthService({ stores, env: process.env, now: Date.now });
 *   const { token } = await auth.login('desk.h29', password);
 *   const principal = await auth.verify(token);
 */
export async function createAuthService(options: AuthServiceOptions): Promise<AuthService> {
  const env = options.env ?? {};
  const now = options.now ?? Date.now;
  const config = loadAuthConfig(env);
  const { users, secrets, serviceAccounts } = options.stores;
  const [key, dummyHash] = await Promise.all([
    loadSigningKey({ env, secrets }),
    // Checked against when the username is unknown, so that case costs what a wrong password costs.
    hashPassword('no user has this password, it only spends the time a real check spends'),
  ]);
  const own = createOwnTokens({ key, ttlSeconds: config.tokenTtlSeconds, now });
  const external = config.jwks
    ? createJwksVerifier({ url: config.jwks.url, issuer: config.jwks.issuer, audience: config.jwks.audience, claims: config.jwks.claims, now })
    : undefined;

  const refused = () => new UnauthorizedError('Wrong username or password', { reason: 'wrong credentials' });

  return {
    users,
    serviceAccounts,
    config,

    async clientCredentials(clientId: string, clientSecret: string) {
      const account = await authenticateClient(serviceAccounts, clientId, clientSecret);
      const principal = workerPrincipal(account);
      return { ...(await own.issue(principal, 0, config.workerTokenTtlSeconds)), principal };
    },

    async login(username: string, password: string): Promise<LoginResult> {
      if (typeof username !== 'string' || typeof password !== 'string' || password === '' || password.length > MAX_PASSWORD_LENGTH * 2) {
        throw refused();
      }
      const user = username.trim() === '' ? undefined : await users.byUsername(username.trim());
      let matches = false;
      try {
        matches = await verifyPassword(password, user?.passwordHash ?? dummyHash);
      } catch (error) {
        if (error instanceof InvalidInputError) throw refused();
        throw error;
      }
      if (!user || !matches || user.disabled) throw refused();
      const principal = principalOf(user);
      const { token, expiresAt } = await own.issue(principal, user.tokenVersion);
      return { token, principal, expiresAt };
    },

    async issueToken(principal: Principal): Promise<IssuedToken> {
      // A user of the store gets its current token version; anyone else (a service account) 0.
      const user = await users.byId(principal.id);
      return own.issue(principal, user?.tokenVersion ?? 0);
    },

    async verify(token: string): Promise<Principal> {
      let alg: unknown;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        throw new UnauthorizedError('The bearer token was not accepted', { reason: 'token malformed' });
      }
      if (alg === 'HS256') {
        const { principal, tokenVersion } = await own.verifyWithVersion(token);
        if (principal.roles.includes('worker')) {
          // A service account's token: refused as soon as the account is revoked (one read per request).
          const account = await serviceAccounts.byId(principal.id);
          if (!account || account.revokedAt !== undefined) throw new UnauthorizedError('The bearer token was not accepted', { reason: 'service account revoked' });
          return principal;
        }
        // Tokens outlive a disabling or a password change by up to their lifetime unless
        // checked here: one read of the user per request, which also tells its token version.
        // The user may be remembered a moment (MOTCUA_AUTH_CACHE_MS): a refusal is always confirmed
        // by reading it again, so only an acceptance can be that old (a token issued after an
        // enabling or a password change on another node is never refused for a stale memory).
        let user = await users.byId(principal.id);
        if (user && (user.disabled || user.tokenVersion !== tokenVersion) && users.refresh) user = await users.refresh(principal.id);
        if (user?.disabled) throw new UnauthorizedError('The bearer token was not accepted', { reason: 'user disabled' });
        if (user && user.tokenVersion !== tokenVersion) {
          throw new UnauthorizedError('The bearer token was not accepted', { reason: 'token revoked (password changed or account disabled since it was issued)' });
        }
        return principal;
      }
      if (external) return external.verify(token);
      throw new UnauthorizedError('The bearer token was not accepted', { reason: 'token not issued by motcua' });
    },
  };
}
