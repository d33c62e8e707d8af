/**
 * The clock arithmetic the lifecycle and the statistics run on, as two functions over one
 * agency's working calendar. It comes in through the context, never as a global, so the
 * rules stay pure and a test can hand in any calendar.
 */
import { addWorkingTime, type AddWorkingTimeOptions, type WorkingCalendar, workingTimeBetween, type WorkingTimeUnit } from '../../../engine/src/pure';
import type { DurationUnit } from './dossier-rules';

/** Working-time arithmetic over the agency's calendar (see engine/src/calendar). */
export interface DossierClock {
  /** The deadline `amount` `unit`s after `start` (addWorkingTime). */
  add(start: number, amount: number, unit: WorkingTimeUnit, options?: AddWorkingTimeOptions): number;
  /** The time from `a` to `b` in `unit`, negative when b is before a (workingTimeBetween). */
  between(a: number, b: number, unit: DurationUnit): number;
}

/** The DossierClock of a built working calendar (onestop/src/clocks `agencyWorkingCalendar`). */
export function dossierClockOf(calendar: WorkingCalendar): DossierClock {
  return {
    add: (start, amount, unit, options) => addWorkingTime(calendar, start, amount, unit, options),
    between: (a, b, unit) => workingTimeBetween(calendar, a, b, unit),
  };
}
