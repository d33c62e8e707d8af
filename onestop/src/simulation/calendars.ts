/**
 * The calendars a run works on: the reception calendar (arrivals, cycle times, due
 * dates) and one per staff pool with its own hours (holidays and days off stay
 * closed whatever the pool's hours; a swapped working Saturday gets the pool's
 * weekday hours, as agencyCalendarDefinition does for an agency).
 */
import { buildWorkingCalendar, type CalendarDefinition, parseClockTime, type TimeBlock, type WorkingCalendar } from '../../../engine/src/pure';
import type { PoolParameters } from './parameters';

/** The definition of a pool's calendar: the base one with the pool's hours. */
export function poolCalendarDefinition(base: CalendarDefinition, pool: Pick<PoolParameters, 'workingHours' | 'weekdays'>): CalendarDefinition {
  if (!pool.workingHours && !pool.weekdays) return base;
  const hours = pool.workingHours;
  const week = base.week.map((blocks, day) => pool.weekdays?.[String(day)] ?? (blocks.length > 0 && hours ? hours : blocks));
  const exceptions = base.exceptions.map((e) => (e.hours.length > 0 && hours ? { ...e, hours } : e));
  return { ...base, week, exceptions };
}

/** Working hours of a typical working day of the week (the most common non-empty weekday length): what one "working day" of a duration is. */
export function nominalDayHours(definition: CalendarDefinition): number {
  const counts = new Map<number, number>();
  for (const blocks of definition.week) {
    const minutes = blockMinutes(blocks);
    if (minutes > 0) counts.set(minutes, (counts.get(minutes) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [minutes, count] of counts) {
    if (count > bestCount || (count === bestCount && minutes > best)) {
      best = minutes;
      bestCount = count;
    }
  }
  return best / 60;
}

function blockMinutes(blocks: readonly TimeBlock[]): number {
  let total = 0;
  for (const b of blocks) total += (parseClockTime(b.end) ?? 0) - (parseClockTime(b.start) ?? 0);
  return total;
}

/** Builds each definition once (by identity: a pool without its own hours shares the base definition). */
export class CalendarCache {
  private readonly built = new Map<CalendarDefinition, WorkingCalendar>();

  get(definition: CalendarDefinition): WorkingCalendar {
    let calendar = this.built.get(definition);
    if (!calendar) {
      calendar = buildWorkingCalendar(definition);
      this.built.set(definition, calendar);
    }
    return calendar;
  }
}
