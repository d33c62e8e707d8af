/**
 * Builds the engine's CalendarDefinition for one agency from the year files and
 * the legal settings: the legal working week and hours, the agency's own hours
 * (a desk open on Saturday mornings), every holiday, day off and swapped
 * Saturday of the years given.
 */
import { buildWorkingCalendar, type CalendarDefinition, CalendarDefinitionError, type DayException, formatLocalDate, parseLocalDate, type TimeBlock, type WorkingCalendar } from '../../../engine/src/pure';
import { ClockDataError } from './errors';
import type { LegalSettingsVersion } from './legal-settings';
import type { VnYearData } from './year-data';

/**
 * What an agency sets for itself (plain JSON, from its settings): other weekday
 * hours, and hours per weekday that replace the legal week, e.g. a Saturday desk
 * `{ "weekdays": { "6": [{ "start": "07:30", "end": "11:30" }] } }`.
 */
export interface AgencyCalendarOptions {
  /** For error messages and traces. */
  agency?: string;
  /** The agency's working hours on working days (default: the legal settings' blocks). */
  workingHours?: TimeBlock[];
  /** Hours per weekday "0" (Sunday) … "6" (Saturday) replacing the legal week for that weekday. */
  weekdays?: Record<string, TimeBlock[]>;
}

/**
 * The CalendarDefinition of an agency over consecutive years. Holidays and days
 * off close the day whatever the agency's hours (a Saturday desk is closed on a
 * holiday Saturday); a swapped working Saturday gets the agency's weekday hours.
 * Throws ClockDataError when the years are not consecutive (a gap would silently
 * make its holidays working days).
 */
export function agencyCalendarDefinition(years: readonly VnYearData[], settings: LegalSettingsVersion, agency: AgencyCalendarOptions = {}): CalendarDefinition {
  const who = agency.agency ? `agency ${agency.agency}: ` : '';
  if (years.length === 0) throw new ClockDataError(`${who}no calendar year given`, { field: 'years' });
  const sorted = [...years].sort((a, b) => a.year - b.year);
  sorted.forEach((y, i) => {
    if (i > 0 && y.year !== sorted[i - 1].year + 1) throw new ClockDataError(`${who}calendar years must be consecutive: ${sorted[i - 1].year} is followed by ${y.year}`, { field: 'years' });
  });
  const hours = agency.workingHours ?? settings.workingHours.blocks;
  const week: TimeBlock[][] = [];
  for (let d = 0; d < 7; d++) week.push(agency.weekdays?.[String(d)] ?? (settings.weeklyRestDays.includes(d) ? [] : hours));
  for (const key of Object.keys(agency.weekdays ?? {})) {
    if (!/^[0-6]$/.test(key)) throw new ClockDataError(`${who}weekdays.${key}: weekdays are "0" (Sunday) to "6" (Saturday)`, { field: `weekdays.${key}` });
  }
  const exceptions: DayException[] = [];
  for (const y of sorted) {
    const mark = y.status === 'provisional' ? ' (provisional)' : '';
    const listed = new Set<string>();
    const add = (date: string, dayHours: TimeBlock[], reason: string) => {
      listed.add(date);
      exceptions.push({ date, hours: dayHours, reason });
    };
    for (const h of y.holidays) add(h.date, [], `${h.name.vi} / ${h.name.en}${h.provisional ? ' (provisional)' : mark}`);
    for (const d of y.daysOff) add(d.date, [], `${d.kind === 'compensatory' ? `compensatory day for ${d.for}` : `swapped with ${d.workedOn}`}: ${d.ground}${d.provisional ? ' (provisional)' : mark}`);
    for (const w of y.workingDays) add(w.date, hours, `working day replacing ${w.replaces}: ${w.ground}${mark}`);
    // The rest days inside an announced break: closed even where the agency opens on that weekday.
    for (const b of y.breaks ?? []) {
      for (let day = parseLocalDate(b.from)!, last = parseLocalDate(b.to)!; day <= last; day++) {
        const date = formatLocalDate(day);
        if (!listed.has(date)) add(date, [], `${b.name.vi} / ${b.name.en}: ${b.ground}${b.provisional ? ' (provisional)' : mark}`);
      }
    }
  }
  return {
    timeZone: settings.timeZone,
    utcOffsetMinutes: settings.utcOffsetMinutes,
    from: `${sorted[0].year}-01-01`,
    to: `${sorted[sorted.length - 1].year}-12-31`,
    week,
    exceptions,
  };
}

/** agencyCalendarDefinition, built: the calendar an agency's deadlines are computed on. */
export function agencyWorkingCalendar(years: readonly VnYearData[], settings: LegalSettingsVersion, agency: AgencyCalendarOptions = {}): WorkingCalendar {
  const definition = agencyCalendarDefinition(years, settings, agency);
  try {
    return buildWorkingCalendar(definition);
  } catch (error) {
    // The agency's own hours are the usual culprit: say whose calendar it was.
    if (error instanceof CalendarDefinitionError) throw new ClockDataError(`agency ${agency.agency ?? '(unnamed)'}: ${error.message}`, { field: String(error.details.field) });
    throw error;
  }
}
