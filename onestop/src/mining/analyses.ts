/**
 * What the history of dossiers tells a reform team: where dossiers wait and where they
 * are worked on, per procedure, agency, step and official; which steps hold them longest;
 * which steps are done again (rework loops); who holds dossiers past their due time; and
 * the per-element figures the modeler draws as a heat overlay on the diagram.
 *
 * ## Waiting and working
 * A step waits from when it is ready (entered; for a user task, in the inbox) until an
 * official claims it, and is worked on from the claim until it is completed. A user task
 * completed without a claim (an official may complete a task offered to it directly) has
 * waited all its time; any other element (a message catch waiting for the applicant, a
 * timer, a service task) only waits. An open step is measured up to the log's `asOf`.
 * Durations are working hours on the calendar of the step's agency (the Vietnamese
 * public-service calendar in production), through a {@link WorkingHoursMeter}; a stretch
 * the calendar does not cover is counted as `unmeasured`, never guessed.
 *
 * Containers (a sub-process, the body of a multi-instance activity) are left out of the
 * totals per procedure, agency and official, whose inner steps already count; they keep
 * their own per-element figures.
 *
 * ## Rework
 * An element entered again in a case, after an earlier run of it, is rework; the loop is
 * the path of elements entered from the earlier run to the new one (both included). The
 * inner runs of a multi-instance activity are not rework, nor is a gateway passed again
 * (it is the loop's route, on the path).
 *
 * Pure: no clock (`asOf` is in the log), no I/O.
 */
import { type CalendarProvider, CalendarRangeError, workingTimeBetween } from '../../../engine/src/pure';
import { ClockDataError } from '../clocks/errors';
import type { MiningCase, MiningLog, MiningStep } from './event-log';

/** Working hours between two moments for an agency, or undefined when its calendar does not cover them. */
export type WorkingHoursMeter = (agency: string | undefined, from: number, to: number) => number | undefined;

/** A meter over a calendar provider (the engine's, so mining counts as deadlines do). */
export function workingHoursMeter(provider: CalendarProvider): WorkingHoursMeter {
  // The provider picks the rules in force on a local date: asked once per agency and quarter
  // of an hour (every zone's offset is a multiple of 15 minutes, so a quarter never spans two
  // local dates), not once per step.
  const rules = new Map<string | undefined, Map<number, ReturnType<CalendarProvider>>>();
  const calendarAt = (agency: string | undefined, at: number) => {
    let days = rules.get(agency);
    if (!days) rules.set(agency, (days = new Map()));
    const day = Math.floor(at / 900_000);
    let found = days.get(day);
    if (!found) days.set(day, (found = provider(agency, at)));
    return found.calendar;
  };
  return (agency, from, to) => {
    if (to <= from) return 0;
    try {
      return workingTimeBetween(calendarAt(agency, from), from, to, 'workingHours');
    } catch (error) {
      // Before the first legal settings, or past the last year the calendar knows.
      if (error instanceof CalendarRangeError || error instanceof ClockDataError) return undefined;
      throw error;
    }
  };
}

/** Total, mean and largest of some durations (working hours, three decimals). */
export interface DurationSummary {
  total: number;
  mean: number;
  max: number;
}

/** Waiting and working time of a set of steps. */
export interface TimeFigures {
  /** Steps measured (open ones included, up to `asOf`). */
  steps: number;
  /** Of which still open. */
  open: number;
  waitHours: DurationSummary;
  workHours: DurationSummary;
  /** Steps left out because the calendar does not cover their time. */
  unmeasured: number;
}

/** Figures of one step (an element of a procedure). */
export interface StepFigures extends TimeFigures {
  processId: string;
  elementId: string;
  name: string;
  elementType: string;
}

/** A rework loop: a path of elements that led back to one already run, and how often. */
export interface ReworkLoop {
  processId: string;
  /** The element entered again. */
  elementId: string;
  name: string;
  /** Element ids from the earlier run to the new one, both included. */
  path: string[];
  /** How many times the loop was taken, over all cases. */
  times: number;
  /** The cases that took it (at most `maxCaseIds`). */
  caseIds: string[];
  cases: number;
}

/** One open user task past its due time. */
export interface LateTask {
  caseId: string;
  processId: string;
  taskId: string;
  elementId: string;
  name: string;
  dueAt: number;
  /** Working hours past due at `asOf` (undefined: not covered by the calendar). */
  lateHours?: number;
}

/** Who holds late dossiers: an official (or nobody: `holder` null, the task waits in a group's inbox) of an agency. */
export interface LateHolder {
  holder: string | null;
  agency: string | null;
  tasks: LateTask[];
  /** Distinct cases among the tasks. */
  cases: number;
  oldestDueAt: number;
}

/** Per-element figures for the heat overlay of one procedure's diagram. */
export interface ElementHeat {
  name: string;
  elementType: string;
  runs: number;
  open: number;
  meanWaitHours: number;
  meanWorkHours: number;
  maxWaitHours: number;
  /** Entries that were rework (the element had run before in the case). */
  reworkEntries: number;
  /** Mean waiting time relative to the procedure's longest mean (0…1): the colour's strength. */
  heat: number;
}

export interface MiningSummary {
  asOf: number;
  /** The unit of every duration. */
  unit: 'workingHours';
  cases: number;
  openCases: number;
  byProcedure: Array<TimeFigures & { processId: string; cases: number }>;
  byAgency: Array<TimeFigures & { agency: string | null }>;
  byOfficial: Array<TimeFigures & { official: string }>;
  bySteps: StepFigures[];
  /** The steps with the longest mean waiting time, longest first. */
  topWaiting: StepFigures[];
  rework: ReworkLoop[];
  lateHolders: LateHolder[];
  /** processId → elementId → figures. */
  heat: Record<string, Record<string, ElementHeat>>;
}

export interface MiningOptions {
  /** How many steps `topWaiting` lists (default 10). */
  top?: number;
  /** How many case ids a rework loop lists (default 20). */
  maxCaseIds?: number;
}

const CONTAINERS = new Set(['subProcess', 'multiInstanceBody']);
const round = (n: number): number => Math.round(n * 1000) / 1000;

/** A step's waiting and working time in working hours (undefined: not measurable). */
export interface StepTimes {
  wait: number;
  work: number;
}

/** Waiting and working time of one step at `asOf` (see the module comment). */
export function stepTimes(step: MiningStep, asOf: number, meter: WorkingHoursMeter): StepTimes | undefined {
  const end = step.endedAt ?? Math.max(asOf, step.readyAt);
  const claim = step.startedAt !== undefined ? Math.min(Math.max(step.startedAt, step.readyAt), end) : end;
  const wait = meter(step.agency, step.readyAt, claim);
  const work = claim < end ? meter(step.agency, claim, end) : 0;
  return wait === undefined || work === undefined ? undefined : { wait, work };
}

/** Accumulates the times of steps into TimeFigures. */
class Tally {
  steps = 0;
  open = 0;
  unmeasured = 0;
  private wait = { total: 0, max: 0 };
  private work = { total: 0, max: 0 };

  add(step: MiningStep, times: StepTimes | undefined): void {
    if (!times) {
      this.unmeasured++;
      return;
    }
    this.steps++;
    if (step.outcome === 'open') this.open++;
    this.wait.total += times.wait;
    this.wait.max = Math.max(this.wait.max, times.wait);
    this.work.total += times.work;
    this.work.max = Math.max(this.work.max, times.work);
  }

  figures(): TimeFigures {
    const summary = (s: { total: number; max: number }): DurationSummary => ({ total: round(s.total), mean: round(this.steps ? s.total / this.steps : 0), max: round(s.max) });
    return { steps: this.steps, open: this.open, waitHours: summary(this.wait), workHours: summary(this.work), unmeasured: this.unmeasured };
  }
}

function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let tally = map.get(key);
  if (!tally) map.set(key, (tally = new Tally()));
  return tally;
}

/** The rework entries of one case: for each, the step entered again and the loop's path. */
export function reworkOf(c: MiningCase): Array<{ step: MiningStep; path: string[] }> {
  const found: Array<{ step: MiningStep; path: string[] }> = [];
  const lastEntry = new Map<string, number>();
  const lastBody = new Map<string, MiningStep>();
  c.steps.forEach((step, index) => {
    // An inner run of a multi-instance activity starts while its body is open.
    const body = lastBody.get(step.elementId);
    if (body && (body.endedAt === undefined || body.endedAt >= step.readyAt)) return;
    if (step.elementType === 'multiInstanceBody') lastBody.set(step.elementId, step);
    const before = lastEntry.get(step.elementId);
    // A gateway passed again is the route of a loop, not work done again.
    if (before !== undefined && !/Gateway$/.test(step.elementType)) {
      const path: string[] = [];
      for (const s of c.steps.slice(before, index + 1)) if (path[path.length - 1] !== s.elementId) path.push(s.elementId);
      found.push({ step, path });
    }
    lastEntry.set(step.elementId, index);
  });
  return found;
}

/** Mines a log: every figure of {@link MiningSummary}. */
export function mineLog(log: MiningLog, meter: WorkingHoursMeter, options: MiningOptions = {}): MiningSummary {
  const { asOf } = log;
  const top = options.top ?? 10;
  const maxCaseIds = options.maxCaseIds ?? 20;
  const byProcedure = new Map<string, Tally>();
  const casesOfProcedure = new Map<string, number>();
  const byAgency = new Map<string | null, Tally>();
  const byOfficial = new Map<string, Tally>();
  const byStep = new Map<string, { tally: Tally; step: MiningStep; processId: string; maxWait: number; rework: number }>();
  const loops = new Map<string, ReworkLoop & { caseSet: Set<string> }>();
  const holders = new Map<string, LateHolder & { caseSet: Set<string> }>();

  for (const c of log.cases) {
    casesOfProcedure.set(c.processId, (casesOfProcedure.get(c.processId) ?? 0) + 1);
    const reworked = new Set<MiningStep>();
    for (const { step, path } of reworkOf(c)) {
      reworked.add(step);
      const key = `${c.processId}\u0000${path.join('\u0000')}`;
      let loop = loops.get(key);
      if (!loop) loops.set(key, (loop = { processId: c.processId, elementId: step.elementId, name: step.name, path, times: 0, caseIds: [], cases: 0, caseSet: new Set() }));
      loop.times++;
      loop.caseSet.add(c.id);
    }
    for (const step of c.steps) {
      const times = stepTimes(step, asOf, meter);
      const stepKey = `${c.processId}\u0000${step.elementId}`;
      let figures = byStep.get(stepKey);
      if (!figures) byStep.set(stepKey, (figures = { tally: new Tally(), step, processId: c.processId, maxWait: 0, rework: 0 }));
      figures.tally.add(step, times);
      if (reworked.has(step)) figures.rework++;
      if (!CONTAINERS.has(step.elementType)) {
        tallyOf(byProcedure, c.processId).add(step, times);
        tallyOf(byAgency, step.agency ?? null).add(step, times);
        if (step.resource !== undefined && step.taskId !== undefined) tallyOf(byOfficial, step.resource).add(step, times);
      }
      if (step.taskId !== undefined && step.outcome === 'open' && step.dueAt !== undefined && step.dueAt < asOf) {
        const holderKey = `${step.agency ?? ''}\u0000${step.resource ?? ''}`;
        let holder = holders.get(holderKey);
        if (!holder) holders.set(holderKey, (holder = { holder: step.resource ?? null, agency: step.agency ?? null, tasks: [], cases: 0, oldestDueAt: step.dueAt, caseSet: new Set() }));
        const late = meter(step.agency, step.dueAt, asOf);
        holder.tasks.push({ caseId: c.id, processId: c.processId, taskId: step.taskId, elementId: step.elementId, name: step.name, dueAt: step.dueAt, ...(late === undefined ? {} : { lateHours: round(late) }) });
        holder.caseSet.add(c.id);
        holder.oldestDueAt = Math.min(holder.oldestDueAt, step.dueAt);
      }
    }
  }

  const stepFigures: StepFigures[] = [...byStep.values()].map(({ tally, step, processId }) => ({ processId, elementId: step.elementId, name: step.name, elementType: step.elementType, ...tally.figures() }));
  const heat: MiningSummary['heat'] = {};
  for (const { tally, step, processId, rework } of byStep.values()) {
    const f = tally.figures();
    (heat[processId] ??= {})[step.elementId] = {
      name: step.name,
      elementType: step.elementType,
      runs: f.steps,
      open: f.open,
      meanWaitHours: f.waitHours.mean,
      meanWorkHours: f.workHours.mean,
      maxWaitHours: f.waitHours.max,
      reworkEntries: rework,
      heat: 0,
    };
  }
  for (const elements of Object.values(heat)) {
    const longest = Math.max(0, ...Object.values(elements).map((e) => e.meanWaitHours));
    for (const e of Object.values(elements)) e.heat = longest > 0 ? round(e.meanWaitHours / longest) : 0;
  }

  const byText = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    asOf,
    unit: 'workingHours',
    cases: log.cases.length,
    openCases: log.cases.filter((c) => c.endedAt === undefined).length,
    byProcedure: [...byProcedure].map(([processId, t]) => ({ processId, cases: casesOfProcedure.get(processId) ?? 0, ...t.figures() })).sort(byText((f) => f.processId)),
    byAgency: [...byAgency].map(([agency, t]) => ({ agency, ...t.figures() })).sort(byText((f) => f.agency ?? '')),
    byOfficial: [...byOfficial].map(([official, t]) => ({ official, ...t.figures() })).sort(byText((f) => f.official)),
    bySteps: [...stepFigures].sort(byText((f) => `${f.processId}\u0000${f.elementId}`)),
    topWaiting: stepFigures
      .filter((f) => f.steps > 0 && !CONTAINERS.has(f.elementType))
      .sort((a, b) => b.waitHours.mean - a.waitHours.mean || byText<StepFigures>((f) => `${f.processId}\u0000${f.elementId}`)(a, b))
      .slice(0, top),
    rework: [...loops.values()]
      .map(({ caseSet, ...loop }) => ({ ...loop, cases: caseSet.size, caseIds: [...caseSet].slice(0, maxCaseIds) }))
      .sort((a, b) => b.times - a.times || byText<ReworkLoop>((l) => `${l.processId}\u0000${l.path.join('\u0000')}`)(a, b)),
    lateHolders: [...holders.values()]
      .map(({ caseSet, ...holder }) => ({ ...holder, cases: caseSet.size, tasks: holder.tasks.sort((a, b) => a.dueAt - b.dueAt) }))
      .sort((a, b) => b.tasks.length - a.tasks.length || a.oldestDueAt - b.oldestDueAt),
    heat,
  };
}
