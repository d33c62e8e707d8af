/**
 * The yardstick of mode (c): `pgbench -N` (TPC-B-like without the hot
 * teller/branch updates: UPDATE accounts, SELECT, INSERT history per
 * transaction) on the same server with the same client count, in a scratch
 * database created for it and dropped afterwards.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { probePostgres } from './engine-driver';
import type { PgbenchResult, SkippedResult } from './results';
import { checkpoint, cpuMeter, log, walCounts, walPer, type BenchConfig } from './util';

const run = promisify(execFile);
const SCRATCH_DB = 'motcua_pgbench';

/** pgbench on the PATH, else in a PostgreSQL installation folder. */
export function findPgbench(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && fs.existsSync(`${dir}/pgbench`)) return `${dir}/pgbench`;
  }
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    for (const version of fs.readdirSync(root).sort().reverse()) {
      const file = `${root}/${version}/bin/pgbench`;
      if (fs.existsSync(file)) return file;
    }
  }
  return undefined;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function pgbenchBench(config: BenchConfig): Promise<PgbenchResult | SkippedResult> {
  const binary = findPgbench();
  if (!binary) return { kind: 'skipped', mode: 'pgbench', reason: 'pgbench not found (install postgresql-contrib / postgresql-client)' };
  const reachable = await probePostgres(config.databaseUrl);
  if (reachable !== true) return { kind: 'skipped', mode: 'pgbench', reason: reachable };

  const scratch = withDatabase(config.databaseUrl, SCRATCH_DB);
  await admin(config.databaseUrl, `DROP DATABASE IF EXISTS ${SCRATCH_DB}`);
  await admin(config.databaseUrl, `CREATE DATABASE ${SCRATCH_DB}`);
  try {
    log('pgbench: initialising (scale 1)');
    await run(binary, ['-i', '-s', '1', '-q', scratch], { maxBuffer: 16 * 1024 * 1024 });
    const threads = Math.min(2, config.clients);
    const args = ['-N', '-c', String(config.clients), '-j', String(threads), '-T', String(config.pgbenchSeconds), scratch];
    await checkpoint(config.databaseUrl);
    log(`pgbench: ${args.slice(0, -1).join(' ')}`);
    const wal0 = await walCounts(config.databaseUrl);
    const meter = cpuMeter();
    const { stdout } = await run(binary, args, { maxBuffer: 16 * 1024 * 1024 });
    const { machine } = meter();
    const wal1 = await walCounts(config.databaseUrl);
    const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
    const tps = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(stdout) ?? /tps = ([\d.]+)/.exec(stdout);
    if (!tps) throw new Error(`cannot read the tps line of pgbench:\n${stdout}`);
    const latency = /latency average = ([\d.]+) ms/.exec(stdout);
    return {
      kind: 'pgbench',
      clients: config.clients,
      threads,
      seconds: config.pgbenchSeconds,
      tps: Number(tps[1]),
      latencyMs: latency ? Number(latency[1]) : undefined,
      command: `pgbench -N -c ${config.clients} -j ${threads} -T ${config.pgbenchSeconds}`,
      machineCpu: machine,
      ...(processed ? { walPerTransaction: walPer(wal0, wal1, Number(processed[1])) } : {}),
    };
  } finally {
    await admin(config.databaseUrl, `DROP DATABASE IF EXISTS ${SCRATCH_DB}`).catch((e) => log(`pgbench: could not drop ${SCRATCH_DB}: ${(e as Error).message}`));
  }
}
