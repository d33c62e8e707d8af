/**
 * Who is calling: the authenticated user as every route and push room sees it,
 * whether the token came from our own user store or an external identity provider.
 */

/**
 * The four roles of the product's people, plus `worker`: a service account (an external
 * job worker, signed in with OAuth client credentials) that may use the job routes only.
 */
export type Role = 'analyst' | 'agency-admin' | 'official' | 'citizen' | 'worker';

/** The roles a user of the built-in store may have (a worker is a service account, never a user). */
export const ROLES: readonly Role[] = ['analyst', 'agency-admin', 'official', 'citizen'];

/** Every role a token may carry: the users' roles and `worker`. */
export const TOKEN_ROLES: readonly Role[] = [...ROLES, 'worker'];

export interface Principal {
  /** Stable user id (the token's `sub`). */
  id: string;
  name?: string;
  roles: Role[];
  /** The agency the user works for (officials, agency admins): its electronic identifier. */
  agency?: string;
  /** Role groups within the agency (e.g. `desk`, `head`): candidate groups of tasks. */
  groups: string[];
}

/** Verifies a bearer token and returns its principal; throws `UnauthorizedError` otherwise. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}
