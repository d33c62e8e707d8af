/**
 * Mode `simulation`: simulated dossiers per second on one core, on the reference
 * procedure (processes/reference/to-be.bpmn with processes/reference/simulation.json:
 * one desk step, a 90/10 exclusive gateway, two parallel verifications, a signature;
 * four staff pools) over the Vietnamese calendar (bundled years, provisional years
 * after them). Each figure is the median of several timed rounds after a warm-up
 * round; a round is one whole run: arrivals, the event loop, and the figures
 * (cycle-time percentiles, on-time shares, pools, elements).
 *
 * Environment: BENCH_SIMULATION_N (dossiers per round, default 200000),
 * BENCH_SIMULATION_ROUNDS (default 5).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProcessModels } from '../../engine/src/model';
import { agencyCalendarDefinition, bundledLegalSettings, bundledYears, settingsInForce, withProvisionalYears } from '../../onestop/src/clocks';
import { CalendarCache, simulate, validateSimulationParameters, type SimulationResult } from '../../onestop/src/simulation';
import { fmt, hrnow, intFromEnv, log, machine, table, type BenchConfig } from './util';

/** Simulated dossiers per second the simulation must sustain on the reference procedure, one core. */
export const SIMULATION_TARGET_PER_SEC = 50_000;

export interface SimulationBenchResult {
  kind: 'simulation';
  n: number;
  rounds: number;
  perSec: number;
  /** Events (arrivals and step completions) per second, from the element visits. */
  stepsPerSec: number;
  sample: Pick<SimulationResult, 'cycleTime' | 'onTime'> & { utilisation: Record<string, number> };
}

function repoRoot(): string {
  // dist/test/bench → repo root, or test/bench under ts-node
  for (const up of ['../../..', '../..']) {
    const candidate = join(__dirname, up);
    try {
      readFileSync(join(candidate, 'processes/reference/to-be.bpmn'));
      return candidate;
    } catch {
      // try the next
    }
  }
  throw new Error('simulation bench: processes/reference/to-be.bpmn not found above ' + __dirname);
}

/** Runs the simulation mode (in its own child process, see run.ts). */
export async function simulationBench(_config: BenchConfig): Promise<SimulationBenchResult> {
  const n = intFromEnv('BENCH_SIMULATION_N', 200_000);
  const rounds = intFromEnv('BENCH_SIMULATION_ROUNDS', 5);
  const root = repoRoot();
  const { graphs, problems } = await loadProcessModels(readFileSync(join(root, 'processes/reference/to-be.bpmn'), 'utf8'));
  if (problems.length > 0) throw new Error(`reference procedure: ${JSON.stringify(problems)}`);
  const graph = graphs[0];
  const params = validateSimulationParameters(JSON.parse(readFileSync(join(root, 'processes/reference/simulation.json'), 'utf8')), graph);
  const settings = bundledLegalSettings();
  const calendar = agencyCalendarDefinition(withProvisionalYears(bundledYears(), settings, 2045), settingsInForce(settings, '2026-01-01'), { agency: 'bench' });
  const calendars = new CalendarCache();
  const run = (seed: number) => simulate(graph, { ...params, dossiers: n }, { calendar, calendars, seed });

  run(0);
  const rates: number[] = [];
  let last: SimulationResult | undefined;
  let steps = 0;
  for (let r = 1; r <= rounds; r++) {
    const t0 = hrnow();
    const { result } = run(r);
    rates.push(n / (Number(hrnow() - t0) / 1e9));
    last = result;
    steps = Object.values(result.elements).reduce((a, e) => a + e.visits, 0);
    log(`simulation: round ${r}: ${fmt(rates[rates.length - 1])} dossiers/s`);
  }
  rates.sort((a, b) => a - b);
  const perSec = rates[rates.length >> 1];
  return {
    kind: 'simulation',
    n,
    rounds,
    perSec,
    stepsPerSec: (perSec * (steps + n)) / n,
    sample: { cycleTime: last!.cycleTime, onTime: last!.onTime, utilisation: Object.fromEntries(last!.pools.map((p) => [p.id, p.utilisation])) },
  };
}

/** The markdown section of the simulation mode. */
export function renderSimulation(r: SimulationBenchResult): string {
  const m = machine();
  const pct = (v: number) => `${fmt(100 * v, 1)} %`;
  return [
    '## Simulation: simulated dossiers per second (one core)',
    '',
    `- ${m.cpu}; one thread. Reference procedure (processes/reference/to-be.bpmn + simulation.json: 100 dossiers a working day, 4 staff pools) on the Vietnamese calendar.`,
    `- Median of ${r.rounds} runs of ${fmt(r.n)} dossiers after a warm-up run; a run includes the figures (percentiles, on-time shares, utilisation).`,
    `- Last run: cycle time p50 ${fmt(r.sample.cycleTime.p50, 2)} / p90 ${fmt(r.sample.cycleTime.p90, 2)} working days; on time (legal) ${r.sample.onTime ? pct(r.sample.onTime.legal.share) : '–'}; utilisation ${Object.entries(r.sample.utilisation)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ')}.`,
    '',
    table(['measure', 'value', `≥ ${fmt(SIMULATION_TARGET_PER_SEC)}/s`], [
      ['simulated dossiers/s', fmt(r.perSec), r.perSec >= SIMULATION_TARGET_PER_SEC ? 'PASS' : 'FAIL'],
      ['events/s (arrivals + steps)', fmt(r.stepsPerSec), ''],
    ]),
    '',
  ].join('\n');
}

/** The target rows of the simulation mode. */
export function simulationTargets(r: SimulationBenchResult): string[][] {
  return [[`simulation: reference procedure ≥ ${fmt(SIMULATION_TARGET_PER_SEC)} dossiers/s (one core)`, `${fmt(r.perSec)}/s`, r.perSec >= SIMULATION_TARGET_PER_SEC ? 'PASS' : 'FAIL']];
}
