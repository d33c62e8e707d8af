/**
 * Fitting simulation parameters from the product's own history: a pure function
 * over history events (instance, element, event type, timestamp), as the engine
 * records them (`instanceStarted`, `elementActivated`, `elementCompleted`,
 * `flowTaken`). Reading the history table is the caller's job.
 *
 * - Durations per element: activation → completion in working hours of the
 *   calendar, fitted as a lognormal by its mean and standard deviation (fixed when
 *   every observation is the same). A user task's span includes its wait for an
 *   official: the fit gives the time a dossier spends there, an upper bound of the
 *   work itself; say so to the analyst or lower it by hand.
 * - Branch frequencies per exclusive gateway: how often each outgoing flow was taken.
 * - Arrivals: instances started ÷ working days from the first to the last start
 *   (at least one), per procedure and agency when the events carry them.
 */
import { type ProcessGraph, type WorkingCalendar, workingTimeBetween } from '../../../engine/src/pure';
import { SimulationInputError } from './errors';
import { takesTime, type Distribution, type SimulationParameters } from './parameters';

/** One history event. `elementId` is a flow id for `flowTaken`, absent for `instanceStarted`. */
export interface HistoryEvent {
  instanceId: string;
  type: 'instanceStarted' | 'elementActivated' | 'elementCompleted' | 'flowTaken';
  elementId?: string;
  /** Epoch ms. */
  at: number;
  processId?: string;
  agency?: string;
}

/** What the fit found, beside the parameters: how many observations each figure rests on. */
export interface FitResult {
  parameters: Pick<SimulationParameters, 'arrivals' | 'durations' | 'branches'>;
  observations: { durations: Record<string, number>; branches: Record<string, number>; arrivals: number };
  /** Dossiers per working day per "processId/agency" seen in the events. */
  arrivalsBy: Record<string, number>;
}

function lognormalOrFixed(hours: number[]): Distribution {
  const n = hours.length;
  const mean = hours.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? hours.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1) : 0;
  const sd = Math.sqrt(variance);
  if (mean <= 0) return { type: 'fixed', value: 0, unit: 'workingHours' };
  if (sd <= 1e-9 * mean) return { type: 'fixed', value: mean, unit: 'workingHours' };
  return { type: 'lognormal', mean, sd, unit: 'workingHours' };
}

/**
 * Fits durations, branch frequencies and the arrival rate of `graph` from history
 * events, counting working time on `calendar`. Events of other elements are
 * ignored; an event with a non-finite time is an error naming its position.
 *
 * @example
 * const { parameters } = fitParameters(graph, events, calendar);
 * simulate(graph, { ...parameters, pools }, { calendar: definition });
 */
export function fitParameters(graph: ProcessGraph, events: readonly HistoryEvent[], calendar: WorkingCalendar): FitResult {
  const open = new Map<string, number>();
  const spans = new Map<string, number[]>();
  const taken = new Map<string, number>();
  const starts: number[] = [];
  const startsBy = new Map<string, number[]>();
  events.forEach((e, i) => {
    if (!Number.isFinite(e.at)) throw new SimulationInputError(`history event ${i} (${e.type} of ${e.instanceId}): at must be epoch milliseconds, got ${String(e.at)}`, { field: `events.${i}.at` });
    if (e.type === 'instanceStarted') {
      starts.push(e.at);
      const key = `${e.processId ?? graph.processId}/${e.agency ?? graph.facts?.agency ?? 'default'}`;
      if (!startsBy.has(key)) startsBy.set(key, []);
      startsBy.get(key)!.push(e.at);
      return;
    }
    if (e.elementId === undefined) throw new SimulationInputError(`history event ${i} (${e.type} of ${e.instanceId}) names no element`, { field: `events.${i}.elementId` });
    if (e.type === 'flowTaken') {
      taken.set(e.elementId, (taken.get(e.elementId) ?? 0) + 1);
      return;
    }
    const node = graph.nodes[e.elementId];
    if (!node || !takesTime(node)) return;
    const key = `${e.instanceId}\u0000${e.elementId}`;
    if (e.type === 'elementActivated') open.set(key, e.at);
    else {
      const since = open.get(key);
      if (since === undefined) return;
      open.delete(key);
      if (!spans.has(e.elementId)) spans.set(e.elementId, []);
      spans.get(e.elementId)!.push(Math.max(0, workingTimeBetween(calendar, since, e.at, 'workingHours')));
    }
  });
  const durations: Record<string, Distribution> = {};
  const durationCounts: Record<string, number> = {};
  for (const [id, hours] of [...spans].sort(([a], [b]) => (a < b ? -1 : 1))) {
    durations[id] = lognormalOrFixed(hours);
    durationCounts[id] = hours.length;
  }
  const branches: Record<string, Record<string, number>> = {};
  const branchCounts: Record<string, number> = {};
  for (const node of Object.values(graph.nodes)) {
    if (node.type !== 'exclusiveGateway' || node.outgoing.length < 2) continue;
    const total = node.outgoing.reduce((a, f) => a + (taken.get(f) ?? 0), 0);
    if (total === 0) continue;
    const probabilities: Record<string, number> = {};
    for (const f of node.outgoing) probabilities[f] = (taken.get(f) ?? 0) / total;
    branches[node.id] = probabilities;
    branchCounts[node.id] = total;
  }
  const rate = (times: number[]): number => {
    const sorted = [...times].sort((a, b) => a - b);
    const days = Math.max(1, workingTimeBetween(calendar, sorted[0], sorted[sorted.length - 1], 'workingDays'));
    return times.length / days;
  };
  const arrivalsBy: Record<string, number> = {};
  for (const [key, times] of startsBy) arrivalsBy[key] = rate(times);
  return {
    parameters: { ...(starts.length > 0 ? { arrivals: { perWorkingDay: rate(starts) } } : {}), durations, branches },
    observations: { durations: durationCounts, branches: branchCounts, arrivals: starts.length },
    arrivalsBy,
  };
}
