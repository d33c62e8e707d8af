/**
 * Modes (b) and (c): the Engine (one command = one transaction) on the
 * embedded PGlite or on a real PostgreSQL. Each client drives its own
 * instances: start, then complete every task as soon as it opens. Open tasks
 * are learnt from the engine's 'committed' events (the effects of the
 * command), so the driver itself sends no queries.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { Engine, type CommittedEvent } from '../../engine/src/engine';
import { openDatabase, type Database } from '../../engine/src/store-sequelize/connect';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../engine/src/store-sequelize/embedded';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from '../../api/src/migrations';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import * as stepModule from '../../engine/src/runtime/step';
import { openDossierLayer } from '../../api/src/dossier-layer';
import type { EngineResult, SkippedResult, Throughput } from './results';
import { taskVariables } from './runtime';
import { Latencies, checkpoint, countPgRoundTrips, intFromEnv, walCounts, walPer, dropSchema, hrnow, log, machineCpu, peakRss, pgRoundTrips, redactUrl, referenceXml, repoRoot, type BenchConfig } from './util';


/** Tracks the open tasks of every instance from the committed effects. */
class OpenTasks {
  private readonly byInstance = new Map<string, Map<string, string>>();
  completed = 0;

  readonly onCommitted = (event: CommittedEvent): void => {
    for (const effect of event.effects) {
      switch (effect.type) {
        case 'taskOpened': {
          let tasks = this.byInstance.get(event.instanceId);
          if (!tasks) this.byInstance.set(event.instanceId, (tasks = new Map()));
          tasks.set(effect.task.id, effect.task.elementId);
          break;
        }
        case 'taskCompleted':
        case 'taskCancelled':
          this.byInstance.get(event.instanceId)?.delete(effect.taskId);
          break;
        case 'instanceEnded':
          if (effect.status === 'completed') this.completed++;
          this.byInstance.delete(event.instanceId);
          break;
        default:
          break;
      }
    }
  };

  next(instanceId: string): { id: string; elementId: string } | undefined {
    const tasks = this.byInstance.get(instanceId);
    if (!tasks) return undefined;
    for (const [id, elementId] of tasks) return { id, elementId };
    return undefined;
  }
}

/**
 * Wraps the runtime's `step` and `stepOwned` exports to time them. The compiled
 * engine calls `(0, step_1.step)(...)`, reading the export at each call, so
 * replacing it here is seen by the Engine without touching engine code.
 */
function timeSteps(): { total: () => number; restore: () => void } {
  const exports = stepModule as { step: typeof stepModule.step; stepOwned: typeof stepModule.stepOwned };
  const originals = { step: exports.step, stepOwned: exports.stepOwned };
  let ns = 0;
  const timed = <F extends (...args: any[]) => any>(original: F): F =>
    ((...args: Parameters<F>) => {
      const t0 = hrnow();
      try {
        return original(...args);
      } finally {
        ns += Number(hrnow() - t0);
      }
    }) as F;
  try {
    exports.step = timed(originals.step);
    exports.stepOwned = timed(originals.stepOwned);
  } catch {
    return { total: () => NaN, restore: () => undefined };
  }
  return { total: () => ns, restore: () => Object.assign(exports, originals) };
}

/** Starts one instance for client `client`; returns its id. */
type Starter = (client: number) => Promise<string>;

async function drive(engine: Engine, tasks: OpenTasks, instances: number, clients: number, latencies: Latencies | undefined, start: Starter): Promise<{ commands: number; seconds: number }> {
  let commands = 0;
  const perClient = Array.from({ length: clients }, (_, i) => Math.floor(instances / clients) + (i < instances % clients ? 1 : 0));
  const client = async (count: number, c: number) => {
    for (let i = 0; i < count; i++) {
      let t0 = hrnow();
      const instanceId = await start(c);
      latencies?.add(Number(hrnow() - t0));
      commands++;
      for (;;) {
        const task = tasks.next(instanceId);
        if (!task) break;
        t0 = hrnow();
        await engine.completeTask(task.id, { variables: taskVariables(task.elementId) });
        latencies?.add(Number(hrnow() - t0));
        commands++;
      }
    }
  };
  const t0 = hrnow();
  await Promise.all(perClient.map((count, c) => client(count, c)));
  return { commands, seconds: Number(hrnow() - t0) / 1e9 };
}

/**
 * Samples what the bench's PostgreSQL backends are doing (pg_stat_activity,
 * every 25 ms, by application_name): running, waiting for the client (Node)
 * inside or between transactions, waiting on WAL, on locks...
 */
function sampleBackends(url: string, applicationName: string): { stop: () => Promise<Record<string, number>> } {
  const counts: Record<string, number> = {};
  const client = new pg.Client({ connectionString: url });
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query(
        `SELECT CASE
                  WHEN state = 'idle' THEN 'idle between transactions (waiting for Node)'
                  WHEN state = 'idle in transaction' THEN 'idle in transaction (waiting for Node)'
                  WHEN wait_event_type IS NULL THEN 'active: on CPU'
                  WHEN wait_event_type = 'Client' THEN 'active: reading from / writing to Node'
                  ELSE 'active: waiting on ' || wait_event_type || ':' || wait_event
                END AS what
           FROM pg_stat_activity WHERE application_name = $1`,
        [applicationName],
      );
      for (const row of rows) counts[row.what] = (counts[row.what] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop.catch(() => undefined);
      await client.end().catch(() => undefined);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const shares: Record<string, number> = {};
      for (const [what, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) shares[what] = n / total;
      return shares;
    },
  };
}

async function measure(
  db: Database,
  config: { instances: number; clients: number; warmup?: number; sample?: { url: string; applicationName: string }; beforeMeasure?: () => Promise<void>; dossiers?: { audit: boolean }; walUrl?: string },
): Promise<Omit<EngineResult, 'database' | 'schema'>> {
  const store = createSequelizeEngineStore(db);
  const engine = new Engine({ store });
  const tasks = new OpenTasks();
  engine.events.on('committed', tasks.onCommitted);
  await engine.deploy(referenceXml(), { name: 'bench' });
  let start: Starter = async () => (await engine.startInstance({ processId: 'reference' })).instanceId;
  let layer: ReturnType<typeof openDossierLayer> | undefined;
  if (config.dossiers) {
    // Every instance is a dossier received at the desk (the dossier layer's listener and the audit trail on each step, the sealer every second);
    // one agency per client, as the daily code counter of an agency serializes its own receipts only.
    layer = openDossierLayer({ engine, store, db, now: Date.now, sealMs: 1000, audit: config.dossiers.audit });
    const base = JSON.parse(readFileSync(join(repoRoot(), 'processes/permanent-residence/procedure.json'), 'utf8'));
    delete base.$schema;
    for (let c = 0; c < config.clients; c++) {
      const agency = `000.${String(10 + c).padStart(2, '0')}.00.H29`;
      const code = `bench-${c}`;
      await layer.catalogue.save(code, { document: { ...base, code, processId: 'reference', competentAgency: { ...base.competentAgency, agency }, agencies: [{ id: agency, name: `Bench ${c}`, nameEn: `Bench ${c}`, level: 'commune', role: 'lead', demo: true }] } }, 'bench');
    }
    const documents = [{ code: base.documents[0].code, name: 'Tờ khai', form: 'original' as const, copies: 1 }];
    const applicant = { name: 'Nguyễn Văn An', kind: 'citizen' as const, idNumber: '001190012345' };
    start = async (c) => (await layer!.receive({ procedureCode: `bench-${c}`, channel: 'desk', applicant, documents, fee: { paid: true, paidOnline: false }, actor: 'bench' })).record.instanceId!;
  }

  // As many instances as measured, up to BENCH_WARMUP (default 1,000 = 5,000 commands): V8 compiles the
  // engine's and the dossier layer's hot paths over the first few thousand commands (Node's CPU per
  // dossier command measured 17 % lower after 4,000 instances than after 100), and a server runs warm.
  const warmup = Math.min(config.warmup ?? intFromEnv('BENCH_WARMUP', 1000), config.instances);
  log(`${db.embedded ? 'embedded' : 'postgres'}: warm-up (${warmup} instances)`);
  await drive(engine, tasks, warmup, config.clients, undefined, start);
  await config.beforeMeasure?.();

  countPgRoundTrips();
  pgRoundTrips.count = 0;
  const steps = timeSteps();
  tasks.completed = 0;
  const latencies = new Latencies(config.instances * 5);
  const sampler = config.sample && sampleBackends(config.sample.url, config.sample.applicationName);
  const wal0 = config.walUrl ? await walCounts(config.walUrl) : undefined;
  const cpu0 = process.cpuUsage();
  const machine0 = machineCpu();
  log(`${db.embedded ? 'embedded' : 'postgres'}: ${config.instances} instances, ${config.clients} client(s)`);
  const { commands, seconds } = await drive(engine, tasks, config.instances, config.clients, latencies, start);
  const cpu = process.cpuUsage(cpu0);
  const machine1 = machineCpu();
  const wal1 = config.walUrl ? await walCounts(config.walUrl) : undefined;
  steps.restore();
  const backends = await sampler?.stop();
  const roundTrips = pgRoundTrips.count;
  if (layer) {
    const verified = await layer.audit.verify();
    layer.closeLayer();
    if (!verified.ok) throw new Error(`the audit trail does not verify after the run: ${verified.problem.reason}`);
    if (config.dossiers?.audit) log(`postgres-dossiers: audit trail verified: ${verified.entries} entries of ${verified.dossiers} dossiers, ${verified.seals} seals`);
    else if (verified.entries !== 0) throw new Error(`the audit trail was off, yet ${verified.entries} entries were written`);
  }
  if (tasks.completed !== config.instances) throw new Error(`${tasks.completed} of ${config.instances} instances completed`);

  const run: Throughput = {
    instances: config.instances,
    commands,
    seconds,
    instancesPerSec: config.instances / seconds,
    commandsPerSec: commands / seconds,
    latency: latencies.summary(),
  };
  log(`${db.embedded ? 'embedded' : 'postgres'}: ${run.commandsPerSec.toFixed(0)} commands/s, ${(roundTrips / commands).toFixed(2)} round trips/command`);
  return {
    kind: 'engine',
    clients: config.clients,
    run,
    roundTripsPerCommand: roundTrips / commands,
    stepShare: steps.total() / 1e9 / seconds,
    nodeCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    machineCpu: 1 - (machine1.idle - machine0.idle) / (machine1.total - machine0.total),
    peakRss: peakRss(),
    backends,
    ...(wal0 && wal1 ? { walPerCommand: walPer(wal0, wal1, commands) } : {}),
  };
}

export async function embeddedBench(config: BenchConfig): Promise<EngineResult> {
  let server: EmbeddedPostgres | undefined;
  let db: Database | undefined;
  try {
    server = await startEmbeddedPostgres();
    db = await openDatabase({ url: server.url, embedded: true });
    await migrate(db, MIGRATION_FOLDERS);
    const result = await measure(db, { instances: config.n, clients: 1 });
    return { ...result, database: 'embedded' };
  } finally {
    await db?.close();
    await server?.stop();
  }
}

/** True when PostgreSQL answers at `url`; else the reason. */
export async function probePostgres(url: string): Promise<true | string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return `PostgreSQL at ${redactUrl(url)} is unreachable: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * (c) with the dossier layer and the audit trail on: every instance a dossier received at the
 * desk. Run just before it, in a schema of its own, the same with the audit trail off: what the
 * trail itself costs, beside what the rest of the layer does.
 */
export async function postgresDossiersBench(config: BenchConfig): Promise<EngineResult | SkippedResult> {
  const withoutAudit = await postgresBench(config, { audit: false });
  const result = await postgresBench(config, { audit: true });
  return result.kind === 'engine' && withoutAudit?.kind === 'engine' ? { ...result, withoutAudit } : result;
}

/** (c) on PostgreSQL in a scratch schema; `dossiers`: every instance a dossier; `options.warmup`: instances before measuring (default BENCH_WARMUP). */
export async function postgresBench(config: BenchConfig, dossiers?: { audit: boolean }, options: { warmup?: number } = {}): Promise<EngineResult | SkippedResult> {
  const reachable = await probePostgres(config.databaseUrl);
  if (reachable !== true) return { kind: 'skipped', mode: dossiers ? 'postgres-dossiers' : 'postgres', reason: reachable };
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  // Tag the bench's connections so pg_stat_activity can tell them from anyone else's.
  const applicationName = `motcua_${schema}`;
  const url = new URL(config.databaseUrl);
  url.searchParams.set('application_name', applicationName);
  let db: Database | undefined;
  try {
    db = await openDatabase({ url: url.toString(), schema, poolMax: config.clients });
    await migrate(db, MIGRATION_FOLDERS);
    const result = await measure(db, {
      instances: config.n,
      clients: config.clients,
      ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
      sample: { url: config.databaseUrl, applicationName },
      beforeMeasure: () => checkpoint(config.databaseUrl),
      dossiers,
      walUrl: config.databaseUrl,
    });
    return { ...result, database: dossiers ? 'postgres-dossiers' : 'postgres', schema };
  } finally {
    await db?.close();
    if (process.env.BENCH_KEEP_SCHEMA === '1') log(`postgres: kept schema ${schema} (BENCH_KEEP_SCHEMA=1)`);
    else await dropSchema(config.databaseUrl, schema, 'postgres');
  }
}
