/**
 * `dossier-scaling` mode: does the audit trail serialize commands of different dossiers?
 *
 * Issue 16 asks that the hash chain never serialize commands of different dossiers. The
 * (c) ratio measures it only at 8 clients, mixed with everything else the dossier layer
 * writes. This mode measures it directly: at 1, 2, 4, 8 and 16 clients it runs the dossier
 * bench of engine-driver.ts (every instance a dossier received at the desk, one agency per
 * client) with the audit trail off and on, in alternating order, and `pgbench -N` with the
 * same client count. A trail that serialized would make commands of different dossiers wait
 * on each other: PostgreSQL's backends would be seen waiting on row, transaction or page locks
 * (sampled from pg_stat_activity during each run), more with the trail on and more as clients
 * grow. Throughput that stops growing with no such waits is the machine's CPU running out
 * (the Node process and PostgreSQL share two cores here), not a queue.
 *
 * Environment: BENCH_SCALING_CLIENTS (default 1,2,4,8,16), BENCH_SCALING_N (instances per
 * run, default 1,000), BENCH_SCALING_WARMUP (default 300), BENCH_SCALING_PGBENCH (0: leave
 * pgbench out).
 */
import { postgresBench, probePostgres } from './engine-driver';
import { pgbenchBench } from './pgbench';
import type { EngineResult, PgbenchResult, SkippedResult } from './results';
import { fmt, intFromEnv, log, machine, redactUrl, table, type BenchConfig } from './util';

export interface ScalingPoint {
  clients: number;
  auditOff: EngineResult;
  auditOn: EngineResult;
  pgbench?: PgbenchResult;
}

export interface DossierScalingResult {
  kind: 'dossier-scaling';
  instances: number;
  warmup: number;
  points: ScalingPoint[];
}

export function scalingClients(): number[] {
  const raw = process.env.BENCH_SCALING_CLIENTS ?? '1,2,4,8,16';
  const clients = raw.split(',').map((s) => Number(s.trim()));
  const bad = clients.find((c) => !Number.isInteger(c) || c < 1 || c > 64);
  if (bad !== undefined) throw new Error(`BENCH_SCALING_CLIENTS must list whole numbers from 1 to 64, e.g. 1,2,4,8; got '${raw}'`);
  return clients;
}

export async function dossierScalingBench(config: BenchConfig): Promise<DossierScalingResult | SkippedResult> {
  const reachable = await probePostgres(config.databaseUrl);
  if (reachable !== true) return { kind: 'skipped', mode: 'dossier-scaling', reason: reachable };
  const instances = intFromEnv('BENCH_SCALING_N', 1000);
  const warmup = intFromEnv('BENCH_SCALING_WARMUP', 300);
  const withPgbench = process.env.BENCH_SCALING_PGBENCH !== '0';
  const points: ScalingPoint[] = [];
  for (const [i, clients] of scalingClients().entries()) {
    const at = { ...config, clients, n: instances };
    const run = async (audit: boolean): Promise<EngineResult> => {
      const result = await postgresBench(at, { audit }, { warmup });
      if (result.kind !== 'engine') throw new Error(`the dossier bench was skipped at ${clients} clients: ${result.reason}`);
      return result;
    };
    // Alternate which runs first, so that a machine slowing down over the mode does not favour one.
    let auditOff: EngineResult;
    let auditOn: EngineResult;
    if (i % 2 === 0) {
      auditOff = await run(false);
      auditOn = await run(true);
    } else {
      auditOn = await run(true);
      auditOff = await run(false);
    }
    const pgbench = withPgbench ? await pgbenchBench(at) : undefined;
    points.push({ clients, auditOff, auditOn, ...(pgbench?.kind === 'pgbench' ? { pgbench } : {}) });
    log(`dossier-scaling: ${clients} clients: audit off ${fmt(auditOff.run.commandsPerSec)}, on ${fmt(auditOn.run.commandsPerSec)} commands/s${pgbench?.kind === 'pgbench' ? `, pgbench ${fmt(pgbench.tps)} TPS` : ''}`);
  }
  return { kind: 'dossier-scaling', instances, warmup, points };
}

/** Share of the sampled backend states waiting on another transaction: a row or transaction lock (Lock:*) or a page (LWLock:BufferContent). */
export function lockWaitShare(result: EngineResult): number {
  return Object.entries(result.backends ?? {})
    .filter(([state]) => /waiting on (Lock:|LWLock:BufferContent)/.test(state))
    .reduce((sum, [, share]) => sum + share, 0);
}

const pct = (share: number, digits = 0): string => `${fmt(share * 100, digits)} %`;

export function renderDossierScaling(r: DossierScalingResult, databaseUrl: string): string {
  const m = machine();
  const first = r.points[0];
  const rows = r.points.map((p) => {
    const on = p.auditOn.run.commandsPerSec;
    const off = p.auditOff.run.commandsPerSec;
    return [
      String(p.clients),
      fmt(off),
      fmt(on),
      fmt(on / off, 2),
      first ? fmt(off / first.auditOff.run.commandsPerSec, 2) : '',
      first ? fmt(on / first.auditOn.run.commandsPerSec, 2) : '',
      fmt(p.auditOn.run.latency.p99, 1),
      p.pgbench ? fmt(p.pgbench.tps) : 'n/a',
      p.pgbench ? fmt(on / p.pgbench.tps, 3) : 'n/a',
      pct(p.auditOn.machineCpu),
      fmt(p.auditOn.nodeCpu, 2),
      `${pct(lockWaitShare(p.auditOff), 1)} / ${pct(lockWaitShare(p.auditOn), 1)}`,
    ];
  });
  return [
    '## PostgreSQL: the dossier layer and its audit trail as clients grow',
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores; PostgreSQL ${redactUrl(databaseUrl)}. At each client count, the dossier bench of (c) (every instance a dossier received at the desk, one agency per client, ${fmt(r.warmup)} instances of warm-up, then ${fmt(r.instances)} instances = ${fmt(r.instances * 5)} commands) with the audit trail off and on, in alternating order, each in a fresh schema; then \`pgbench -N\` with as many clients.`,
    '- A trail that serialized commands of different dossiers would make them wait on each other: the last column (share of the sampled PostgreSQL backend states waiting on a row or transaction lock, or on a page, audit off / on) would grow with clients and with the trail on. Where throughput stops growing with zero such waits, the machine\'s CPU is the limit: the Node column is the bench process\'s cores (one thread; it shares the two cores with PostgreSQL).',
    '',
    table(['clients', 'audit off commands/s', 'audit on commands/s', 'on / off', 'off speed-up from 1 client', 'on speed-up from 1 client', 'audit on p99 ms', 'pgbench -N TPS', 'audit on / pgbench', 'machine CPU busy (audit on)', 'Node cores (audit on)', 'backends waiting on another transaction (off / on)'], rows),
    '',
  ].join('\n');
}
