/**
 * Statutory times of `motcua:facts` as the rules compare them: every unit turned into
 * working hours, so that shares in working days, working hours and elapsed hours can be
 * added up against the procedure's total.
 *
 * The conversion is the one the legal texts mean when they mix units ("birth 24 h,
 * residence 2 working days, group 3 working days"): a working day has
 * `hoursPerWorkingDay` working hours (8 by default, 07:30–11:30 and 13:00–17:00); an
 * elapsed day (24 hours, a calendar day) counts as one working day; `sameDay` n counts
 * as n working days.
 */
import type { LintNode } from './types';

/** A statutory time read from `motcua:facts`. */
export interface FactsTime {
  amount: number;
  unit: string;
}

/** The statutory time of an element's facts, or undefined when absent or malformed (the engine reports those). */
export function timeOf(facts: LintNode | undefined): FactsTime | undefined {
  const amount = facts?.statutoryTime;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) return undefined;
  return { amount, unit: typeof facts?.timeUnit === 'string' ? facts.timeUnit : 'workingDays' };
}

/** `time` in working hours, or undefined for an unknown unit. */
export function workingHours(time: FactsTime, hoursPerWorkingDay = 8): number | undefined {
  switch (time.unit) {
    case 'workingHours':
      return time.amount;
    case 'workingDays':
    case 'sameDay':
    case 'calendarDays':
    case 'days':
      return time.amount * hoursPerWorkingDay;
    case 'hours':
      return (time.amount / 24) * hoursPerWorkingDay;
    default:
      return undefined;
  }
}

/** A statutory time as people write it: "3 workingDays". */
export function describeTime(time: FactsTime): string {
  return `${time.amount} ${time.unit}`;
}
