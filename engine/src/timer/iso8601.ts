/**
 * BPMN timer definitions: timeDate, timeDuration and timeCycle, written in
 * ISO 8601 (or, for cycles, as a Spring-style cron expression, as in Camunda 8).
 *
 * Everything here is pure: "now" is always passed in, as epoch milliseconds.
 *
 * Time zones: a date-time without an offset or zone is read in
 * Asia/Ho_Chi_Minh (UTC+7); years, months, weeks and days of a duration are
 * calendar arithmetic in that zone (days are calendar days, so a day is 24 h
 * there, as Vietnam has no DST). A `[Zone/Name]` suffix, as Zeebe allows,
 * names another zone.
 */
import { isCron, nextCronTime, parseCron, shortestCronGapMs } from './cron';
import { DEFAULT_TIME_ZONE, daysInMonth, fromWall, isTimeZone, toWall, utc } from './zone';

/**
 * Thrown for a timer definition or duration that cannot be used, with the precise reason.
 *
 * The runtime turns it into an incident on the element that owns the timer.
 */
export class TimerError extends Error {
  /** The text of the timer definition (after expression evaluation). */
  readonly text: string;
  /** Why the text was rejected, without the text itself. */
  readonly reason: string;

  /** Builds an error whose message reads "invalid timer '<text>': <reason>". */
  constructor(text: string, message: string) {
    super(`invalid timer '${text}': ${message}`);
    this.name = 'TimerError';
    this.text = text;
    this.reason = message;
  }
}

/** A parsed timer definition; instants are epoch milliseconds. */
export type ParsedTimer =
  | { kind: 'date'; at: number }
  | { kind: 'duration'; duration: string }
  /**
   * `interval` is a normalized ISO 8601 duration, or a normalized cron expression (then
   * `repetitions` is null and `start` absent). `repetitions` null means forever.
   */
  | { kind: 'cycle'; repetitions: number | null; start?: number; interval: string };

/** The parts of an ISO 8601 duration; seconds carry milliseconds. */
interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  millis: number;
}

const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d+))?S)?)?$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?(?:\[([^\]\s]+)\])?$/;
/** ~ 10 000 years: anything longer is a typo, and would overflow Date. */
const MAX_DURATION_MS = 3.2e14;
const MAX_CATCH_UP_STEPS = 1_000_000;

/**
 * Parses the (already evaluated) text of a timer definition of the given type.
 *
 * date: an ISO 8601 date-time, with `Z`, an offset (`+07:00`, `+0700`, `+07`) and/or a `[Zone]`
 * suffix; without either it is Vietnamese local time. A bare date (`2026-11-24`) means its
 * midnight. duration: `P[n]Y[n]M[n]W[n]DT[n]H[n]M[n]S`, only seconds may have a fraction, zero is
 * allowed (due at once). cycle: `R[n]/[start/]duration` with a non-zero duration (`R` alone
 * repeats forever, `R0` is rejected), or a 6-field cron expression
 * (`second minute hour day-of-month month day-of-week`, e.g. `0 0 8 * * MON-FRI`, or `@daily`),
 * which repeats forever. Throws {@link TimerError} with a precise reason.
 */
export function parseTimer(type: 'date' | 'duration' | 'cycle', text: string): ParsedTimer {
  const trimmed = text.trim();
  if (trimmed === '') throw new TimerError(text, `empty ${type} timer`);
  switch (type) {
    case 'date':
      return { kind: 'date', at: parseDateTime(trimmed, text) };
    case 'duration':
      return { kind: 'duration', duration: formatDuration(parseDuration(trimmed, text)) };
    case 'cycle':
      return parseCycle(trimmed, text);
    default:
      throw new TimerError(text, `unknown timer type '${String(type)}'`);
  }
}

/**
 * Adds an ISO 8601 duration to an instant.
 *
 * Years and months are calendar arithmetic in `timeZone` (Jan 31 + P1M = Feb 28/29, the day is
 * clamped), weeks and days are calendar days there (the clock time is kept), then hours, minutes
 * and seconds are added as elapsed time. Throws {@link TimerError} for a malformed duration or an
 * unknown zone.
 */
export function addDuration(epochMs: number, duration: string, timeZone: string = DEFAULT_TIME_ZONE): number {
  const d = parseDuration(duration.trim(), duration);
  const elapsed = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000 + d.millis;
  if (d.years === 0 && d.months === 0 && d.weeks === 0 && d.days === 0) return epochMs + elapsed;
  if (!isTimeZone(timeZone)) throw new TimerError(duration, `unknown time zone '${timeZone}'`);

  const wall = new Date(toWall(epochMs, timeZone));
  const totalMonths = wall.getUTCMonth() + d.months + 12 * (wall.getUTCFullYear() + d.years);
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - 12 * year + 1;
  const day = Math.min(wall.getUTCDate(), daysInMonth(year, month)) + 7 * d.weeks + d.days;
  const shifted = utc(year, month, day, wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds());
  return fromWall(shifted, timeZone) + elapsed;
}

/**
 * When a timer first becomes due, given the instant it is scheduled (`now`).
 *
 * date: its instant (even if past: it is then due at once). duration: now + duration. ISO cycle
 * without start: now + interval; with a start in the future (or now): the start; with a past
 * start: the first start + k·interval that is not before now (missed slots do not consume
 * repetitions; the caller counts firings). Cron cycle: the first matching second after now.
 */
export function firstDue(timer: ParsedTimer, now: number, timeZone: string = DEFAULT_TIME_ZONE): number {
  switch (timer.kind) {
    case 'date':
      return timer.at;
    case 'duration':
      return addDuration(now, timer.duration, timeZone);
    case 'cycle': {
      if (isCron(timer.interval)) return nextDue(timer.interval, now, timeZone);
      if (timer.start === undefined) return addDuration(now, timer.interval, timeZone);
      if (timer.start >= now) return timer.start;
      return catchUp(timer.start, timer.interval, now, timeZone);
    }
  }
}

/**
 * The due time of the next repetition of a cycle, after one that was due at `previousDue`.
 *
 * For an ISO interval: previousDue + interval (so "every month" from Jan 31 goes Feb 28, Mar 28).
 * For a cron expression: the first matching second after previousDue. Whether a repetition is
 * left is the caller's business (it keeps the count).
 */
export function nextDue(interval: string, previousDue: number, timeZone: string = DEFAULT_TIME_ZONE): number {
  if (!isCron(interval)) return addDuration(previousDue, interval, timeZone);
  const cron = parseCron(interval, (reason) => new TimerError(interval, reason));
  if (!isTimeZone(timeZone)) throw new TimerError(interval, `unknown time zone '${timeZone}'`);
  const next = nextCronTime(cron, previousDue, timeZone);
  if (next === undefined) throw new TimerError(interval, 'the cron expression never matches');
  return next;
}

/**
 * The shortest time between two firings of a cycle's interval (a normalized
 * ISO 8601 duration or cron expression), in ms: to refuse cycles that would
 * fire more often than a configured minimum. Calendar parts count at their
 * shortest (a month 28 days, a year 365).
 */
export function shortestIntervalMs(interval: string): number {
  if (isCron(interval)) return shortestCronGapMs(parseCron(interval, (reason) => new TimerError(interval, reason)));
  const d = parseDuration(interval.trim(), interval);
  const days = d.years * 365 + d.months * 28 + d.weeks * 7 + d.days;
  return (((days * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds) * 1000 + d.millis;
}

/** First start + k·interval (k ≥ 1) that is >= now, for a start before now. */
function catchUp(start: number, interval: string, now: number, timeZone: string): number {
  const d = parseDuration(interval, interval);
  if (d.years === 0 && d.months === 0 && d.weeks === 0 && d.days === 0) {
    const step = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000 + d.millis;
    return start + Math.ceil((now - start) / step) * step;
  }
  let due = start;
  for (let steps = 0; due < now; steps++) {
    if (steps === MAX_CATCH_UP_STEPS) throw new TimerError(interval, 'the cycle start is too far in the past for this interval');
    due = addDuration(due, interval, timeZone);
  }
  return due;
}

function parseCycle(trimmed: string, text: string): ParsedTimer {
  if (isCron(trimmed)) {
    const cron = parseCron(trimmed, (reason) => new TimerError(text, reason));
    return { kind: 'cycle', repetitions: null, interval: cron.text };
  }
  const parts = trimmed.split('/');
  const repeat = /^R(\d*)$/.exec(parts[0]);
  if (!repeat || parts.length < 2 || parts.length > 3) {
    throw new TimerError(text, "a cycle must be R[n]/[start/]duration (e.g. 'R3/PT10M') or a 6-field cron expression");
  }
  const repetitions = repeat[1] === '' ? null : Number(repeat[1]);
  if (repetitions === 0) throw new TimerError(text, 'R0 never fires: a cycle needs at least one repetition');
  if (repetitions !== null && !Number.isSafeInteger(repetitions)) throw new TimerError(text, 'too many repetitions');
  if (parts.length === 3 && !parts[2].startsWith('P')) {
    throw new TimerError(text, parts[1].startsWith('P')
      ? 'R[n]/duration/end is not supported: use R[n]/start/duration'
      : 'R[n]/start/end is not supported: use R[n]/start/duration');
  }
  const duration = parseDuration(parts[parts.length - 1], text);
  if (durationIsZero(duration)) throw new TimerError(text, 'the interval of a cycle must be longer than zero');
  const interval = formatDuration(duration);
  if (parts.length === 2) return { kind: 'cycle', repetitions, interval };
  return { kind: 'cycle', repetitions, start: parseDateTime(parts[1], text), interval };
}

/** Parses an ISO 8601 duration (already trimmed); `text` names the whole definition in errors. */
function parseDuration(value: string, text: string): Duration {
  const m = DURATION.exec(value.toUpperCase());
  if (!m) {
    if (/^[+-]/.test(value)) throw new TimerError(text, 'negative or signed durations are not allowed');
    if (/^P.*\d[.,]\d+[YMWDH]/i.test(value)) throw new TimerError(text, 'only the seconds of a duration may have a fraction');
    throw new TimerError(text, `'${value}' is not an ISO 8601 duration (P[n]Y[n]M[n]W[n]DT[n]H[n]M[n]S, e.g. PT10M or P1DT2H)`);
  }
  if (m.slice(1).every((part) => part === undefined)) {
    throw new TimerError(text, `'${value}' has no components: a duration needs at least one, e.g. PT10M`);
  }
  if (/T$/i.test(value)) throw new TimerError(text, `'${value}': 'T' must be followed by hours, minutes or seconds`);
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  // milliseconds, rounded half up on the fourth digit (string based: no floating point surprises)
  const fraction = m[8] === undefined ? 0 : Math.round(Number(m[8].padEnd(4, '0').slice(0, 4)) / 10);
  const d: Duration = {
    years: n(1), months: n(2), weeks: n(3), days: n(4),
    hours: n(5), minutes: n(6), seconds: n(7) + Math.floor(fraction / 1000), millis: fraction % 1000,
  };
  const approxMs = ((((d.years * 366 + d.months * 31 + d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds) * 1000;
  if (!(approxMs <= MAX_DURATION_MS)) throw new TimerError(text, `'${value}' is too long`);
  return d;
}

function durationIsZero(d: Duration): boolean {
  return d.years + d.months + d.weeks + d.days + d.hours + d.minutes + d.seconds + d.millis === 0;
}

/** Canonical text: upper case, zero parts dropped, fraction to milliseconds; zero is 'PT0S'. */
function formatDuration(d: Duration): string {
  const date = (d.years ? `${d.years}Y` : '') + (d.months ? `${d.months}M` : '') + (d.weeks ? `${d.weeks}W` : '') + (d.days ? `${d.days}D` : '');
  const seconds = d.millis ? `${d.seconds}.${String(d.millis).padStart(3, '0').replace(/0+$/, '')}S` : d.seconds ? `${d.seconds}S` : '';
  const time = (d.hours ? `${d.hours}H` : '') + (d.minutes ? `${d.minutes}M` : '') + seconds;
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time ? `T${time}` : ''}`;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Parses an ISO 8601 date-time (already trimmed) to epoch ms; `text` names the whole definition in errors. */
function parseDateTime(value: string, text: string): number {
  const m = DATE_TIME.exec(value);
  if (!m) {
    throw new TimerError(text, `'${value}' is not an ISO 8601 date-time (e.g. 2026-11-24T08:00:00+07:00, or 2026-11-24T08:00:00 for Vietnamese time)`);
  }
  const [, y, mo, d, h, mi, s, frac, offset, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) throw new TimerError(text, `'${value}': month ${mo} does not exist`);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new TimerError(text, `'${value}' is not a valid calendar date (${MONTH_NAMES[month - 1]} ${year} has ${daysInMonth(year, month)} days)`);
  }
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) throw new TimerError(text, `'${value}' is not a valid time of day`);
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  const wall = utc(year, month, day, hour, minute, second, millis);
  if (zone !== undefined && !isTimeZone(zone)) throw new TimerError(text, `unknown time zone '${zone}'`);
  if (offset === undefined) return fromWall(wall, zone ?? DEFAULT_TIME_ZONE);
  if (offset === 'Z') return wall;
  const sign = offset[0] === '-' ? -1 : 1;
  const offsetHours = Number(offset.slice(1, 3));
  const offsetMinutes = offset.length > 3 ? Number(offset.slice(-2)) : 0;
  if (offsetHours > 23 || offsetMinutes > 59) throw new TimerError(text, `'${value}': offset ${offset} is not valid`);
  return wall - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}
