/**
 * The plain-JSON description of a working calendar: what a caller hands to
 * `buildWorkingCalendar`. It holds no facts of any country: the one-stop-shop
 * layer builds it from its own yearly data.
 */

/** A block of working time inside one local day, `start` inclusive, `end` exclusive, as "HH:MM" (end may be "24:00"). */
export interface TimeBlock {
  start: string;
  end: string;
}

/**
 * One day that departs from the weekly pattern: a holiday (`hours: []`), a swapped
 * working Saturday (`hours` = a weekday's blocks), a shortened day.
 */
export interface DayException {
  /** Local date, "YYYY-MM-DD". */
  date: string;
  /** The working blocks of that day; an empty list closes the day. */
  hours: TimeBlock[];
  /** Why (a holiday's name, the notice that swapped the day): kept for traces, never read by the arithmetic. */
  reason?: string;
}

/**
 * A calendar: a fixed-offset time zone, the days it covers, the weekly working
 * hours and the exceptions. Plain JSON so it can be stored, diffed and sent.
 */
export interface CalendarDefinition {
  /** IANA name of the zone, e.g. "Asia/Ho_Chi_Minh"; informative (the arithmetic uses `utcOffsetMinutes`). */
  timeZone: string;
  /** The zone's offset from UTC in minutes (420 for UTC+7). Zones with daylight saving are not supported. */
  utcOffsetMinutes: number;
  /** First and last local day covered, "YYYY-MM-DD", both inclusive; a computation leaving this range is an error. */
  from: string;
  to: string;
  /** Working blocks per weekday, index 0 = Sunday … 6 = Saturday (an empty list: no work that weekday). */
  week: TimeBlock[][];
  /** Days that depart from `week`; one entry per date at most. */
  exceptions: DayException[];
}
