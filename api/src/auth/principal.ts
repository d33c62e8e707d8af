/**
 * Who is calling: the authenticated user as every route and push room sees it,
 * whether the token came from our own user store or an external identity provider.
 */

/** The four roles of the product. */
export type Role = 'analyst' | 'agency-admin' | 'official' | 'citizen';

export const ROLES: readonly Role[] = ['analyst', 'agency-admin', 'official', 'citizen'];

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
