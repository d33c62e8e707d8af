/**
 * Cron expressions for timer cycles, as Camunda 8 (Zeebe) reads them: the
 * Spring format with six fields, `second minute hour day-of-month month
 * day-of-week`, e.g. `0 0 8 * * MON-FRI` (08:00:00 every working day).
 *
 * Supported in each field: `*`, a value, a range `a-b`, a step `*\/n`, `a/n`
 * or `a-b/n`, and comma separated lists of these; month names JAN-DEC and day
 * names MON-SUN (days 0-7, where 0 and 7 are Sunday); `?` as `*` in the day
 * fields; the macros @yearly, @annually, @monthly, @weekly, @daily, @midnight,
 * @hourly. Spring's `L`, `W` and `#` are rejected. As in Spring, when both
 * day fields are restricted a day must match both.
 */
import { daysInMonth, fromWall, toWall, utc } from './zone';

/** A parsed cron expression: for each field, which values match. */
export interface Cron {
  /** Normalized text (single spaces, macros lower case); what a timer stores as its interval. */
  text: string;
  seconds: boolean[];
  minutes: boolean[];
  hours: boolean[];
  daysOfMonth: boolean[];
  months: boolean[];
  /** Index 0 = Sunday ... 6 = Saturday. */
  daysOfWeek: boolean[];
}

interface Field {
  name: string;
  min: number;
  max: number;
  names?: Record<string, number>;
  question?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

const FIELDS: Field[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: Object.fromEntries(MONTHS.map((n, i) => [n, i + 1])) },
  { name: 'day-of-week', min: 0, max: 7, names: Object.fromEntries(DAYS.map((n, i) => [n, i + 1])), question: true },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

/** Searching further than this many years means the expression (practically) never matches. */
const MAX_YEARS_AHEAD = 400;
const cache = new Map<string, Cron>();

/**
 * Tells whether a timer cycle text is a cron expression rather than an ISO 8601 repeating interval.
 *
 * Cron texts have spaces between fields or are a macro ('@daily'); ISO intervals never do.
 */
export function isCron(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.startsWith('@') || /\s/.test(trimmed);
}

/**
 * Parses a cron expression; `fail` builds the error to throw from a reason.
 *
 * Rejects a wrong field count, values out of range, unsupported syntax, and expressions that can
 * never match (such as 30 February). Results are cached by text.
 */
export function parseCron(text: string, fail: (reason: string) => Error): Cron {
  const cached = cache.get(text);
  if (cached) return cached;
  const normalized = text.trim().replace(/\s+/g, ' ');
  let fields = normalized;
  if (normalized.startsWith('@')) {
    const macro = MACROS[normalized.toLowerCase()];
    if (macro === undefined) throw fail(`unknown cron macro '${normalized}' (known: ${Object.keys(MACROS).join(', ')})`);
    fields = macro;
  }
  const parts = fields.split(' ');
  if (parts.length !== 6) {
    throw fail(`a cron expression needs 6 fields (second minute hour day-of-month month day-of-week), got ${parts.length}`);
  }
  const sets = parts.map((part, i) => parseField(part, FIELDS[i], fail));
  const daysOfWeek = sets[5].slice(0, 7);
  daysOfWeek[0] = daysOfWeek[0] || sets[5][7];
  const cron: Cron = {
    text: normalized.startsWith('@') ? normalized.toLowerCase() : normalized,
    seconds: sets[0],
    minutes: sets[1],
    hours: sets[2],
    daysOfMonth: sets[3],
    months: sets[4],
    daysOfWeek,
  };
  const possible = cron.months.some((on, month) => on && cron.daysOfMonth.some((d, day) => d && day <= daysInMonth(2000, month)));
  if (!possible) throw fail('the cron expression never matches (no selected month has the selected day)');
  if (cache.size >= 1000) cache.clear();
  cache.set(text, cron);
  return cron;
}

/**
 * The first instant strictly after `after` (truncated to the second) whose wall time in
 * `timeZone` matches the cron expression, or undefined if none within 400 years.
 *
 * Used for the first and every following firing of a cron timer cycle.
 */
export function nextCronTime(cron: Cron, after: number, timeZone: string): number | undefined {
  let t = Math.floor(toWall(after, timeZone) / 1000) * 1000 + 1000;
  const lastYear = new Date(t).getUTCFullYear() + MAX_YEARS_AHEAD;
  for (;;) {
    const date = new Date(t);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    const hour = date.getUTCHours();
    const minute = date.getUTCMinutes();
    if (year > lastYear) return undefined;
    if (!cron.months[month]) {
      t = utc(year, month + 1, 1);
    } else if (!cron.daysOfMonth[day] || !cron.daysOfWeek[date.getUTCDay()]) {
      t = utc(year, month, day + 1);
    } else if (!cron.hours[hour]) {
      t = utc(year, month, day, hour + 1);
    } else if (!cron.minutes[minute]) {
      t = utc(year, month, day, hour, minute + 1);
    } else if (!cron.seconds[date.getUTCSeconds()]) {
      t += 1000;
    } else {
      const instant = fromWall(t, timeZone);
      if (instant > after) return instant;
      t += 1000;
    }
  }
}

/** One field: a list of `*`, `?`, value, range, each with an optional step. */
function parseField(text: string, field: Field, fail: (reason: string) => Error): boolean[] {
  const set = new Array<boolean>(field.max + 1).fill(false);
  for (const item of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (!m) throw fail(`invalid ${field.name} field '${text}'`);
    const [, range, stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw fail(`the step in ${field.name} field '${text}' must be at least 1`);
    let from: number;
    let to: number;
    if (range === '*' || (range === '?' && field.question)) {
      from = field.min;
      to = field.max;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) throw fail(`invalid range '${range}' in ${field.name} field`);
      from = value(bounds[0], field, fail);
      to = bounds.length === 2 ? value(bounds[1], field, fail) : stepText === undefined ? from : field.max;
      if (from > to) throw fail(`range '${range}' in ${field.name} field goes backwards`);
    }
    for (let v = from; v <= to; v += step) set[v] = true;
  }
  return set;
}

function value(text: string, field: Field, fail: (reason: string) => Error): number {
  const upper = text.toUpperCase();
  if (field.names && upper in field.names) return field.names[upper];
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < field.min || n > field.max) throw fail(`${field.name} ${n} is out of range ${field.min}-${field.max}`);
    return n;
  }
  if (/[LW#]/.test(upper)) throw fail(`'${text}': the cron characters L, W and # are not supported`);
  if (text === '?') throw fail(`'?' is only allowed in the day-of-month and day-of-week fields`);
  throw fail(`invalid ${field.name} value '${text}'`);
}

/**
 * The shortest time between two consecutive firings of a cron expression, in
 * ms, to hold a cycle to a minimum interval.
 *
 * Exact, in constant work: within a day, the closest two matching times of
 * day; across days, the last time of one matching day to the first of the
 * next, over the closest two matching days of a full 400-year Gregorian cycle.
 * (Wall time: a daylight-saving shift could shorten one gap by an hour; the
 * default zone, Asia/Ho_Chi_Minh, has none.)
 */
export function shortestCronGapMs(cron: Cron): number {
  let first = -1;
  let last = -1;
  let within = Number.POSITIVE_INFINITY;
  for (let h = 0; h < 24; h++) {
    if (!cron.hours[h]) continue;
    for (let m = 0; m < 60; m++) {
      if (!cron.minutes[m]) continue;
      for (let s = 0; s < 60; s++) {
        if (!cron.seconds[s]) continue;
        const t = (h * 60 + m) * 60 + s;
        if (last >= 0) within = Math.min(within, t - last);
        else first = t;
        last = t;
      }
    }
  }
  if (first < 0) return Number.POSITIVE_INFINITY;
  // Closest two matching days: days counted from 2000-01-01 (a Saturday) over 400 years.
  let dayNumber = 0;
  let previous = -1;
  let closestDays = Number.POSITIVE_INFINITY;
  for (let year = 2000; year < 2400; year++) {
    for (let month = 1; month <= 12; month++) {
      const days = daysInMonth(year, month);
      for (let day = 1; day <= days; day++, dayNumber++) {
        if (!cron.months[month] || !cron.daysOfMonth[day] || !cron.daysOfWeek[(dayNumber + 6) % 7]) continue;
        if (previous >= 0) closestDays = Math.min(closestDays, dayNumber - previous);
        previous = dayNumber;
      }
    }
    if (closestDays === 1) break;
  }
  const across = closestDays * 86_400 - last + first;
  return Math.min(within, across) * 1000;
}
