/**
 * The user store and the secret store on PostgreSQL (server or embedded PGlite),
 * as parameterised SQL through `sequelize.query`, outside any transaction.
 */
import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { ConflictError, NotFoundError } from '../../../engine/src/index';
import type { NewUser, SecretStore, UserRecord, UserStore } from '../store/user-store';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { ms } from '../../../engine/src/store-sequelize/rows';

type Row = Record<string, any>;

/** Options of {@link createSequelizeUserStore}: the clock and the id source (tests inject them). */
export interface SequelizeUserStoreOptions {
  /** Clock for `createdAt` (default `Date.now`). */
  now?: () => number;
  /** Id of a new user when `create` is given none (default a random UUID). */
  newId?: () => string;
}

function toUser(row: Row): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    name: row.name ?? undefined,
    roles: row.roles ?? [],
    agency: row.agency ?? undefined,
    groups: row.groups ?? [],
    disabled: row.disabled,
    tokenVersion: row.token_version ?? 0,
    createdAt: ms(row.created_at)!,
  };
}

async function select(db: Database, sql: string, bind: unknown[]): Promise<Row[]> {
  return (await db.sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as Row[];
}

/** Runs a data-changing statement and returns the rows of its RETURNING clause. */
async function returning(db: Database, sql: string, bind: unknown[]): Promise<Row[]> {
  const [rows] = await db.sequelize.query(sql, { bind, type: QueryTypes.RAW });
  return rows as Row[];
}

/**
 * The {@link UserStore} over `db` (table `users`, migration 0002).
 *
 * @example
 *   const users = createSequelizeUserStore(db);
 *   await users.create({ username: 'lan', passwordHash, roles: ['official'], agency: '000.00.15.H29', groups: ['desk'] });
 */
export function createSequelizeUserStore(db: Database, options: SequelizeUserStoreOptions = {}): UserStore {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;

  async function update(sql: string, bind: unknown[], id: string): Promise<void> {
    const rows = await returning(db, sql, bind);
    if (rows.length === 0) throw new NotFoundError(`No user with id '${id}'`, { userId: id });
  }

  return {
    async create(user: NewUser): Promise<UserRecord> {
      const id = user.id ?? newId();
      // ON CONFLICT DO NOTHING (no target) covers both the primary key and the
      // case-insensitive username index without raising inside the statement.
      const rows = await returning(
        db,
        `INSERT INTO users (id, username, password_hash, name, roles, agency, groups, disabled, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT DO NOTHING
         RETURNING *`,
        [id, user.username, user.passwordHash, user.name ?? null, [...user.roles], user.agency ?? null, [...user.groups], user.disabled ?? false, new Date(now())],
      );
      if (rows.length === 1) return toUser(rows[0]);
      const taken = await select(db, 'SELECT id FROM users WHERE lower(username) = lower($1)', [user.username]);
      if (taken.length > 0) {
        throw new ConflictError(`The username '${user.username}' is taken`, { field: 'username', username: user.username });
      }
      throw new ConflictError(`A user with id '${id}' exists`, { field: 'id', userId: id });
    },

    async byUsername(username: string): Promise<UserRecord | undefined> {
      const rows = await select(db, 'SELECT * FROM users WHERE lower(username) = lower($1)', [username]);
      return rows[0] && toUser(rows[0]);
    },

    async byId(id: string): Promise<UserRecord | undefined> {
      const rows = await select(db, 'SELECT * FROM users WHERE id = $1', [id]);
      return rows[0] && toUser(rows[0]);
    },

    async list(filter: { agency?: string } = {}): Promise<UserRecord[]> {
      const rows =
        filter.agency === undefined
          ? await select(db, 'SELECT * FROM users ORDER BY lower(username), id', [])
          : await select(db, 'SELECT * FROM users WHERE agency = $1 ORDER BY lower(username), id', [filter.agency]);
      return rows.map(toUser);
    },

    async setPassword(id: string, passwordHash: string): Promise<void> {
      await update('UPDATE users SET password_hash = $2, token_version = token_version + 1 WHERE id = $1 RETURNING id', [id, passwordHash], id);
    },

    async setDisabled(id: string, disabled: boolean): Promise<void> {
      await update('UPDATE users SET disabled = $2, token_version = token_version + (CASE WHEN $2 THEN 1 ELSE 0 END) WHERE id = $1 RETURNING id', [id, disabled], id);
    },
  };
}

/**
 * The {@link SecretStore} over `db` (table `secrets`, migration 0002). The first
 * process to store a name wins (`INSERT … ON CONFLICT DO NOTHING`, then a re-read).
 */
export function createSequelizeSecretStore(db: Database): SecretStore {
  return {
    async getOrCreate(name: string, generate: () => string): Promise<string> {
      const existing = await select(db, 'SELECT value FROM secrets WHERE name = $1', [name]);
      if (existing.length > 0) return existing[0].value;
      await returning(db, 'INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name', [name, generate()]);
      const stored = await select(db, 'SELECT value FROM secrets WHERE name = $1', [name]);
      if (stored.length === 0) throw new Error(`The secret '${name}' was neither stored nor found`);
      return stored[0].value;
    },
  };
}
