/**
 * The as-is / to-be report: the figures of one or two runs side by side, the
 * changes between them, a common-bin histogram and the SVG plots, as one plain
 * object (the CLI writes it to files, the API answers it as JSON).
 */
import { addWorkingTime, buildWorkingCalendar, type CalendarDefinition, workingTimeBetween } from '../../../engine/src/pure';
import { cdfSvg, histogramSvg, niceStep, utilisationSvg } from './plots';
import type { SimulationResult, SimulationRun } from './simulate';

/** A figure of both models and how it changed (to-be − as-is). */
export interface Change {
  asIs: number | null;
  toBe: number | null;
  change: number | null;
}

/** The report of one model, or of an as-is / to-be pair. */
export interface SimulationReport {
  toBe: SimulationResult;
  asIs?: SimulationResult;
  /** Present with two models. Cycle times in working days; shares 0–1. */
  comparison?: {
    cycleTimeP50: Change;
    cycleTimeP90: Change;
    cycleTimeMean: Change;
    onTimeLegal: Change;
    onTimeDecision766: Change;
  };
  /** Shares of dossiers per cycle-time bin (working days), on edges common to both models. */
  histogram: { edges: number[]; toBe: number[]; asIs?: number[] };
  /** SVG documents. */
  plots: { cycleTimeHistogram: string; cycleTimeCdf: string; utilisation: string };
}

function change(asIs: number | undefined, toBe: number | undefined): Change {
  const a = asIs ?? null;
  const b = toBe ?? null;
  return { asIs: a, toBe: b, change: a === null || b === null ? null : b - a };
}

function shares(values: Float64Array, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const width = edges[1] - edges[0];
  for (const v of values) {
    const i = Math.min(counts.length - 1, Math.max(0, Math.floor((v - edges[0]) / width)));
    counts[i]++;
  }
  return counts.map((c) => (values.length > 0 ? c / values.length : 0));
}

/** The statutory time in working days, when the model gives one in a unit that converts (working days, or working hours on the calendar). */
function statutoryDays(result: SimulationResult, calendar?: CalendarDefinition): number | undefined {
  const time = result.onTime?.statutoryTime;
  if (!time) return undefined;
  if (time.unit === 'workingDays') return time.amount;
  // A same-day matter is done within the working day it counts from (the next one after the cut-off).
  if (time.unit === 'sameDay') return time.amount;
  if (time.unit === 'workingHours' && calendar) {
    const built = buildWorkingCalendar(calendar);
    const start = Date.parse(result.firstArrival);
    return workingTimeBetween(built, start, addWorkingTime(built, start, time.amount, 'workingHours'), 'workingDays');
  }
  return undefined;
}

/**
 * Builds the report of `toBe`, compared with `asIs` when given. `calendar` (the
 * reception calendar of the runs) converts a statutory time in working hours to
 * days for the plots.
 *
 * @example
 * const report = simulationReport(simulate(toBe, params, options), simulate(asIs, params, options));
 * writeFileSync('cdf.svg', report.plots.cycleTimeCdf);
 */
export function simulationReport(toBe: SimulationRun, asIs?: SimulationRun, calendar?: CalendarDefinition): SimulationReport {
  const runs = asIs ? [asIs, toBe] : [toBe];
  const labelOf = (run: SimulationRun) => (asIs ? (run === asIs ? `as-is (${run.result.processId})` : `to-be (${run.result.processId})`) : run.result.processId);
  // Common bins: up to the largest p99 (a long tail would squash the plot), about 30 bins.
  const p99 = Math.max(...runs.map((r) => r.cycleTimes[Math.min(r.cycleTimes.length - 1, Math.floor(r.cycleTimes.length * 0.99))] ?? 0));
  const width = niceStep(p99 || 1, 30);
  const edges: number[] = [];
  for (let e = 0; edges.length < 2 || edges[edges.length - 1] < p99; e += width) edges.push(Math.round(e / width) * width);
  const histogram = { edges, toBe: shares(toBe.cycleTimes, edges), ...(asIs ? { asIs: shares(asIs.cycleTimes, edges) } : {}) };
  const series = runs.map((r) => ({ label: labelOf(r), shares: r === toBe ? histogram.toBe : histogram.asIs! }));
  const poolIds = [...new Set(runs.flatMap((r) => r.result.pools.map((p) => p.id)))];
  const utilisation = runs.map((r) => ({ label: labelOf(r), utilisation: poolIds.map((id) => r.result.pools.find((p) => p.id === id)?.utilisation) }));
  const a = asIs?.result;
  const b = toBe.result;
  return {
    toBe: b,
    ...(a ? { asIs: a } : {}),
    ...(a
      ? {
          comparison: {
            cycleTimeP50: change(a.cycleTime.p50, b.cycleTime.p50),
            cycleTimeP90: change(a.cycleTime.p90, b.cycleTime.p90),
            cycleTimeMean: change(a.cycleTime.mean, b.cycleTime.mean),
            onTimeLegal: change(a.onTime?.legal.share, b.onTime?.legal.share),
            onTimeDecision766: change(a.onTime?.decision766.share, b.onTime?.decision766.share),
          },
        }
      : {}),
    histogram,
    plots: {
      cycleTimeHistogram: histogramSvg('Cycle time', edges, series),
      cycleTimeCdf: cdfSvg('Cycle time, cumulative', runs.map((r) => ({ label: labelOf(r), values: r.cycleTimes })), statutoryDays(b, calendar)),
      utilisation: utilisationSvg('Staff utilisation', poolIds, utilisation),
    },
  };
}
