/**
 * Diagnostic for mode (c): how many transactions of 10 (what an Engine
 * command sends today) and 5 (what a pgbench -N transaction sends) trivial
 * statements (`SELECT $1::int`: no table touched, nothing written) this Node
 * process can push through PostgreSQL with the same client count: on bare
 * `pg` clients, and through sequelize transactions opened as the store opens
 * them (START TRANSACTION; SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
 * ...; COMMIT). The Engine's command rate cannot beat the sequelize figure at
 * its statement count; the gaps show what the ORM and the round trips cost.
 */
import pg from 'pg';
import { QueryTypes, Sequelize, Transaction } from 'sequelize';
import { probePostgres } from './engine-driver';
import type { SkippedResult, SqlFloorResult } from './results';
import { hrnow, log, type BenchConfig } from './util';

/** Statements per transaction (BEGIN/COMMIT included): about what one Engine command sends now, and what pgbench -N sends. */
const STATEMENT_COUNTS = [10, 5];
const SECONDS = 3;

async function timed(clients: number, seconds: number, transaction: (client: number) => Promise<void>): Promise<{ tps: number; nodeCpu: number }> {
  const end = Date.now() + seconds * 1000;
  let count = 0;
  const cpu0 = process.cpuUsage();
  const t0 = hrnow();
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (Date.now() < end) {
        await transaction(i);
        count++;
      }
    }),
  );
  const wall = Number(hrnow() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { tps: count / wall, nodeCpu: (cpu.user + cpu.system) / 1e6 / wall };
}

export async function sqlFloorBench(config: BenchConfig): Promise<SqlFloorResult | SkippedResult> {
  const reachable = await probePostgres(config.databaseUrl);
  if (reachable !== true) return { kind: 'skipped', mode: 'sql-floor', reason: reachable };
  const rows: SqlFloorResult['rows'] = [];

  const clients = await Promise.all(
    Array.from({ length: config.clients }, async () => {
      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      return client;
    }),
  );
  try {
    for (const statements of STATEMENT_COUNTS) {
      log(`sql-floor: bare pg, ${config.clients} clients, BEGIN + ${statements - 2} × SELECT $1 + COMMIT`);
      const r = await timed(config.clients, SECONDS, async (i) => {
        const client = clients[i];
        await client.query('BEGIN');
        for (let s = 0; s < statements - 2; s++) await client.query('SELECT $1::int', [s]);
        await client.query('COMMIT');
      });
      rows.push({ driver: 'bare pg', statements, ...r });
    }
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }

  const sequelize = new Sequelize(config.databaseUrl, { dialect: 'postgres', dialectModule: pg, logging: false, pool: { max: config.clients, min: 0 } });
  try {
    await sequelize.authenticate();
    for (const statements of STATEMENT_COUNTS) {
      log(`sql-floor: sequelize transactions (READ COMMITTED, as the store), ${statements - 3} × SELECT $1`);
      const r = await timed(config.clients, SECONDS, () =>
        sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, async (transaction) => {
          for (let s = 0; s < statements - 3; s++) await sequelize.query('SELECT $1::int', { bind: [s], transaction, type: QueryTypes.SELECT });
        }),
      );
      rows.push({ driver: 'sequelize', statements, ...r });
    }
  } finally {
    await sequelize.close();
  }
  return { kind: 'sql-floor', clients: config.clients, rows };
}
