#!/usr/bin/env node
/**
 * The `motcua` command line: serve, deploy, migrate.
 *
 *   motcua serve                 API + push + engine + job executor (+ procedures in processes/ deployed)
 *   motcua deploy <file|folder>  deploy BPMN files, one new version each when changed
 *   motcua migrate               apply database migrations
 *   motcua users …               manage the built-in user store
 *   motcua calendar …            the working calendars (years, agency hours, change record)
 *   motcua lint <file|folder>    the domain lint of BPMN files (no database)
 *   motcua compare …             the figures of two models side by side (no database)
 *   motcua simulate <model.bpmn> simulate a procedure model (as-is / to-be report with SVG plots)
 *   motcua service-account …     OAuth clients of external job workers (create, list, revoke)
 *
 * Exit codes: 0 success, 1 failure (message on stderr), 2 usage error.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { unservedJobTypeWarnings } from '../../engine/src/index';
import { DeploymentRejectedError, Engine, ModelParseError } from '../../engine/src/index';
import { openDatabase, type Database } from '../../engine/src/store-sequelize/connect';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../engine/src/store-sequelize/embedded';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from './migrations';
import { createSequelizeApiStore } from './store-sequelize/sequelize-api-store';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import type { ApiStore } from './store/api-store';
import { vietnameseCalendars } from '../../onestop/src/clocks';
import { openApplication } from './app';
import { DEMO_PASSWORD, ensureDemoUsers } from './auth/demo-users';
import { runServiceAccountCommand } from './cli-service-accounts';
import { AUDIT_USAGE, runAuditCommand } from './cli-audit';
import { runUsersCommand } from './cli-users';
import { runCalendarCommand } from './cli-calendars';
import { lintFiles } from './cli-lint';
import { runCompareCommand } from './cli-compare';
import { runSimulateCommand, SIMULATE_USAGE } from './cli-simulate';
import { loadConfig, type Config } from './config';
import { formsOfModel } from './forms/deploy-forms';
import { formsOfDeployment } from './routes/deployments';
import { IN_PROCESS_JOB_TYPES } from './job-handlers';
import { Readiness } from './readiness';
import { startApiServer } from './server';
import { readProcedureLibrary } from '../../onestop/src/procedures/procedure';

const USAGE = `usage: motcua <command>
  serve                 start the API server, the engine and its job executor; deploys processes/
  deploy <file|folder>  deploy BPMN files (*.bpmn), recursively for a folder
  migrate               apply database migrations
  users add <username> --role <role> [--agency <id>] [--groups a,b] [--name <name>] [--password-stdin]
  users list | disable <username> | enable <username> | set-password <username> --password-stdin
  calendar years | show <year> | load <file> [--actor <who>] | agency <id> [<file>] | changes
  lint <file|folder>    lint BPMN files (*.bpmn) with the domain rules, recursively for a folder
  compare <before.bpmn> <after.bpmn> | <procedure code> [--format table|json|csv] [--lang vi|en]
  service-account create --agency <id> --name <name> | list [--agency <id>] | revoke <clientId>
  ${SIMULATE_USAGE}
  ${AUDIT_USAGE.replace('usage: motcua ', '')}  verify the audit trail, or one agency's dossiers (first bad row); or seal it now`;

interface Runtime {
  db: Database;
  server?: EmbeddedPostgres;
  close(): Promise<void>;
}

async function openRuntime(config: Config): Promise<Runtime> {
  const server = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const db = await openDatabase({ url: config.databaseUrl ?? server!.url, embedded: !config.databaseUrl, schema: config.schema, poolMax: config.poolMax });
  await migrate(db, MIGRATION_FOLDERS);
  return {
    db,
    server,
    async close() {
      await db.close();
      await server?.stop();
    },
  };
}

/** Every *.bpmn file under a path (the path itself when it is a file), sorted. */
export function bpmnFiles(path: string): string[] {
  if (!existsSync(path)) throw new Error(`'${path}' is neither a file nor a folder`);
  const stats = statSync(path);
  if (stats.isFile()) return [path];
  const found: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) found.push(...bpmnFiles(full));
    else if (entry.name.endsWith('.bpmn')) found.push(full);
  }
  return found.sort();
}

/**
 * The JSON Schema forms that go with a model: `forms/*.schema.json` beside it (the layout
 * of a procedure folder in processes/), as the deploy route receives uploaded forms.
 */
function formFilesBeside(file: string): Array<{ fieldname: string; originalname: string; buffer: Buffer; size: number }> {
  const folder = join(dirname(file), 'forms');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  return readdirSync(folder)
    .filter((entry) => entry.endsWith('.schema.json') || entry.endsWith('.form'))
    .sort()
    .map((entry) => {
      const buffer = readFileSync(join(folder, entry));
      return { fieldname: 'forms', originalname: entry, buffer, size: buffer.length };
    });
}

/** Deploys files one by one with progress, each with the forms beside it; returns how many failed. */
export async function deployFiles(engine: Engine, apiStore: ApiStore, files: string[], base: string, log: (line: string) => void): Promise<number> {
  let failed = 0;
  for (const [index, file] of files.entries()) {
    const name = relative(base, file) || file;
    const prefix = `[${index + 1}/${files.length}] ${name}`;
    try {
      const xml = readFileSync(file, 'utf8');
      const { forms } = await formsOfModel(apiStore, xml, formFilesBeside(file), { maxXmlBytes: Number.POSITIVE_INFINITY });
      const result = await engine.deploy(xml, { resourceName: name, actor: 'cli', ...formsOfDeployment(apiStore, forms, Date.now) });
      const summary = result.definitions.map((d) => `${d.processId} v${d.version}${d.duplicate ? ' (unchanged)' : ''}`).join(', ');
      log(`${prefix}: ${summary}${forms.length > 0 ? `, ${forms.length} form(s)` : ''}`);
      for (const definition of result.definitions) {
        for (const warning of unservedJobTypeWarnings(await engine.graph(definition.id), IN_PROCESS_JOB_TYPES)) log(`    warning: ${warning}`);
      }
    } catch (error) {
      failed++;
      if (error instanceof DeploymentRejectedError) {
        log(`${prefix}: rejected`);
        for (const problem of error.problems) log(`    ${problem.elementId || '(document)'}: ${problem.reason}`);
      } else if (error instanceof ModelParseError) {
        log(`${prefix}: not readable: ${error.message}`);
      } else {
        throw error;
      }
    }
  }
  return failed;
}

/** Signals this close together are one stop delivered twice (see `serve`). */
const SAME_STOP_MS = 2_000;

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'migrate': {
      const runtime = await openRuntime(config);
      await runtime.close();
      console.log('migrations applied');
      return 0;
    }
    case 'lint': {
      if (args.length !== 1) {
        console.error(USAGE);
        return 2;
      }
      const files = bpmnFiles(args[0]);
      if (files.length === 0) throw new Error(`no .bpmn file under '${args[0]}'`);
      return (await lintFiles(files, process.cwd(), (line) => console.log(line))) > 0 ? 1 : 0;
    }
    case 'deploy': {
      if (args.length !== 1) {
        console.error(USAGE);
        return 2;
      }
      const files = bpmnFiles(args[0]);
      if (files.length === 0) throw new Error(`no .bpmn file under '${args[0]}'`);
      const runtime = await openRuntime(config);
      try {
        const engine = new Engine({ store: createSequelizeEngineStore(runtime.db), maxXmlBytes: config.maxXmlBytes, limits: config.limits, calendars: vietnameseCalendars() });
        const failed = await deployFiles(engine, createSequelizeApiStore(runtime.db), files, args[0], (line) => console.log(line));
        if (failed > 0) console.error(`${failed} of ${files.length} file(s) rejected`);
        return failed > 0 ? 1 : 0;
      } finally {
        await runtime.close();
      }
    }
    case 'serve': {
      const application = await openApplication(config);
      const { ctx, auth, executor } = application;
      // A server's lines go through its logger (JSON on stdout), never console.
      const log = application.logger.child({ component: 'serve' });
      try {
        const files = bpmnFiles(config.processesDir).filter((f) => !f.endsWith('as-is.bpmn'));
        await deployFiles(ctx.engine, ctx.stores.api, files, config.processesDir, (line) => log.info(`deploy ${line}`));
        const procedures = await ctx.dossiers!.loadLibrary(readProcedureLibrary(config.processesDir), 'system', (message) => log.warn(message));
        log.info({ procedures: procedures.map((p) => `${p.code} v${p.version}`) }, `procedure catalogue: ${procedures.map((p) => `${p.code} v${p.version}`).join(', ')}`);
      } catch (error) {
        log.error({ err: error, processesDir: config.processesDir }, `could not deploy ${config.processesDir}: ${(error as Error).message}`);
      }
      if (ctx.store.embedded) {
        const created = await ensureDemoUsers(auth.users);
        if (created.length > 0) log.info({ users: created }, `demo users created (password '${DEMO_PASSWORD}', public: embedded database only): ${created.join(', ')}`);
      }
      // Health says ready only once every part serves: jobs here, push in startApiServer.
      const readiness = new Readiness();
      const jobs = readiness.step('jobs', 'the job executor has not started');
      executor.start();
      jobs.ready();
      const server = await startApiServer(ctx, { port: config.port, host: config.host, authService: auth, readiness, logger: application.logger });
      log.info({ url: server.url }, `motcua running at ${server.url}/ (the modeler; API ${server.url}/api, OpenAPI ${server.url}/api/openapi.json, public tracking ${server.url}/tracking/<code>) on ${config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`}; Ctrl+C stops it`);
      // Ctrl+C on a terminal signals every process of the group: this one, and `npm start`, which
      // passes the signal on. The same stop arriving twice within a moment is one stop; a signal
      // after that is someone insisting, and ends the process at once.
      const signal = await new Promise<string>((resolve) => {
        let first: number | undefined;
        const onSignal = (name: 'SIGINT' | 'SIGTERM') => {
          if (first === undefined) {
            first = Date.now();
            resolve(name);
          } else if (Date.now() - first >= SAME_STOP_MS) {
            log.warn({ signal: name }, `${name} again: exiting now, before the stop has finished`);
            process.exit(name === 'SIGINT' ? 130 : 143);
          }
        };
        process.on('SIGINT', () => onSignal('SIGINT'));
        process.on('SIGTERM', () => onSignal('SIGTERM'));
      });
      log.info({ signal }, `${signal}: stopping (requests under way are answered, then the job executor, the database pool${config.databaseUrl ? '' : ' and the embedded database'} close)`);
      jobs.notReady('the job executor is stopping');
      await server.close();
      await application.close();
      log.info('motcua stopped');
      return 0;
    }
    case 'users': {
      const runtime = await openRuntime(config);
      try {
        return await runUsersCommand(args, { db: runtime.db, newPassword: config.newPassword });
      } finally {
        await runtime.close();
      }
    }
    case 'service-account': {
      const runtime = await openRuntime(config);
      try {
        return await runServiceAccountCommand(args, { db: runtime.db });
      } finally {
        await runtime.close();
      }
    }
    case 'calendar': {
      const runtime = await openRuntime(config);
      try {
        return await runCalendarCommand(args, { db: runtime.db, recomputeDueDates: config.recomputeDueDates, taskWarning: config.taskWarning });
      } finally {
        await runtime.close();
      }
    }
    case 'audit': {
      const runtime = await openRuntime(config);
      try {
        return await runAuditCommand(args, { db: runtime.db });
      } finally {
        await runtime.close();
      }
    }
    case 'compare':
      return runCompareCommand(args, { processesDir: config.processesDir, maxXmlBytes: config.maxXmlBytes });
    case 'simulate':
      return runSimulateCommand(args, { maxDossiers: config.simulationMaxDossiers, maxXmlBytes: config.maxXmlBytes, now: Date.now(), log: (line) => console.log(line), error: (line) => console.error(line) });
    default:
      console.error(USAGE);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`motcua: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
