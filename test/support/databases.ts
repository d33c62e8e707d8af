/**
 * The databases every store suite runs against: the real PostgreSQL and the embedded
 * one (PGlite), each suite in a fresh schema of its own.
 *
 *   describe.each(testDatabases())('... on $name', (target) => {
 *     let db: Database;
 *     beforeAll(async () => { db = await openTestDatabase(target.name); });
 *     afterAll(() => db?.close());
 *   });
 *
 * The servers are started by `global-setup.ts`. On the embedded database (one session,
 * one `search_path`) a suite must close its test database before opening another.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../engine/src/store-sequelize/connect';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from '../../api/src/migrations';

/** Which database a suite runs against. */
export type TestDatabaseKind = 'postgres' | 'embedded';

/** One database to run the suites against. */
export interface TestDatabaseTarget {
  name: TestDatabaseKind;
  url: string;
  embedded: boolean;
}

/** Where the real PostgreSQL of the development machines listens, unless TEST_DATABASE_URL says otherwise. */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** What to do when PostgreSQL is down (shown by failing suites). */
export const START_POSTGRES_HINT =
  'Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start ' +
  '(or point TEST_DATABASE_URL at a running server).';

/** Test schemas older than this are leftovers of crashed runs; global setup drops them. */
export const TEST_SCHEMA_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** A fresh schema name: `t_<creation time, base 36>_<random>`, so stale ones can be recognised. */
function newTestSchemaName(): string {
  return `t_${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
}

/** Creation time (ms) encoded in a test schema name, or undefined when it is not one. */
export function testSchemaCreatedAt(schema: string): number | undefined {
  const match = /^t_([0-9a-z]+)_[0-9a-f]+$/.exec(schema);
  if (!match) return undefined;
  const time = Number.parseInt(match[1], 36);
  return Number.isFinite(time) ? time : undefined;
}

function embeddedUrl(): string {
  const urls = (process.env.MOTCUA_TEST_PGLITE_URLS ?? '').split(',').filter(Boolean);
  if (urls.length === 0) {
    throw new Error('MOTCUA_TEST_PGLITE_URLS is not set: run the tests with jest (its globalSetup starts the embedded PostgreSQL)');
  }
  const worker = Number.parseInt(process.env.JEST_WORKER_ID ?? '1', 10) || 1;
  return urls[(worker - 1) % urls.length];
}

/**
 * Both test databases, for `describe.each`. PostgreSQL is always listed, also when it is
 * down: its suites then fail (openTestDatabase throws) instead of silently passing.
 */
export function testDatabases(): TestDatabaseTarget[] {
  return [
    { name: 'postgres', url: process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL, embedded: false },
    { name: 'embedded', url: embeddedUrl(), embedded: true },
  ];
}

function postgresMissingMessage(): string {
  return `PostgreSQL is not reachable at ${process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL}; this suite needs it. ${START_POSTGRES_HINT}`;
}

/**
 * Throws (failing the test) when global setup found PostgreSQL unreachable. For tests
 * that use PostgreSQL without going through {@link openTestDatabase}; that one checks too.
 */
export function requirePostgres(): void {
  if (process.env.MOTCUA_TEST_PG_MISSING === '1') throw new Error(postgresMissingMessage());
}

/** Options of {@link openTestDatabase}. */
export interface OpenTestDatabaseOptions {
  /** Apply the migrations (default true); false gives an empty schema, for migration tests. */
  migrate?: boolean;
}

/**
 * Opens `kind` in a new schema `t_<time>_<random>` (migrated unless told otherwise).
 * Its `close()` drops the schema with everything in it, then closes the pool. Close
 * every other Database opened on that schema first.
 */
export async function openTestDatabase(
  kind: TestDatabaseKind | TestDatabaseTarget,
  options: OpenTestDatabaseOptions = {},
): Promise<Database> {
  const name = typeof kind === 'string' ? kind : kind.name;
  if (name === 'postgres') requirePostgres();
  const target = testDatabases().find((t) => t.name === name);
  if (!target) throw new Error(`Unknown test database ${JSON.stringify(name)}`);

  const schema = newTestSchemaName();
  const db = await openDatabase({ url: target.url, embedded: target.embedded, schema });
  const closeDb = db.close;
  let closing: Promise<void> | undefined;
  const testDb: Database = {
    ...db,
    close: () =>
      (closing ??= (async () => {
        try {
          await db.sequelize.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await closeDb();
        }
      })()),
  };
  try {
    if (options.migrate ?? true) await migrate(testDb, MIGRATION_FOLDERS);
  } catch (error) {
    await testDb.close().catch(() => undefined);
    throw error;
  }
  return testDb;
}
