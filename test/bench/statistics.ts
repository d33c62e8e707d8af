/**
 * Mode `statistics`: the Decision 766 statistics (`StatisticsStore.counts`, the query behind
 * GET /api/statistics) over the `dossier_statistics` projection, and the tracking look-up
 * (`DossierStore.byCode` + `history`, what GET /api/tracking reads), in PostgreSQL.
 *
 * A scratch schema `bench_stats_<random>` is migrated with `migrate()` (the real tables and
 * indexes) and filled by `INSERT … SELECT … generate_series` (no row by row):
 *  - BENCH_STATISTICS_DOSSIERS projection rows (default 10,000,000): 34 provinces × 100
 *    agencies, over three years (2024–2026) in receipt order, 12 procedures per agency;
 *    channel 50 % online / 40 % desk / 10 % post; 85 % finished (timeliness by both measures,
 *    working days), 10 % in progress (some waiting for a supplement), 3 % refused, 2 % withdrawn;
 *  - BENCH_STATISTICS_TRACKED dossier rows (default the same number) with 3 history rows each,
 *    the rows the dossier layer keeps (state, details, applicant as small JSON).
 * Then ANALYZE and VACUUM, and BENCH_STATISTICS_QUERIES (default 300) queries of each kind for
 * random agencies / provinces / codes, one at a time (latency, not throughput):
 *  - agency-quarter: the counts of one agency for one quarter, groupBy none;
 *  - province-year: the counts of one province for one year, groupBy none;
 *  - tracking: `DossierStore.tracking` of one dossier (what GET /api/tracking reads: one prepared
 *    statement outside any transaction), with the round trips it costs;
 *  - tracking-before: what tracking read before that: byCode, then history and procedure, each in
 *    its own read transaction (for comparison).
 * BENCH_STATISTICS_KEEP=1 keeps the schema. BENCH_STATISTICS_SCHEMA=<kept schema> measures again
 * without loading: the statistics, and tracking too when BENCH_STATISTICS_TRACKED is given (the
 * number of dossiers the schema was loaded with). BENCH_STATISTICS_ONLY=tracking leaves the
 * statistics' kinds out.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { QueryTypes } from 'sequelize';
import { MIGRATION_FOLDERS } from '../../api/src/migrations';
import { openDatabase, type Database } from '../../engine/src/store-sequelize/connect';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { createSequelizeDossierStore } from '../../onestop/src/store-sequelize/sequelize-dossier-store';
import { createSequelizeStatisticsStore } from '../../onestop/src/store-sequelize/sequelize-statistics-store';
import { rebuildCountersSql } from '../../onestop/src/store-sequelize/statistics-measures';
import { probePostgres } from './engine-driver';
import type { SkippedResult } from './results';
import { Latencies, checkpoint, countPgRoundTrips, dropSchema, fmt, hrnow, intFromEnv, log, machine, pgRoundTrips, redactUrl, table, type BenchConfig, type LatencySummary } from './util';

const PROVINCES = 34;
const AGENCIES_PER_PROVINCE = 100;
const AGENCIES = PROVINCES * AGENCIES_PER_PROVINCE;
const START = Date.parse('2024-01-01T00:00:00+07:00');
const END = Date.parse('2027-01-01T00:00:00+07:00');
const TARGET_REPORT_MS = 100;
const TARGET_TRACKING_MS = 10;

/** Agency k's identifier (province H01..H34), as inbox.ts names them. */
const agencyId = (k: number): string => `000.${String(Math.floor(k / PROVINCES)).padStart(2, '0')}.00.H${String((k % PROVINCES) + 1).padStart(2, '0')}`;
const provinceId = (p: number): string => `H${String(p + 1).padStart(2, '0')}`;
const code = (g: number): string => `C${String(g).padStart(9, '0')}`;

/** $1 = rows. Row g: agency g % 3400, received at START + g/rows of the three years. */
const LOAD_STATISTICS = `
INSERT INTO dossier_statistics (dossier_id, code, agency, province, procedure_code, official, channel, status, submitted_at, received_at, counted_at, finished_at,
  due_766_at, legal_due_at, measure_end_at, forced_late_766, redated, supplement_requests, timeliness_766, timeliness_legal, working_days, fee, paid_online, e_result, digitised_inputs)
SELECT 'd' || g, 'C' || lpad(g::text, 9, '0'), agency, province, 'P' || (g % 12), 'u' || (g % 7), channel, status, at, CASE WHEN status = 'refused' THEN NULL ELSE at END, at,
  CASE WHEN finished THEN at + (wd * interval '1 day') END,
  CASE WHEN status <> 'refused' THEN at + interval '10 days' END,
  CASE WHEN status <> 'refused' THEN at + interval '10 days' + (CASE WHEN r % 10 = 0 THEN interval '3 days' ELSE interval '0' END) END,
  CASE WHEN status = 'supplement-requested' THEN at + interval '2 days' END,
  r % 50 = 0, r % 97 = 0, CASE WHEN r % 10 = 0 THEN 1 ELSE 0 END,
  CASE WHEN finished AND status <> 'withdrawn' THEN (CASE WHEN wd < 6 THEN 'early' WHEN wd <= 7 THEN 'on-time' ELSE 'late' END) END,
  CASE WHEN finished AND status <> 'withdrawn' THEN (CASE WHEN wd < 6 THEN 'early' WHEN wd <= 8 THEN 'on-time' ELSE 'late' END) END,
  CASE WHEN finished AND status <> 'withdrawn' THEN wd END,
  CASE WHEN r % 3 = 0 THEN 0 ELSE 20000 END, channel = 'online' AND r % 2 = 0, r % 4 <> 0, r % 5 <> 0
FROM (
  SELECT g, r, ${AGENCIES} AS n, k AS k, agency, province, channel, status, at, wd, status IN ('result-ready', 'returned', 'rejected', 'stopped', 'withdrawn') AS finished
  FROM (
    SELECT g, (g * 7919) % 1000 AS r, g % ${AGENCIES} AS k,
      '000.' || lpad(((g % ${AGENCIES}) / ${PROVINCES})::text, 2, '0') || '.00.H' || lpad(((g % ${AGENCIES}) % ${PROVINCES} + 1)::text, 2, '0') AS agency,
      'H' || lpad(((g % ${AGENCIES}) % ${PROVINCES} + 1)::text, 2, '0') AS province,
      CASE WHEN (g * 7919) % 10 < 5 THEN 'online' WHEN (g * 7919) % 10 < 9 THEN 'desk' ELSE 'post' END AS channel,
      CASE WHEN (g * 31) % 100 < 80 THEN 'returned' WHEN (g * 31) % 100 < 85 THEN 'result-ready' WHEN (g * 31) % 100 < 88 THEN 'refused' WHEN (g * 31) % 100 < 90 THEN 'withdrawn'
           WHEN (g * 31) % 100 < 92 THEN 'supplement-requested' WHEN (g * 31) % 100 < 94 THEN 'rejected' WHEN (g * 31) % 100 < 95 THEN 'stopped' ELSE 'processing' END AS status,
      to_timestamp(${START / 1000} + (g::float8 / $1) * ${(END - START) / 1000}) AS at,
      ((g * 13) % 120) / 10.0 AS wd
    FROM generate_series(0::bigint, $1 - 1) AS g
  ) s
) t`;

/** $1 = rows: the dossier rows tracking reads, and 3 history rows each. */
const LOAD_DOSSIERS = `
INSERT INTO dossiers (id, code, agency, agencies, procedure_code, procedure_version, definition_id, instance_id, status, channel, submitted_at, appointment_at, submitted_by,
  applicant_user, tracking_hash, state, details, applicant, revision, updated_at)
SELECT 'd' || g, 'C' || lpad(g::text, 9, '0'), a, ARRAY[a], 'P' || (g % 12), 1, NULL, NULL, 'processing', 'desk', at, at + interval '10 days', 'u1', NULL,
  md5(g::text) || md5((g + 1)::text),
  jsonb_build_object('id', 'd' || g, 'code', 'C' || lpad(g::text, 9, '0'), 'status', 'processing', 'channel', 'desk', 'submittedAt', 0, 'redates', 0, 'late', false, 'supplementRequests', 0, 'updatedAt', 0,
    'procedure', jsonb_build_object('id', 'P' || (g % 12), 'statutoryTime', jsonb_build_object('amount', 7, 'unit', 'workingDays'))),
  '{"documents":[],"fee":{"amount":0,"currency":"VND","paid":false,"paidOnline":false}}'::jsonb, '{"name":"X","kind":"citizen"}'::jsonb, 1, at
FROM (SELECT g, '000.' || lpad(((g % ${AGENCIES}) / ${PROVINCES})::text, 2, '0') || '.00.H' || lpad(((g % ${AGENCIES}) % ${PROVINCES} + 1)::text, 2, '0') AS a,
             to_timestamp(${START / 1000} + (g::float8 / $1) * ${(END - START) / 1000}) AS at FROM generate_series(0::bigint, $1 - 1) AS g) s;
INSERT INTO dossier_status_history (dossier_id, at, actor, type, from_status, to_status, event)
SELECT 'd' || g, now(), 'u1', t, 'submitted', 'processing', jsonb_build_object('type', t, 'at', 0, 'from', 'submitted', 'to', 'processing', 'actor', 'u1', 'dossierId', 'd' || g)
FROM generate_series(0::bigint, $1 - 1) AS g, unnest(ARRAY['dossierSubmitted', 'dossierReceived', 'processingStarted']) AS t;`;

export interface StatisticsKindResult {
  name: string;
  description: string;
  target: number;
  latency: LatencySummary;
  rowsMean: number;
  plan: string;
  /** Round trips to PostgreSQL per query (tracking kinds). */
  roundTrips?: number;
}

export interface StatisticsResult {
  kind: 'statistics';
  dossiers: number;
  tracked: number;
  loadSeconds: { statistics: number; counters: number; dossiers: number; analyze: number };
  counterRows: number;
  tableMb: number;
  indexes: Array<{ name: string; mb: number }>;
  queries: number;
  kinds: StatisticsKindResult[];
  serverVersion: string;
  schema: string;
}

async function run(url: string, schema: string, text: string, rows: number, deferIndexesOf: readonly string[] = []): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    await client.query('SET synchronous_commit = off');
    await client.query("SET maintenance_work_mem = '256MB'");
    const t0 = hrnow();
    // A bulk load is faster into a table without its secondary indexes: drop them, load, build them again (constraints' indexes stay).
    const deferred: string[] = [];
    for (const table of deferIndexesOf) {
      const found = await client.query(
        `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = $2 AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
        [schema, table],
      );
      for (const index of found.rows as Array<{ name: string; def: string }>) {
        await client.query(`DROP INDEX ${index.name}`);
        deferred.push(index.def);
      }
    }
    for (const statement of text.split(/;\s*\n/).filter((s) => s.trim())) await client.query(statement, rows >= 0 ? [rows] : []);
    for (const def of deferred) await client.query(def);
    return Number(hrnow() - t0) / 1e9;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

export async function statisticsBench(config: BenchConfig): Promise<StatisticsResult | SkippedResult> {
  const reachable = await probePostgres(config.databaseUrl);
  if (reachable !== true) return { kind: 'skipped', mode: 'statistics', reason: reachable };
  const dossiers = intFromEnv('BENCH_STATISTICS_DOSSIERS', 10_000_000);
  const tracked = intFromEnv('BENCH_STATISTICS_TRACKED', dossiers);
  const queries = intFromEnv('BENCH_STATISTICS_QUERIES', 300);
  // BENCH_STATISTICS_SCHEMA: measure the statistics again in a schema kept earlier (BENCH_STATISTICS_KEEP=1), loading nothing, tracking left out.
  const reuse = process.env.BENCH_STATISTICS_SCHEMA;
  const keep = process.env.BENCH_STATISTICS_KEEP === '1' || !!reuse;
  const schema = reuse ?? `bench_stats_${randomBytes(4).toString('hex')}`;
  let db: Database | undefined;
  try {
    db = await openDatabase({ url: config.databaseUrl, schema, poolMax: 1 });
    if (!reuse) await migrate(db, MIGRATION_FOLDERS);
    if (!reuse) log(`statistics: loading ${fmt(dossiers)} projection rows into ${schema} (secondary indexes built after the rows)`);
    const loadStatistics = reuse ? 0 : await run(config.databaseUrl, schema, LOAD_STATISTICS, dossiers, ['dossier_statistics']);
    log(`statistics: loaded in ${fmt(loadStatistics, 1)} s; counting them into dossier_statistics_counters (migration 0025's backfill)`);
    const loadCounters = reuse ? 0 : await run(config.databaseUrl, schema, rebuildCountersSql().join(';\n'), -1);
    log(`statistics: counters built in ${fmt(loadCounters, 1)} s; VACUUM ANALYZE`);
    await checkpoint(config.databaseUrl);
    const analyze = reuse ? 0 : await run(config.databaseUrl, schema, 'VACUUM ANALYZE dossier_statistics;\nVACUUM ANALYZE dossier_statistics_counters;\nVACUUM ANALYZE dossier_statistics_days', -1);

    const store = createSequelizeEngineStore(db);
    const statistics = createSequelizeStatisticsStore();
    const dossierStore = createSequelizeDossierStore(db);
    const asOf = Date.parse('2026-12-07T00:00:00+07:00');
    const quarters = Array.from({ length: 12 }, (_, i) => ({ from: Date.parse(`${2024 + Math.floor(i / 4)}-${String((i % 4) * 3 + 1).padStart(2, '0')}-01T00:00:00+07:00`), to: 0 })).map((q, i, all) => ({ from: q.from, to: i + 1 < all.length ? all[i + 1].from : END }));
    const years = [2024, 2025, 2026].map((y) => ({ from: Date.parse(`${y}-01-01T00:00:00+07:00`), to: Date.parse(`${y + 1}-01-01T00:00:00+07:00`) }));
    /** From 1 January of 2024–2026 to the end of a random local day of that year (what GET /api/statistics asks by default). */
    const toDate = () => {
      const year = pick(years);
      const days = Math.floor((year.to - year.from) / 86_400_000);
      return { from: year.from, to: year.from + (1 + Math.floor(Math.random() * days)) * 86_400_000 };
    };
    const kinds = [
      { name: 'agency-quarter', description: 'GET /api/statistics of one agency, one quarter', target: TARGET_REPORT_MS, query: () => ({ ...pick(quarters), asOf, agency: agencyId(Math.floor(Math.random() * AGENCIES)) }) },
      { name: 'province-year', description: 'GET /api/statistics of one province, one year', target: TARGET_REPORT_MS, query: () => ({ ...pick(years), asOf, province: provinceId(Math.floor(Math.random() * PROVINCES)) }) },
      { name: 'province-to-date', description: 'one province, 1 January to a random day of the year (counters by year, month, day)', target: TARGET_REPORT_MS, query: () => ({ ...toDate(), asOf, province: provinceId(Math.floor(Math.random() * PROVINCES)) }) },
      { name: 'agency-to-date', description: 'one agency, 1 January to a random day (counters by month, rows for the last month)', target: TARGET_REPORT_MS, query: () => ({ ...toDate(), asOf, agency: agencyId(Math.floor(Math.random() * AGENCIES)) }) },
    ];
    const results: StatisticsKindResult[] = [];
    const trackingOnly = process.env.BENCH_STATISTICS_ONLY === 'tracking';
    for (const kind of trackingOnly ? [] : kinds) {
      const latencies = new Latencies(queries);
      let rows = 0;
      for (let i = 0; i < queries; i++) {
        const q = kind.query();
        const t0 = hrnow();
        const counts = await store.transaction((tx) => statistics.counts(tx.sql, q));
        latencies.add(Number(hrnow() - t0));
        rows += counts[0]?.dossiers ?? 0;
      }
      const sample = kind.query();
      const plan = await explain(db, schema, sample);
      results.push({ name: kind.name, description: kind.description, target: kind.target, latency: latencies.summary(), rowsMean: rows / queries, plan });
      log(`statistics: ${kind.name} p50 ${fmt(latencies.summary().p50, 2)} ms, p99 ${fmt(latencies.summary().p99, 2)} ms, ${fmt(rows / queries, 0)} dossiers per query`);
    }
    // The tracking rows after the statistics have been measured (a long load must not keep the statistics' figures from being printed).
    const trackingAgain = reuse && process.env.BENCH_STATISTICS_TRACKED !== undefined;
    if (trackingAgain) results.push(...(await measureTracking(store, dossierStore, tracked, queries)));
    if (reuse) return { kind: 'statistics', dossiers, tracked: trackingAgain ? tracked : 0, loadSeconds: { statistics: 0, counters: 0, dossiers: 0, analyze: 0 }, counterRows: 0, tableMb: 0, indexes: [], queries, kinds: results, serverVersion: '', schema };
    log(`statistics: loading ${fmt(tracked)} dossiers with 3 history rows each`);
    const loadDossiers = await run(config.databaseUrl, schema, LOAD_DOSSIERS, tracked, ['dossiers', 'dossier_status_history']);
    log(`statistics: loaded in ${fmt(loadDossiers, 1)} s; VACUUM ANALYZE`);
    await checkpoint(config.databaseUrl);
    const analyzeDossiers = await run(config.databaseUrl, schema, 'VACUUM ANALYZE dossiers;\nVACUUM ANALYZE dossier_status_history', -1);
    results.push(...(await measureTracking(store, dossierStore, tracked, queries)));

    const sizes = (await db.sequelize.query(
      `SELECT c.relname AS name, pg_relation_size(c.oid) / 1048576.0 AS mb FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = :schema AND c.relname LIKE 'dossier_statistics%' AND c.relkind IN ('r', 'i')`,
      { replacements: { schema }, type: QueryTypes.SELECT },
    )) as Array<{ name: string; mb: string }>;
    const counterRows = Number(((await db.sequelize.query(`SELECT count(*) AS n FROM "${schema}".dossier_statistics_counters`, { type: QueryTypes.SELECT })) as Array<{ n: string }>)[0].n);
    const version = (await db.sequelize.query('SHOW server_version', { type: QueryTypes.SELECT })) as Array<{ server_version: string }>;
    return {
      kind: 'statistics',
      dossiers,
      tracked,
      loadSeconds: { statistics: loadStatistics, counters: loadCounters, dossiers: loadDossiers, analyze: analyze + analyzeDossiers },
      counterRows,
      tableMb: Number(sizes.find((s) => s.name === 'dossier_statistics')?.mb ?? 0),
      indexes: sizes.filter((s) => s.name !== 'dossier_statistics').map((s) => ({ name: s.name, mb: Number(s.mb) })),
      queries,
      kinds: results,
      serverVersion: version[0].server_version,
      schema,
    };
  } finally {
    await db?.close().catch(() => undefined);
    if (keep) log(`statistics: kept schema ${schema}`);
    else await dropSchema(config.databaseUrl, schema, 'statistics').catch(() => undefined);
  }
}

/**
 * Tracking look-ups of random codes among `tracked`, one at a time: `DossierStore.tracking` (one
 * statement), then the three read transactions tracking made before it; each with its round trips.
 */
async function measureTracking(store: ReturnType<typeof createSequelizeEngineStore>, dossierStore: ReturnType<typeof createSequelizeDossierStore>, tracked: number, queries: number): Promise<StatisticsKindResult[]> {
  countPgRoundTrips();
  const ways = [
    {
      name: 'tracking',
      description: 'GET /api/tracking: DossierStore.tracking, one prepared statement (dossier, history, procedure name) outside any transaction',
      plan: 'dossiers_code_key + dossier_status_history_dossier_idx + procedures_pkey, one statement',
      lookUp: async (wanted: string) => !!(await dossierStore.tracking(wanted)),
    },
    {
      name: 'tracking-before',
      description: 'what tracking read before: byCode, then history and procedure, each in its own read transaction',
      plan: 'dossiers_code_key; dossier_status_history_dossier_idx; procedures_pkey',
      lookUp: async (wanted: string) => {
        const record = await store.transaction((tx) => dossierStore.byCode(tx.sql, wanted));
        if (!record) return false;
        await Promise.all([store.transaction((tx) => dossierStore.history(tx.sql, record.dossier.id)), store.transaction((tx) => dossierStore.procedure(tx.sql, record.procedureCode))]);
        return true;
      },
    },
  ];
  const results: StatisticsKindResult[] = [];
  for (const way of ways) {
    // A few look-ups first: the statement is prepared on the connection, and the pool opened.
    for (let i = 0; i < 5; i++) await way.lookUp(code(Math.floor(Math.random() * tracked)));
    const latencies = new Latencies(queries);
    let found = 0;
    const before = pgRoundTrips.count;
    for (let i = 0; i < queries; i++) {
      const wanted = code(Math.floor(Math.random() * tracked));
      const t0 = hrnow();
      if (await way.lookUp(wanted)) found++;
      latencies.add(Number(hrnow() - t0));
    }
    const roundTrips = (pgRoundTrips.count - before) / queries;
    if (found !== queries) throw new Error(`${way.name} found ${found} of ${queries} dossiers`);
    log(`statistics: ${way.name} p50 ${fmt(latencies.summary().p50, 2)} ms, p99 ${fmt(latencies.summary().p99, 2)} ms, ${fmt(roundTrips, 2)} round trips per look-up on ${fmt(tracked)} dossiers`);
    results.push({ name: way.name, description: way.description, target: TARGET_TRACKING_MS, latency: latencies.summary(), rowsMean: 1, plan: way.plan, roundTrips });
  }
  return results;
}

/** The plan's node types, outermost first. */
async function explain(db: Database, schema: string, q: { from: number; to: number; asOf: number; agency?: string; province?: string }): Promise<string> {
  const where = q.agency ? 'agency = $4' : 'province = $4';
  const rows = (await db.sequelize.query(
    `EXPLAIN (FORMAT JSON) SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY working_days)
     FROM "${schema}".dossier_statistics WHERE $1::timestamptz IS NOT NULL AND counted_at >= $2 AND counted_at < $3 AND ${where} AND working_days IS NOT NULL`,
    { bind: [new Date(q.asOf).toISOString(), new Date(q.from).toISOString(), new Date(q.to).toISOString(), q.agency ?? q.province], type: QueryTypes.SELECT },
  )) as Array<{ 'QUERY PLAN': unknown }>;
  const raw = rows[0]['QUERY PLAN'];
  const plan = ((typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>)[0].Plan;
  const names: string[] = [];
  const walk = (node: PlanNode) => {
    names.push(node['Index Name'] ? `${node['Node Type']} (${node['Index Name']})` : node['Node Type']);
    node.Plans?.forEach(walk);
  };
  walk(plan);
  return names.join(' → ');
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const ms2 = (x: number): string => fmt(x, 2);

export function renderStatistics(r: StatisticsResult, databaseUrl: string): string {
  const m = machine();
  return [
    `## Statistics on ${fmt(r.dossiers)} dossiers (PostgreSQL ${r.serverVersion})`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores; PostgreSQL ${redactUrl(databaseUrl)}, scratch schema \`${r.schema}\`.`,
    `- Data: ${fmt(r.dossiers)} rows of \`dossier_statistics\` (${PROVINCES} provinces × ${AGENCIES_PER_PROVINCE} agencies, 2024–2026), loaded in ${fmt(r.loadSeconds.statistics, 1)} s; ` +
      `counters: ${fmt(r.counterRows)} rows of \`dossier_statistics_counters\` built in ${fmt(r.loadSeconds.counters, 1)} s (the backfill of migration 0025); ` +
      `${fmt(r.tracked)} \`dossiers\` rows with 3 history rows each in ${fmt(r.loadSeconds.dossiers, 1)} s; VACUUM ANALYZE ${fmt(r.loadSeconds.analyze, 1)} s.`,
    `- Sizes: table ${fmt(r.tableMb, 0)} MB; indexes ${r.indexes.map((i) => `${i.name} ${fmt(i.mb, 0)} MB`).join(', ')}.`,
    `- ${fmt(r.queries)} queries per kind, one at a time; latency = wall time of the store call (sequelize + pg + round trip) in its transaction.`,
    '',
    table(
      ['kind', 'what', 'p50 ms', 'p99 ms', 'max ms', 'dossiers counted (mean)', 'round trips', 'plan', 'target'],
      r.kinds.map((k) => [k.name, k.description, ms2(k.latency.p50), ms2(k.latency.p99), ms2(k.latency.max), fmt(k.rowsMean, 0), k.roundTrips === undefined ? '' : fmt(k.roundTrips, 2), k.plan, `${k.latency.p99 < k.target ? 'PASS' : 'FAIL'} (< ${k.target} ms)`]),
    ),
    '',
  ].join('\n');
}

export function statisticsTargets(r: StatisticsResult): string[][] {
  return r.kinds.map((k) => [`statistics ${k.name} p99 < ${k.target} ms on ${fmt(r.dossiers)} dossiers`, `${ms2(k.latency.p99)} ms`, k.latency.p99 < k.target ? 'PASS' : 'FAIL']);
}
