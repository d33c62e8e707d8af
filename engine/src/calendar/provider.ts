/**
 * How the engine asks for working time: a *provider* injected by the
 * composition root returns, for an agency and a moment, the calendar and the
 * counting rules in force. The engine knows no country; without a provider it
 * counts working time as calendar time (see `calendarTimeRules`).
 */
import type { DayCounting } from './arithmetic';
import { buildWorkingCalendar, type WorkingCalendar } from './working-calendar';

/** The working calendar of an agency and the counting rules in force at a moment. */
export interface WorkingTimeRules {
  calendar: WorkingCalendar;
  /** The legal cut-off "HH:MM" (a start after it counts from the next working day), used where a model asks for the legal one. */
  cutoff?: string;
  /** How working days are counted from a start (default `elapsed`). */
  dayCounting?: DayCounting;
}

/**
 * The rules for `agency` (undefined: the model names none) at `at` (epoch ms,
 * e.g. the receipt time, so that a dossier keeps the rules of its receipt).
 * Must be pure and cheap (cache built calendars); may throw a MotcuaError for an
 * unknown agency or a moment outside the data.
 */
export type CalendarProvider = (agency: string | undefined, at: number) => WorkingTimeRules;

let allTheTime: WorkingTimeRules | undefined;

/**
 * The rules used without a provider: every moment of 1970–2069 (UTC) is working
 * time, so a working day is 24 hours and a working hour an hour. Models that use
 * working time still run (as calendar time), and the engine warns at deploy.
 */
export function calendarTimeRules(): WorkingTimeRules {
  allTheTime ??= {
    calendar: buildWorkingCalendar({
      timeZone: 'UTC',
      utcOffsetMinutes: 0,
      from: '1970-01-01',
      to: '2069-12-31',
      week: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]),
      exceptions: [],
    }),
    dayCounting: 'elapsed',
  };
  return allTheTime;
}
