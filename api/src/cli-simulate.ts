/**
 * `motcua simulate <model.bpmn> [--params p.json] [--compare as-is.bpmn]
 * [--compare-params p.json] [--seed N] [--out dir] [--png]`: simulates a procedure model on
 * the Vietnamese working-day calendar (bundled years, then provisional ones; the
 * legal hours: an agency's own hours stored in the database are not read here) and
 * writes the report: `report.json` and the plots as SVG (`cycle-time-histogram.svg`,
 * `cycle-time-cdf.svg`, `utilisation.svg`), and with `--png` the same plots as PNG
 * (simulation-png.ts). A summary goes to stdout.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { vietnameseCalendars } from '../../onestop/src/clocks';
import type { SimulationReport, SimulationResult } from '../../onestop/src/simulation';
import { runSimulation } from './simulation';
import { plotPng } from './simulation-png';

export const SIMULATE_USAGE = 'simulate <model.bpmn> [--params p.json] [--compare as-is.bpmn] [--compare-params p.json] [--seed N] [--out dir] [--png]';

interface SimulateArgs {
  model: string;
  params?: string;
  compare?: string;
  compareParams?: string;
  seed?: number;
  out?: string;
  png?: boolean;
}

/** Parses the arguments; a string is a usage error. */
export function parseSimulateArgs(args: readonly string[]): SimulateArgs | string {
  const parsed: Partial<SimulateArgs> = {};
  const flags: Record<string, Exclude<keyof SimulateArgs, 'png'>> = { '--params': 'params', '--compare': 'compare', '--compare-params': 'compareParams', '--seed': 'seed', '--out': 'out' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const key = flags[arg];
    if (arg === '--png') {
      parsed.png = true;
      continue;
    }
    if (key) {
      const value = args[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (key === 'seed') {
        if (!/^\d+$/.test(value) || Number(value) > 4294967295) return `--seed must be an integer from 0 to 4294967295, got '${value}'`;
        parsed.seed = Number(value);
      } else parsed[key] = value;
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else if (parsed.model === undefined) parsed.model = arg;
    else return `one model only (got '${parsed.model}' and '${arg}'); compare with --compare`;
  }
  if (parsed.model === undefined) return 'the model file is missing';
  return parsed as SimulateArgs;
}

function readJson(path: string, what: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} '${path}' is not JSON: ${(error as Error).message}`);
  }
}

function summaryRows(label: string, r: SimulationResult): string[] {
  const pct = (v: number | undefined) => (v === undefined ? '–' : `${(100 * v).toFixed(1)} %`);
  return [
    `${label}: ${r.processId}${r.name ? ` (${r.name})` : ''}, ${r.dossiers} dossiers, ${r.arrivalsPerWorkingDay} a working day, seed ${r.seed}`,
    `  cycle time (working days): mean ${r.cycleTime.mean.toFixed(2)}, p50 ${r.cycleTime.p50.toFixed(2)}, p90 ${r.cycleTime.p90.toFixed(2)}, max ${r.cycleTime.max.toFixed(2)}`,
    `  on time: ${r.onTime ? `legal ${pct(r.onTime.legal.share)}, Decision 766 (2.1) ${pct(r.onTime.decision766.share)} against ${r.onTime.statutoryTime.amount} ${r.onTime.statutoryTime.unit}` : 'no statutory time in the model'}`,
    ...r.pools.map((p) => `  pool ${p.id}: ${p.staff} staff${p.defaulted ? ' (default)' : ''}, utilisation ${pct(p.utilisation)}, mean queue ${p.meanQueue.toFixed(2)}, max queue ${p.maxQueue}, mean wait ${p.meanWaitHours.toFixed(2)} working hours`),
    ...r.assumptions.map((a) => `  assumed: ${a}`),
    ...r.warnings.map((w) => `  not simulated: ${w}`),
  ];
}

/** Runs the command; returns the exit code (0 done, 1 failed, 2 usage). */
export async function runSimulateCommand(args: readonly string[], options: { maxDossiers: number; maxXmlBytes: number; now: number; log: (line: string) => void; error: (line: string) => void }): Promise<number> {
  const parsed = parseSimulateArgs(args);
  if (typeof parsed === 'string') {
    options.error(`motcua simulate: ${parsed}\nusage: motcua ${SIMULATE_USAGE}`);
    return 2;
  }
  const report: SimulationReport = await runSimulation(
    {
      model: { xml: readFileSync(parsed.model, 'utf8'), ...(parsed.params ? { parameters: readJson(parsed.params, '--params') } : {}) },
      ...(parsed.compare ? { compare: { xml: readFileSync(parsed.compare, 'utf8'), ...(parsed.compareParams ? { parameters: readJson(parsed.compareParams, '--compare-params') } : {}) } } : {}),
      ...(parsed.seed !== undefined ? { seed: parsed.seed } : {}),
    },
    { calendars: vietnameseCalendars({ lastYear: new Date(options.now).getUTCFullYear() + 10 }), now: options.now, maxDossiers: options.maxDossiers, maxXmlBytes: options.maxXmlBytes },
  );
  const out = resolve(parsed.out ?? `simulation-${report.toBe.processId}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(out, 'cycle-time-histogram.svg'), report.plots.cycleTimeHistogram + '\n');
  writeFileSync(join(out, 'cycle-time-cdf.svg'), report.plots.cycleTimeCdf + '\n');
  writeFileSync(join(out, 'utilisation.svg'), report.plots.utilisation + '\n');
  const plots: Array<[string, string]> = [['cycle-time-histogram', report.plots.cycleTimeHistogram], ['cycle-time-cdf', report.plots.cycleTimeCdf], ['utilisation', report.plots.utilisation]];
  if (parsed.png) for (const [name, svg] of plots) writeFileSync(join(out, `${name}.png`), await plotPng(svg));
  if (report.asIs) for (const line of summaryRows('as-is', report.asIs)) options.log(line);
  for (const line of summaryRows(report.asIs ? 'to-be' : 'model', report.toBe)) options.log(line);
  if (report.comparison) {
    const c = report.comparison;
    const d = (v: number | null, digits = 2) => (v === null ? '–' : `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`);
    options.log(`change to-be − as-is: p50 ${d(c.cycleTimeP50.change)} and p90 ${d(c.cycleTimeP90.change)} working days; on time (legal) ${d(c.onTimeLegal.change === null ? null : 100 * c.onTimeLegal.change, 1)} points`);
  }
  options.log(`report written to ${out} (report.json, ${plots.map(([name]) => `${name}.svg`).join(', ')}${parsed.png ? `, ${plots.map(([name]) => `${name}.png`).join(', ')}` : ''})`);
  return 0;
}
