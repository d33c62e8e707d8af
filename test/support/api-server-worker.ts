/**
 * An API server in a process of its own, for the tests that kill one mid-request
 * (compiled to dist/ and run with node). It opens PostgreSQL at WORKER_URL in schema
 * WORKER_SCHEMA (migrated, users and signing keys made by the test), serves the API on
 * a free port, and prints one JSON line per milestone on stdout: `{"ready":url}`, then
 * `{"working":command}` when a command has begun. With WORKER_HANG=1 every command
 * then waits forever, as a server does that is killed in the middle of one.
 * Settings come from the environment as in `motcua serve` (MOTCUA_IDEMPOTENCY_LEASE_MS).
 */
import { createStores } from '../../api/src/stores';
import pino from 'pino';
import { createAuthService } from '../../api/src/auth/auth-service';
import { loadConfig } from '../../api/src/config';
import type { AppContext } from '../../api/src/context';
import { startApiServer } from '../../api/src/server';
import { Engine } from '../../engine/src/engine';
import { openDatabase } from '../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openDatabase({ url: process.env.WORKER_URL!, embedded: false, schema: process.env.WORKER_SCHEMA ?? 'public', poolMax: 4 });
  const store = createSequelizeEngineStore(db);
  const engine = new Engine({ store, maxXmlBytes: config.maxXmlBytes });
  for (const command of ['startInstance', 'correlateMessage', 'deploy'] as const) {
    const original = (engine[command] as (...args: unknown[]) => Promise<unknown>).bind(engine);
    (engine as unknown as Record<string, unknown>)[command] = (...args: unknown[]) => {
      process.stdout.write(`${JSON.stringify({ working: command })}\n`);
      return process.env.WORKER_HANG === '1' ? new Promise(() => undefined) : original(...args);
    };
  }
  const stores = createStores(db, { now: Date.now });
  const auth = await createAuthService({ stores, env: {}, now: Date.now });
  const ctx: AppContext = { config, stores, engine, store, auth, now: Date.now };
  const server = await startApiServer(ctx, { port: 0, authService: auth, push: false, logger: pino({ level: 'silent' }) });
  process.stdout.write(`${JSON.stringify({ ready: server.url })}\n`);
}

main().catch((error) => {
  process.stderr.write(`api-server-worker: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
