/**
 * Jest globalSetup: starts the test databases once per run, in jest's main process.
 *
 * - One embedded PostgreSQL (in-memory PGlite) per jest worker, because PGlite is one
 *   session (workers must not share it) and because PGlite cannot start inside a jest
 *   worker (dynamic import without --experimental-vm-modules). Their URLs go to the
 *   workers through `MOTCUA_TEST_PGLITE_URLS` (comma separated, picked by JEST_WORKER_ID).
 * - Checks the real PostgreSQL at `TEST_DATABASE_URL` (default
 *   postgres://postgres@127.0.0.1:5432/test). Unreachable: under CI this throws (CI must
 *   fail loudly); elsewhere it sets `MOTCUA_TEST_PG_MISSING=1`, and every PostgreSQL suite
 *   then fails with instructions (never a silent pass).
 */
import type { Config } from '@jest/types';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../engine/src/store-sequelize/embedded';
import {
  DEFAULT_TEST_DATABASE_URL,
  START_POSTGRES_HINT,
  TEST_SCHEMA_MAX_AGE_MS,
  testSchemaCreatedAt,
} from './databases';

/** Key on globalThis under which the running servers wait for globalTeardown (same process). */
export const EMBEDDED_SERVERS_KEY = '__motcuaTestEmbeddedServers';

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Connects to the real PostgreSQL; returns the error message when it is unreachable. */
async function checkPostgres(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    await dropStaleTestSchemas(client);
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Drops test schemas left behind by runs that crashed more than a day ago. Younger
 * ones may belong to a run going on right now (several people share this server).
 */
async function dropStaleTestSchemas(client: Client): Promise<void> {
  const { rows } = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'`);
  for (const { nspname } of rows) {
    const createdAt = testSchemaCreatedAt(nspname);
    if (createdAt !== undefined && Date.now() - createdAt > TEST_SCHEMA_MAX_AGE_MS) {
      await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`).catch(() => undefined);
    }
  }
}

/** Starts one embedded PostgreSQL per jest worker and checks the real PostgreSQL. */
export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  const workers = Math.max(1, Number(globalConfig.maxWorkers) || 1);

  const postgresUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = postgresUrl;
  const [postgresError, servers] = await Promise.all([
    checkPostgres(postgresUrl),
    (async () => {
      const started: EmbeddedPostgres[] = [];
      try {
        // One after the other: PGlite's start is CPU-bound on this one thread anyway.
        for (let i = 0; i < workers; i++) started.push(await startEmbeddedPostgres({}));
      } catch (error) {
        await Promise.all(started.map((s) => s.stop().catch(() => undefined)));
        throw error;
      }
      return started;
    })(),
  ]);
  (globalThis as Record<string, unknown>)[EMBEDDED_SERVERS_KEY] = servers;
  process.env.MOTCUA_TEST_PGLITE_URLS = servers.map((s) => s.url).join(',');

  if (postgresError === undefined) {
    delete process.env.MOTCUA_TEST_PG_MISSING;
    return;
  }
  const message = `PostgreSQL is not reachable at ${postgresUrl} (${postgresError}). ${START_POSTGRES_HINT}`;
  if (isCi()) {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    throw new Error(`CI: ${message}`);
  }
  process.env.MOTCUA_TEST_PG_MISSING = '1';
  process.stderr.write(`\n[motcua tests] WARNING: ${message}\nEvery PostgreSQL suite will FAIL.\n\n`);
}
