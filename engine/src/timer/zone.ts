/**
 * Time zone arithmetic on epoch milliseconds, with the platform's Intl data.
 *
 * A "wall" time here is the local date and clock time of a zone, encoded as
 * the epoch milliseconds that time would have in UTC: calendar arithmetic is
 * then plain `Date.UTC` arithmetic, and {@link fromWall} maps the result back.
 */

/** The zone used when a timer gives none: Vietnam, UTC+7 all year (no DST since 1975). */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat | null>();
/** Per zone and UTC day number: the offset throughout that day, or null if it changes during it. */
const dayOffsets = new Map<string, Map<number, number | null>>();
const MAX_CACHED_DAYS = 20_000;

/**
 * Milliseconds since the epoch of a proleptic Gregorian date and time, treated as UTC.
 *
 * Like `Date.UTC`, fields overflow into the next unit (day 32 is the 1st of the next month),
 * but years 0 to 99 are taken literally rather than as 19xx.
 */
export function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/**
 * Number of days in a month (1-12) of a year.
 *
 * Used to validate dates and to clamp "Jan 31 + 1 month" to the month's last day.
 */
export function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month + 1, 0)).getUTCDate();
}

/**
 * Tells whether the platform knows a time zone name ('Asia/Ho_Chi_Minh', 'UTC', '+07:00').
 *
 * Lets parsers reject an unknown zone with a clear reason instead of a RangeError later.
 */
export function isTimeZone(timeZone: string): boolean {
  return formatter(timeZone) !== null;
}

/**
 * The offset of a zone from UTC at an instant, in milliseconds (+7 h for Vietnam).
 *
 * Throws RangeError for an unknown zone.
 */
export function offsetAt(epochMs: number, timeZone: string): number {
  const fmt = formatter(timeZone);
  if (fmt === null) throw new RangeError(`unknown time zone '${timeZone}'`);
  if (fmt === undefined) return 0;
  // Intl is slow (µs per call): remember, per UTC day, the offset of days without a transition
  // (a day whose first and last second have the same offset; real zones never change twice a day)
  let days = dayOffsets.get(timeZone);
  if (days === undefined || days.size >= MAX_CACHED_DAYS) dayOffsets.set(timeZone, (days = new Map()));
  const day = Math.floor(epochMs / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const first = exactOffset(day * DAY_MS, fmt);
    offset = first === exactOffset((day + 1) * DAY_MS - 1, fmt) ? first : null;
    days.set(day, offset);
  }
  return offset ?? exactOffset(epochMs, fmt);
}

function exactOffset(epochMs: number, fmt: Intl.DateTimeFormat): number {
  const second = Math.floor(epochMs / 1000) * 1000;
  const f: Record<string, number> = {};
  for (const part of fmt.formatToParts(second)) {
    if (part.type !== 'literal') f[part.type] = Number(part.value);
  }
  return utc(f.year, f.month, f.day, f.hour, f.minute, f.second) - second;
}

/**
 * The wall time (see the module comment) of an instant in a zone.
 *
 * Used to read calendar fields (year, month, day, weekday, hour) in that zone.
 */
export function toWall(epochMs: number, timeZone: string): number {
  return epochMs + offsetAt(epochMs, timeZone);
}

/**
 * The instant at which a zone's clocks show a wall time.
 *
 * Ambiguity is resolved like Temporal's 'compatible' option: in a backward shift (two instants)
 * the earlier one; in a forward gap (no instant) the wall time is read with the offset in force
 * before the gap, so 02:30 in a 02:00→03:00 gap gives 03:30.
 */
export function fromWall(wallMs: number, timeZone: string): number {
  const before = offsetAt(wallMs - DAY_MS, timeZone);
  const after = offsetAt(wallMs + DAY_MS, timeZone);
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = wallMs - offset;
    if (offsetAt(instant, timeZone) === offset) candidates.push(instant);
  }
  return candidates.length > 0 ? Math.min(...candidates) : wallMs - before;
}

/** Cached formatter; undefined for UTC (no formatting needed), null for an unknown zone. */
function formatter(timeZone: string): Intl.DateTimeFormat | null | undefined {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'Z') return undefined;
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      fmt = null;
    }
    if (formatters.size < 1000) formatters.set(timeZone, fmt);
  }
  return fmt;
}
