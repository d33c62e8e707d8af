/**
 * Builds the precomputed day tables of a calendar from its plain-JSON
 * definition, after checking every field. The tables make each computation a
 * few array reads: working blocks per day (CSR layout), working milliseconds
 * before each day (prefix sums), working days before each day (prefix counts),
 * and the day of each working-day ordinal.
 */
import type { CalendarDefinition, TimeBlock } from './definition';
import { CalendarDefinitionError } from './errors';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Longest span a calendar may cover: a bound on the tables' size (about 100 years). */
export const MAX_CALENDAR_DAYS = 36_600;

/**
 * A calendar ready for arithmetic: immutable tables derived from a definition.
 * Build once (per agency and data version) and share; every function of this
 * folder reads it and none changes it.
 */
export interface WorkingCalendar {
  /** The definition it was built from (not copied: do not mutate it afterwards). */
  readonly definition: CalendarDefinition;
  /** Zone offset in ms (local = UTC + offset). */
  readonly offsetMs: number;
  /** Local day number (days since 1970-01-01 in the zone) of the first covered day. */
  readonly firstDay: number;
  /** Covered days. */
  readonly dayCount: number;
  /** Working days covered. */
  readonly workingDayCount: number;
  /** Day d's blocks are `blocks[2i], blocks[2i+1]` (ms after local midnight) for i in [blockStart[d], blockStart[d+1]). */
  readonly blockStart: Int32Array;
  readonly blocks: Int32Array;
  /** Working ms in days [0, d); length dayCount + 1. */
  readonly workMsBefore: Float64Array;
  /** Working days among days [0, d); length dayCount + 1. */
  readonly workDaysBefore: Int32Array;
  /** Day offset of the k-th working day (0-based ordinal). */
  readonly workDayAt: Int32Array;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

/** Local day number of a "YYYY-MM-DD" date, or undefined when it is not a real date. */
export function parseLocalDate(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** "YYYY-MM-DD" of a local day number. */
export function formatLocalDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Minutes after midnight of "HH:MM" (00:00 to 24:00), or undefined. */
export function parseClockTime(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}

function fail(field: string, message: string): never {
  throw new CalendarDefinitionError(`calendar definition: ${field}: ${message}`, { field });
}

/** Checks a day's blocks and returns them as [startMs, endMs, …]: sorted, each non-empty, none overlapping. */
function readBlocks(blocks: unknown, field: string): number[] {
  if (!Array.isArray(blocks)) fail(field, 'must be a list of {start, end} blocks');
  const out: number[] = [];
  let previousEnd = -1;
  blocks.forEach((block: TimeBlock, i: number) => {
    const at = `${field}[${i}]`;
    if (block === null || typeof block !== 'object') fail(at, 'must be an object {start, end}');
    const start = parseClockTime(block.start);
    const end = parseClockTime(block.end);
    if (start === undefined) fail(`${at}.start`, `must be "HH:MM" between 00:00 and 24:00, got ${JSON.stringify(block.start)}`);
    if (end === undefined) fail(`${at}.end`, `must be "HH:MM" between 00:00 and 24:00, got ${JSON.stringify(block.end)}`);
    if (end <= start) fail(at, `ends (${block.end}) at or before it starts (${block.start})`);
    if (start < previousEnd) fail(at, `starts (${block.start}) before the previous block ends: blocks must be in order and must not overlap`);
    previousEnd = end;
    out.push(start * MINUTE_MS, end * MINUTE_MS);
  });
  return out;
}

/**
 * Checks a definition and precomputes its tables. Throws a
 * CalendarDefinitionError naming the field at the first problem.
 *
 * @example
 * const calendar = buildWorkingCalendar({
 *   timeZone: 'Asia/Ho_Chi_Minh', utcOffsetMinutes: 420, from: '2026-01-01', to: '2026-12-31',
 *   week: [[], weekday, weekday, weekday, weekday, weekday, []], exceptions: [{ date: '2026-09-02', hours: [] }],
 * });
 */
export function buildWorkingCalendar(definition: CalendarDefinition): WorkingCalendar {
  if (definition === null || typeof definition !== 'object') fail('(root)', 'must be an object');
  if (typeof definition.timeZone !== 'string' || definition.timeZone === '') fail('timeZone', 'must be a non-empty IANA zone name');
  const offset = definition.utcOffsetMinutes;
  if (!Number.isInteger(offset) || offset < -14 * 60 || offset > 14 * 60) fail('utcOffsetMinutes', `must be an integer between -840 and 840, got ${JSON.stringify(offset)}`);
  const firstDay = parseLocalDate(definition.from);
  if (firstDay === undefined) fail('from', `must be a date "YYYY-MM-DD", got ${JSON.stringify(definition.from)}`);
  const lastDay = parseLocalDate(definition.to);
  if (lastDay === undefined) fail('to', `must be a date "YYYY-MM-DD", got ${JSON.stringify(definition.to)}`);
  if (lastDay < firstDay) fail('to', `(${definition.to}) is before from (${definition.from})`);
  const dayCount = lastDay - firstDay + 1;
  if (dayCount > MAX_CALENDAR_DAYS) fail('to', `the calendar covers ${dayCount} days, more than ${MAX_CALENDAR_DAYS}`);
  if (!Array.isArray(definition.week) || definition.week.length !== 7) fail('week', 'must list the blocks of 7 weekdays, Sunday first');
  const week = definition.week.map((blocks, i) => readBlocks(blocks, `week[${i}]`));

  if (!Array.isArray(definition.exceptions)) fail('exceptions', 'must be a list');
  const exceptional = new Map<number, number[]>();
  definition.exceptions.forEach((exception, i) => {
    const at = `exceptions[${i}]`;
    if (exception === null || typeof exception !== 'object') fail(at, 'must be an object {date, hours}');
    const day = parseLocalDate(exception.date);
    if (day === undefined) fail(`${at}.date`, `must be a date "YYYY-MM-DD", got ${JSON.stringify(exception.date)}`);
    if (day < firstDay || day > lastDay) fail(`${at}.date`, `${exception.date} is outside the covered days ${definition.from}..${definition.to}`);
    if (exceptional.has(day)) fail(`${at}.date`, `${exception.date} is listed twice`);
    exceptional.set(day, readBlocks(exception.hours, `${at}.hours`));
  });

  const blockStart = new Int32Array(dayCount + 1);
  const workMsBefore = new Float64Array(dayCount + 1);
  const workDaysBefore = new Int32Array(dayCount + 1);
  const flat: number[] = [];
  const workDays: number[] = [];
  for (let d = 0; d < dayCount; d++) {
    const day = firstDay + d;
    // 1970-01-01 was a Thursday (weekday 4).
    const blocks = exceptional.get(day) ?? week[(((day + 4) % 7) + 7) % 7];
    let work = 0;
    for (let i = 0; i < blocks.length; i += 2) work += blocks[i + 1] - blocks[i];
    flat.push(...blocks);
    blockStart[d + 1] = flat.length / 2;
    workMsBefore[d + 1] = workMsBefore[d] + work;
    workDaysBefore[d + 1] = workDaysBefore[d] + (work > 0 ? 1 : 0);
    if (work > 0) workDays.push(d);
  }
  return {
    definition,
    offsetMs: offset * MINUTE_MS,
    firstDay,
    dayCount,
    workingDayCount: workDays.length,
    blockStart,
    blocks: Int32Array.from(flat),
    workMsBefore,
    workDaysBefore,
    workDayAt: Int32Array.from(workDays),
  };
}
