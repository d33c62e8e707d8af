/**
 * Composition root: opens the database (embedded PGlite unless DATABASE_URL),
 * migrates, and builds the engine, the auth service and the job executor that
 * one process runs. The CLI's `serve` and the end-to-end tests use it.
 */
import { createSequelizeCalendarDataStore } from '../../engine/src/store-sequelize/calendar-store';
import pino, { type Logger as PinoLogger } from 'pino';
import { Engine, JobExecutor } from '../../engine/src/index';
import { openDatabase, type Database } from '../../engine/src/store-sequelize/connect';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../engine/src/store-sequelize/embedded';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { inProcessJobHandlers } from './job-handlers';
import { MIGRATION_FOLDERS } from './migrations';
import { createStores } from './stores';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { CalendarService } from './calendars/calendar-service';
import { openDossierLayer } from './dossier-layer';
import { createAuthService, type AuthService } from './auth/auth-service';
import type { Config } from './config';
import type { AppContext } from './context';

export interface Application {
  ctx: AppContext;
  /** The open database (for the CLI and tests that reach it directly). */
  db: Database;
  auth: AuthService;
  executor: JobExecutor;
  embedded?: EmbeddedPostgres;
  /** The process's one logger (pino); the server, push and every part log through children of it. */
  logger: PinoLogger;
  /** Stops the executor, closes the pool, stops the embedded database. */
  close(): Promise<void>;
}

/**
 * Opens everything one motcua process needs; nothing is listening yet. The auth service's
 * variables come from the configuration (`config.authEnv`: api/src/config.ts is the one
 * reader of the environment); `env` replaces them (tests).
 */
export async function openApplication(config: Config, env: NodeJS.ProcessEnv = config.authEnv, logger: PinoLogger = createLogger(config)): Promise<Application> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir });
  try {
    const db = await openDatabase({ url: config.databaseUrl ?? embedded!.url, embedded: !config.databaseUrl, schema: config.schema, poolMax: config.poolMax, logger });
    await migrate(db, MIGRATION_FOLDERS);
    const store = createSequelizeEngineStore(db);
    const now = Date.now;
    const calendars = await CalendarService.open({ store: createSequelizeCalendarDataStore(db), now, recomputeDueDates: config.recomputeDueDates });
    const engine = new Engine({ store, maxXmlBytes: config.maxXmlBytes, now, limits: config.limits, calendars: calendars.registry.provider, taskWarning: config.taskWarning, logger });
    const stores = createStores(db, { now, authCacheMs: config.authCacheMs });
    const auth = await createAuthService({ stores, env, now });
    const handlers = inProcessJobHandlers(config.secrets);
    const executor = new JobExecutor({ engine, pollMs: config.jobPollMs, handlers, logger });
    const dossierLog = logger.child({ component: 'dossiers' });
    const dossiers = openDossierLayer({ engine, store, db, calendars, now, scanMs: config.overdueScanMs, outboxes: config, sealMs: config.auditSealMs, users: stores.users, warn: (message, facts) => dossierLog.warn(facts, message) });
    const ctx: AppContext = { config, stores, engine, store, auth, now, calendars, inProcessJobTypes: Object.keys(handlers), dossiers, outboxes: dossiers.outboxes, audit: dossiers.audit, statistics: dossiers.statistics };
    return {
      ctx,
      db,
      auth,
      executor,
      embedded,
      logger,
      async close() {
        dossiers.closeLayer();
        await executor.stop();
        await db.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * The process's logger: pino at the configured level (`LOG_LEVEL`), one JSON line per entry
 * on stdout, written asynchronously (a request never waits for the terminal or the pipe: lines
 * logged while a write is under way go out together with the next one; pino writes what is
 * left when the process exits).
 */
export function createLogger(config: Pick<Config, 'logLevel'>): PinoLogger {
  return pino({ level: config.logLevel ?? 'info', base: { service: 'motcua-api' } }, pino.destination({ dest: 1, sync: false }));
}
