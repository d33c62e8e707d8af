/**
 * Working time in the runtime: due dates of user tasks and timer durations
 * from `motcua:facts` statutory times, the appointment date of an instance, and
 * the FEEL working-time functions, all on the calendar that the injected
 * provider gives for the element's agency (the step's own, else the process's).
 * Pure: the provider is a pure function handed in with the step's options, and
 * `now` is the step's. Without a provider, working time counts as calendar time.
 */
import { addWorkingTime, calendarTimeRules, subtractWorkingTime, workingTimeBetween, type CalendarProvider, type WorkingTimeRules } from '../calendar/index';
import { InvariantError } from '../errors';
import { ExpressionError, usesWorkingTime, workingTimeFunctions } from '../expressions';
import type { FlowNode, ProcessGraph, StatutoryTime } from '../model/graph';
import { ROOT, type InstanceState, type Variables } from './state';
import type { Limits } from '../limits';

/** What a step needs besides graph, state, command and now. */
export interface StepOptions {
  /** The working calendars by agency; without one, working time counts as calendar time. */
  calendars?: CalendarProvider;
  /** How long before a statutory due date a task's follow-up (warning) date falls; none when absent. */
  taskWarning?: TaskWarning;
  /** The bounds on what the model and its data may ask for (defaults: `DEFAULT_LIMITS` in ../limits.ts). */
  limits?: Readonly<Limits>;
}

/** The warning before due of tasks: an amount of time before the due date, or a share of the task's time elapsed. */
export type TaskWarning = { amount: number; unit: 'workingDays' | 'workingHours' | 'hours' | 'calendarDays' } | { share: number };

/** The variable holding the appointment date (ISO) set at start from the process's statutory time. */
export const APPOINTMENT_VARIABLE = 'appointmentAt';

/** The agency whose calendar counts for `node`: its own facts', else the process's. */
export function agencyOf(graph: ProcessGraph, node: FlowNode | undefined): string | undefined {
  return node?.facts?.agency ?? graph.facts?.agency;
}

/** The rules for `agency` at `at` from the provider, or calendar time without one. */
export function rulesFor(options: StepOptions, agency: string | undefined, at: number): WorkingTimeRules {
  return options.calendars ? options.calendars(agency, at) : calendarTimeRules();
}

/**
 * The deadline `time` after `start` on `rules`: the cut-off `legal` is the one in
 * force (rules.cutoff), `none` none, "HH:MM" that time; without one, only
 * `sameDay` uses a cut-off (the legal one, else 15:00).
 */
export function deadlineAfter(rules: WorkingTimeRules, start: number, time: StatutoryTime): number {
  let cutoff: string | null | undefined;
  if (time.cutoff === undefined) cutoff = time.unit === 'sameDay' ? rules.cutoff : null;
  else if (time.cutoff === 'legal') cutoff = rules.cutoff ?? null;
  else if (time.cutoff === 'none') cutoff = null;
  else cutoff = time.cutoff;
  return addWorkingTime(rules.calendar, start, time.amount, time.unit, { cutoff, dayCounting: rules.dayCounting });
}

/** The due date of a user task from its own statutory time, started at `now`; undefined without one. */
export function statutoryDueAt(graph: ProcessGraph, node: FlowNode, options: StepOptions, now: number): number | undefined {
  const time = node.facts?.statutoryTime;
  if (!time || time.beforeDue) return undefined;
  return asIncidentCause(node.id, () => deadlineAfter(rulesFor(options, agencyOf(graph, node), now), now, time));
}

/**
 * The warning moment of a task due at `dueAt` by its statutory time: the
 * engine's `taskWarning` before the due date on the task's calendar (or when
 * the given share of its working time has run), never before `now`.
 */
export function warningBefore(graph: ProcessGraph, node: FlowNode, options: StepOptions, now: number, dueAt: number): number | undefined {
  const warning = options.taskWarning;
  if (!warning) return undefined;
  return asIncidentCause(node.id, () => {
    const rules = rulesFor(options, agencyOf(graph, node), now);
    if ('share' in warning) {
      const hours = workingTimeBetween(rules.calendar, now, dueAt, 'workingHours');
      return Math.max(now, addWorkingTime(rules.calendar, now, Math.max(0, hours * warning.share), 'workingHours'));
    }
    return Math.max(now, subtractWorkingTime(rules.calendar, dueAt, warning.amount, warning.unit));
  });
}

/**
 * The due moment of a timer event with a statutory time in its facts: after
 * `now`, or (`beforeDue`) before the attached task's due date `taskDueAt`.
 * Undefined when the event has none (the timer's own expression counts).
 */
export function statutoryTimerDueAt(graph: ProcessGraph, node: FlowNode, options: StepOptions, now: number, taskDueAt: () => number | undefined): number | undefined {
  const time = node.facts?.statutoryTime;
  if (!time) return undefined;
  return asIncidentCause(node.id, () => {
    const rules = rulesFor(options, agencyOf(graph, node), now);
    if (!time.beforeDue) return deadlineAfter(rules, now, time);
    const due = taskDueAt();
    if (due === undefined) throw new ExpressionError(source(node.id), `timer '${node.id}' fires ${time.amount} ${time.unit} before the due date of the task it is attached to, and that task has no due date`, 'modelGap');
    if (time.unit === 'sameDay') throw new ExpressionError(source(node.id), `timer '${node.id}': beforeDue takes workingDays, workingHours, hours or calendarDays, not sameDay`, 'modelGap');
    return subtractWorkingTime(rules.calendar, due, time.amount, time.unit);
  });
}

function source(id: string): string {
  return `motcua:facts statutoryTime of '${id}'`;
}

/**
 * Runs a computation on the calendar: its errors (a moment outside the data, an
 * unknown agency) become ExpressionErrors, i.e. an incident on the element naming
 * the element and the reason, as for a bad FEEL expression.
 */
function asIncidentCause<T>(id: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof Error && !(error instanceof InvariantError) && !(error instanceof ExpressionError)) throw new ExpressionError(source(id), `the statutory time of '${id}' cannot be counted: ${error.message}`);
    throw error;
  }
}

/**
 * The appointment date of a new instance: the process's statutory time from its
 * receipt `now` (with the cut-off the procedure asks for); undefined when the
 * process has none.
 */
export function appointmentAt(graph: ProcessGraph, options: StepOptions, now: number): number | undefined {
  const time = graph.facts?.statutoryTime;
  if (!time) return undefined;
  return deadlineAfter(rulesFor(options, graph.facts?.agency, now), now, time);
}

/**
 * The instance's appointment (epoch ms): its process-scope `appointmentAt` (ISO 8601), or
 * undefined when it has none (none was set, it is null, e.g. an online dossier not yet
 * accepted, or it is not a date).
 */
export function instanceAppointment(state: Pick<InstanceState, 'elements'>): number | undefined {
  const value = state.elements[ROOT]?.vars?.[APPOINTMENT_VARIABLE];
  if (typeof value !== 'string') return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : undefined;
}

/**
 * A user task's due date kept no later than the instance's appointment: each step has its
 * share of the procedure's statutory time, and the shares are parts of that one time, so no
 * step is due after the result is.
 */
export function dueNoLaterThanAppointment(dueAt: number | undefined, state: Pick<InstanceState, 'elements'>): number | undefined {
  if (dueAt === undefined) return undefined;
  const appointment = instanceAppointment(state);
  return appointment !== undefined && appointment < dueAt ? appointment : dueAt;
}

/**
 * `context` with the FEEL working-time functions of `agency`'s calendar added,
 * when `expression` calls them; else `context` itself (untouched either way).
 */
export function withWorkingTime(expression: string, context: Variables, options: StepOptions, agency: string | undefined, now: number): Record<string, unknown> {
  if (!usesWorkingTime(expression)) return context;
  return { ...context, ...workingTimeFunctions(rulesFor(options, agency, now)) };
}

const WORKING_UNITS = new Set(['workingDays', 'workingHours', 'sameDay']);

/**
 * Deploy warnings for a process that counts working time when the engine has no
 * calendar provider: its working days and hours will count as calendar time.
 */
export function workingTimeWithoutCalendar(graph: ProcessGraph): string[] {
  const warnings: string[] = [];
  const check = (id: string, time: StatutoryTime | undefined) => {
    if (time && WORKING_UNITS.has(time.unit)) warnings.push(`'${id}' has a statutory time of ${time.amount} ${time.unit}, but the engine has no working calendar: it counts as calendar time`);
  };
  check(graph.processId, graph.facts?.statutoryTime);
  for (const node of Object.values(graph.nodes)) check(node.id, node.facts?.statutoryTime);
  return warnings;
}
