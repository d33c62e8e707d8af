/**
 * FEEL functions over working time, named in FEEL style like Camunda's
 * built-ins: `add working days(from, n)`, `add working hours(from, n)`,
 * `subtract working days(from, n)`, `subtract working hours(from, n)`,
 * `count working days(from, to)`, `count working hours(from, to)`,
 * `is working day(date)`, `is working time(date and time)`,
 * `next working time(date and time)`.
 *
 * (`between` is a FEEL keyword, hence `count working days(from, to)`.)
 *
 * They are bound to one calendar (the element's agency at evaluation, chosen by
 * the runtime) and passed in the evaluation context, only to expressions that
 * call them (see `usesWorkingTime`), so the memoisation of other expressions is
 * untouched. They do not exist on Camunda 8: a model meant for both puts its
 * working time in `motcua:facts` and keeps a plain duration as the fallback.
 *
 * Arguments: a FEEL date-time (with an offset or a zone; a local one is read in
 * the calendar's zone), a FEEL date (its local midnight), or an ISO 8601 string of
 * either. Results: date-times in the calendar's offset, numbers, booleans. A bad
 * argument or a moment outside the calendar's data throws, which the caller turns
 * into an incident naming the expression.
 */
import { dateAndTime, FeelDate, FeelDateTime } from 'feelin';
import { addWorkingTime, isWorkingDay, isWorkingMoment, nextWorkingMoment, subtractWorkingTime, workingTimeBetween, type WorkingTimeRules } from '../calendar/index';
import { toJson } from './convert';

/** The names of the functions, for documentation and validation. */
export const WORKING_TIME_FUNCTIONS = [
  'add working days',
  'add working hours',
  'subtract working days',
  'subtract working hours',
  'count working days',
  'count working hours',
  'is working day',
  'is working time',
  'next working time',
] as const;

/** Whether an expression may call a working-time function (a cheap test: a false positive only costs the memo). */
export function usesWorkingTime(expression: string): boolean {
  return expression.includes('working');
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * The functions bound to `rules` (the calendar of the element's agency), as
 * context entries for feelin.
 */
export function workingTimeFunctions(rules: WorkingTimeRules): Record<string, (...args: never[]) => unknown> {
  const { calendar } = rules;
  const offsetMs = calendar.offsetMs;
  const moment = (fn: string, value: unknown): number => {
    let text: string | undefined;
    if (value instanceof FeelDate) text = value.iso;
    else if (value instanceof FeelDateTime) text = value.zone === undefined || value.zone === null ? value.iso : String(toJson(value, fn));
    else if (typeof value === 'string') text = value.trim();
    if (text !== undefined) {
      if (LOCAL_DATE.test(text)) text += 'T00:00:00';
      const t = LOCAL_DATE_TIME.test(text) ? Date.parse(`${text}Z`) - offsetMs : Date.parse(text);
      if (Number.isFinite(t)) return t;
    }
    throw new Error(`${fn}: expected a date or a date and time, got ${describe(value)}`);
  };
  const amount = (fn: string, value: unknown): number => {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    throw new Error(`${fn}: expected a number ≥ 0, got ${describe(value)}`);
  };
  const out = (t: number): unknown => dateAndTime(formatWithOffset(t, offsetMs));
  return {
    'add working days': (from: never, n: never) => out(addWorkingTime(calendar, moment('add working days', from), amount('add working days', n), 'workingDays', { dayCounting: rules.dayCounting })),
    'add working hours': (from: never, n: never) => out(addWorkingTime(calendar, moment('add working hours', from), amount('add working hours', n), 'workingHours')),
    'subtract working days': (from: never, n: never) => out(subtractWorkingTime(calendar, moment('subtract working days', from), amount('subtract working days', n), 'workingDays')),
    'subtract working hours': (from: never, n: never) => out(subtractWorkingTime(calendar, moment('subtract working hours', from), amount('subtract working hours', n), 'workingHours')),
    'count working days': (from: never, to: never) => workingTimeBetween(calendar, moment('count working days', from), moment('count working days', to), 'workingDays'),
    'count working hours': (from: never, to: never) => workingTimeBetween(calendar, moment('count working hours', from), moment('count working hours', to), 'workingHours'),
    'is working day': (date: never) => isWorkingDay(calendar, moment('is working day', date)),
    'is working time': (at: never) => isWorkingMoment(calendar, moment('is working time', at)),
    'next working time': (at: never) => out(nextWorkingMoment(calendar, moment('next working time', at))),
  };
}

/** "2026-02-13T17:00:00+07:00" (milliseconds only when there are some). */
function formatWithOffset(t: number, offsetMs: number): string {
  const local = new Date(t + offsetMs).toISOString().replace(/\.000Z$|Z$/, '');
  const minutes = Math.round(offsetMs / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const zone = abs === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return local + zone;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 37) + '...' : value}"`;
  if (typeof value === 'object') return (Object.getPrototypeOf(value) as { constructor?: { name?: string } })?.constructor?.name ?? 'an object';
  return String(value);
}
