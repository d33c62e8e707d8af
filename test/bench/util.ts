/**
 * Small helpers shared by the benchmark modes: configuration from the
 * environment, latency statistics, memory readings, the machine description
 * and markdown formatting. Nothing here touches the engine.
 */
import pg from 'pg';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// ---------------------------------------------------------------- configuration

/** A positive integer from the environment, or `fallback` when unset; anything else is an error naming the variable. */
export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

function listFromEnv(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`${name} must be a comma-separated list of positive integers, got ${JSON.stringify(raw)}`);
  return values;
}

/** Everything the bench can be told through the environment (see BENCHMARKS.md). */
export interface BenchConfig {
  /** Instances per database mode (b, c). BENCH_N, default 2000. */
  n: number;
  /** Instances of the pure-runtime throughput runs: the "flat memory" series (a). BENCH_RUNTIME_N, default 1000,10000,50000. */
  runtimeSeries: number[];
  /** Numbers of instances kept waiting to measure heap per waiting instance (a). BENCH_WAITING, default 10000,50000. */
  waiting: number[];
  /** Instances run by bpmn-engine (d). BENCH_BPMN_ENGINE_N, default 500. */
  bpmnEngineN: number;
  /** bpmn-engine instances kept waiting for its heap figure (d); ~1.2 MB each. BENCH_BPMN_ENGINE_WAITING, default 300. */
  bpmnEngineWaiting: number;
  /** Concurrent clients of mode (c) and of pgbench. BENCH_CLIENTS, default 8. */
  clients: number;
  /** pgbench duration in seconds. BENCH_PGBENCH_SECONDS, default 10. */
  pgbenchSeconds: number;
  /** Rounds of (c) and pgbench, alternating, when both run (the round with the median ratio counts). BENCH_ROUNDS, default 5. */
  rounds: number;
  /** PostgreSQL URL of mode (c): DATABASE_URL, else TEST_DATABASE_URL, else the local test database. */
  databaseUrl: string;
  /** Modes to run (BENCH_MODES=runtime,bpmn-engine,embedded,postgres,pgbench,sql-floor), default all. */
  modes: string[];
}

export const ALL_MODES = ['runtime', 'bpmn-engine', 'embedded', 'postgres', 'pgbench', 'sql-floor'] as const;

export function readConfig(): BenchConfig {
  const modes = (process.env.BENCH_MODES ?? ALL_MODES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const mode of modes) {
    if (!(ALL_MODES as readonly string[]).includes(mode)) throw new Error(`unknown mode '${mode}' in BENCH_MODES (known: ${ALL_MODES.join(', ')})`);
  }
  return {
    n: intFromEnv('BENCH_N', 2000),
    runtimeSeries: listFromEnv('BENCH_RUNTIME_N', [1000, 10_000, 50_000]),
    waiting: listFromEnv('BENCH_WAITING', [10_000, 50_000]),
    bpmnEngineN: intFromEnv('BENCH_BPMN_ENGINE_N', 500),
    bpmnEngineWaiting: intFromEnv('BENCH_BPMN_ENGINE_WAITING', 300),
    clients: intFromEnv('BENCH_CLIENTS', 8),
    pgbenchSeconds: intFromEnv('BENCH_PGBENCH_SECONDS', 10),
    rounds: Math.max(1, intFromEnv('BENCH_ROUNDS', 5)),
    databaseUrl: process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    modes,
  };
}

// ---------------------------------------------------------------- files

/** The repository root (the folder whose package.json is named "motcua"), from source or from dist/. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    // dist/ holds a copy of package.json (the API imports its version): the root also has tsconfig.json.
    if (fs.existsSync(file) && fs.existsSync(path.join(dir, 'tsconfig.json')) && JSON.parse(fs.readFileSync(file, 'utf8')).name === 'motcua') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the motcua repository root above ${__dirname}`);
    dir = parent;
  }
}

export function referenceXml(): string {
  return fs.readFileSync(path.join(repoRoot(), 'test/fixtures/engine/reference.bpmn'), 'utf8');
}

// ---------------------------------------------------------------- latency

/** Collects latencies (nanoseconds, as numbers) into a growable Float64Array. */
export class Latencies {
  private data: Float64Array;
  private size = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }

  add(ns: number): void {
    if (this.size === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = ns;
  }

  get count(): number {
    return this.size;
  }

  /** p50/p99/max in milliseconds. */
  summary(): LatencySummary {
    const sorted = this.data.slice(0, this.size).sort();
    const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6);
    return { count: this.size, p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] / 1e6 : NaN };
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export const hrnow = (): bigint => process.hrtime.bigint();

// ---------------------------------------------------------------- memory

/** Full garbage collection (twice: weak references and finalizers settle). Needs --expose-gc. */
export function fullGc(): void {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run the bench with node --expose-gc (npm run bench does)');
  gc();
  gc();
}

/** heapUsed after a full GC, in bytes. */
export function heapAfterGc(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

// ---------------------------------------------------------------- machine

export interface Machine {
  os: string;
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  date: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpu: cpus[0]?.model?.trim() || 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    ramGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------- formatting

export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const mb = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : fmt(bytes / 1024 ** 2, 1));
export const kb = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : fmt(bytes / 1024, 2));

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A password-free rendering of a database URL for the report. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * Round trips to PostgreSQL: `query()` calls on every pg client of this process, once
 * {@link countPgRoundTrips} has run, whether sequelize sends them or the engine store's
 * pipelined raw SQL (several statements in one simple query count once; sequelize's
 * `beforeQuery` hook would miss those).
 */
export const pgRoundTrips = { count: 0 };

export function countPgRoundTrips(): void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __benchCounted?: boolean };
  if (proto.__benchCounted) return;
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    pgRoundTrips.count++;
    return original.apply(this, args);
  };
  proto.__benchCounted = true;
}

/**
 * Asks PostgreSQL for a checkpoint, so that a measurement does not pay for the dirty
 * pages of the one before it (engine and pgbench runs alternate on one server).
 * Needs superuser or pg_checkpoint; without, says so and goes on.
 */
export async function checkpoint(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('CHECKPOINT');
  } catch (error) {
    log(`CHECKPOINT failed (${(error as Error).message}); measuring without it`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** WAL written by the whole server (pg_stat_wal, PostgreSQL 14+): records, full-page images, bytes. */
export interface WalCounts {
  records: number;
  fpi: number;
  bytes: number;
}

/** Reads the server's WAL counters; undefined where pg_stat_wal is missing (older servers) or unreadable. */
export async function walCounts(url: string): Promise<WalCounts | undefined> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT wal_records::float8 AS records, wal_fpi::float8 AS fpi, wal_bytes::float8 AS bytes FROM pg_stat_wal');
    return rows[0] ? { records: rows[0].records, fpi: rows[0].fpi, bytes: rows[0].bytes } : undefined;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** WAL per transaction between two readings (the server's, so only meaningful when nothing else writes). */
export function walPer(before: WalCounts | undefined, after: WalCounts | undefined, transactions: number): WalCounts | undefined {
  if (!before || !after || transactions <= 0) return undefined;
  return { records: (after.records - before.records) / transactions, fpi: (after.fpi - before.fpi) / transactions, bytes: (after.bytes - before.bytes) / transactions };
}

/** Summed CPU times of all cores (ms), from os.cpus(). */
export function machineCpu(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq;
  }
  return { idle, total };
}

/** Measures this process's CPU (cores) and the machine's busy share over an interval. */
export function cpuMeter(): () => { process: number; machine: number; seconds: number } {
  const cpu0 = process.cpuUsage();
  const m0 = machineCpu();
  const t0 = hrnow();
  return () => {
    const seconds = Number(hrnow() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const m1 = machineCpu();
    return { process: (cpu.user + cpu.system) / 1e6 / seconds, machine: 1 - (m1.idle - m0.idle) / (m1.total - m0.total), seconds };
  };
}

/** Drops a mode's scratch schema (its own connection: the mode's pool is closed by then). */
export async function dropSchema(url: string, schema: string, mode: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    log(`${mode}: dropped schema ${schema}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}
