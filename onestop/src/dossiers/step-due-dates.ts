/**
 * The due dates of a dossier's open steps on its legal clock (issue 16). Each step of a
 * procedure has its share of the statutory time (`motcua:facts statutoryTime` on the step);
 * the engine counts it from the moment the step's task opens, and never past the instance's
 * appointment. When the dossier's appointment moves, the open steps follow it:
 *
 * - **restart** (Decree 118/2025 art. 19(5), the default): the complete supplement starts the
 *   statutory time from zero, and with it the share of each step open across the supplement;
 * - **pause** (a procedure's setting, e.g. the Decree 301/2026 groups): each such step keeps
 *   what was left of its share when the clock stopped (the request, or its opening if later)
 *   and resumes it at the complete supplement;
 * - the **late apology** (art. 19(6)) moves the appointment later once: the shares stand, only
 *   the bound moves (a step held at the old appointment gets its own due date back, up to the
 *   new one);
 * - always: no step is due after the dossier's appointment;
 * - a **calendar change** (holidays, made-up working days, an agency's hours) counts the same
 *   shares again on the new data; the appointment itself does not move (the one on the
 *   receipt, or the one a supplement or the apology gave), so a step the new data would push
 *   past it is due at it.
 *
 * A step due by a date of its model (`zeebe:taskSchedule dueDate`, e.g.
 * `=subtract working days(appointmentAt, 1)`) keeps that date: it is the model's own rule,
 * as for the engine. Pure: the calendars come in, as for the engine's steps, and every date
 * is counted with the engine's working-time code (`statutoryDueAt`, the dossier clock).
 */
import { statutoryDueAt, type CalendarProvider, type FlowNode, type ProcessGraph } from '../../../engine/src/pure';
import type { Dossier } from './dossier';
import { dossierClockOf } from './dossier-clock';
import type { DossierRulesVersion } from './dossier-rules';
import { clockAfterSupplementOf, durationUnit } from './lifecycle';

/** An open task of the dossier's instance, as its row holds it. */
export interface OpenStep {
  id: string;
  elementId: string;
  /** When the task opened (its share counts from here). */
  createdAt: number;
  dueAt?: number;
}

/** A step whose due date changes. */
export interface StepDueDate {
  taskId: string;
  dueAt: number;
}

/** What {@link stepDueDates} counts with. */
export interface StepDueDatesInput {
  /** The dossier after the change of its appointment. */
  dossier: Dossier;
  /** The rules the dossier runs under (restart or pause by default). */
  rules: DossierRulesVersion;
  /** The compiled process of the dossier's instance. */
  graph: ProcessGraph;
  /** The working calendars by agency (the engine's). */
  calendars: CalendarProvider;
  tasks: readonly OpenStep[];
}

/**
 * The open steps whose due date changes when the dossier's appointment is what `dossier`
 * says, or when the calendar data change under it (its appointment stays): each step due by
 * its share on the legal clock (restart or pause after a supplement during processing), then
 * no later than the appointment. A share the calendar data cannot count keeps the task's due
 * date (within the appointment).
 *
 * @example
 * const moved = stepDueDates({ dossier, rules, graph, calendars, tasks: openTasks });
 * // → [{ taskId, dueAt }] for a `rescheduleTasks` step of the instance
 */
export function stepDueDates(input: StepDueDatesInput): StepDueDate[] {
  return movedWithin(input, input.dossier.appointmentAt, (node, task) => shareDueAt(input, node, task));
}

/** What {@link openingShareDueDates} counts with. */
export interface OpeningShareInput {
  /** The compiled process of the instance. */
  graph: ProcessGraph;
  /** The working calendars by agency (the engine's). */
  calendars: CalendarProvider;
  tasks: readonly OpenStep[];
  /** The instance's own appointment (its `appointmentAt`), if it has one. */
  appointmentAt?: number;
}

/**
 * The open steps of an instance that runs no dossier whose due date changes when the calendar
 * data change: each due by its share counted from its opening, as the engine counted it, no
 * later than the instance's appointment (which stays).
 */
export function openingShareDueDates(input: OpeningShareInput): StepDueDate[] {
  const options = { calendars: input.calendars };
  return movedWithin(input, input.appointmentAt, (node, task) => statutoryDueAt(input.graph, node, options, task.createdAt));
}

/** The tasks due by their share whose due date `shareOf` (then `appointmentAt`) moves. */
function movedWithin(input: { graph: ProcessGraph; tasks: readonly OpenStep[] }, appointmentAt: number | undefined, shareOf: (node: FlowNode, task: OpenStep) => number | undefined): StepDueDate[] {
  const moved: StepDueDate[] = [];
  for (const task of input.tasks) {
    const node = input.graph.nodes[task.elementId];
    if (!node || !byShare(node)) continue;
    let dueAt = task.dueAt;
    try {
      dueAt = shareOf(node, task) ?? dueAt;
    } catch {
      // a share the calendar data cannot count keeps its due date
    }
    if (dueAt === undefined) continue;
    if (appointmentAt !== undefined && appointmentAt < dueAt) dueAt = appointmentAt;
    if (dueAt !== task.dueAt) moved.push({ taskId: task.id, dueAt });
  }
  return moved;
}

/** A user task due by its own share of the statutory time (not by a date of its model). */
function byShare(node: FlowNode): boolean {
  const time = node.facts?.statutoryTime;
  return node.type === 'userTask' && !node.dueDate && time !== undefined && !time.beforeDue;
}

/** The end of a step's share on the dossier's legal clock. */
function shareDueAt(input: StepDueDatesInput, node: FlowNode, task: OpenStep): number | undefined {
  const { dossier, graph, calendars } = input;
  const options = { calendars };
  const opened = statutoryDueAt(graph, node, options, task.createdAt);
  const supplement = dossier.supplement;
  const clock = clockAfterSupplementOf(dossier, input.rules);
  // A step that opened after the complete supplement counts from its opening.
  if (opened === undefined || !clock || supplement?.completedAt === undefined || task.createdAt >= supplement.completedAt) return opened;
  if (clock === 'restart') return statutoryDueAt(graph, node, options, supplement.completedAt);
  // Pause: what was left of the share when the clock stopped resumes at the supplement.
  const time = node.facts!.statutoryTime!;
  const unit = durationUnit(time.unit);
  const agencyClock = dossierClockOf(calendars(node.facts?.agency ?? graph.facts?.agency, supplement.completedAt).calendar);
  const left = Math.max(0, agencyClock.between(Math.max(task.createdAt, supplement.requestedAt), opened, unit));
  return agencyClock.add(supplement.completedAt, left, unit);
}
