/**
 * Mode `inbox`: the officials' inbox query (`TaskStore.inbox`, first page of 50)
 * on 1,000,000 tasks in PostgreSQL.
 *
 * A scratch schema `bench_inbox_<random>` is migrated with `migrate()` (the real
 * tables and indexes), filled by ONE `INSERT … SELECT … generate_series` (no row by
 * row), ANALYZEd, queried, and dropped at the end.
 *
 * The data: 34 provinces × 100 agencies = 3,400 agencies, skewed like real
 * one-stop shops (agency k gets tasks ∝ 1/√k: the largest ≈ 1.7 % of all tasks,
 * the median ≈ 0.02 %); 5–8 groups per agency (desk, head, deputy, then 2–5
 * specialist groups); the candidate group follows the step (receive/return → desk,
 * examine/verify → a specialist group, approve → deputy, sign → head), 8 % of tasks
 * offered to two groups, 2 % to nobody in particular, 1 % to a candidate user;
 * 65 % completed + 5 % cancelled, 30 % open, 35 % of open tasks assigned; due
 * dates uniform over now ± 30 days (5 % without one); overdue open tasks carry
 * their `overdue_reported_at` as the overdue scanner would have set it.
 *
 * Officials are drawn with the same skew as the tasks (big agencies have more
 * officials), each with 1–2 groups of its agency; each query kind runs for
 * BENCH_INBOX_QUERIES random officials (or agency admins), interleaved, one at a
 * time (latency, not throughput). Each kind's plans are summarised from EXPLAIN of
 * 50 of its queries, and its slowest query is re-run under EXPLAIN (ANALYZE, BUFFERS).
 *
 * Environment: BENCH_INBOX_TASKS (default 1000000), BENCH_INBOX_QUERIES (per kind,
 * default 1000), BENCH_INBOX_KEEP=1 keeps the schema (its name is logged) for EXPLAIN
 * by hand.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { QueryTypes } from 'sequelize';
import { openDatabase, type Database } from '../../engine/src/store-sequelize/connect';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from '../../api/src/migrations';
import { createSequelizeTaskStore, inboxSql } from '../../engine/src/store-sequelize/sequelize-task-store';
import type { InboxQuery } from '../../engine/src/store/task-store';
import { probePostgres } from './engine-driver';
import type { SkippedResult } from './results';
import { Latencies, checkpoint, dropSchema, fmt, hrnow, intFromEnv, log, machine, redactUrl, table, type BenchConfig, type LatencySummary } from './util';

// ---------------------------------------------------------------- the data model (shared by the SQL and the query sampler)

const PROVINCES = 34;
const AGENCIES_PER_PROVINCE = 100;
const AGENCIES = PROVINCES * AGENCIES_PER_PROVINCE;
const GROUPS = ['desk', 'head', 'deputy', 'tax', 'land', 'legal', 'finance', 'archive'];
const PAGE = 50;
const TARGET_P99_MS = 10;

/** Groups of agency k: desk, head, deputy + 2..5 specialist groups (5..8 in all). */
const groupCount = (k: number): number => 5 + ((k * 7) % 4);
/** Officials of agency k: more in the big (low k) agencies. */
const userCount = (k: number): number => 3 + Math.floor(60 / Math.sqrt(k + 1));
/** The agency's electronic identifier (province code H01..H34). */
const agencyId = (k: number): string => `000.${String(Math.floor(k / PROVINCES)).padStart(2, '0')}.00.H${String((k % PROVINCES) + 1).padStart(2, '0')}`;
const userId = (k: number, j: number): string => `u${k}-${j}`;

/** Groups of official j of agency k: desk clerks, a head, deputies, specialists (one of them also at the desk). */
function userGroups(k: number, j: number): string[] {
  const ng = groupCount(k);
  const r = j % 10;
  if (r <= 2) return ['desk'];
  if (r === 3) return ['head'];
  if (r === 4) return ['deputy', 'head'];
  const specialist = GROUPS[3 + (j % (ng - 3))];
  return r === 9 ? [specialist, 'desk'] : [specialist];
}

/** The load, one statement: $1 = now, $2 = number of tasks. Same functions as above, in SQL. */
const LOAD_SQL = `
INSERT INTO tasks (id, instance_id, definition_id, process_id, element_id, name, assignee, candidate_groups, candidate_users,
                   agency, state, due_at, form_key, created_at, completed_at, completed_by, overdue_reported_at)
SELECT 't' || lpad(g::text, 8, '0'),
       'i' || lpad((g / 3)::text, 8, '0'),
       'p' || (g % 23) || ':1:bench',
       'p' || (g % 23),
       step,
       initcap(step),
       assignee,
       cgroups,
       CASE WHEN r9 < 0.01 THEN ARRAY['u' || k || '-' || floor(r7 * nu)::int] ELSE '{}' END,
       '000.' || lpad((k / ${PROVINCES})::text, 2, '0') || '.00.H' || lpad((k % ${PROVINCES} + 1)::text, 2, '0'),
       state,
       due,
       'form-' || step,
       coalesce(due, now0) - interval '1 day' * (1 + floor(r3 * 14)),
       CASE WHEN state <> 'open' THEN coalesce(due, now0) - interval '1 hour' * floor(r3 * 48) END,
       CASE WHEN state = 'completed' THEN assignee END,
       CASE WHEN state = 'open' AND due < now0 THEN due + interval '1 minute' END
FROM (
  SELECT g, k, nu, now0, r3, r7, r9,
         CASE WHEN r2 < 0.30 THEN 'open' WHEN r2 < 0.95 THEN 'completed' ELSE 'cancelled' END AS state,
         CASE WHEN r4 >= 0.05 THEN now0 + interval '1 second' * floor((r5 * 60 - 30) * 86400) END AS due,
         CASE WHEN (r2 < 0.30 AND r6 < 0.35) OR (r2 >= 0.30 AND r6 < 0.95) THEN 'u' || k || '-' || floor(r7 * nu)::int END AS assignee,
         CASE WHEN r11 < 0.02 THEN '{}'::text[]
              WHEN r11 < 0.10 THEN ARRAY[grp[gi], grp[CASE WHEN gi = 2 THEN 3 ELSE 2 END]]
              ELSE ARRAY[grp[gi]] END AS cgroups,
         step
  FROM (
    SELECT *,
           CASE WHEN step IN ('receive', 'return') THEN 1
                WHEN step = 'sign' THEN 2
                WHEN step = 'approve' THEN 3
                ELSE 4 + floor(r8 * (ng - 3))::int END AS gi
    FROM (
      SELECT g, k, 3 + floor(60 / sqrt(k + 1))::int AS nu, 5 + (k * 7) % 4 AS ng,
             ARRAY[${GROUPS.map((g) => `'${g}'`).join(', ')}] AS grp,
             $1::timestamptz AS now0,
             CASE WHEN r10 < 0.20 THEN 'receive' WHEN r10 < 0.50 THEN 'examine' WHEN r10 < 0.65 THEN 'verify'
                  WHEN r10 < 0.80 THEN 'approve' WHEN r10 < 0.90 THEN 'sign' ELSE 'return' END AS step,
             r2, r3, r4, r5, r6, r7, r8, r9, r11
      FROM (
        SELECT g, floor(${AGENCIES} * random() ^ 2)::int AS k, random() r2, random() r3, random() r4, random() r5, random() r6,
               random() r7, random() r8, random() r9, random() r10, random() r11
        FROM generate_series(1, $2::int) AS g
        OFFSET 0
      ) a
      OFFSET 0
    ) b
    OFFSET 0
  ) c
  OFFSET 0
) d`;

// ---------------------------------------------------------------- sampling

/** mulberry32: a small seeded PRNG, so two runs ask the same officials. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Kind {
  name: string;
  description: string;
  /** A query for a random caller. */
  make: (random: () => number, now: number) => InboxQuery;
  /** Counted against the p99 target (the stress case is reported but not judged). */
  judged: boolean;
}

const randomAgency = (random: () => number): number => Math.floor(AGENCIES * random() ** 2);
function randomOfficial(random: () => number): { agency: string; user: { id: string; groups: string[] } } {
  const k = randomAgency(random);
  const j = Math.floor(random() * userCount(k));
  return { agency: agencyId(k), user: { id: userId(k, j), groups: userGroups(k, j) } };
}

const KINDS: Kind[] = [
  {
    name: 'mine',
    description: 'official: assigned to me (scope assigned)',
    judged: true,
    make: (random) => ({ visibility: randomOfficial(random), scope: 'assigned', limit: PAGE }),
  },
  {
    name: 'my groups',
    description: 'official: unassigned, offered to my groups / me / everyone (scope candidate)',
    judged: true,
    make: (random) => ({ visibility: randomOfficial(random), scope: 'candidate', limit: PAGE }),
  },
  {
    name: 'inbox (all)',
    description: 'official: mine + offered to me (default scope)',
    judged: true,
    make: (random) => ({ visibility: randomOfficial(random), limit: PAGE }),
  },
  {
    name: 'overdue',
    description: 'official: default scope, overdue only',
    judged: true,
    make: (random, now) => ({ visibility: randomOfficial(random), overdueAt: now, limit: PAGE }),
  },
  {
    name: 'admin',
    description: 'agency admin: every open task of the agency',
    judged: true,
    make: (random) => ({ visibility: { agency: agencyId(randomAgency(random)) }, limit: PAGE }),
  },
  {
    name: 'admin overdue',
    description: 'agency admin: overdue open tasks',
    judged: true,
    make: (random, now) => ({ visibility: { agency: agencyId(randomAgency(random)) }, overdueAt: now, limit: PAGE }),
  },
  {
    name: 'admin latest due',
    description: 'agency admin: sort -dueAt (no due date first)',
    judged: true,
    make: (random) => ({ visibility: { agency: agencyId(randomAgency(random)) }, order: 'desc', limit: PAGE }),
  },
  {
    name: 'stress: rare match',
    description: 'official of the LARGEST agency whose groups have no open task, so only the tasks offered to everyone match (scope candidate); not judged',
    judged: false,
    make: (random) => ({ visibility: { agency: agencyId(0), user: { id: `nobody-${Math.floor(random() * 1e6)}`, groups: ['no-such-group'] } }, scope: 'candidate', limit: PAGE }),
  },
];

// ---------------------------------------------------------------- plans

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Scan Direction'?: string;
  'Rows Removed by Filter'?: number;
  'Actual Rows'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** "Limit > Incremental Sort > Index Scan tasks_agency_state_due_idx": the plan's spine, indexes named. */
function planShape(plan: PlanNode): string {
  const label = (n: PlanNode): string => {
    const type = n['Node Type'] === 'Index Scan' && n['Scan Direction'] === 'Backward' ? 'Index Scan Backward' : n['Node Type'];
    return n['Index Name'] ? `${type} ${n['Index Name']}` : n['Relation Name'] ? `${type} ${n['Relation Name']}` : type;
  };
  const walk = (n: PlanNode): string => {
    const children = n.Plans ?? [];
    if (children.length === 0) return label(n);
    if (children.length === 1) return `${label(n)} > ${walk(children[0])}`;
    return `${label(n)} > (${children.map(walk).join(' + ')})`;
  };
  return walk(plan);
}

async function explain(db: Database, query: InboxQuery, analyze: boolean): Promise<{ plan: PlanNode; planningMs?: number; executionMs?: number }> {
  const { text, bind } = inboxSql(query);
  const options = analyze ? 'ANALYZE, BUFFERS, FORMAT JSON' : 'FORMAT JSON';
  const rows = (await db.sequelize.query(`EXPLAIN (${options}) ${text}`, { bind, type: QueryTypes.SELECT })) as Array<{ 'QUERY PLAN': unknown }>;
  const raw = rows[0]['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode; 'Planning Time'?: number; 'Execution Time'?: number }>;
  return { plan: parsed[0].Plan, planningMs: parsed[0]['Planning Time'], executionMs: parsed[0]['Execution Time'] };
}

// ---------------------------------------------------------------- result

export interface InboxKindResult {
  name: string;
  description: string;
  judged: boolean;
  latency: LatencySummary;
  rowsMean: number;
  rowsMin: number;
  rowsMax: number;
  /** Share of queries that returned a full page. */
  fullPages: number;
  /** Plan shapes of the sampled EXPLAINs, most frequent first. */
  plans: Array<{ shape: string; share: number }>;
  /** EXPLAIN (ANALYZE, BUFFERS) of the slowest query of the kind, re-run after the measurement. */
  slowest: {
    wallMs: number;
    caller: string;
    agencyOpenTasks: number;
    executionMs: number;
    planningMs: number;
    sharedHit: number;
    sharedRead: number;
    rowsRemovedByFilter: number;
    shape: string;
  };
}

export interface InboxResult {
  kind: 'inbox';
  tasks: number;
  openTasks: number;
  agencies: number;
  largestAgency: { id: string; tasks: number; open: number };
  loadSeconds: number;
  analyzeSeconds: number;
  tableMb: number;
  indexes: Array<{ name: string; mb: number }>;
  queriesPerKind: number;
  kinds: InboxKindResult[];
  serverVersion: string;
  schema: string;
}

// ---------------------------------------------------------------- the mode

async function load(url: string, schema: string, tasks: number, now: number): Promise<{ loadSeconds: number; analyzeSeconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    await client.query('SET synchronous_commit = off');
    await client.query('SELECT setseed(0.42)');
    log(`inbox: loading ${fmt(tasks)} tasks (one INSERT … SELECT generate_series)`);
    let t0 = hrnow();
    await client.query(LOAD_SQL, [new Date(now), tasks]);
    const loadSeconds = Number(hrnow() - t0) / 1e9;
    log(`inbox: loaded in ${loadSeconds.toFixed(1)} s; ANALYZE`);
    t0 = hrnow();
    await client.query('ANALYZE tasks');
    return { loadSeconds, analyzeSeconds: Number(hrnow() - t0) / 1e9 };
  } finally {
    await client.end().catch(() => undefined);
  }
}

const describeCaller = (q: InboxQuery): string =>
  q.visibility.user ? `${q.visibility.user.id} [${q.visibility.user.groups.join(',')}] @ ${q.visibility.agency}` : `admin @ ${q.visibility.agency}`;

export async function inboxBench(config: BenchConfig): Promise<InboxResult | SkippedResult> {
  const reachable = await probePostgres(config.databaseUrl);
  if (reachable !== true) return { kind: 'skipped', mode: 'inbox', reason: reachable };
  const taskCount = intFromEnv('BENCH_INBOX_TASKS', 1_000_000);
  const perKind = intFromEnv('BENCH_INBOX_QUERIES', 1000);
  const keep = process.env.BENCH_INBOX_KEEP === '1';
  const schema = `bench_inbox_${randomBytes(4).toString('hex')}`;
  let db: Database | undefined;
  try {
    db = await openDatabase({ url: config.databaseUrl, schema, poolMax: 1 });
    await migrate(db, MIGRATION_FOLDERS);
    const now = Date.now();
    const { loadSeconds, analyzeSeconds } = await load(config.databaseUrl, schema, taskCount, now);

    const select = async <T>(sql: string, bind: unknown[] = []): Promise<T[]> => (await db!.sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as T[];
    const [{ version }] = await select<{ version: string }>(`SELECT current_setting('server_version') AS version`);
    const [counts] = await select<{ tasks: number; open: number; agencies: number }>(
      `SELECT count(*)::int AS tasks, count(*) FILTER (WHERE state = 'open')::int AS open, count(DISTINCT agency)::int AS agencies FROM tasks`,
    );
    const [largest] = await select<{ id: string; tasks: number; open: number }>(
      `SELECT agency AS id, count(*)::int AS tasks, count(*) FILTER (WHERE state = 'open')::int AS open FROM tasks GROUP BY agency ORDER BY 2 DESC LIMIT 1`,
    );
    const [{ table_bytes }] = await select<{ table_bytes: string }>(`SELECT pg_table_size('tasks')::text AS table_bytes`);
    const indexes = (
      await select<{ name: string; bytes: string }>(
        `SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid)::text AS bytes FROM pg_index WHERE indrelid = 'tasks'::regclass ORDER BY 1`,
      )
    ).map((r) => ({ name: r.name.replace(/^.*\./, '').replace(/"/g, ''), mb: Number(r.bytes) / 1024 ** 2 }));
    log(`inbox: ${fmt(counts.tasks)} tasks, ${fmt(counts.open)} open, ${counts.agencies} agencies; largest ${largest.id} (${fmt(largest.tasks)} tasks, ${fmt(largest.open)} open)`);

    const store = createSequelizeTaskStore(db);
    const random = prng(20261124);

    // The load (and the write-heavy modes run before this one) leave many dirty pages; queries
    // timed while PostgreSQL writes them out measure the disk, not the inbox.
    await checkpoint(config.databaseUrl);
    // Warm-up: every kind a few times (connection, sequelize, the index pages of the big agencies).
    for (let i = 0; i < 30; i++) for (const kind of KINDS) await store.inbox(kind.make(random, now));

    const per = KINDS.map(() => ({ latencies: new Latencies(perKind), rows: [] as number[], queries: [] as InboxQuery[], times: [] as number[] }));
    log(`inbox: ${KINDS.length} kinds × ${fmt(perKind)} queries, interleaved`);
    for (let i = 0; i < perKind; i++) {
      for (let k = 0; k < KINDS.length; k++) {
        const query = KINDS[k].make(random, now);
        const t0 = hrnow();
        const page = await store.inbox(query);
        const ns = Number(hrnow() - t0);
        per[k].latencies.add(ns);
        per[k].rows.push(page.items.length);
        per[k].queries.push(query);
        per[k].times.push(ns / 1e6);
      }
    }

    const kinds: InboxKindResult[] = [];
    for (let k = 0; k < KINDS.length; k++) {
      const kind = KINDS[k];
      const { latencies, rows, queries, times } = per[k];
      // Plan shapes over 50 of the measured queries.
      const shapes = new Map<string, number>();
      const sample = queries.slice(0, Math.min(50, queries.length));
      for (const q of sample) {
        const shape = planShape((await explain(db, q, false)).plan);
        shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
      }
      // The slowest query, again, under EXPLAIN ANALYZE.
      let worst = 0;
      for (let i = 1; i < times.length; i++) if (times[i] > times[worst]) worst = i;
      const slow = await explain(db, queries[worst], true);
      const all = nodes(slow.plan);
      const [{ open }] = await select<{ open: number }>(`SELECT count(*)::int AS open FROM tasks WHERE agency = $1 AND state = 'open'`, [queries[worst].visibility.agency]);
      kinds.push({
        name: kind.name,
        description: kind.description,
        judged: kind.judged,
        latency: latencies.summary(),
        rowsMean: rows.reduce((a, b) => a + b, 0) / rows.length,
        rowsMin: Math.min(...rows),
        rowsMax: Math.max(...rows),
        fullPages: rows.filter((r) => r === PAGE).length / rows.length,
        plans: [...shapes.entries()].sort((a, b) => b[1] - a[1]).map(([shape, n]) => ({ shape, share: n / sample.length })),
        slowest: {
          wallMs: times[worst],
          caller: describeCaller(queries[worst]),
          agencyOpenTasks: open,
          executionMs: slow.executionMs ?? NaN,
          planningMs: slow.planningMs ?? NaN,
          sharedHit: slow.plan['Shared Hit Blocks'] ?? 0,
          sharedRead: slow.plan['Shared Read Blocks'] ?? 0,
          rowsRemovedByFilter: all.reduce((sum, n) => sum + (n['Rows Removed by Filter'] ?? 0), 0),
          shape: planShape(slow.plan),
        },
      });
      const s = latencies.summary();
      log(`inbox: ${kind.name}: p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, max ${s.max.toFixed(2)} ms`);
    }

    return {
      kind: 'inbox',
      tasks: counts.tasks,
      openTasks: counts.open,
      agencies: counts.agencies,
      largestAgency: largest,
      loadSeconds,
      analyzeSeconds,
      tableMb: Number(table_bytes) / 1024 ** 2,
      indexes,
      queriesPerKind: perKind,
      kinds,
      serverVersion: version,
      schema,
    };
  } finally {
    await db?.close();
    if (keep) {
      log(`inbox: kept schema ${schema} (BENCH_INBOX_KEEP=1); drop it with DROP SCHEMA "${schema}" CASCADE`);
    } else {
      await dropSchema(config.databaseUrl, schema, 'inbox');
    }
  }
}

// ---------------------------------------------------------------- report

const ms2 = (v: number) => fmt(v, 2);

/** The markdown section of the report. */
export function renderInbox(r: InboxResult, databaseUrl: string): string {
  const m = machine();
  const out: string[] = [];
  out.push(`## Inbox query on ${fmt(r.tasks)} tasks (PostgreSQL ${r.serverVersion})`, '');
  out.push(
    `- Machine: ${m.cpu}, ${m.cores} cores; PostgreSQL ${redactUrl(databaseUrl)}, scratch schema \`${r.schema}\` (dropped).`,
    `- Data: ${fmt(r.tasks)} tasks, ${fmt(r.openTasks)} open (${fmt((r.openTasks / r.tasks) * 100, 1)} %), ${fmt(r.agencies)} agencies (${PROVINCES} provinces × ${AGENCIES_PER_PROVINCE}), ` +
      `largest ${r.largestAgency.id}: ${fmt(r.largestAgency.tasks)} tasks, ${fmt(r.largestAgency.open)} open. ` +
      `Loaded by one INSERT … SELECT generate_series in ${fmt(r.loadSeconds, 1)} s (the indexes of every migration in place), then a CHECKPOINT, ANALYZE ${fmt(r.analyzeSeconds, 1)} s.`,
    `- Sizes: table ${fmt(r.tableMb, 0)} MB; indexes ${r.indexes.map((i) => `${i.name} ${fmt(i.mb, 1)} MB`).join(', ')}.`,
    `- Each kind: ${fmt(r.queriesPerKind)} queries for random callers (agencies drawn with the task skew), kinds interleaved, one query at a time; ` +
      `latency = wall time of \`TaskStore.inbox()\` (sequelize + pg + round trip), first page, limit ${PAGE}.`,
    '',
  );
  out.push(
    table(
      ['kind', 'what', 'p50 ms', 'p99 ms', 'max ms', 'rows (mean, min–max)', 'full pages', `p99 < ${TARGET_P99_MS} ms`],
      r.kinds.map((k) => [
        k.name,
        k.description,
        ms2(k.latency.p50),
        ms2(k.latency.p99),
        ms2(k.latency.max),
        `${fmt(k.rowsMean, 1)} (${k.rowsMin}–${k.rowsMax})`,
        `${fmt(k.fullPages * 100, 0)} %`,
        k.judged ? (k.latency.p99 < TARGET_P99_MS ? 'PASS' : 'FAIL') : '(not judged)',
      ]),
    ),
    '',
  );
  out.push('### Plans (EXPLAIN of 50 queries per kind)', '');
  out.push(table(['kind', 'plan', 'share'], r.kinds.flatMap((k) => k.plans.map((p, i) => [i === 0 ? k.name : '', `\`${p.shape}\``, `${fmt(p.share * 100, 0)} %`]))), '');
  out.push('### The slowest query of each kind, again under EXPLAIN (ANALYZE, BUFFERS)', '');
  out.push(
    table(
      ['kind', 'caller', 'open tasks of its agency', 'wall ms (measured)', 'execution ms (re-run)', 'shared hit / read', 'rows removed by filter', 'plan'],
      r.kinds.map((k) => [
        k.name,
        k.slowest.caller,
        fmt(k.slowest.agencyOpenTasks),
        ms2(k.slowest.wallMs),
        ms2(k.slowest.executionMs),
        `${fmt(k.slowest.sharedHit)} / ${fmt(k.slowest.sharedRead)}`,
        fmt(k.slowest.rowsRemovedByFilter),
        `\`${k.slowest.shape}\``,
      ]),
    ),
    '',
  );
  return out.join('\n');
}

/** Target rows for run.ts's table. */
export function inboxTargets(r: InboxResult): string[][] {
  const judged = r.kinds.filter((k) => k.judged);
  const worst = judged.reduce((a, b) => (b.latency.p99 > a.latency.p99 ? b : a));
  return [
    [
      `inbox first page p99 < ${TARGET_P99_MS} ms on ${fmt(r.tasks)} tasks (every kind, worst shown)`,
      `${ms2(worst.latency.p99)} ms (${worst.name}); ${judged.filter((k) => k.latency.p99 < TARGET_P99_MS).length}/${judged.length} kinds under`,
      judged.every((k) => k.latency.p99 < TARGET_P99_MS) ? 'PASS' : 'FAIL',
    ],
  ];
}
