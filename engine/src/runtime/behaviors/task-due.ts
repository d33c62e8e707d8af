/**
 * The due date of a user task: its `zeebe:taskSchedule dueDate` when it has one
 * (FEEL may call the working-time functions, and read `appointmentAt`), else its
 * own `motcua:facts` statutory time on its agency's working calendar, no later
 * than the instance's appointment (`appointmentAt`). Shared by the task itself
 * and by a boundary timer that fires some time before it.
 */
import { evaluate, ExpressionError } from '../../expressions';
import type { UserTaskNode } from '../../model/graph';
import { firstDue, parseTimer } from '../../timer';
import type { Execution } from '../execution';
import type { Variables } from '../state';
import { agencyOf, dueNoLaterThanAppointment, statutoryDueAt, warningBefore, withWorkingTime } from '../working-time';

/** The due date (epoch ms) of a user task entered now, or undefined when it has none. */
export function userTaskDueAt(execution: Execution, node: UserTaskNode, context: Variables): number | undefined {
  if (node.dueDate) return dateOf(execution, node, node.dueDate, context);
  return dueNoLaterThanAppointment(statutoryDueAt(execution.graph, node, execution.options, execution.now), execution.state);
}

/**
 * The follow-up date (epoch ms) of a user task entered now: its
 * `zeebe:taskSchedule followUpDate`, else, for a task due by its statutory time,
 * the warning before due (the engine's `taskWarning`, in working time, never
 * before now); undefined when neither applies.
 */
export function userTaskFollowUpAt(execution: Execution, node: UserTaskNode, context: Variables, dueAt: number | undefined): number | undefined {
  if (node.followUpDate) return dateOf(execution, node, node.followUpDate, context);
  if (dueAt === undefined || node.dueDate || !node.facts?.statutoryTime) return undefined;
  return warningBefore(execution.graph, node, execution.options, execution.now, dueAt);
}

/** A due or follow-up date: an ISO date-time, or a duration from now. */
function dateOf(execution: Execution, node: UserTaskNode, expression: string, context: Variables): number | undefined {
  const value = evaluate(expression, withWorkingTime(expression, context, execution.options, agencyOf(execution.graph, node), execution.now));
  if (value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ExpressionError(expression, `date '${expression}' must be an ISO 8601 date-time or duration (got ${JSON.stringify(value)})`, 'wrongType');
  return firstDue(parseTimer(value.startsWith('P') ? 'duration' : 'date', value), execution.now);
}
