/**
 * Working-time arithmetic over a built calendar. Every function is pure: the
 * moments are epoch milliseconds passed in, nothing reads the clock.
 *
 * Two positions underlie everything (see index.ts): the *working-time position*
 * W(t), working ms since the first covered day, and the *working-day position*
 * P(t), working days since the first covered day plus the fraction of the
 * current working day already worked. Both are monotone; a deadline is the
 * earliest moment at which the wanted position is reached, so it always ends a
 * stretch of working time (17:00, never the next day's 07:30).
 */
import { CalendarArgumentError, CalendarRangeError } from './errors';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatLocalDate, parseClockTime, type WorkingCalendar } from './working-calendar';

/** The units of statutory time. */
export type WorkingTimeUnit = 'workingDays' | 'workingHours' | 'hours' | 'calendarDays' | 'sameDay';

/** Every unit, for validation and documentation. */
export const WORKING_TIME_UNITS: readonly WorkingTimeUnit[] = ['workingDays', 'workingHours', 'hours', 'calendarDays', 'sameDay'];

/**
 * How working days are counted from the start.
 * - `elapsed`: n working days after the start, at the same share of the working day
 *   (received Tue 09:30 + 2 → Thu 09:30; received at opening + 1 → the same day's close).
 * - `next-day`: the day of the start is not counted; the time ends at the close of the
 *   n-th working day after it (Civil Code 2015 art. 147–148 style).
 */
export type DayCounting = 'elapsed' | 'next-day';

/** Options of `addWorkingTime`. */
export interface AddWorkingTimeOptions {
  /**
   * Local "HH:MM": a start strictly after it, on a working day, counts from the
   * opening of the next working day. Default: "15:00" for `sameDay`, none for the
   * other units; `null` turns it off.
   */
  cutoff?: string | null;
  /** `workingDays` only; default `elapsed`. */
  dayCounting?: DayCounting;
  /**
   * `hours` and `calendarDays` only: when the end falls on a day without work, the
   * time ends at the close of the next working day instead (Civil Code art. 148(5)).
   * Default false.
   */
  endOnWorkingDay?: boolean;
}

const DEFAULT_SAME_DAY_CUTOFF = '15:00';
const cutoffCache = new Map<string, number>();

function cutoffMs(text: string): number {
  let ms = cutoffCache.get(text);
  if (ms === undefined) {
    const minutes = parseClockTime(text);
    if (minutes === undefined || minutes >= 24 * 60) throw new CalendarArgumentError(`cutoff must be "HH:MM" before 24:00, got ${JSON.stringify(text)}`, { field: 'cutoff' });
    ms = minutes * MINUTE_MS;
    if (cutoffCache.size < 1024) cutoffCache.set(text, ms);
  }
  return ms;
}

// ---------------------------------------------------------------- day helpers

/*
 * The helpers below return NaN (or -1 for a day) when a result would leave the
 * covered days, and the entry points turn that into a CalendarRangeError with
 * their arguments in the message: the hot path formats nothing and allocates
 * nothing.
 */

function rangeError(calendar: WorkingCalendar, what: string): never {
  const { from, to } = calendar.definition;
  throw new CalendarRangeError(`${what}: the calendar covers ${from} to ${to} only (load the data of the years needed)`, { from, to });
}

/** Offset of t's local day from the first covered day; throws outside the range. */
function dayOf(calendar: WorkingCalendar, t: number): number {
  if (!Number.isFinite(t)) throw new CalendarArgumentError(`a moment must be finite epoch milliseconds, got ${t}`, { field: 'moment' });
  const d = Math.floor((t + calendar.offsetMs) / DAY_MS) - calendar.firstDay;
  if (d < 0 || d >= calendar.dayCount) rangeError(calendar, `${new Date(t).toISOString()} is on local day ${formatLocalDate(d + calendar.firstDay)}`);
  return d;
}

/** Epoch ms of day offset d's local midnight. */
function midnight(calendar: WorkingCalendar, d: number): number {
  return (calendar.firstDay + d) * DAY_MS - calendar.offsetMs;
}

function dayWorkMs(calendar: WorkingCalendar, d: number): number {
  return calendar.workMsBefore[d + 1] - calendar.workMsBefore[d];
}

/** Working ms of day d before local ms-of-day m. */
function workedBefore(calendar: WorkingCalendar, d: number, m: number): number {
  const { blocks, blockStart } = calendar;
  let worked = 0;
  for (let i = blockStart[d], end = blockStart[d + 1]; i < end; i++) {
    const s = blocks[2 * i];
    if (m <= s) break;
    const e = blocks[2 * i + 1];
    worked += (m < e ? m : e) - s;
  }
  return worked;
}

/** The earliest moment of day d at which `r` working ms of it are done (0 < r ≤ the day's working ms). */
function atWorked(calendar: WorkingCalendar, d: number, r: number): number {
  const { blocks, blockStart } = calendar;
  for (let i = blockStart[d], end = blockStart[d + 1]; i < end; i++) {
    const s = blocks[2 * i];
    const len = blocks[2 * i + 1] - s;
    if (r <= len) return midnight(calendar, d) + s + r;
    r -= len;
  }
  // r equal to the day's work within rounding: the close of the day.
  return closeOf(calendar, d);
}

/** Epoch ms of the close (end of the last block) of working day d; NaN for d = -1. */
function closeOf(calendar: WorkingCalendar, d: number): number {
  if (d < 0) return Number.NaN;
  return midnight(calendar, d) + calendar.blocks[2 * calendar.blockStart[d + 1] - 1];
}

/** Epoch ms of the opening of working day d; NaN for d = -1. */
function openingOf(calendar: WorkingCalendar, d: number): number {
  if (d < 0) return Number.NaN;
  return midnight(calendar, d) + calendar.blocks[2 * calendar.blockStart[d]];
}

/** Day offset of the working day with 0-based ordinal k, or -1 outside the covered working days. */
function workDay(calendar: WorkingCalendar, k: number): number {
  return k >= 0 && k < calendar.workingDayCount ? calendar.workDayAt[k] : -1;
}

/** Working-time position W(t): working ms from the first covered day to t. */
function workPosition(calendar: WorkingCalendar, t: number): number {
  const d = dayOf(calendar, t);
  return calendar.workMsBefore[d] + workedBefore(calendar, d, t - midnight(calendar, d));
}

/**
 * The earliest moment whose working-time position is w, searching from day
 * `from` on (prefix[from] < w): a galloping search, so a deadline a few days
 * ahead costs a few steps. NaN past the covered days.
 */
function atWorkPosition(calendar: WorkingCalendar, w: number, from: number): number {
  const prefix = calendar.workMsBefore;
  const last = calendar.dayCount - 1;
  if (w > prefix[last + 1]) return Number.NaN;
  // The day d with prefix[d] < w ≤ prefix[d + 1] lies in [lo, hi].
  let lo = from;
  let hi = from;
  for (let step = 1; prefix[hi + 1] < w; step *= 2) {
    lo = hi + 1;
    hi = lo + step > last ? last : lo + step;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (prefix[mid + 1] < w) lo = mid + 1;
    else hi = mid;
  }
  return atWorked(calendar, lo, w - prefix[lo]);
}

/** Working-day position P(t): working days before t's day plus the share of t's day already worked. */
function dayPosition(calendar: WorkingCalendar, t: number): number {
  const d = dayOf(calendar, t);
  const work = dayWorkMs(calendar, d);
  const before = calendar.workDaysBefore[d];
  return work === 0 ? before : before + workedBefore(calendar, d, t - midnight(calendar, d)) / work;
}

/** The earliest moment whose working-day position is p (p > 0); NaN past the covered days. */
function atDayPosition(calendar: WorkingCalendar, p: number): number {
  const k = Math.floor(p);
  if (k < calendar.workingDayCount) {
    const d = calendar.workDayAt[k];
    const r = Math.round((p - k) * dayWorkMs(calendar, d));
    if (r > 0) return atWorked(calendar, d, r);
  } else if (p > k) {
    return Number.NaN;
  }
  // A whole number of days (or a share that rounds to 0 ms): the close of the previous working day.
  return closeOf(calendar, workDay(calendar, k - 1));
}

/** The start after the cut-off rule: strictly after the cut-off on a working day → the next working day's opening (NaN past the covered days). */
function applyCutoff(calendar: WorkingCalendar, t: number, cutoff: number | undefined): number {
  if (cutoff === undefined) return t;
  const d = dayOf(calendar, t);
  if (dayWorkMs(calendar, d) === 0 || t - midnight(calendar, d) <= cutoff) return t;
  return openingOf(calendar, workDay(calendar, calendar.workDaysBefore[d + 1]));
}

function checkAmount(amount: number, integer: boolean, unit: WorkingTimeUnit): void {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || (integer && !Number.isInteger(amount))) {
    throw new CalendarArgumentError(`amount of ${unit} must be a ${integer ? 'whole ' : ''}number ≥ 0, got ${JSON.stringify(amount)}`, { field: 'amount' });
  }
}

// ---------------------------------------------------------------- the API

/**
 * The deadline `amount` `unit`s after `start` on `calendar`, in epoch ms: the
 * earliest moment at which that much time has run. Throws CalendarRangeError
 * when it would leave the covered days, CalendarArgumentError on a bad amount,
 * unit or cut-off.
 *
 * @example
 * addWorkingTime(calendar, receivedAt, 20, 'workingDays');
 * addWorkingTime(calendar, receivedAt, 8, 'workingHours');
 * addWorkingTime(calendar, receivedAt, 1, 'sameDay'); // the close of today, or of the next working day after 15:00
 */
export function addWorkingTime(calendar: WorkingCalendar, start: number, amount: number, unit: WorkingTimeUnit, options: AddWorkingTimeOptions = {}): number {
  const deadline = deadlineOrNaN(calendar, start, amount, unit, options);
  if (deadline !== deadline) rangeError(calendar, `${amount} ${unit} from ${new Date(start).toISOString()}`);
  return deadline;
}

/** addWorkingTime's work: NaN when the deadline (or the start moved by the cut-off) leaves the covered days. */
function deadlineOrNaN(calendar: WorkingCalendar, start: number, amount: number, unit: WorkingTimeUnit, options: AddWorkingTimeOptions): number {
  const cutoffText = options.cutoff === undefined ? (unit === 'sameDay' ? DEFAULT_SAME_DAY_CUTOFF : null) : options.cutoff;
  const s = cutoffText === null ? start : applyCutoff(calendar, start, cutoffMs(cutoffText));
  if (s !== s) return s;
  switch (unit) {
    case 'workingHours': {
      checkAmount(amount, false, unit);
      if (amount === 0) return s;
      const d = dayOf(calendar, s);
      const w = calendar.workMsBefore[d] + workedBefore(calendar, d, s - midnight(calendar, d)) + Math.round(amount * HOUR_MS);
      return atWorkPosition(calendar, w, d);
    }
    case 'workingDays': {
      const counting = options.dayCounting ?? 'elapsed';
      if (counting === 'elapsed') {
        checkAmount(amount, false, unit);
        if (amount === 0) return s;
        return atDayPosition(calendar, dayPosition(calendar, s) + amount);
      }
      if (counting !== 'next-day') throw new CalendarArgumentError(`dayCounting must be "elapsed" or "next-day", got ${JSON.stringify(counting)}`, { field: 'dayCounting' });
      checkAmount(amount, true, unit);
      if (amount === 0) return s;
      const d = dayOf(calendar, s);
      return closeOf(calendar, workDay(calendar, calendar.workDaysBefore[d + 1] + amount - 1));
    }
    case 'sameDay': {
      // amount n: the close of the n-th working day, the (cut-off adjusted) day of the start being the first.
      checkAmount(amount, true, unit);
      if (amount === 0) throw new CalendarArgumentError('amount of sameDay must be at least 1 (1 = the same working day)', { field: 'amount' });
      const d = dayOf(calendar, s);
      const k = dayWorkMs(calendar, d) > 0 && s < closeOf(calendar, d) ? calendar.workDaysBefore[d] : calendar.workDaysBefore[d + 1];
      return closeOf(calendar, workDay(calendar, k + amount - 1));
    }
    case 'hours':
    case 'calendarDays': {
      checkAmount(amount, false, unit);
      const end = s + Math.round(amount * (unit === 'hours' ? HOUR_MS : DAY_MS));
      if (!options.endOnWorkingDay) return end;
      const d = dayOf(calendar, end);
      if (dayWorkMs(calendar, d) > 0) return end;
      return closeOf(calendar, workDay(calendar, calendar.workDaysBefore[d + 1]));
    }
    default:
      throw new CalendarArgumentError(`unknown unit ${JSON.stringify(unit)}; expected one of ${WORKING_TIME_UNITS.join(', ')}`, { field: 'unit' });
  }
}

/**
 * Time from `a` to `b` in `unit` (negative when b is before a; fractional where
 * the unit allows): the inverse of addWorkingTime without a cut-off. For the
 * elapsed share of a step's time, or how late a dossier is.
 */
export function workingTimeBetween(calendar: WorkingCalendar, a: number, b: number, unit: WorkingTimeUnit): number {
  switch (unit) {
    case 'workingHours':
      return (workPosition(calendar, b) - workPosition(calendar, a)) / HOUR_MS;
    case 'workingDays':
      return dayPosition(calendar, b) - dayPosition(calendar, a);
    case 'hours':
      return (b - a) / HOUR_MS;
    case 'calendarDays':
      return (b - a) / DAY_MS;
    case 'sameDay':
      throw new CalendarArgumentError('sameDay is a deadline rule, not a duration: measure in workingDays or workingHours', { field: 'unit' });
    default:
      throw new CalendarArgumentError(`unknown unit ${JSON.stringify(unit)}; expected one of ${WORKING_TIME_UNITS.join(', ')}`, { field: 'unit' });
  }
}

/** Whether `t` lies inside a working block (start inclusive, end exclusive). */
export function isWorkingMoment(calendar: WorkingCalendar, t: number): boolean {
  const d = dayOf(calendar, t);
  const m = t - midnight(calendar, d);
  const { blocks, blockStart } = calendar;
  for (let i = blockStart[d], end = blockStart[d + 1]; i < end; i++) {
    if (m < blocks[2 * i]) return false;
    if (m < blocks[2 * i + 1]) return true;
  }
  return false;
}

/** `t` itself when it is a working moment, else the start of the next working block. */
export function nextWorkingMoment(calendar: WorkingCalendar, t: number): number {
  const d = dayOf(calendar, t);
  const m = t - midnight(calendar, d);
  const { blocks, blockStart } = calendar;
  for (let i = blockStart[d], end = blockStart[d + 1]; i < end; i++) {
    if (m < blocks[2 * i]) return midnight(calendar, d) + blocks[2 * i];
    if (m < blocks[2 * i + 1]) return t;
  }
  const next = openingOf(calendar, workDay(calendar, calendar.workDaysBefore[d + 1]));
  if (next !== next) rangeError(calendar, `the next working moment after ${new Date(t).toISOString()}`);
  return next;
}

/** Whether the local day of `t` has any working time. */
export function isWorkingDay(calendar: WorkingCalendar, t: number): boolean {
  return dayWorkMs(calendar, dayOf(calendar, t)) > 0;
}

/**
 * The moment `amount` `unit`s before `end` (a warning "1 working day before the
 * due date"): the earliest moment from which that much time runs to `end`, so
 * addWorkingTime(result, amount) ≈ end. Working units count only working time
 * (1 working day before Monday 09:30 is the previous Friday 09:30; before a
 * 17:00 deadline, the previous working day's 17:00). Throws like addWorkingTime.
 */
export function subtractWorkingTime(calendar: WorkingCalendar, end: number, amount: number, unit: WorkingTimeUnit): number {
  checkAmount(amount, false, unit);
  let moment: number;
  switch (unit) {
    case 'workingHours': {
      const w = workPosition(calendar, end) - Math.round(amount * HOUR_MS);
      if (w <= 0) moment = w === 0 ? midnight(calendar, 0) : Number.NaN;
      else moment = atWorkPosition(calendar, w, 0);
      break;
    }
    case 'workingDays': {
      const p = dayPosition(calendar, end) - amount;
      moment = p > 0 ? atDayPosition(calendar, p) : p === 0 ? midnight(calendar, 0) : Number.NaN;
      break;
    }
    case 'hours':
      return end - Math.round(amount * HOUR_MS);
    case 'calendarDays':
      return end - Math.round(amount * DAY_MS);
    case 'sameDay':
      throw new CalendarArgumentError('sameDay is a deadline rule, not a duration: subtract workingDays or workingHours', { field: 'unit' });
    default:
      throw new CalendarArgumentError(`unknown unit ${JSON.stringify(unit)}; expected one of ${WORKING_TIME_UNITS.join(', ')}`, { field: 'unit' });
  }
  if (moment !== moment) rangeError(calendar, `${amount} ${unit} before ${new Date(end).toISOString()}`);
  return moment;
}
