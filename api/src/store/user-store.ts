/**
 * The built-in user store (the embedded default's identity provider) and the small
 * secret store that keeps generated keys, as ports in domain words.
 * `store-sequelize/sequelize-user-store.ts` implements both on PostgreSQL.
 *
 * A deployment that signs its users in through an external identity provider (JWKS)
 * may leave the user store empty; the API then only verifies that provider's tokens.
 */

/** One user of the built-in store: who may sign in, with which roles, for which agency. */
export interface UserRecord {
  /** Stable id (the token's `sub`); never reused, never changes. */
  id: string;
  /** What the user types to sign in; unique, compared without regard to case. */
  username: string;
  /** Self-describing password hash (`scrypt$N$r$p$salt$hash`); never the password. */
  passwordHash: string;
  /** Display name, e.g. `Nguyễn Thị Lan`. */
  name?: string;
  /** Role names (`analyst`, `agency-admin`, `official`, `citizen`); the API ignores unknown ones. */
  roles: string[];
  /** Electronic identifier of the user's agency (officials, agency admins), e.g. `000.00.15.H29`. */
  agency?: string;
  /** Role groups within the agency (`desk`, `head`): matched against tasks' candidate groups. */
  groups: string[];
  /** A disabled user cannot sign in, and tokens already issued to it are refused. */
  disabled: boolean;
  /**
   * Generation of the user's tokens: a token carries the version it was issued at and is
   * refused once this has moved on. A password change and a disabling each add one.
   */
  tokenVersion: number;
  /** Creation time, epoch ms. */
  createdAt: number;
}

/** What {@link UserStore.create} needs: the store fills in `id` (unless given), `createdAt`, `disabled` and `tokenVersion`. */
export type NewUser = Omit<UserRecord, 'id' | 'createdAt' | 'disabled' | 'tokenVersion'> & { id?: string; disabled?: boolean };

/**
 * Users of the built-in identity provider.
 *
 * ## Contract
 * - Records are plain objects (copies): changing one changes nothing stored.
 * - Usernames are unique without regard to case: `create` of `Lan` when `lan` exists
 *   throws `ConflictError` (code `CONFLICT`, `details.field = 'username'`), and
 *   `byUsername('LAN')` finds `lan`. The username is kept as given.
 * - `create` of an existing id also throws `ConflictError` (`details.field = 'id'`).
 * - `setPassword` and `setDisabled` throw `NotFoundError` for an unknown id.
 * - `setPassword`, and `setDisabled(id, true)`, add one to `tokenVersion` in the same
 *   statement: every token issued before is revoked. Re-enabling revives none.
 * - The store neither hashes nor checks passwords: `passwordHash` is stored as given.
 * - Every method works outside any transaction (it needs none).
 */
export interface UserStore {
  /** Stores a new user and returns it as stored. */
  create(user: NewUser): Promise<UserRecord>;
  /** The user with this username (any case), or undefined. */
  byUsername(username: string): Promise<UserRecord | undefined>;
  /** The user with this id, or undefined. */
  byId(id: string): Promise<UserRecord | undefined>;
  /** The user with this id read now, past any memory of it (a store that remembers nothing need not have it). */
  refresh?(id: string): Promise<UserRecord | undefined>;
  /** Every user (optionally of one agency), ordered by username. */
  list(filter?: { agency?: string }): Promise<UserRecord[]>;
  /** Replaces a user's password hash (and revokes its tokens). */
  setPassword(id: string, passwordHash: string): Promise<void>;
  /** Disables (true, revoking its tokens) or re-enables (false) a user. */
  setDisabled(id: string, disabled: boolean): Promise<void>;
}

/**
 * Named secrets that every process on one database must share, such as the key
 * that signs the API's own tokens when none is configured.
 *
 * ## Contract
 * - `getOrCreate` returns the stored value of `name`; when there is none it stores
 *   `generate()` and returns it. Processes racing on an empty store all get the one
 *   value that was stored first (the losers' generated values are dropped).
 * - A value, once stored, never changes through this port.
 */
export interface SecretStore {
  getOrCreate(name: string, generate: () => string): Promise<string>;
}
