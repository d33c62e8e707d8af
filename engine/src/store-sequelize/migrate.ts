/**
 * Schema migrations with umzug: TypeScript modules in `./migrations`, applied names
 * kept in the `schema_migrations` table of the database's schema.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { QueryInterface } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrationFn } from 'umzug';
import { ADVISORY_LOCK_NAMESPACE, openDatabase, type Database } from './connect';

/** What a file in `./migrations` exports. */
export interface MigrationModule {
  /** Applies the migration; `context` is the QueryInterface of the migrating connection. */
  up: MigrationFn<QueryInterface>;
  /** Reverts it (development only). */
  down?: MigrationFn<QueryInterface>;
}

/** Table (in the database's schema) that records the applied migrations. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * The migration file extension to load: the one this module itself has, so jest
 * (ts-jest, running `.ts` sources) loads `0001-x.ts` and the compiled build loads
 * `0001-x.js`, and a folder holding both never yields one migration twice.
 */
const EXTENSION = path.extname(__filename) === '.ts' ? '.ts' : '.js';

/** Migration name from its file name: without the extension, so `.ts` and `.js` agree. */
function migrationName(fileName: string): string {
  return fileName.replace(/\.(ts|js)$/, '');
}

/**
 * The engine's own migrations (its tables); other layers keep theirs in their own folders.
 * The folders are always passed together (the composition root's list, api/src/migrations.ts):
 * an older migration of one layer may touch another's table (0009 adds a column to `users`).
 */
export const ENGINE_MIGRATIONS = path.join(__dirname, 'migrations');

/**
 * The migration files of `folders`, in one order: by name across all folders (names start
 * with a number that is unique over the whole project, so a layer's migration can depend on
 * an earlier one of another layer). A folder that does not exist holds none (a layer with no
 * migration yet has no compiled folder); a name found twice is refused.
 */
export function migrationFiles(folders: readonly string[]): { name: string; file: string }[] {
  const found = new Map<string, string>();
  for (const folder of folders) {
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const entry of entries) {
      if (!/^[0-9]/.test(entry) || !entry.endsWith(EXTENSION) || entry.endsWith('.d.ts')) continue;
      const name = migrationName(entry);
      const other = found.get(name);
      if (other) throw new Error(`Migration ${name} exists twice: ${other} and ${path.join(folder, entry)}`);
      found.set(name, path.join(folder, entry));
    }
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, file]) => ({ name, file }));
}

function createUmzug(db: Database, logging: boolean, folders: readonly string[]): Umzug<QueryInterface> {
  const context = db.sequelize.getQueryInterface();
  return new Umzug<QueryInterface>({
    migrations: migrationFiles(folders).map(({ name, file }) => ({
      name,
      path: file,
      up: async (params) => load(file).up({ ...params, context }),
      down: async (params) => {
        const mod = load(file);
        if (!mod.down) throw new Error(`Migration ${file} cannot be reverted (no down())`);
        await mod.down({ ...params, context });
      },
    })),
    context,
    storage: new SequelizeStorage({
      sequelize: db.sequelize,
      modelName: 'SchemaMigration',
      tableName: MIGRATIONS_TABLE,
      // Explicit, because sequelize's "does the table exist" check (run by umzug's
      // sync) looks in `public` when no schema is given, whatever the search_path.
      schema: db.schema,
    }),
    logger: logging ? console : undefined,
  });
}

function load(file: string): MigrationModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as MigrationModule;
  if (typeof mod.up !== 'function') throw new Error(`Migration ${file} exports no up()`);
  return mod;
}

/**
 * Runs `fn` on a dedicated one-connection Database, inside one transaction that holds
 * the schema's migration advisory lock; commits when `fn` resolves, rolls back otherwise.
 *
 * One connection is what makes the plain `BEGIN` cover umzug's storage writes and the
 * migrations' queries without passing a transaction object to each (umzug's
 * SequelizeStorage cannot take one). A guard fails the next query if the pool ever had
 * to replace that connection mid-way.
 */
async function inMigrationTransaction<T>(db: Database, fn: (conn: Database) => Promise<T>): Promise<T> {
  const conn = await openDatabase({ ...db.options, poolMax: 1 });
  try {
    await conn.sequelize.query('BEGIN');
    conn.sequelize.addHook('afterConnect', 'motcua-migration-guard', () => {
      throw new Error('The migration connection was lost mid-transaction; nothing was committed');
    });
    try {
      // Waits for any other process migrating the same schema; released at COMMIT/ROLLBACK.
      // (On PGlite, one session: never waits, but there is only one process anyway.)
      await conn.sequelize.query(
        `SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, hashtext('migrate:${conn.schema}'))`,
      );
      const result = await fn(conn);
      await conn.sequelize.query('COMMIT');
      return result;
    } catch (error) {
      await conn.sequelize.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await conn.close();
  }
}

/**
 * Applies every pending migration and returns their names (in order; empty when the
 * schema is up to date, so calling it at every start-up is cheap and safe).
 *
 * All pending migrations commit together or not at all, and concurrent callers on one
 * PostgreSQL (several nodes starting at once) queue on an advisory lock: the first
 * applies, the others then find nothing to do.
 */
export async function migrate(db: Database, folders: readonly string[]): Promise<string[]> {
  return inMigrationTransaction(db, async (conn) => {
    const applied = await createUmzug(conn, db.options.logging, folders).up();
    return applied.map((m) => m.name);
  });
}

/**
 * Reverts the last `steps` applied migrations (default 1) and returns their names.
 * For development and tests only: `down` migrations drop data.
 */
export async function migrateDown(db: Database, steps: number, folders: readonly string[]): Promise<string[]> {
  return inMigrationTransaction(db, async (conn) => {
    const reverted = await createUmzug(conn, db.options.logging, folders).down({ step: steps });
    return reverted.map((m) => m.name);
  });
}

/** Names of the applied migrations, oldest first (empty before the first `migrate`). */
export async function appliedMigrations(db: Database, folders: readonly string[]): Promise<string[]> {
  return inMigrationTransaction(db, async (conn) => {
    const executed = await createUmzug(conn, false, folders).executed();
    return executed.map((m) => m.name);
  });
}
