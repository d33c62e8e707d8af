/**
 * Working-time arithmetic over a calendar: the engine's generic, pure part of
 * the legal clocks. No I/O, no clock reads, no facts of any country: the
 * one-stop-shop layer (onestop/src/clocks) turns its yearly data into a
 * `CalendarDefinition`, builds it once, and asks for deadlines.
 *
 * ## Design
 * - **Definition → tables.** A definition (plain JSON: a fixed UTC offset, the
 *   covered days, weekly blocks, dated exceptions) is checked field by field and
 *   turned into typed arrays: blocks per day, working ms before each day (prefix
 *   sums), working days before each day (prefix counts), the day of each
 *   working-day ordinal. Building is cheap (a few thousand days); build once per
 *   agency and data version.
 * - **Two positions.** W(t) = working ms since the first covered day; P(t) =
 *   working days before t's day + the share of t's day already worked. Adding
 *   working hours is W⁻¹(W(t) + h) (a galloping search over the prefix sums from
 *   t's day, O(log days ahead)); adding working days is P⁻¹(P(t) + n) (an array
 *   read, O(1)). Counting back is the difference of positions, so "add then count
 *   back" gives the amount: exactly in working hours, to the millisecond in
 *   working days (a share of a day is rounded to whole ms, so adding days in steps
 *   over days of different lengths may differ from adding them at once by a few ms).
 * - **Deadlines close a stretch of work.** The inverse returns the *earliest*
 *   moment reaching a position, so a deadline is 17:00 (or 11:30), never the next
 *   opening: the millisecond before a positive deadline is always working time.
 * - **Units.** workingDays (`elapsed` by default: the same share of the day n
 *   working days later; or `next-day`: the start day not counted, ending at the
 *   close of the n-th working day), workingHours, hours, calendarDays (optionally
 *   ending on a working day), sameDay (the close of today's working day, or of the
 *   next one after the cut-off). The cut-off ("15:00" by default for sameDay, an
 *   option for every unit) moves a start made after it on a working day to the
 *   next working day's opening.
 * - **Fixed offsets only.** Asia/Ho_Chi_Minh has had no daylight saving since
 *   1975; the zone's name stays in the definition for the record and for a later
 *   zone with DST (which would need per-day offsets in the tables).
 * - **No silent guesses.** A computation that leaves the covered days throws
 *   CalendarRangeError: a deadline past the known holidays would be wrong.
 */
export type { CalendarDefinition, DayException, TimeBlock } from './definition';
export { CalendarArgumentError, CalendarDefinitionError, CalendarRangeError } from './errors';
export { buildWorkingCalendar, formatLocalDate, parseClockTime, parseLocalDate, DAY_MS, HOUR_MS, MINUTE_MS, MAX_CALENDAR_DAYS, type WorkingCalendar } from './working-calendar';
export {
  addWorkingTime,
  isWorkingDay,
  isWorkingMoment,
  nextWorkingMoment,
  subtractWorkingTime,
  workingTimeBetween,
  WORKING_TIME_UNITS,
  type AddWorkingTimeOptions,
  type DayCounting,
  type WorkingTimeUnit,
} from './arithmetic';
export { calendarTimeRules, type CalendarProvider, type WorkingTimeRules } from './provider';
