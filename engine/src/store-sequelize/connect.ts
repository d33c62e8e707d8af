/**
 * Opening a sequelize connection to PostgreSQL: either a real server or the
 * embedded PGlite served by `embedded.ts`. One dialect (`postgres`) everywhere.
 *
 * This folder is the only place that imports sequelize; the rest of the engine
 * sees repositories that return plain objects.
 */
import { silentLogger, type Logger } from '../logger';
import pg from 'pg';
import { QueryTypes, Sequelize } from 'sequelize';
import type { RawClient } from './pipelined-sql';

/** How to reach the database: given to {@link openDatabase} (and kept on {@link Database.options}). */
export interface DatabaseOptions {
  /** A `postgres://` URL (for the embedded server, the one `startEmbeddedPostgres` returns). */
  url: string;
  /**
   * True when `url` points at the embedded PGlite server. PGlite is one PostgreSQL
   * session shared by every connection, so the pool is then one connection.
   */
  embedded?: boolean;
  /**
   * PostgreSQL schema that holds the tables (default `public`). Any other schema is
   * created if missing and put on the `search_path` of every connection. Used by the
   * tests (one schema per suite) and by deployments that share a database.
   * Must match /^[a-z_][a-z0-9_]*$/.
   */
  schema?: string;
  /** Log every SQL statement, at debug on `logger` (default false). */
  logging?: boolean;
  /** Where the database's lines go (default: nowhere). */
  logger?: Logger;
  /** Largest number of pooled connections on a real server (default 10; always 1 when embedded). */
  poolMax?: number;
}

/** An open database: the sequelize instance plus what the store needs to know about it. */
export interface Database {
  /** The sequelize instance; never handed out of `store-sequelize/`. */
  readonly sequelize: Sequelize;
  /** True on the embedded PGlite (pool of one, one node, SKIP LOCKED never skips, no NOTIFY fan-out). */
  readonly embedded: boolean;
  /** The schema holding the tables (unquoted, validated). */
  readonly schema: string;
  /** The options this database was opened with (with defaults filled in), e.g. to open a second connection. */
  readonly options: Readonly<Required<Omit<DatabaseOptions, 'poolMax' | 'logger'>> & { poolMax: number }>;
  /** Closes the pool. Safe to call twice. */
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * First key of every advisory lock the store takes; the second key is `hashtext(<purpose>)`.
 * Exported so later code (job executor, tools) picks distinct purposes in the same namespace.
 */
export const ADVISORY_LOCK_NAMESPACE = 0x6d6f7463; // 'motc'

/**
 * Open schemas per embedded URL in this process. PGlite is ONE session: `SET search_path`
 * from any connection changes it for all of them, so two open Databases on one embedded
 * server must use the same schema, or each would silently read and write the other's tables.
 */
const embeddedSchemas = new Map<string, { schema: string; count: number }>();

/**
 * Throws unless `schema` is a plain lower-case PostgreSQL identifier; it is then safe
 * to splice into SQL between double quotes. Exported for code that builds such SQL (tools, tests).
 */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name ${JSON.stringify(schema)}: must match ${SCHEMA_NAME}`);
  }
}

/**
 * Opens a sequelize pool on `options.url` and makes sure the schema exists.
 *
 * Call once per process at start-up (the tests call it per suite, with their own
 * schema), then `migrate(db, folders)`. Times are UTC on every connection; `pg` is passed
 * explicitly as the dialect module so a bundler sees the dependency.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const schema = options.schema ?? 'public';
  assertSchemaName(schema);
  const embedded = options.embedded ?? false;
  const poolMax = embedded ? 1 : options.poolMax ?? 10;
  if (!Number.isInteger(poolMax) || poolMax < 1) throw new Error(`poolMax must be a positive integer, got ${poolMax}`);
  const logging = options.logging ?? false;
  const sqlLogger = (options.logger ?? silentLogger).child({ component: 'database' });

  if (embedded) {
    const open = embeddedSchemas.get(options.url);
    if (open && open.schema !== schema) {
      throw new Error(
        `The embedded database ${options.url} is already open in this process with schema "${open.schema}"; ` +
          `PGlite is a single session (one search_path for all connections), so it cannot serve schema "${schema}" at the same time. ` +
          `Close the other Database first.`,
      );
    }
    embeddedSchemas.set(options.url, { schema, count: (open?.count ?? 0) + 1 });
  }

  const sequelize = new Sequelize(options.url, {
    dialect: 'postgres',
    dialectModule: pg,
    logging: logging ? (sql: string) => sqlLogger.debug({ sql }, 'sql') : false,
    timezone: '+00:00',
    pool: {
      max: poolMax,
      min: 0,
      // Embedded: a query issued outside a transaction while that transaction holds the
      // only connection waits here, then fails with ConnectionAcquireTimeoutError (instead
      // of hanging forever inside PGlite).
      acquire: 30_000,
      idle: 10_000,
    },
    define: { underscored: true, timestamps: false, freezeTableName: true },
    // Runs on the raw pg client of every new pooled connection. Also for `public` on the
    // embedded server: its one session keeps the search_path an earlier client set.
    hooks:
      schema === 'public' && !embedded
        ? {}
        : {
            afterConnect: async (connection: unknown) => {
              await (connection as pg.Client).query(`SET search_path TO "${schema}"`);
            },
          },
  });

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (embedded) {
      const open = embeddedSchemas.get(options.url);
      if (open && open.count > 1) open.count -= 1;
      else embeddedSchemas.delete(options.url);
    }
    await sequelize.close();
  };

  try {
    if (schema !== 'public') {
      // One statement string = one implicit transaction, so the xact lock covers the
      // CREATE: two nodes starting at once on a fresh schema would otherwise race on
      // pg_namespace's unique index ("duplicate key value") despite IF NOT EXISTS.
      await sequelize.query(
        `SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, hashtext('create-schema')); CREATE SCHEMA IF NOT EXISTS "${schema}"`,
        { type: QueryTypes.RAW },
      );
    } else {
      await sequelize.authenticate({ logging: false });
    }
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }

  return {
    sequelize,
    embedded,
    schema,
    options: Object.freeze({ url: options.url, embedded, schema, logging, poolMax }),
    close,
  };
}

/** The parts of sequelize's connection manager the store uses to drive a pooled pg client itself. */
export interface ConnectionManager {
  getConnection(options: { type: 'read' | 'write' }): Promise<RawClient>;
  releaseConnection(connection: RawClient): void;
  destroyConnection(connection: RawClient): Promise<void>;
}

/** The pool of `db`, for code that drives its pg clients directly (see pipelined-sql.ts for why). */
export function connectionsOf(db: Database): ConnectionManager {
  return db.sequelize.connectionManager as unknown as ConnectionManager;
}

/** Runs `work` on one pooled connection of `db`, driven directly, and gives the connection back. */
export async function withConnection<T>(db: Database, work: (connection: RawClient) => Promise<T>): Promise<T> {
  const manager = connectionsOf(db);
  const connection = await manager.getConnection({ type: 'write' });
  try {
    return await work(connection);
  } finally {
    manager.releaseConnection(connection);
  }
}
