/**
 * Tokens of an external identity provider (Keycloak, VNeID gateway, a ministry's SSO):
 * verified against the provider's published keys (JWKS, fetched and cached by jose's
 * `createRemoteJWKSet`), its issuer and our audience, then mapped to a `Principal`.
 *
 * Enabled by `MOTCUA_JWKS_URL` (with `MOTCUA_JWT_ISSUER` and `MOTCUA_JWT_AUDIENCE`);
 * the claims that carry roles, agency and groups are named by `MOTCUA_ROLES_CLAIM`,
 * `MOTCUA_AGENCY_CLAIM` and `MOTCUA_GROUPS_CLAIM` (a dotted path such as
 * `realm_access.roles` reaches into a nested claim). Roles the product does not know
 * are dropped. Only asymmetric algorithms are accepted, so a token signed with a
 * shared secret can never pass as the provider's.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { UnauthorizedError } from './errors';
import type { Principal, TokenVerifier } from './principal';
import { CLOCK_TOLERANCE_SECONDS, DEFAULT_CLAIM_NAMES, principalFromClaims, toUnauthorized, type ClaimNames } from './tokens';

/** Algorithms accepted from an identity provider: asymmetric ones only. */
export const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Options of {@link createJwksVerifier}. */
export interface JwksVerifierOptions {
  /** Where the provider publishes its keys (`…/protocol/openid-connect/certs` on Keycloak). */
  url: string | URL;
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud` (the client id the provider issues our tokens for). */
  audience: string;
  /** Claim names (default `roles`, `agency`, `groups`). */
  claims?: Partial<ClaimNames>;
  /** The clock, epoch ms (default `Date.now`). */
  now?: () => number;
  /** Longest wait for the key set, ms (default 5000). */
  timeoutMs?: number;
}

/**
 * A {@link TokenVerifier} for the provider's tokens. Keys are fetched on first use and
 * cached; an unknown `kid` triggers one re-fetch (at most every 30 s), so key rotation
 * at the provider needs no restart here.
 *
 * @example
 *   const verifier = createJwksVerifier({ url: env.MOTCUA_JWKS_URL, issuer: env.MOTCUA_JWT_ISSUER, audience: env.MOTCUA_JWT_AUDIENCE });
 *   const principal = await verifier.verify(token);
 */
export function createJwksVerifier(options: JwksVerifierOptions): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(options.url), { timeoutDuration: options.timeoutMs ?? 5000, cooldownDuration: 30_000 });
  const claims: ClaimNames = { ...DEFAULT_CLAIM_NAMES, ...options.claims };
  const now = options.now ?? Date.now;

  return {
    async verify(token: string): Promise<Principal> {
      try {
        const { payload } = await jwtVerify(token, keys, {
          algorithms: JWKS_ALGORITHMS,
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now()),
          requiredClaims: ['sub', 'exp'],
        });
        return principalFromClaims(payload, claims);
      } catch (error) {
        if (error instanceof UnauthorizedError) throw error;
        // fetch failures (connection refused, DNS) are plain errors, not jose's.
        const coded = typeof (error as { code?: unknown } | null)?.code === 'string' && String((error as { code: string }).code).startsWith('ERR_J');
        throw coded ? toUnauthorized(error) : new UnauthorizedError('The bearer token was not accepted', { reason: 'identity provider keys could not be fetched' });
      }
    },
  };
}
