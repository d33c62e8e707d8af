/**
 * The motcua benchmark: `npm run bench` (builds, then runs this file with
 * --expose-gc). Each mode runs in its own child process, so its peak RSS and
 * heap figures are its own and one mode's garbage never lands in another's
 * measurements; the parent prints the report (markdown) on stdout, progress
 * goes to stderr.
 *
 *   (a) runtime      step() only, in memory, graph compiled once
 *   (b) embedded     Engine on the embedded PGlite (one session, sequential)
 *   (c) postgres     Engine on PostgreSQL, BENCH_CLIENTS concurrent clients
 *       pgbench      pgbench -N on the same server, same client count
 *       postgres-dossiers  (c) with the dossier layer and the audit trail on (each instance a dossier received at the desk)
 *       dossier-scaling    the same, audit off and on, at 1 to 16 clients beside pgbench -N (does the trail serialize? dossier-scaling.ts)
 *   (d) bpmn-engine  bpmn-engine (npm) on the same XML, in memory
 *       sql-floor    diagnostic: transactions of ~10 trivial statements/s from Node (bare pg, sequelize)
 *       inbox        inbox query p50/p99 on 1,000,000 tasks in PostgreSQL (inbox.ts)
 *       http         completeTask requests/s over HTTP (autocannon) vs in-process commands/s (http.ts)
 *       push         push latency commit → 1,000 socket.io clients vs bare io.emit (push.ts)
 *       calendar     deadline computations/s on the Vietnamese working-day calendar, one core (calendar.ts)
 *       simulation   simulated dossiers/s on the reference procedure, one core (simulation.ts)
 *       statistics   p99 of the Decision 766 statistics (agency-quarter, province-year) and of tracking on 10,000,000 dossiers (statistics.ts)
 *
 * Environment: BENCH_N, BENCH_WARMUP (instances before (b)/(c) measure, default 1,000), BENCH_RUNTIME_N, BENCH_WAITING, BENCH_BPMN_ENGINE_N,
 * BENCH_BPMN_ENGINE_WAITING, BENCH_CLIENTS, BENCH_PGBENCH_SECONDS,
 * BENCH_MODES, DATABASE_URL / TEST_DATABASE_URL (see util.ts); BENCH_INBOX_TASKS,
 * BENCH_INBOX_QUERIES, BENCH_INBOX_KEEP (inbox.ts); BENCH_HTTP_N, BENCH_HTTP_ROUNDS, BENCH_HTTP_WARMUP,
 * BENCH_HTTP_CPU_PROF (http.ts);
 * BENCH_PUSH_CLIENTS, BENCH_PUSH_EVENTS, BENCH_PUSH_DATABASES (push.ts);
 * BENCH_CALENDAR_N, BENCH_CALENDAR_ROUNDS (calendar.ts);
 * BENCH_SCALING_CLIENTS, BENCH_SCALING_N, BENCH_SCALING_WARMUP, BENCH_SCALING_PGBENCH (dossier-scaling.ts);
 * BENCH_SIMULATION_N, BENCH_SIMULATION_ROUNDS (simulation.ts);
 * BENCH_STATISTICS_DOSSIERS, BENCH_STATISTICS_TRACKED, BENCH_STATISTICS_QUERIES, BENCH_STATISTICS_KEEP (statistics.ts).
 */
import { fork } from 'node:child_process';
import * as os from 'node:os';
// Type-only imports: a mode's module is loaded only in the child that runs it (and by the parent to render its section).
import type { CalendarResult } from './calendar';
import type { DossierScalingResult } from './dossier-scaling';
import type { HttpResult } from './http';
import type { InboxResult } from './inbox';
import type { PushBenchResult } from './push';
import type { SimulationBenchResult } from './simulation';
import type { StatisticsResult } from './statistics';
import type { BpmnEngineResult, EngineResult, ModeResult, PgbenchResult, RuntimeResult, SqlFloorResult } from './results';
import { ALL_MODES, fmt, kb, log, machine, mb, readConfig, redactUrl, table, type BenchConfig, type LatencySummary, type WalCounts } from './util';

/** Modes added beside util.ts's ALL_MODES (which readConfig validates BENCH_MODES against). */
const EXTRA_MODES = ['inbox', 'http', 'push', 'calendar', 'simulation', 'postgres-dossiers', 'dossier-scaling', 'statistics'] as const;
const isExtraMode = (mode: string): boolean => (EXTRA_MODES as readonly string[]).includes(mode);

type AnyResult = ModeResult | InboxResult | HttpResult | PushBenchResult | CalendarResult | SimulationBenchResult | StatisticsResult | DossierScalingResult;

/**
 * readConfig() with the extra modes: they run after util.ts's modes by default, and
 * BENCH_MODES may name them (util.ts's check sees only the modes it knows).
 */
function readRunConfig(): BenchConfig {
  const raw = process.env.BENCH_MODES;
  if (raw === undefined || raw.trim() === '') {
    const config = readConfig();
    return { ...config, modes: [...config.modes, ...EXTRA_MODES] };
  }
  const requested = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = requested.filter((mode) => !isExtraMode(mode));
  try {
    process.env.BENCH_MODES = known.length > 0 ? known.join(',') : ALL_MODES[0];
    return { ...readConfig(), modes: requested };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('unknown mode')) error.message += `; also ${EXTRA_MODES.join(', ')} (run.ts)`;
    throw error;
  } finally {
    process.env.BENCH_MODES = raw;
  }
}

// ---------------------------------------------------------------- child side

async function runMode(mode: string, config: BenchConfig): Promise<AnyResult> {
  switch (mode) {
    case 'runtime':
      return (await import('./runtime')).runtimeBench(config);
    case 'embedded':
      return (await import('./engine-driver')).embeddedBench(config);
    case 'postgres':
      return (await import('./engine-driver')).postgresBench(config);
    case 'postgres-dossiers':
      return (await import('./engine-driver')).postgresDossiersBench(config);
    case 'dossier-scaling':
      return (await import('./dossier-scaling')).dossierScalingBench(config);
    case 'pgbench':
      return (await import('./pgbench')).pgbenchBench(config);
    case 'bpmn-engine':
      return (await import('./bpmn-engine')).bpmnEngineBench(config);
    case 'sql-floor':
      return (await import('./sql-floor')).sqlFloorBench(config);
    case 'inbox':
      return (await import('./inbox')).inboxBench(config);
    case 'statistics':
      return (await import('./statistics')).statisticsBench(config);
    case 'http':
      return (await import('./http')).httpBench(config);
    case 'push':
      return (await import('./push')).runPushBench({ databaseUrl: config.databaseUrl, print: false });
    case 'calendar':
      return (await import('./calendar')).calendarBench(config);
    case 'simulation':
      return (await import('./simulation')).simulationBench(config);
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

/**
 * One mode in this process. Forked by the parent, it answers over IPC; run by
 * hand (`node --expose-gc dist/test/bench/run.js --mode postgres`, e.g. with
 * --cpu-prof) it prints its result as JSON.
 */
async function child(mode: string): Promise<void> {
  const answer = (outcome: Outcome) => (process.send ? process.send(outcome) : process.stdout.write(JSON.stringify(outcome, null, 2) + '\n'));
  try {
    answer({ ok: true, result: await runMode(mode, readRunConfig()) });
  } catch (error) {
    answer({ ok: false, error: (error as Error)?.stack ?? String(error) });
  }
  // bpmn-engine timers, pg pools: do not wait for the event loop to drain.
  setTimeout(() => process.exit(0), 100);
}

// ---------------------------------------------------------------- parent side

type Outcome = { ok: true; result: AnyResult } | { ok: false; error: string };

function spawnMode(mode: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const proc = fork(__filename, ['--mode', mode], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let outcome: Outcome | undefined;
    proc.on('message', (message) => (outcome = message as Outcome));
    proc.on('exit', (code, signal) => resolve(outcome ?? { ok: false, error: `mode ${mode} exited with ${signal ?? code} and no result` }));
  });
}

const ms3 = (v: number) => fmt(v, 3);
const lat = (l: LatencySummary): [string, string] => [ms3(l.p50), ms3(l.p99)];

interface Results {
  runtime?: RuntimeResult;
  embedded?: EngineResult;
  postgres?: EngineResult;
  /** (c) with the dossier layer and the audit trail on. */
  postgresDossiers?: EngineResult;
  pgbench?: PgbenchResult;
  /** Every round of (c) and of pgbench when both ran (the median of each is `postgres` / `pgbench`). */
  rounds?: Array<{ postgres?: EngineResult; pgbench?: PgbenchResult }>;
  bpmnEngine?: BpmnEngineResult;
  sqlFloor?: SqlFloorResult;
  inbox?: InboxResult;
  statistics?: StatisticsResult;
  http?: HttpResult;
  push?: PushBenchResult;
  calendar?: CalendarResult;
  simulation?: SimulationBenchResult;
  dossierScaling?: DossierScalingResult;
  notes: string[];
}

/** Sections and target rows of the extra modes (rendered by their own modules, see extraReport). */
interface ExtraReport {
  sections: string[];
  targets: string[][];
}

async function extraReport(config: BenchConfig, r: Results): Promise<ExtraReport> {
  const extra: ExtraReport = { sections: [], targets: [] };
  if (r.inbox) {
    const { renderInbox, inboxTargets } = await import('./inbox');
    extra.sections.push(renderInbox(r.inbox, config.databaseUrl));
    extra.targets.push(...inboxTargets(r.inbox));
  }
  if (r.statistics) {
    const { renderStatistics, statisticsTargets } = await import('./statistics');
    extra.sections.push(renderStatistics(r.statistics, config.databaseUrl));
    extra.targets.push(...statisticsTargets(r.statistics));
  }
  if (r.http) {
    const { renderHttp, httpTargets } = await import('./http');
    extra.sections.push(renderHttp(r.http, config.databaseUrl));
    extra.targets.push(...httpTargets(r.http));
  }
  if (r.dossierScaling) {
    const { renderDossierScaling } = await import('./dossier-scaling');
    extra.sections.push(renderDossierScaling(r.dossierScaling, config.databaseUrl));
  }
  if (r.push) extra.sections.push(['## Push latency', '', r.push.markdown, ''].join('\n'));
  if (r.calendar) {
    const { renderCalendar, calendarTargets } = await import('./calendar');
    extra.sections.push(renderCalendar(r.calendar));
    extra.targets.push(...calendarTargets(r.calendar));
  }
  if (r.simulation) {
    const { renderSimulation, simulationTargets } = await import('./simulation');
    extra.sections.push(renderSimulation(r.simulation));
    extra.targets.push(...simulationTargets(r.simulation));
  }
  return extra;
}

function report(config: BenchConfig, r: Results, startedAt: number, extra: ExtraReport = { sections: [], targets: [] }): string {
  const m = machine();
  const out: string[] = [];
  out.push('# motcua benchmark', '');
  out.push(`- Machine: ${m.os}; ${m.cpu}, ${m.cores} cores; ${fmt(m.ramGb, 1)} GB RAM`);
  out.push(`- Node ${m.node}; date ${m.date}; total bench time ${fmt((Date.now() - startedAt) / 1000, 0)} s`);
  out.push(
    `- Procedure: test/fixtures/engine/reference.bpmn (start → examine [+ 3-day boundary timer] → gateway → verifyA ∥ verifyB → sign → end): 5 state-changing commands per instance (start + 4 completeTask)`,
  );
  out.push(
    `- Config: BENCH_N=${config.n} (b, c; after a warm-up of BENCH_WARMUP=${process.env.BENCH_WARMUP ?? '1000'} instances, at most BENCH_N), runtime series ${config.runtimeSeries.join('/')}, waiting ${config.waiting.join('/')}, bpmn-engine ${config.bpmnEngineN} (waiting ${config.bpmnEngineWaiting}), BENCH_CLIENTS=${config.clients}, BENCH_ROUNDS=${config.rounds} (c and pgbench alternate; the median round counts), PostgreSQL ${redactUrl(config.databaseUrl)}`,
  );
  out.push('');

  // ---- main table
  const rows: string[][] = [];
  const rt = r.runtime?.series.at(-1);
  const rtWaiting = r.runtime ? Math.max(...r.runtime.waiting.map((w) => w.bytesPerInstance)) : undefined;
  if (r.runtime && rt) {
    rows.push(['(a) runtime: step() in memory', fmt(rt.instances), '1', fmt(rt.instancesPerSec), fmt(rt.commandsPerSec), ...lat(rt.latency), mb(r.runtime.peakRss), kb(rtWaiting), '-']);
  }
  for (const [label, e] of [
    ['(b) Engine + embedded PGlite', r.embedded],
    ['(c) Engine + PostgreSQL', r.postgres],
  ] as const) {
    if (!e) continue;
    rows.push([label, fmt(e.run.instances), String(e.clients), fmt(e.run.instancesPerSec, 1), fmt(e.run.commandsPerSec), ...lat(e.run.latency), mb(e.peakRss), 'in DB', fmt(e.roundTripsPerCommand, 2)]);
  }
  if (r.bpmnEngine) {
    const b = r.bpmnEngine;
    rows.push([`(d) bpmn-engine ${b.version} in memory`, fmt(b.run.instances), '1', fmt(b.run.instancesPerSec), fmt(b.run.commandsPerSec), ...lat(b.run.latency), mb(b.peakRss), kb(b.waiting.bytesPerInstance), '-']);
  }
  // (Left out only when nothing but the extra modes ran: it would be an empty table.)
  if (rows.length > 0 || extra.sections.length === 0) {
    out.push('## Throughput', '');
    out.push(table(['mode', 'instances', 'clients', 'instances/s', 'commands/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'heap/waiting instance KB', 'pg round trips/command'], rows), '');
    out.push('Latency is per command (one step() call in (a); one awaited Engine call, i.e. one transaction, in (b)/(c); execute() or signal() in (d)).', '');
  }

  // ---- engine detail
  const engines = [r.embedded, r.postgres, r.postgresDossiers].filter((e): e is EngineResult => !!e);
  if (engines.length > 0) {
    out.push('### Where an Engine command spends its time', '');
    out.push(
      table(
        ['mode', 'mean ms/command (wall × clients / commands)', 'of which step() ms', 'step() share', 'pg round trips/command', 'Node process CPU (cores)', 'machine CPU busy'],
        engines.map((e) => {
          const perCommand = (e.run.seconds * 1000 * e.clients) / e.run.commands;
          const stepMs = (e.stepShare * e.run.seconds * 1000) / e.run.commands;
          return [
            e.database,
            ms3(perCommand),
            ms3(stepMs),
            `${fmt((stepMs / perCommand) * 100, 1)} %`,
            fmt(e.roundTripsPerCommand, 2),
            fmt(e.nodeCpu, 2),
            `${fmt(e.machineCpu * 100, 0)} %`,
          ];
        }),
      ),
      '',
    );
  }

  for (const e of [r.postgres, r.postgresDossiers]) {
    if (!e?.backends || Object.keys(e.backends).length === 0) continue;
    const what = e.database === 'postgres' ? '(c)' : '(c) with the dossier layer';
    out.push(`What the ${e.clients} PostgreSQL backends of ${what} were doing (pg_stat_activity sampled every 25 ms):`, '');
    out.push(table(['backend state', 'share of samples'], Object.entries(e.backends).map(([state, share]) => [state, `${fmt(share * 100, 1)} %`])), '');
  }

  // ---- runtime memory
  if (r.runtime) {
    const x = r.runtime;
    out.push('## Pure runtime: memory as N grows (instances run to completion, then a full GC)', '');
    out.push(
      table(
        ['N', 'instances/s', 'commands/s', 'p50 µs', 'p99 µs', 'heap after GC MB'],
        [
          ['(before)', '', '', '', '', mb(x.heapBaseline)],
          ...x.series.map((s) => [fmt(s.instances), fmt(s.instancesPerSec), fmt(s.commandsPerSec), fmt(s.latency.p50 * 1000, 1), fmt(s.latency.p99 * 1000, 1), mb(s.heapAfterGc)]),
        ],
      ),
      '',
    );
    out.push(`One waiting state is ${fmt(x.stateJsonBytes)} bytes of JSON; step() deep-copies its input state (structuredClone): ${fmt(x.cloneNs / 1000, 2)} µs per copy.`, '');
  }

  // ---- heap per waiting instance
  if (r.runtime || r.bpmnEngine) {
    out.push('## Heap per waiting instance (states kept alive; heapUsed delta after full GC / instances)', '');
    const hr: string[][] = [];
    for (const w of r.runtime?.waiting ?? []) hr.push(['motcua runtime', fmt(w.instances), w.stage, kb(w.bytesPerInstance)]);
    if (r.bpmnEngine) hr.push([`bpmn-engine ${r.bpmnEngine.version}`, fmt(r.bpmnEngine.waiting.instances), r.bpmnEngine.waiting.stage, kb(r.bpmnEngine.waiting.bytesPerInstance)]);
    out.push(table(['engine', 'waiting instances', 'waiting at', 'KB/instance'], hr), '');
  }

  // ---- pgbench
  if (r.pgbench || r.postgres || r.postgresDossiers || r.sqlFloor) {
    out.push('## PostgreSQL: Engine vs pgbench -N (same server, same client count)', '');
    const pr: string[][] = [];
    if (r.pgbench) pr.push([r.pgbench.command, String(r.pgbench.clients), fmt(r.pgbench.tps), r.pgbench.latencyMs === undefined ? 'n/a' : ms3(r.pgbench.latencyMs)]);
    if (r.postgres) {
      const e = r.postgres;
      pr.push(['(c) Engine commands (1 command = 1 transaction)', String(e.clients), fmt(e.run.commandsPerSec), ms3((e.run.seconds * 1000 * e.clients) / e.run.commands)]);
    }
    if (r.postgresDossiers) pr.push(['(c) with the dossier layer + audit trail (every instance a dossier)', String(r.postgresDossiers.clients), fmt(r.postgresDossiers.run.commandsPerSec), ms3((r.postgresDossiers.run.seconds * 1000 * r.postgresDossiers.clients) / r.postgresDossiers.run.commands)]);
    const bare = r.postgresDossiers?.withoutAudit;
    if (bare) pr.push(['(c) with the dossier layer, audit trail off (run just before, for the breakdown)', String(bare.clients), fmt(bare.run.commandsPerSec), ms3((bare.run.seconds * 1000 * bare.clients) / bare.run.commands)]);
    if (r.pgbench && r.postgresDossiers) pr.push(['ratio (c) with dossier layer + audit / pgbench', '', fmt(r.postgresDossiers.run.commandsPerSec / r.pgbench.tps, 3), '']);
    if (r.pgbench && bare) pr.push(['ratio (c) with dossier layer, audit off / pgbench', '', fmt(bare.run.commandsPerSec / r.pgbench.tps, 3), '']);
    if (r.pgbench && r.postgres) pr.push([`ratio (c) / pgbench${r.rounds && r.rounds.length > 1 ? ` (the round with the median ratio of ${r.rounds.length})` : ''}`, '', fmt(r.postgres.run.commandsPerSec / r.pgbench.tps, 3), '']);
    if (r.rounds && r.rounds.length > 1) {
      r.rounds.forEach((round, i) => {
        const ratio = round.postgres && round.pgbench ? fmt(round.postgres.run.commandsPerSec / round.pgbench.tps, 3) : 'n/a';
        pr.push([
          `round ${i + 1}${i % 2 === 0 ? ' (pgbench first)' : ' (engine first)'}: pgbench ${round.pgbench ? fmt(round.pgbench.tps) : 'n/a'} TPS, (c) ${round.postgres ? fmt(round.postgres.run.commandsPerSec) : 'n/a'} commands/s`,
          '',
          ratio,
          '',
        ]);
      });
    }
    if (r.sqlFloor) {
      const f = r.sqlFloor;
      for (const row of f.rows) {
        pr.push([`ceiling from Node: ${row.driver}, ${row.statements} trivial statements per transaction (Node ${fmt(row.nodeCpu, 2)} cores)`, String(f.clients), fmt(row.tps), '']);
      }
    }
    out.push(table(['what', 'clients', 'TPS', 'mean latency ms'], pr), '');
    const cost = costPerTransaction(r);
    if (cost.length > 0) {
      out.push(
        '### What one transaction costs the machine',
        '',
        `When every core is busy the ratio to pgbench is the ratio of these costs. CPU ms = share of the ${os.cpus().length} cores busy × cores × 1000 / transactions per second (PostgreSQL, the client and everything else on the machine); Node = the bench process (engine, dossier layer, pg client). WAL = the server's pg_stat_wal over the run / transactions (full-page images follow the CHECKPOINT before each run).`,
        '',
        table(['what', 'TPS', 'machine CPU ms / transaction', 'of which Node ms', 'WAL bytes / transaction', 'WAL records / transaction', 'full-page images / transaction'], cost),
        '',
      );
    }
  }

  // ---- comparisons
  if (r.runtime && r.bpmnEngine && rt) {
    out.push('## motcua vs bpmn-engine', '');
    const b = r.bpmnEngine;
    out.push(
      table(
        ['figure', 'motcua runtime (a)', `bpmn-engine ${b.version} (d)`, 'ratio'],
        [
          ['instances/s', fmt(rt.instancesPerSec), fmt(b.run.instancesPerSec), `${fmt(rt.instancesPerSec / b.run.instancesPerSec, 1)}×`],
          ['heap/waiting instance KB', kb(r.runtime.waiting[0]?.bytesPerInstance), kb(b.waiting.bytesPerInstance), `1/${fmt(b.waiting.bytesPerInstance / (r.runtime.waiting[0]?.bytesPerInstance ?? NaN), 1)}`],
          ...(r.embedded ? [['(b) embedded Engine instances/s vs (d)', fmt(r.embedded.run.instancesPerSec, 1), fmt(b.run.instancesPerSec), `${fmt(r.embedded.run.instancesPerSec / b.run.instancesPerSec, 2)}×`]] : []),
        ],
      ),
      '',
    );
  }

  // ---- extra modes (inbox, http, push)
  out.push(...extra.sections);

  // ---- targets
  out.push('## Targets', '');
  const targets: string[][] = [];
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'SKIPPED' : ok ? 'PASS' : 'FAIL');
  {
    const ratio = rt && r.bpmnEngine ? rt.instancesPerSec / r.bpmnEngine.run.instancesPerSec : undefined;
    targets.push(['(a) runtime instances/s ≥ 100× bpmn-engine', ratio === undefined ? 'n/a' : `${fmt(ratio, 1)}×`, verdict(ratio === undefined ? undefined : ratio >= 100)]);
  }
  {
    const ratio = r.postgres && r.pgbench ? r.postgres.run.commandsPerSec / r.pgbench.tps : undefined;
    targets.push([
      `(c) Engine commands/s ≥ 0.5× pgbench -N TPS (${config.clients} clients)`,
      ratio === undefined ? 'n/a' : `${fmt(ratio, 3)}× (${fmt(r.postgres!.run.commandsPerSec)} vs ${fmt(r.pgbench!.tps)})`,
      verdict(ratio === undefined ? undefined : ratio >= 0.5),
    ]);
  }
  if (r.postgresDossiers) {
    const ratio = r.pgbench ? r.postgresDossiers.run.commandsPerSec / r.pgbench.tps : undefined;
    targets.push([
      `(c) with the dossier layer + audit trail ≥ 0.5× pgbench -N TPS (${config.clients} clients; engine only: ${r.postgres && r.pgbench ? `${fmt(r.postgres.run.commandsPerSec / r.pgbench.tps, 3)}×` : 'n/a'})`,
      ratio === undefined ? 'n/a' : `${fmt(ratio, 3)}× (${fmt(r.postgresDossiers.run.commandsPerSec)} vs ${fmt(r.pgbench!.tps)})`,
      verdict(ratio === undefined ? undefined : ratio >= 0.5),
    ]);
  }
  targets.push(['heap per waiting instance ≤ 10 KB (worst stage, runtime)', rtWaiting === undefined ? 'n/a' : `${kb(rtWaiting)} KB`, verdict(rtWaiting === undefined ? undefined : rtWaiting <= 10 * 1024)]);
  if (r.runtime && r.runtime.series.length > 1) {
    const first = r.runtime.series[0];
    const last = r.runtime.series.at(-1)!;
    const growth = last.heapAfterGc - first.heapAfterGc;
    const perInstance = growth / (last.instances - first.instances);
    targets.push([
      `heap flat as N grows: heap after GC at N=${fmt(last.instances)} − at N=${fmt(first.instances)} ≤ 1 MB`,
      `${mb(growth)} MB (${fmt(perInstance, 2)} B per extra instance)`,
      verdict(growth <= 1024 * 1024),
    ]);
  } else {
    targets.push(['heap flat as N grows', 'n/a', 'SKIPPED']);
  }
  if (r.runtime) {
    const byStage = new Map<string, number[]>();
    for (const w of r.runtime.waiting) byStage.set(w.stage, [...(byStage.get(w.stage) ?? []), w.bytesPerInstance]);
    const spread = Math.max(...[...byStage.values()].map((v) => (v.length > 1 ? Math.max(...v) / Math.min(...v) - 1 : 0)));
    if (r.runtime.waiting.length > 2) {
      targets.push([
        `heap per waiting instance constant from ${fmt(config.waiting[0])} to ${fmt(config.waiting.at(-1))} waiting (within 15 %)`,
        `${fmt(spread * 100, 1)} % apart`,
        verdict(spread <= 0.15),
      ]);
    }
  }
  targets.push(...extra.targets);
  out.push(table(['target', 'measured', 'result'], targets), '');

  if (r.notes.length > 0) out.push('## Skipped or failed', '', ...r.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

/**
 * (c) and pgbench in alternating rounds (pgbench first in odd rounds, second in even
 * ones), each after a CHECKPOINT: this machine's throughput drifts by ±15 % from one
 * minute to the next, and the target is a ratio of the two. The round with the median
 * ratio is reported as the run's figures, every round beside it.
 */
async function runRounds(config: BenchConfig, results: Results): Promise<void> {
  results.rounds = [];
  for (let round = 1; round <= config.rounds; round++) {
    const entry: { postgres?: EngineResult; pgbench?: PgbenchResult } = {};
    for (const mode of round % 2 === 1 ? ['pgbench', 'postgres'] : ['postgres', 'pgbench']) {
      log(`--- ${mode} (round ${round} of ${config.rounds})`);
      const outcome = await spawnMode(mode);
      if (!outcome.ok) {
        log(`${mode} FAILED:\n${outcome.error}`);
        results.notes.push(`${mode} (round ${round}): failed: ${outcome.error.split('\n')[0]}`);
        continue;
      }
      const result = outcome.result;
      if (result.kind === 'skipped') {
        log(`${mode} skipped: ${result.reason}`);
        if (round === 1) results.notes.push(`${mode}: skipped: ${result.reason}`);
      } else if (result.kind === 'engine') entry.postgres = result;
      else if (result.kind === 'pgbench') entry.pgbench = result;
    }
    results.rounds.push(entry);
  }
  // The round with the median ratio stands for the run: each round's two figures were
  // measured a few seconds apart, under the same conditions (the disk of this machine
  // has minutes when every fsync is several times slower, for both).
  const complete = results.rounds.filter((r) => r.postgres && r.pgbench);
  const ratio = (r: { postgres?: EngineResult; pgbench?: PgbenchResult }) => r.postgres!.run.commandsPerSec / r.pgbench!.tps;
  const median = [...complete].sort((a, b) => ratio(a) - ratio(b))[(complete.length - 1) >> 1];
  results.postgres = median?.postgres ?? results.rounds.find((r) => r.postgres)?.postgres;
  results.pgbench = median?.pgbench ?? results.rounds.find((r) => r.pgbench)?.pgbench;
}

async function parent(): Promise<void> {
  const config = readRunConfig();
  const startedAt = Date.now();
  const results: Results = { notes: [] };
  const paired = config.modes.includes('postgres') && config.modes.includes('pgbench');
  for (const mode of config.modes) {
    if (paired && (mode === 'postgres' || mode === 'pgbench')) {
      if (!results.rounds) await runRounds(config, results);
      continue;
    }
    log(`--- ${mode}`);
    const outcome = await spawnMode(mode);
    if (!outcome.ok) {
      log(`${mode} FAILED:\n${outcome.error}`);
      results.notes.push(`${mode}: failed: ${outcome.error.split('\n')[0]}`);
      continue;
    }
    const result = outcome.result;
    switch (result.kind) {
      case 'skipped':
        log(`${mode} skipped: ${result.reason}`);
        results.notes.push(`${mode}: skipped: ${result.reason}`);
        break;
      case 'runtime':
        results.runtime = result;
        break;
      case 'engine':
        if (result.database === 'embedded') results.embedded = result;
        else if (result.database === 'postgres-dossiers') results.postgresDossiers = result;
        else results.postgres = result;
        break;
      case 'pgbench':
        results.pgbench = result;
        break;
      case 'bpmn-engine':
        results.bpmnEngine = result;
        break;
      case 'sql-floor':
        results.sqlFloor = result;
        break;
      case 'inbox':
        results.inbox = result;
        break;
      case 'statistics':
        results.statistics = result;
        break;
      case 'http':
        results.http = result;
        break;
      case 'push':
        results.push = result;
        break;
      case 'calendar':
        results.calendar = result;
        break;
      case 'simulation':
        results.simulation = result;
        break;
      case 'dossier-scaling':
        results.dossierScaling = result;
        break;
    }
  }
  process.stdout.write(report(config, results, startedAt, await extraReport(config, results)) + '\n');
}

if (process.argv[2] === '--mode') {
  void child(process.argv[3]);
} else {
  parent().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/** Rows of the cost-per-transaction table: pgbench, (c) and (c) with the dossier layer, each where it ran on PostgreSQL. */
function costPerTransaction(r: Results): string[][] {
  const cores = os.cpus().length;
  const rows: string[][] = [];
  const wal = (w: WalCounts | undefined): string[] => (w ? [fmt(w.bytes), fmt(w.records, 1), fmt(w.fpi, 2)] : ['n/a', 'n/a', 'n/a']);
  if (r.pgbench?.machineCpu !== undefined) rows.push([r.pgbench.command, fmt(r.pgbench.tps), ms3((r.pgbench.machineCpu * cores * 1000) / r.pgbench.tps), 'n/a', ...wal(r.pgbench.walPerTransaction)]);
  for (const e of [r.postgres, r.postgresDossiers?.withoutAudit, r.postgresDossiers]) {
    if (!e) continue;
    const tps = e.run.commandsPerSec;
    const label = e.database === 'postgres' ? '(c) Engine command' : e === r.postgresDossiers ? '(c) command with the dossier layer + audit trail' : '(c) command with the dossier layer, audit trail off';
    rows.push([label, fmt(tps), ms3((e.machineCpu * cores * 1000) / tps), ms3((e.nodeCpu * 1000) / tps), ...wal(e.walPerCommand)]);
  }
  return rows;
}
