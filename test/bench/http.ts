/**
 * Mode `http`: completeTask requests per second over HTTP, against the Engine's
 * own completeTask commands per second in-process, same run, same database,
 * same concurrency.
 *
 *  1. Scratch schema `bench_http_<random>` on PostgreSQL, migrated; the one-task
 *     procedure `test/bench/complete-task.bpmn` (agency 000.00.15.H29, candidate
 *     group `desk`) deployed; an official of that agency in group `desk` created in
 *     the user store and given a bearer token by `AuthService.issueToken`.
 *  2. Instances started up front by a set-up Engine (BENCH_CLIENTS concurrent
 *     clients), their open task ids learnt from the `committed` events.
 *  3. HTTP: the API server (`startApiServer`, push off, access log at info into
 *     /dev/null, the product's default pool of 10) runs in a CHILD process, so
 *     autocannon (this process) and the server do not share an event loop.
 *     autocannon POSTs /api/tasks/{id}/complete with the official's token,
 *     BENCH_CLIENTS connections, each request a different open task (`requests`
 *     with a `setupRequest` that takes the next id, `amount` = the slice). Every
 *     answer must be 2xx; the tasks are then checked completed.
 *  4. In-process: a FRESH Engine in this process (like the server's, it never saw
 *     these instances, so no remembered state) completes as many other tasks with
 *     `engine.completeTask` at the same concurrency and pool size. For information,
 *     the set-up Engine (which started the instances and remembers their states:
 *     the optimistic one-statement path) does the same.
 *  5. The floors (http-floors.ts): the same requests against a bare node:http server and a bare
 *     express app around the same Engine call, each in a child process of its own, with no API
 *     (no authentication, checks or middleware): how much of the gap is HTTP itself on this
 *     machine, where autocannon, the server and PostgreSQL share the cores.
 *  They run in turn, BENCH_HTTP_ROUNDS rounds of BENCH_HTTP_N / rounds each
 *  (after a warm-up of each), so the machine's other load of the moment weighs on
 *  all variants alike; each variant's figure is its total over the rounds, and the
 *  ratio HTTP / in-process (fresh) is printed.
 *
 * Environment: BENCH_HTTP_N (default 2000), BENCH_HTTP_ROUNDS (default 4), BENCH_HTTP_WARMUP (requests/commands
 * before the rounds, per variant; default 4000), BENCH_HTTP_FLOORS=0 (no floors), BENCH_CLIENTS,
 * DATABASE_URL / TEST_DATABASE_URL; BENCH_HTTP_CPU_PROF=<dir> writes a CPU profile of the
 * server process there.
 */
import { createStores } from '../../api/src/stores';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { QueryTypes } from 'sequelize';
import { createAuthService, principalOf } from '../../api/src/auth/auth-service';
import { loadConfig } from '../../api/src/config';
import type { AppContext } from '../../api/src/context';
import { startApiServer } from '../../api/src/server';
import { Engine, type CommittedEvent } from '../../engine/src/engine';
import { openDatabase, type Database } from '../../engine/src/store-sequelize/connect';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from '../../api/src/migrations';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { probePostgres } from './engine-driver';
import { startFloorServer, type FloorKind } from './http-floors';
import type { SkippedResult } from './results';
import {
  Latencies,
  countPgRoundTrips,
  cpuMeter,
  dropSchema,
  fmt,
  hrnow,
  intFromEnv,
  log,
  machine,
  pgRoundTrips,
  redactUrl,
  repoRoot,
  table,
  type BenchConfig,
  type LatencySummary,
} from './util';

const PROCESS_ID = 'bench-complete-task';
const AGENCY = '000.00.15.H29';
const API_POOL = loadConfig({}).poolMax;

// ---------------------------------------------------------------- autocannon (no bundled types)

interface AutocannonResult {
  duration: number;
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
  stop(): void;
}
type Autocannon = (options: Record<string, unknown>, done: (error: unknown, result: AutocannonResult) => void) => AutocannonInstance;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

// ---------------------------------------------------------------- the server child

type ToServer = { type: 'measure' } | { type: 'report' } | { type: 'close' };
type FromServer = { type: 'ready'; url: string } | { type: 'report'; roundTrips: number; cpu: number; seconds: number } | { type: 'error'; error: string };

/** Which server a child runs: the API, or one of the floors (http-floors.ts). */
type ServerKind = 'api' | FloorKind;

/** Runs in the forked child: the API server (or a floor, BENCH_HTTP_SERVER) on the bench schema, until told to close. */
async function serveChild(): Promise<void> {
  const send = (message: FromServer) => process.send!(message);
  try {
    const url = process.env.BENCH_HTTP_URL!;
    const schema = process.env.BENCH_HTTP_SCHEMA!;
    const config = { ...loadConfig({}), databaseUrl: url, schema };
    const db = await openDatabase({ url, schema, poolMax: config.poolMax });
    const store = createSequelizeEngineStore(db);
    const now = Date.now;
    const engine = new Engine({ store, maxXmlBytes: config.maxXmlBytes, now });
    const stores = createStores(db, { now });
    const auth = await createAuthService({ stores, env: {}, now });
    const ctx: AppContext = { config, stores, engine, store, auth, now };
    // The access log at info, as in production, but into /dev/null (the report is on stdout).
    const logger = pino({ level: 'info', base: { service: 'motcua-api' } }, pino.destination({ dest: '/dev/null', sync: false }));
    const kind = (process.env.BENCH_HTTP_SERVER ?? 'api') as ServerKind;
    const server = kind === 'api' ? await startApiServer(ctx, { port: 0, authService: auth, push: false, logger }) : await startFloorServer(kind, engine);
    countPgRoundTrips();
    let meter = cpuMeter();
    process.on('message', (message: ToServer) => {
      if (message.type === 'measure') {
        pgRoundTrips.count = 0;
        meter = cpuMeter();
      } else if (message.type === 'report') {
        const m = meter();
        send({ type: 'report', roundTrips: pgRoundTrips.count, cpu: m.process, seconds: m.seconds });
      } else if (message.type === 'close') {
        void (async () => {
          await server.close();
          await db.close();
          process.exit(0);
        })();
      }
    });
    send({ type: 'ready', url: server.url });
  } catch (error) {
    send({ type: 'error', error: (error as Error)?.stack ?? String(error) });
    process.exit(1);
  }
}

/** Forks the server child and talks to it. */
async function startServerChild(url: string, schema: string, kind: ServerKind = 'api'): Promise<{ url: string; request: (message: ToServer) => Promise<FromServer | undefined>; close: () => Promise<void> }> {
  const child = fork(__filename, ['--serve'], {
    env: { ...process.env, BENCH_HTTP_URL: url, BENCH_HTTP_SCHEMA: schema, BENCH_HTTP_SERVER: kind },
    // BENCH_HTTP_CPU_PROF=<dir>: a V8 CPU profile of the server process (written when it closes).
    execArgv: process.env.BENCH_HTTP_CPU_PROF && kind === 'api' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HTTP_CPU_PROF}`] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = () =>
    new Promise<FromServer>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the API server child exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message: FromServer) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  const ready = await next();
  if (ready.type === 'error') throw new Error(`the API server child failed:\n${ready.error}`);
  if (ready.type !== 'ready') throw new Error(`unexpected message from the API server child: ${JSON.stringify(ready)}`);
  return {
    url: ready.url,
    request: async (message) => {
      const answer = message.type === 'report' ? next() : undefined;
      child.send(message);
      return answer;
    },
    close: async () => {
      child.send({ type: 'close' } satisfies ToServer);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------- result

export interface HttpRun {
  requests: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  /** Round trips to PostgreSQL (pg `query()` calls) per request / command, counted in the process that sent them. */
  roundTrips: number;
  /** CPU of the Node process doing the work (server child for HTTP), cores. */
  workerCpu: number;
  machineCpu: number;
}

export interface HttpResult {
  kind: 'http';
  clients: number;
  apiPool: number;
  warmup: number;
  rounds: number;
  http: HttpRun & { non2xx: number; errors: number; timeouts: number; statusCodes: Record<string, number>; autocannonCpu: number; autocannonP99: number };
  inProcess: HttpRun;
  inProcessRemembered: HttpRun;
  /** The floors (http-floors.ts), run in the same rounds: HTTP with no API around the engine. */
  floors: Array<{ kind: FloorKind; run: HttpRun; ratio: number; non2xx: number }>;
  ratio: number;
  schema: string;
}

// ---------------------------------------------------------------- the mode

/** Runs `count` jobs over `clients` concurrent workers; returns the wall time in seconds. */
async function concurrently(clients: number, count: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = hrnow();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        await job(i);
      }
    }),
  );
  return Number(hrnow() - t0) / 1e9;
}

/** One measured slice: `requests` done in `seconds`, with the CPU and round trips it took. */
interface Slice {
  requests: number;
  seconds: number;
  roundTrips: number;
  /** CPU seconds of the worker process (server child for HTTP). */
  workerCpuSeconds: number;
  /** Share of the machine busy during the slice. */
  machineBusy: number;
}

/** Sums the slices of one variant over the rounds. */
class Totals {
  readonly latencies: Latencies;
  private requests = 0;
  private seconds = 0;
  private trips = 0;
  private cpuSeconds = 0;
  private busySeconds = 0;

  constructor(capacity: number) {
    this.latencies = new Latencies(capacity);
  }

  add(slice: Slice): void {
    this.requests += slice.requests;
    this.seconds += slice.seconds;
    this.trips += slice.roundTrips;
    this.cpuSeconds += slice.workerCpuSeconds;
    this.busySeconds += slice.machineBusy * slice.seconds;
  }

  get perSecond(): number {
    return this.requests / this.seconds;
  }

  result(): HttpRun {
    return {
      requests: this.requests,
      seconds: this.seconds,
      perSecond: this.perSecond,
      latency: this.latencies.summary(),
      roundTrips: this.trips / this.requests,
      workerCpu: this.cpuSeconds / this.seconds,
      machineCpu: this.busySeconds / this.seconds,
    };
  }
}

async function completeInProcess(engine: Engine, ids: string[], clients: number, actor: string, latencies?: Latencies): Promise<Slice> {
  countPgRoundTrips();
  pgRoundTrips.count = 0;
  const meter = cpuMeter();
  const seconds = await concurrently(clients, ids.length, async (i) => {
    const t0 = hrnow();
    await engine.completeTask(ids[i], { variables: {}, actor });
    latencies?.add(Number(hrnow() - t0));
  });
  const cpu = meter();
  return { requests: ids.length, seconds, roundTrips: pgRoundTrips.count, workerCpuSeconds: cpu.process * cpu.seconds, machineBusy: cpu.machine };
}

/**
 * One autocannon run over `ids`. autocannon notices that it is done only at its next
 * sample tick (`sampleInt`, 1 s by default): the run is timed here from the call to the
 * last response instead (`onLast` is called right then, e.g. to read CPU meters), and
 * the tick is shortened.
 */
function runAutocannon(options: {
  url: string;
  token: string;
  ids: string[];
  clients: number;
  latencies?: Latencies;
  onLast?: () => void;
}): Promise<{ result: AutocannonResult; taken: number; seconds: number; own: { non2xx: number; statusCodes: Record<string, number> } }> {
  let next = 0;
  const statusCodes: Record<string, number> = {};
  let non2xx = 0;
  let responses = 0;
  const t0 = hrnow();
  let last = t0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.clients,
        amount: options.ids.length,
        sampleInt: 10,
        timeout: 30,
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: '{}',
        requests: [
          {
            setupRequest: (request: Record<string, unknown>) => {
              const id = options.ids[next++];
              if (id === undefined) throw new Error(`autocannon asked for more than ${options.ids.length} requests`);
              return { ...request, path: `/api/tasks/${encodeURIComponent(id)}/complete` };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ result, taken: next, seconds: Number(last - t0) / 1e9, own: { non2xx, statusCodes } })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      last = hrnow();
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode < 200 || statusCode >= 300) non2xx++;
      options.latencies?.add(responseTime * 1e6);
      if (++responses === options.ids.length) options.onLast?.();
    });
  });
}

export async function httpBench(config: BenchConfig): Promise<HttpResult | SkippedResult> {
  const reachable = await probePostgres(config.databaseUrl);
  if (reachable !== true) return { kind: 'skipped', mode: 'http', reason: reachable };
  const clients = config.clients;
  const rounds = intFromEnv('BENCH_HTTP_ROUNDS', 4);
  // Multiples of the connection count (per round), so autocannon gives every connection the same share.
  const step = clients * rounds;
  const n = step * Math.max(1, Math.round(intFromEnv('BENCH_HTTP_N', 2000) / step));
  // Each variant warms up with as many requests/commands of its own before the rounds: the API
  // server is a process of its own whose V8 compiles its hot paths during its first few thousand
  // requests (its CPU per request fell from 1.4 ms in the first 1,000 to 0.5 ms after 4,000,
  // measured per round from /proc), while the bench process is already warm from starting every
  // instance. A server runs for days: the rounds compare warm processes.
  const warmup = clients * Math.max(1, Math.round(intFromEnv('BENCH_HTTP_WARMUP', 4000) / clients));
  const schema = `bench_http_${randomBytes(4).toString('hex')}`;
  let db: Database | undefined;
  let fresh: Database | undefined;
  let server: Awaited<ReturnType<typeof startServerChild>> | undefined;
  const floorServers: Array<Awaited<ReturnType<typeof startServerChild>>> = [];
  // The floors (BENCH_HTTP_FLOORS=0: none): HTTP with no API around the engine, in the same rounds.
  const floorKinds: FloorKind[] = process.env.BENCH_HTTP_FLOORS === '0' ? [] : ['node', 'express'];
  try {
    db = await openDatabase({ url: config.databaseUrl, schema, poolMax: API_POOL });
    await migrate(db, MIGRATION_FOLDERS);
    const setup = new Engine({ store: createSequelizeEngineStore(db) });
    await setup.deploy(fs.readFileSync(path.join(repoRoot(), 'test/bench/complete-task.bpmn'), 'utf8'), { name: 'http bench' });

    const auth = await createAuthService({ stores: createStores(db, { now: Date.now }), env: {}, now: Date.now });
    const user = await auth.users.create({ username: 'bench-official', passwordHash: 'scrypt$unused', name: 'Bench official', roles: ['official'], agency: AGENCY, groups: ['desk'] });
    const { token } = await auth.issueToken(principalOf(user));

    // Open tasks, learnt from the committed effects.
    const open: string[] = [];
    setup.events.on('committed', (event: CommittedEvent) => {
      for (const effect of event.effects) if (effect.type === 'taskOpened') open.push(effect.task.id);
    });
    const total = (3 + floorKinds.length) * (warmup + n);
    // Batches in start order: the warm-ups, then per round: HTTP, each floor, fresh Engine, set-up Engine.
    log(`http: starting ${fmt(total)} instances (${clients} clients)`);
    await concurrently(clients, total, async () => {
      await setup.startInstance({ processId: PROCESS_ID, actor: user.id });
    });
    if (open.length !== total) throw new Error(`${open.length} open tasks for ${total} instances`);
    const select = async <T>(sql: string, bind: unknown[]): Promise<T[]> => (await db!.sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as T[];
    const [{ agency }] = await select<{ agency: string }>('SELECT agency FROM tasks WHERE id = $1', [open[0]]);
    if (agency !== AGENCY) throw new Error(`the tasks have agency ${agency}, expected ${AGENCY}`);
    const take = (() => {
      let at = 0;
      return (count: number) => open.slice(at, (at += count));
    })();

    // ---- warm-ups: the server (JIT, pool, prepared statements), the fresh Engine, the set-up Engine
    server = await startServerChild(config.databaseUrl, schema);
    log(`http: API server (child process) at ${server.url}; warm-ups of ${warmup}`);
    const warm = await runAutocannon({ url: server.url, token, ids: take(warmup), clients });
    if (warm.own.non2xx > 0 || warm.result.errors > 0) throw new Error(`warm-up: ${JSON.stringify(warm.own.statusCodes)}, ${warm.result.errors} errors`);
    for (const kind of floorKinds) {
      const floor = await startServerChild(config.databaseUrl, schema, kind);
      floorServers.push(floor);
      const warmFloor = await runAutocannon({ url: floor.url, token, ids: take(warmup), clients });
      if (warmFloor.own.non2xx > 0 || warmFloor.result.errors > 0) throw new Error(`warm-up of the ${kind} floor: ${JSON.stringify(warmFloor.own.statusCodes)}, ${warmFloor.result.errors} errors`);
    }
    fresh = await openDatabase({ url: config.databaseUrl, schema, poolMax: API_POOL });
    const engine = new Engine({ store: createSequelizeEngineStore(fresh) });
    await completeInProcess(engine, take(warmup), clients, user.id);
    await completeInProcess(setup, take(warmup), clients, user.id);

    // ---- the rounds: HTTP, in-process (fresh Engine), in-process (set-up Engine), in turn, so that
    // the machine's other load of the moment weighs on all three alike.
    const perRound = n / rounds;
    const totals = { http: new Totals(n), fresh: new Totals(n), remembered: new Totals(n) };
    const floorTotals = floorKinds.map(() => new Totals(n));
    const floorNon2xx = floorKinds.map(() => 0);
    const httpIds: string[] = [];
    let non2xx = 0;
    let errors = 0;
    let timeouts = 0;
    let autocannonCpuSeconds = 0;
    const statusCodes: Record<string, number> = {};
    const autocannonP99: number[] = [];
    /**
     * One round against a server child: autocannon over `ids`, timed to the last response, the
     * client's CPU read then, the server's CPU and round trips reported after; added to `into`.
     */
    const measureRound = async (child: Awaited<ReturnType<typeof startServerChild>>, ids: string[], into: Totals) => {
      httpIds.push(...ids);
      await child.request({ type: 'measure' });
      const meter = cpuMeter();
      let atLast: ReturnType<typeof meter> | undefined;
      const run = await runAutocannon({ url: child.url, token, ids, clients, latencies: into.latencies, onLast: () => (atLast = meter()) });
      // (No last response when some requests failed: they are counted by the caller and fail the target.)
      const client = atLast ?? meter();
      // The server's CPU seconds are what it spent; it is idle between the last response and this report.
      const report = (await child.request({ type: 'report' })) as Extract<FromServer, { type: 'report' }>;
      if (run.taken !== ids.length) throw new Error(`autocannon sent ${run.taken} requests, expected ${ids.length}`);
      into.add({ requests: run.result['2xx'], seconds: run.seconds, roundTrips: report.roundTrips, workerCpuSeconds: report.cpu * report.seconds, machineBusy: client.machine });
      return { run, client };
    };
    for (let round = 1; round <= rounds; round++) {
      const { run, client } = await measureRound(server, take(perRound), totals.http);
      const seconds = run.seconds;
      non2xx += run.own.non2xx;
      errors += run.result.errors;
      timeouts += run.result.timeouts;
      autocannonCpuSeconds += client.process * client.seconds;
      autocannonP99.push(run.result.latency.p99);
      for (const [code, count] of Object.entries(run.own.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
      for (const [i, floor] of floorServers.entries()) {
        const { run: floorRun } = await measureRound(floor, take(perRound), floorTotals[i]);
        floorNon2xx[i] += floorRun.own.non2xx + floorRun.result.errors;
      }
      totals.fresh.add(await completeInProcess(engine, take(perRound), clients, user.id, totals.fresh.latencies));
      totals.remembered.add(await completeInProcess(setup, take(perRound), clients, user.id, totals.remembered.latencies));
      log(
        `http: round ${round}/${rounds}: HTTP ${fmt(perRound / seconds)} requests/s (${fmt(totals.http.perSecond)} so far), in-process ${fmt(totals.fresh.perSecond)} (fresh) / ${fmt(totals.remembered.perSecond)} (remembered) commands/s so far`,
      );
    }
    await server.close();
    server = undefined;
    for (const floor of floorServers.splice(0)) await floor.close();
    const [{ done }] = await select<{ done: number }>(`SELECT count(*)::int AS done FROM tasks WHERE id = ANY($1) AND state = 'completed' AND completed_by = $2`, [httpIds, user.id]);
    const allOk = non2xx === 0 && floorNon2xx.every((count) => count === 0);
    if (allOk && done !== n * (1 + floorKinds.length)) throw new Error(`${done} of ${n * (1 + floorKinds.length)} tasks completed over HTTP`);

    const httpRun = totals.http.result();
    const http: HttpResult['http'] = {
      ...httpRun,
      non2xx,
      errors,
      timeouts,
      statusCodes,
      autocannonCpu: autocannonCpuSeconds / httpRun.seconds,
      autocannonP99: Math.max(...autocannonP99),
    };
    const inProcess = totals.fresh.result();
    const inProcessRemembered = totals.remembered.result();
    log(`http: ${http.perSecond.toFixed(0)} requests/s, p50 ${http.latency.p50.toFixed(1)} ms, p99 ${http.latency.p99.toFixed(1)} ms, non-2xx ${http.non2xx}, ${http.roundTrips.toFixed(1)} round trips/request`);
    log(`http: in-process ${inProcess.perSecond.toFixed(0)} commands/s (${inProcess.roundTrips.toFixed(1)} round trips), remembered ${inProcessRemembered.perSecond.toFixed(0)} (${inProcessRemembered.roundTrips.toFixed(1)})`);

    log(
      `http: ${(http.perSecond / inProcess.perSecond).toFixed(2)}x of in-process; server CPU ${((http.workerCpu * 1000) / http.perSecond).toFixed(2)} ms/request, ` +
        `in-process CPU ${((inProcess.workerCpu * 1000) / inProcess.perSecond).toFixed(2)} ms/command`,
    );
    const floors = floorKinds.map((kind, i) => {
      const run = floorTotals[i].result();
      log(`http: floor ${kind}: ${run.perSecond.toFixed(0)} requests/s = ${(run.perSecond / inProcess.perSecond).toFixed(2)}x of in-process; server CPU ${((run.workerCpu * 1000) / run.perSecond).toFixed(2)} ms/request`);
      return { kind, run, ratio: run.perSecond / inProcess.perSecond, non2xx: floorNon2xx[i] };
    });
    return { kind: 'http', clients, apiPool: API_POOL, warmup, rounds, http, inProcess, inProcessRemembered, floors, ratio: http.perSecond / inProcess.perSecond, schema };
  } finally {
    await server?.close().catch(() => undefined);
    for (const floor of floorServers) await floor.close().catch(() => undefined);
    await fresh?.close();
    await db?.close();
    await dropSchema(config.databaseUrl, schema, 'http');
  }
}

// ---------------------------------------------------------------- report

const ms2 = (v: number) => fmt(v, 2);

const FLOOR_NAMES: Record<FloorKind, string> = {
  node: 'bare node:http server around Engine.completeTask, no API',
  express: 'bare express app (express.json, one route) around Engine.completeTask, no API',
};

/** The markdown section of the report. */
export function renderHttp(r: HttpResult, databaseUrl: string): string {
  const m = machine();
  const h = r.http;
  const out: string[] = [];
  out.push('## completeTask over HTTP vs in-process (PostgreSQL)', '');
  out.push(
    `- Machine: ${m.cpu}, ${m.cores} cores (shared by autocannon, the API server, PostgreSQL); PostgreSQL ${redactUrl(databaseUrl)}, scratch schema \`${r.schema}\` (dropped).`,
    `- Procedure test/bench/complete-task.bpmn (start → one user task → end); each request/command completes a different open task and ends its instance. ` +
      `${r.clients} concurrent clients everywhere; pool of ${r.apiPool} connections (the API default) everywhere; ${fmt(r.warmup)} warm-up requests/commands for each variant (the server's V8 settles over its first few thousand requests), ` +
      `then ${r.rounds} rounds of ${fmt(r.http.requests / r.rounds)} each, the variants in turn (figures: totals over the rounds).`,
    `- HTTP: \`POST /api/tasks/{id}/complete\` with body \`{}\` and an official's bearer token (agency 000.00.15.H29, group desk), autocannon ${r.clients} connections, ` +
      `\`amount\` = one round, API server (\`startApiServer\`, push off, access log at info into /dev/null) in its own Node process.`,
    `- In-process: \`engine.completeTask(id, { variables: {}, actor })\` on a fresh Engine (it never saw these instances, like the server's), same concurrency.`,
    ...((r.floors ?? []).length > 0
      ? [
          `- Floors (test/bench/http-floors.ts), same requests, same rounds, each server in its own Node process: the same completion with no API around the engine (no authentication, no checks, no middleware; the actor is read from the token unverified). They show how much of the gap to in-process is HTTP itself, on this machine where autocannon, the server and PostgreSQL share the cores, and how much is the API.`,
        ]
      : []),
    '',
  );
  out.push(
    table(
      ['what', 'requests / commands', 'per second', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'pg round trips each', 'Node CPU (cores)', 'machine CPU busy'],
      [
        [
          'HTTP (autocannon → API server)',
          fmt(h.requests),
          fmt(h.perSecond),
          ms2(h.latency.p50),
          ms2(h.latency.p99),
          ms2(h.latency.max),
          `${fmt(h.non2xx)}${h.errors + h.timeouts > 0 ? ` (+${h.errors} errors, ${h.timeouts} timeouts)` : ''}`,
          fmt(h.roundTrips, 1),
          `${fmt(h.workerCpu, 2)} server + ${fmt(h.autocannonCpu, 2)} autocannon`,
          `${fmt(h.machineCpu * 100, 0)} %`,
        ],
        ['in-process Engine.completeTask (fresh Engine)', fmt(r.inProcess.requests), fmt(r.inProcess.perSecond), ms2(r.inProcess.latency.p50), ms2(r.inProcess.latency.p99), ms2(r.inProcess.latency.max), '-', fmt(r.inProcess.roundTrips, 1), fmt(r.inProcess.workerCpu, 2), `${fmt(r.inProcess.machineCpu * 100, 0)} %`],
        ['ratio HTTP / in-process', '', `${fmt(r.ratio, 2)}×`, '', '', '', '', '', '', ''],
        ...(r.floors ?? []).map((f) => [
          `(floor) ${FLOOR_NAMES[f.kind]}: ratio ${fmt(f.ratio, 2)}×`,
          fmt(f.run.requests),
          fmt(f.run.perSecond),
          ms2(f.run.latency.p50),
          ms2(f.run.latency.p99),
          ms2(f.run.latency.max),
          fmt(f.non2xx),
          fmt(f.run.roundTrips, 1),
          `${fmt(f.run.workerCpu, 2)} server`,
          `${fmt(f.run.machineCpu * 100, 0)} %`,
        ]),
        [
          '(info) in-process, Engine that started the instances (remembered states, optimistic path)',
          fmt(r.inProcessRemembered.requests),
          fmt(r.inProcessRemembered.perSecond),
          ms2(r.inProcessRemembered.latency.p50),
          ms2(r.inProcessRemembered.latency.p99),
          ms2(r.inProcessRemembered.latency.max),
          '-',
          fmt(r.inProcessRemembered.roundTrips, 1),
          fmt(r.inProcessRemembered.workerCpu, 2),
          `${fmt(r.inProcessRemembered.machineCpu * 100, 0)} %`,
        ],
      ],
    ),
    '',
  );
  const perRequest = (run: HttpRun) => (run.workerCpu * 1000) / run.perSecond;
  if ((r.floors ?? []).length > 0) {
    out.push(
      `Server CPU per request: API ${ms2(perRequest(h))} ms, ${r.floors.map((f) => `${f.kind} floor ${ms2(perRequest(f.run))} ms`).join(', ')}; in-process ${ms2(perRequest(r.inProcess))} ms per command. ` +
        `Against the floors the API reaches ${r.floors.map((f) => `${fmt(h.perSecond / f.run.perSecond, 2)}× of the ${f.kind} floor's requests/s`).join(' and ')}.`,
      '',
    );
  }
  out.push(
    `HTTP latency is per request as autocannon's clients saw it (its own histogram, worst round: p99 ${fmt(h.autocannonP99, 0)} ms, whole ms); status codes ${Object.entries(h.statusCodes)
      .map(([code, count]) => `${code} × ${fmt(count)}`)
      .join(', ')}. Round trips (pg \`query()\` calls; the engine store pipelines several statements into one) are counted in the process that sends them: for HTTP, the server (authentication, task look-ups, the command).`,
    '',
  );
  return out.join('\n');
}

/** Target rows for run.ts's table. */
export function httpTargets(r: HttpResult): string[][] {
  return [
    [
      `HTTP completeTask: every response 2xx (${fmt(r.http.requests)} requests, ${r.clients} connections)`,
      `${fmt(r.http.non2xx)} non-2xx, ${r.http.errors} errors, ${r.http.timeouts} timeouts; ${fmt(r.http.perSecond)} requests/s = ${fmt(r.ratio, 2)}× in-process ${fmt(r.inProcess.perSecond)} commands/s`,
      r.http.non2xx === 0 && r.http.errors === 0 && r.http.timeouts === 0 ? 'PASS' : 'FAIL',
    ],
    [
      'HTTP completeTask requests/s ≥ 0.5× in-process commands/s (fresh Engine, same run)',
      `${fmt(r.ratio, 2)}× (${fmt(r.http.perSecond)} vs ${fmt(r.inProcess.perSecond)})`,
      r.ratio >= 0.5 ? 'PASS' : 'FAIL',
    ],
    [
      'HTTP completeTask: at most 3 PostgreSQL round trips per request',
      `${fmt(r.http.roundTrips, 1)}`,
      r.http.roundTrips <= 3 ? 'PASS' : 'FAIL',
    ],
  ];
}

if (require.main === module && process.argv[2] === '--serve') void serveChild();
