/**
 * Monte-Carlo, discrete-event simulation of one procedure model on the working-day
 * calendar.
 *
 * ## How a run goes
 * - Dossiers arrive as a Poisson stream: exponential gaps of working time on the
 *   reception calendar, `arrivals.perWorkingDay` per nominal working day.
 * - A dossier is a token at the model's none start event and walks the sequence
 *   flows: an exclusive gateway draws one outgoing flow by its branch
 *   probabilities; a parallel gateway joins (waits for a token on every incoming
 *   flow of the same dossier) and splits; an activity or event with several
 *   outgoing flows takes them all; the dossier is finished when its last token
 *   reaches an end.
 * - A user task waits in FIFO order for an official of its pool (agency, role), then
 *   takes a drawn duration of the pool's working time: the work pauses outside the
 *   pool's hours, on weekends and on holidays. Other tasks and catch events take
 *   their drawn time without staff (working time, or elapsed time for the units
 *   `hours` and `calendarDays`: a timer of "15 days", an applicant's supplement).
 * - Events are kept in a binary heap ordered by time (ties by scheduling order), so
 *   a seed reproduces a run exactly. Time is epoch milliseconds; working time is
 *   counted on the calendars (engine/src/calendar).
 *
 * ## What is measured
 * Cycle time in working days (receipt → finish, reception calendar), on-time share
 * against the process's statutory time (legal measure) and by Decision 766's 2.1
 * rule (the working time from leaving an element whose dossier status is
 * `supplement-requested` to leaving one whose status is `supplemented` is
 * subtracted; a second supplement request is late), per pool the utilisation
 * (busy hours ÷ staff × open hours over the run), the time-average queue (total
 * waiting hours ÷ open hours: Little's law over the whole run) and the longest
 * queue, and per element the mean and longest wait (keyed by element id, for a
 * heat overlay on the diagram).
 *
 * ## What the simulation does not run
 * Boundary events are ignored (listed in `warnings`); inclusive and event-based
 * gateways, sub-processes, call activities and multi-instance activities are
 * refused with the element named.
 */
import { addWorkingTime, type AddWorkingTimeOptions, type CalendarDefinition, CalendarRangeError, DAY_MS, type FlowNode, parseLocalDate, type ProcessGraph, type StatutoryTime, type WorkingCalendar, workingTimeBetween } from '../../../engine/src/pure';
import { timelinessOf } from '../dossiers/timeliness';
import { CalendarCache, nominalDayHours, poolCalendarDefinition } from './calendars';
import { SimulationInputError } from './errors';
import { EventQueue } from './event-queue';
import { agencyOf, defaultDuration, poolKey, roleOf, takesTime, type Distribution, type PoolParameters, type SimulationParameters } from './parameters';
import { Random } from './random';
import { quantile } from './statistics';

/** How a run is set up beyond its parameters. */
export interface SimulateOptions {
  /** The reception calendar: arrivals, cycle times and due dates are counted on it; pools without their own hours work on it. */
  calendar: CalendarDefinition;
  /** Refuse runs of more dossiers than this (a setting of the API). */
  maxDossiers?: number;
  /** Overrides `parameters.seed`. */
  seed?: number;
  /** Built calendars shared between runs (as-is and to-be on the same calendar). */
  calendars?: CalendarCache;
}

/** One staff pool's figures. */
export interface PoolResult {
  id: string;
  agency: string;
  role: string;
  staff: number;
  /** Busy working hours ÷ (staff × the pool's working hours over the run), 0–1. */
  utilisation: number;
  /** Time-average number of dossiers waiting (over the pool's working hours). */
  meanQueue: number;
  maxQueue: number;
  /** Mean wait before an official takes a dossier, working hours. */
  meanWaitHours: number;
  /** Tasks served. */
  tasks: number;
  /** Whether the staff count came from the defaults (one official) rather than the parameters. */
  defaulted: boolean;
}

/** One element's figures: the heat overlay reads `meanWaitHours`. */
export interface ElementResult {
  name?: string;
  visits: number;
  /** Working hours waiting for staff, mean and longest (0 for steps without staff). */
  meanWaitHours: number;
  maxWaitHours: number;
  /** Working hours of work, mean. */
  meanServiceHours: number;
  pool?: string;
}

/** On-time share by one measure. */
export interface OnTimeMeasure {
  early: number;
  onTime: number;
  late: number;
  /** (early + on time) ÷ dossiers, 0–1. */
  share: number;
}

/** The figures of one run, plain JSON. */
export interface SimulationResult {
  processId: string;
  name?: string;
  seed: number;
  dossiers: number;
  arrivalsPerWorkingDay: number;
  /** First receipt and last finish, ISO 8601 UTC. */
  firstArrival: string;
  lastFinish: string;
  cycleTime: { unit: 'workingDays'; mean: number; p50: number; p90: number; max: number };
  /** Absent when the process has no statutory time. */
  onTime?: {
    statutoryTime: StatutoryTime;
    /** Against the statutory due date. */
    legal: OnTimeMeasure;
    /** Decision 766/QĐ-TTg indicator 2.1: supplement time subtracted, more than one supplement request late. */
    decision766: OnTimeMeasure & { code: '2.1' };
  };
  pools: PoolResult[];
  elements: Record<string, ElementResult>;
  /** Defaults taken from the model because a parameter was left out. */
  assumptions: string[];
  /** Model elements the simulation passed over (boundary events), and saturated pools. */
  warnings: string[];
}

/** A run's figures and its per-dossier cycle times (sorted, working days) for plots. */
export interface SimulationRun {
  result: SimulationResult;
  cycleTimes: Float64Array;
}

/** Elements one dossier may pass at one moment before the run is refused as an endless zero-time loop. */
const MAX_ZERO_TIME_HOPS = 100_000;
/** Events (arrivals, step completions) per dossier on average before the run is refused as an endless loop. */
const MAX_EVENTS_PER_DOSSIER = 10_000;

const K_PASS = 0;
const K_END = 1;
const K_XOR = 2;
const K_AND = 3;
const K_ACT = 4;

interface SimNode {
  id: string;
  kind: number;
  out: Int32Array;
  cum: Float64Array | null;
  join: number;
  need: number;
  pool: number;
  calendar: WorkingCalendar | null;
  sample: ((random: Random) => number) | null;
  /** The distribution's mean, hours: for the default staff. */
  meanHours: number;
  /** The duration is elapsed time (hours, calendar days), not working time. */
  elapsed: boolean;
  /** 1: leaving it requests a supplement; 2: leaving it completes the supplement; 0: neither. */
  mark: number;
}

interface Pool {
  id: string;
  agency: string;
  role: string;
  staff: number;
  defaulted: boolean;
  calendar: WorkingCalendar;
  busy: number;
  busyHours: number;
  waitHours: number;
  tasks: number;
  maxQueue: number;
  // FIFO ring of waiting (instance, node, since).
  qInst: Int32Array;
  qNode: Int32Array;
  qSince: Float64Array;
  qHead: number;
  qLength: number;
}

function sampler(distribution: Distribution, dayHours: number): (random: Random) => number {
  const scale = distribution.unit === 'workingDays' ? dayHours : distribution.unit === 'workingMinutes' ? 1 / 60 : distribution.unit === 'calendarDays' ? 24 : 1;
  switch (distribution.type) {
    case 'fixed': {
      const v = distribution.value * scale;
      return () => v;
    }
    case 'exponential': {
      const mean = distribution.mean * scale;
      return (r) => r.exponential(mean);
    }
    case 'triangular': {
      const { min, mode, max } = distribution;
      return (r) => r.triangular(min * scale, mode * scale, max * scale);
    }
    case 'lognormal': {
      const { mean, sd } = distribution;
      const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
      const mu = Math.log(mean * scale) - sigma2 / 2;
      const sigma = Math.sqrt(sigma2);
      return (r) => Math.exp(mu + sigma * r.normal());
    }
  }
}

function unsupported(node: FlowNode): string | undefined {
  if (node.multiInstance) return `${node.id}: multi-instance activities cannot be simulated yet`;
  switch (node.type) {
    case 'inclusiveGateway':
    case 'subProcess':
    case 'callActivity':
      return `${node.id}: a ${node.type} cannot be simulated yet`;
    default:
      return undefined;
  }
}

interface Network {
  nodes: SimNode[];
  start: number;
  pools: Pool[];
  joins: number;
  assumptions: string[];
  warnings: string[];
}

function compileNetwork(graph: ProcessGraph, params: SimulationParameters, perDay: number, base: CalendarDefinition, cache: CalendarCache): Network {
  const ids = Object.keys(graph.nodes).filter((id) => graph.nodes[id].type !== 'boundaryEvent');
  const warnings: string[] = [];
  const assumptions: string[] = [];
  for (const node of Object.values(graph.nodes)) {
    if (node.type === 'boundaryEvent') warnings.push(`${node.id}: boundary event on ${node.attachedTo} is not simulated (its path is never taken)`);
    else if (node.scope !== graph.processId) throw new SimulationInputError(`${node.id}: elements inside a sub-process cannot be simulated yet`, { elementId: node.id });
    const problem = unsupported(node);
    if (problem) throw new SimulationInputError(problem, { elementId: node.id });
  }
  const index = new Map(ids.map((id, i) => [id, i]));
  const poolParams = new Map((params.pools ?? []).map((p) => [poolKey(p.agency, p.role), p]));
  const pools: Pool[] = [];
  const poolIndex = new Map<string, number>();
  const baseCalendar = cache.get(base);
  const baseDayHours = nominalDayHours(base);
  const poolFor = (agency: string, role: string): Pool => {
    const key = poolKey(agency, role);
    let i = poolIndex.get(key);
    if (i === undefined) {
      const given: PoolParameters | undefined = poolParams.get(key);
      const definition = given ? poolCalendarDefinition(base, given) : base;
      i = pools.length;
      pools.push({
        id: key,
        agency,
        role,
        staff: given?.staff ?? 1,
        defaulted: !given,
        calendar: cache.get(definition),
        busy: 0,
        busyHours: 0,
        waitHours: 0,
        tasks: 0,
        maxQueue: 0,
        qInst: new Int32Array(64),
        qNode: new Int32Array(64),
        qSince: new Float64Array(64),
        qHead: 0,
        qLength: 0,
      });
      poolIndex.set(key, i);
    }
    return pools[i];
  };
  let joins = 0;
  const nodes: SimNode[] = ids.map((id) => {
    const node = graph.nodes[id];
    const out = Int32Array.from(node.outgoing.map((f) => index.get(graph.flows[f].target)!));
    const sim: SimNode = { id, kind: K_PASS, out, cum: null, join: -1, need: 0, pool: -1, calendar: null, sample: null, meanHours: 0, elapsed: false, mark: node.facts?.dossierStatus === 'supplement-requested' ? 1 : node.facts?.dossierStatus === 'supplemented' ? 2 : 0 };
    if (node.type === 'endEvent') sim.kind = K_END;
    else if ((node.type === 'exclusiveGateway' || node.type === 'eventBasedGateway') && node.outgoing.length > 1) {
      sim.kind = K_XOR;
      const given = params.branches?.[id];
      if (!given) assumptions.push(`branches ${id}: equal probabilities over ${node.outgoing.join(', ')}`);
      let acc = 0;
      sim.cum = Float64Array.from(node.outgoing.map((f) => (acc += given ? (given[f] ?? 0) : 1 / node.outgoing.length)));
      sim.cum[sim.cum.length - 1] = Infinity;
    } else if (node.type === 'parallelGateway') {
      sim.kind = K_AND;
      sim.need = node.incoming.length;
      if (sim.need > 1) sim.join = joins++;
    } else if (takesTime(node)) {
      sim.kind = K_ACT;
      const assigned = params.assignments?.[id];
      const role = assigned?.role ?? roleOf(node);
      let dayHours = baseDayHours;
      if (role !== undefined) {
        const pool = poolFor(assigned?.agency ?? agencyOf(graph, node), role);
        sim.pool = poolIndex.get(pool.id)!;
        sim.calendar = pool.calendar;
        dayHours = nominalDayHours(pool.calendar.definition);
      } else {
        sim.calendar = baseCalendar;
      }
      let distribution = params.durations?.[id];
      if (!distribution) {
        distribution = defaultDuration(node);
        if (node.type === 'userTask' || distribution.type !== 'fixed' || distribution.value !== 0) assumptions.push(`durations ${id}: ${JSON.stringify(distribution)} (no duration given)`);
      }
      sim.sample = sampler(distribution, dayHours);
      sim.meanHours = meanHours(distribution, dayHours);
      sim.elapsed = distribution.unit === 'hours' || distribution.unit === 'calendarDays';
    }
    return sim;
  });
  const scope = graph.scopes[graph.processId];
  const startId = scope?.noneStart ?? graph.startEvents[0];
  if (startId === undefined || !index.has(startId)) throw new SimulationInputError(`process ${graph.processId} has no start event to simulate from`, { elementId: graph.processId });
  const start = index.get(startId)!;
  for (const key of poolParams.keys()) {
    if (!poolIndex.has(key)) warnings.push(`pool ${key} of the parameters serves no element of the model (its user tasks’ agencies and first candidate groups: ${[...poolIndex.keys()].join(', ') || 'none'})`);
  }
  defaultStaff(nodes, start, pools, perDay, assumptions);
  return { nodes, start, pools, joins, assumptions, warnings };
}

function meanHours(distribution: Distribution, dayHours: number): number {
  const scale = distribution.unit === 'workingDays' ? dayHours : distribution.unit === 'workingMinutes' ? 1 / 60 : distribution.unit === 'calendarDays' ? 24 : 1;
  switch (distribution.type) {
    case 'fixed':
      return distribution.value * scale;
    case 'exponential':
    case 'lognormal':
      return distribution.mean * scale;
    case 'triangular':
      return ((distribution.min + distribution.mode + distribution.max) / 3) * scale;
  }
}

/**
 * Expected visits per element and dossier: v = start + Pᵀv by fixed-point iteration
 * (an exclusive gateway splits by its probabilities, a parallel join passes on one
 * token for `need` arriving, anything else passes to every outgoing flow). Loops that
 * dossiers leave converge geometrically; the iteration stops after a bound otherwise.
 */
function expectedVisits(nodes: readonly SimNode[], start: number): Float64Array {
  let visits = new Float64Array(nodes.length);
  for (let round = 0; round < 2000; round++) {
    const next = new Float64Array(nodes.length);
    next[start] = 1;
    nodes.forEach((sim, i) => {
      const through = sim.kind === K_AND && sim.need > 1 ? visits[i] / sim.need : visits[i];
      if (through === 0 && i !== start) return;
      const leaving = i === start ? 1 : through;
      if (sim.kind === K_XOR) {
        let previous = 0;
        sim.out.forEach((target, k) => {
          const cum = k === sim.out.length - 1 ? 1 : sim.cum![k];
          next[target] += leaving * (cum - previous);
          previous = cum;
        });
      } else {
        for (const target of sim.out) next[target] += leaving;
      }
    });
    let change = 0;
    for (let i = 0; i < next.length; i++) change = Math.max(change, Math.abs(next[i] - visits[i]));
    visits = next;
    if (change < 1e-9) break;
  }
  return visits;
}

/** Staff of the pools the parameters leave out: enough for 80 % utilisation at the arrival rate (offered load from expected visits and mean durations), at least one. */
function defaultStaff(nodes: readonly SimNode[], start: number, pools: Pool[], perDay: number, assumptions: string[]): void {
  if (!pools.some((p) => p.defaulted)) return;
  const visits = expectedVisits(nodes, start);
  const load = new Float64Array(pools.length);
  nodes.forEach((sim, i) => {
    if (sim.pool >= 0) load[sim.pool] += visits[i] * sim.meanHours;
  });
  pools.forEach((pool, i) => {
    if (!pool.defaulted) return;
    const dayHours = nominalDayHours(pool.calendar.definition) || 24;
    const offered = (perDay * load[i]) / dayHours;
    pool.staff = Math.max(1, Math.ceil(offered / 0.8 - 1e-9));
    assumptions.push(`pool ${pool.id}: ${pool.staff} official(s) (no staff given: offered load ${offered.toFixed(2)} officials at ${perDay} dossiers a working day, for 80 % utilisation)`);
  });
}

function enqueue(pool: Pool, inst: number, node: number, since: number): void {
  if (pool.qLength === pool.qInst.length) {
    const n = pool.qInst.length * 2;
    const qi = new Int32Array(n);
    const qn = new Int32Array(n);
    const qs = new Float64Array(n);
    for (let k = 0; k < pool.qLength; k++) {
      const j = (pool.qHead + k) % pool.qInst.length;
      qi[k] = pool.qInst[j];
      qn[k] = pool.qNode[j];
      qs[k] = pool.qSince[j];
    }
    pool.qInst = qi;
    pool.qNode = qn;
    pool.qSince = qs;
    pool.qHead = 0;
  }
  const j = (pool.qHead + pool.qLength) % pool.qInst.length;
  pool.qInst[j] = inst;
  pool.qNode[j] = node;
  pool.qSince[j] = since;
  pool.qLength++;
  if (pool.qLength > pool.maxQueue) pool.maxQueue = pool.qLength;
}

/**
 * Runs one simulation of `graph` with `parameters` (validated beforehand with
 * validateSimulationParameters) on the calendar of `options`.
 *
 * @example
 * const { result } = simulate(graph, { seed: 7, dossiers: 5000, arrivals: { perWorkingDay: 40 } }, { calendar });
 * result.cycleTime.p90; // working days
 */
export function simulate(graph: ProcessGraph, parameters: SimulationParameters, options: SimulateOptions): SimulationRun {
  const seed = options.seed ?? parameters.seed ?? 1;
  const n = parameters.dossiers ?? 10_000;
  if (options.maxDossiers !== undefined && n > options.maxDossiers) throw new SimulationInputError(`simulation parameters: dossiers (${n}) is more than the ${options.maxDossiers} allowed`, { field: 'dossiers' });
  const assumptions: string[] = [];
  let perDay = parameters.arrivals?.perWorkingDay;
  if (perDay === undefined) {
    perDay = 10;
    assumptions.push('arrivals: 10 dossiers per working day (no arrival rate given)');
  }
  const cache = options.calendars ?? new CalendarCache();
  const base = options.calendar;
  const network = compileNetwork(graph, parameters, perDay, base, cache);
  assumptions.push(...network.assumptions);
  const main = cache.get(base);
  const startDay = parameters.start ?? base.from;
  const startDayNumber = parseLocalDate(startDay);
  if (startDayNumber === undefined) throw new SimulationInputError(`simulation parameters: start (${startDay}) is not a real date`, { field: 'start' });
  const origin = startDayNumber * DAY_MS - base.utcOffsetMinutes * 60_000;
  const meanGapHours = nominalDayHours(base) / perDay;

  try {
    return run(graph, network, { seed, n, perDay, origin, meanGapHours, main, assumptions });
  } catch (error) {
    if (error instanceof CalendarRangeError) {
      throw new SimulationInputError(`the simulation ran past the calendar (${base.from} to ${base.to}): ${n} dossiers at ${perDay} a working day from ${startDay} need more calendar years; give fewer dossiers, more arrivals a day, an earlier start, or load later years (${error.message})`, { field: 'dossiers' });
    }
    throw error;
  }
}

interface RunSetup {
  seed: number;
  n: number;
  perDay: number;
  origin: number;
  meanGapHours: number;
  main: WorkingCalendar;
  assumptions: string[];
}

function run(graph: ProcessGraph, network: Network, setup: RunSetup): SimulationRun {
  const { nodes, pools } = network;
  const { n, main, seed } = setup;
  const random = new Random(seed);
  const queue = new EventQueue();
  const arrivedAt = new Float64Array(n);
  const finishedAt = new Float64Array(n);
  const tokens = new Int32Array(n);
  const joinCounts = new Int32Array(network.joins > 0 ? n * network.joins : 0);
  const hasSupplement = nodes.some((s) => s.mark !== 0);
  const supplementHours = hasSupplement ? new Float64Array(n) : null;
  const supplementCount = hasSupplement ? new Int32Array(n) : null;
  const supplementSince = hasSupplement ? new Float64Array(n).fill(Number.NaN) : null;
  /** Decision 766's supplement time: from the request to the complete supplement, on the reception calendar. */
  const mark = (inst: number, node: number, now: number): void => {
    const m = nodes[node].mark;
    if (m === 1) {
      supplementSince![inst] = now;
      supplementCount![inst]++;
    } else if (m === 2 && supplementSince![inst] === supplementSince![inst]) {
      supplementHours![inst] += workingTimeBetween(main, supplementSince![inst], now, 'workingHours');
      supplementSince![inst] = Number.NaN;
    }
  };
  const nodeCount = nodes.length;
  const visits = new Float64Array(nodeCount);
  const waitSum = new Float64Array(nodeCount);
  const waitMax = new Float64Array(nodeCount);
  const serviceSum = new Float64Array(nodeCount);

  // Event slots: the arrival uses slot 0; activity completions use the others.
  let slotInst = new Int32Array(1024);
  let slotNode = new Int32Array(1024);
  const free: number[] = [];
  let nextSlot = 1;
  const allocSlot = (): number => {
    if (free.length > 0) return free.pop()!;
    const s = nextSlot++;
    if (s >= slotInst.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      slotInst = grow(slotInst);
      slotNode = grow(slotNode);
    }
    return s;
  };

  let finished = 0;
  let lastTime = setup.origin;
  const stack: number[] = [];

  const begin = (inst: number, node: number, now: number, waited: number): void => {
    const sim = nodes[node];
    const hours = sim.sample!(random);
    const end = hours <= 0 ? now : sim.elapsed ? now + hours * 3_600_000 : addWorkingTime(sim.calendar!, now, hours, 'workingHours');
    visits[node]++;
    waitSum[node] += waited;
    if (waited > waitMax[node]) waitMax[node] = waited;
    serviceSum[node] += hours;
    if (sim.pool >= 0) {
      const pool = pools[sim.pool];
      pool.busyHours += hours;
      pool.waitHours += waited;
      pool.tasks++;
    }
    const slot = allocSlot();
    slotInst[slot] = inst;
    slotNode[slot] = node;
    queue.push(end, slot);
  };

  /** Moves a dossier's token through zero-time elements from `from` (already left), until it waits or ends. */
  const advance = (inst: number, from: number, now: number): void => {
    if (hasSupplement) mark(inst, from, now);
    const out = nodes[from].out;
    if (out.length === 0) {
      if (--tokens[inst] === 0) finish(inst, now);
      return;
    }
    tokens[inst] += out.length - 1;
    for (let k = out.length - 1; k >= 0; k--) stack.push(out[k]);
    let hops = 0;
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (++hops > MAX_ZERO_TIME_HOPS) throw new SimulationInputError(`${nodes[node].id}: a dossier passed ${MAX_ZERO_TIME_HOPS} elements without taking any time (a loop of gateways and events with no task in it?)`, { elementId: nodes[node].id });
      const sim = nodes[node];
      if (hasSupplement && sim.kind !== K_ACT) mark(inst, node, now);
      switch (sim.kind) {
        case K_END:
          if (--tokens[inst] === 0) finish(inst, now);
          continue;
        case K_XOR: {
          const u = random.uniform();
          const cum = sim.cum!;
          let k = 0;
          while (u >= cum[k]) k++;
          stack.push(sim.out[k]);
          continue;
        }
        case K_ACT: {
          if (sim.pool < 0) {
            begin(inst, node, now, 0);
            continue;
          }
          const pool = pools[sim.pool];
          if (pool.busy < pool.staff) {
            pool.busy++;
            begin(inst, node, now, 0);
          } else {
            enqueue(pool, inst, node, now);
          }
          continue;
        }
        default: {
          // A completed parallel join, a split or a pass-through element leaves by every outgoing flow.
          if (sim.join >= 0) {
            const at = inst * network.joins + sim.join;
            if (++joinCounts[at] < sim.need) {
              tokens[inst]--;
              continue;
            }
            joinCounts[at] = 0;
          }
          const o = sim.out;
          if (o.length === 0) {
            if (--tokens[inst] === 0) finish(inst, now);
            continue;
          }
          tokens[inst] += o.length - 1;
          for (let k = o.length - 1; k >= 0; k--) stack.push(o[k]);
        }
      }
    }
  };

  const finish = (inst: number, now: number): void => {
    finishedAt[inst] = now;
    finished++;
  };

  // The first arrival, then one pending arrival at a time.
  let arrived = 0;
  queue.push(addWorkingTime(main, setup.origin, random.exponential(setup.meanGapHours), 'workingHours'), 0);
  const maxEvents = n * MAX_EVENTS_PER_DOSSIER;
  let events = 0;
  while (queue.length > 0) {
    if (++events > maxEvents) {
      let busiest = 0;
      for (let i = 1; i < nodeCount; i++) if (visits[i] > visits[busiest]) busiest = i;
      throw new SimulationInputError(`${nodes[busiest].id}: the dossiers took more than ${MAX_EVENTS_PER_DOSSIER} steps each on average (visited ${visits[busiest]} times): a loop that a dossier rarely or never leaves? check the branch probabilities`, { elementId: nodes[busiest].id });
    }
    const slot = queue.pop();
    const now = queue.timeOf(slot);
    lastTime = now;
    if (slot === 0) {
      const inst = arrived++;
      arrivedAt[inst] = now;
      tokens[inst] = 1;
      if (arrived < n) queue.push(addWorkingTime(main, now, random.exponential(setup.meanGapHours), 'workingHours'), 0);
      advance(inst, network.start, now);
      continue;
    }
    const inst = slotInst[slot];
    const node = slotNode[slot];
    free.push(slot);
    const sim = nodes[node];
    if (sim.pool >= 0) {
      const pool = pools[sim.pool];
      if (pool.qLength > 0) {
        const j = pool.qHead;
        const nextInst = pool.qInst[j];
        const nextNode = pool.qNode[j];
        const since = pool.qSince[j];
        pool.qHead = (j + 1) % pool.qInst.length;
        pool.qLength--;
        begin(nextInst, nextNode, now, workingTimeBetween(pool.calendar, since, now, 'workingHours'));
      } else {
        pool.busy--;
      }
    }
    advance(inst, node, now);
  }
  if (finished !== n) {
    const waiting = nodes.filter((sim) => sim.join >= 0).map((sim) => sim.id);
    throw new SimulationInputError(`${n - finished} of ${n} dossiers never finished: a parallel join (${waiting.join(', ') || 'none'}) waits for a token that never comes (a branch of an exclusive gateway that skips it?)`, { elementId: waiting[0] });
  }
  return measure(graph, network, setup, { arrivedAt, finishedAt, supplementHours, supplementCount, visits, waitSum, waitMax, serviceSum, lastTime });
}

interface Tallies {
  arrivedAt: Float64Array;
  finishedAt: Float64Array;
  supplementHours: Float64Array | null;
  supplementCount: Int32Array | null;
  visits: Float64Array;
  waitSum: Float64Array;
  waitMax: Float64Array;
  serviceSum: Float64Array;
  lastTime: number;
}

function measure(graph: ProcessGraph, network: Network, setup: RunSetup, t: Tallies): SimulationRun {
  const { n, main } = setup;
  const cycleTimes = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const days = workingTimeBetween(main, t.arrivedAt[i], t.finishedAt[i], 'workingDays');
    cycleTimes[i] = days;
    sum += days;
  }
  const statutory = graph.facts?.statutoryTime;
  let onTime: SimulationResult['onTime'];
  if (statutory) {
    const offset = main.definition.utcOffsetMinutes;
    const addOptions: AddWorkingTimeOptions = statutory.cutoff && statutory.cutoff !== 'legal' ? { cutoff: statutory.cutoff } : {};
    const legal = { early: 0, onTime: 0, late: 0 };
    const d766 = { early: 0, onTime: 0, late: 0 };
    for (let i = 0; i < n; i++) {
      const due = addWorkingTime(main, t.arrivedAt[i], statutory.amount, statutory.unit, addOptions);
      const end = t.finishedAt[i];
      const l = timelinessOf(end, due, offset);
      legal[l === 'on-time' ? 'onTime' : l]++;
      let m: typeof l;
      if (t.supplementCount && t.supplementCount[i] > 1) m = 'late';
      else if (t.supplementHours && t.supplementHours[i] > 0) m = timelinessOf(end, addWorkingTime(main, due, t.supplementHours[i], 'workingHours'), offset);
      else m = l;
      d766[m === 'on-time' ? 'onTime' : m]++;
    }
    onTime = {
      statutoryTime: statutory,
      legal: { ...legal, share: (legal.early + legal.onTime) / n },
      decision766: { code: '2.1', ...d766, share: (d766.early + d766.onTime) / n },
    };
  }
  const firstArrival = t.arrivedAt[0];
  const pools: PoolResult[] = network.pools.map((p) => {
    const open = Math.max(0, workingTimeBetween(p.calendar, firstArrival, t.lastTime, 'workingHours'));
    return {
      id: p.id,
      agency: p.agency,
      role: p.role,
      staff: p.staff,
      utilisation: open > 0 ? p.busyHours / (p.staff * open) : 0,
      meanQueue: open > 0 ? p.waitHours / open : 0,
      maxQueue: p.maxQueue,
      meanWaitHours: p.tasks > 0 ? p.waitHours / p.tasks : 0,
      tasks: p.tasks,
      defaulted: p.defaulted,
    };
  });
  const warnings = [...network.warnings];
  for (const p of pools) {
    if (p.utilisation > 0.95) warnings.push(`pool ${p.id} is saturated (utilisation ${(100 * p.utilisation).toFixed(1)} %, up to ${p.maxQueue} waiting): its queue grows as long as the run lasts, so the figures depend on the number of dossiers; give it more staff or shorter steps`);
  }
  const elements: Record<string, ElementResult> = {};
  network.nodes.forEach((sim, i) => {
    if (sim.kind !== K_ACT) return;
    const v = t.visits[i];
    const name = graph.nodes[sim.id].name;
    elements[sim.id] = {
      ...(name !== undefined ? { name } : {}),
      visits: v,
      meanWaitHours: v > 0 ? t.waitSum[i] / v : 0,
      maxWaitHours: t.waitMax[i],
      meanServiceHours: v > 0 ? t.serviceSum[i] / v : 0,
      ...(sim.pool >= 0 ? { pool: network.pools[sim.pool].id } : {}),
    };
  });
  cycleTimes.sort();
  const result: SimulationResult = {
    processId: graph.processId,
    ...(graph.name !== undefined ? { name: graph.name } : {}),
    seed: setup.seed,
    dossiers: n,
    arrivalsPerWorkingDay: setup.perDay,
    firstArrival: new Date(firstArrival).toISOString(),
    lastFinish: new Date(t.lastTime).toISOString(),
    cycleTime: { unit: 'workingDays', mean: sum / n, p50: quantile(cycleTimes, 0.5), p90: quantile(cycleTimes, 0.9), max: cycleTimes[n - 1] },
    ...(onTime ? { onTime } : {}),
    pools,
    elements,
    assumptions: setup.assumptions,
    warnings,
  };
  return { result, cycleTimes };
}
