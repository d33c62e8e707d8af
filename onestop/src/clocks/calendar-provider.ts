/**
 * The engine's calendar provider for Vietnamese agencies: for an agency and a
 * moment, the agency's working calendar over the years known (the bundled ones,
 * then provisional years up to `lastYear`) and the counting rules (cut-off,
 * counting start) of the legal settings in force on that local date, so a
 * dossier keeps the rules of its receipt. Built calendars are cached per agency
 * and settings version. The composition root (api/src/app.ts) injects it.
 */
import { type CalendarProvider, formatLocalDate, type WorkingTimeRules } from '../../../engine/src/pure';
import { agencyWorkingCalendar, type AgencyCalendarOptions } from './agency-calendar';
import { ClockDataError } from './errors';
import { settingsInForce, type LegalSettings } from './legal-settings';
import { bundledLegalSettings, bundledYears, withProvisionalYears } from './load';
import type { VnYearData } from './year-data';

/** Options of `vietnameseCalendars`. */
export interface VietnameseCalendarsOptions {
  /** The year files (default: the bundled ones). */
  years?: readonly VnYearData[];
  /** The legal settings (default: the bundled ones). */
  settings?: LegalSettings;
  /** Provisional years are generated after the last year given, up to this one (default: the last year given + 3). */
  lastYear?: number;
  /** Each agency's own hours (a Saturday desk); agencies not listed keep the legal hours. */
  agencies?: Readonly<Record<string, AgencyCalendarOptions>>;
}

/**
 * A CalendarProvider over the Vietnamese public-sector calendar. Throws
 * ClockDataError when the data is bad (at build, naming the file or agency).
 */
export function vietnameseCalendars(options: VietnameseCalendarsOptions = {}): CalendarProvider {
  const settings = options.settings ?? bundledLegalSettings();
  const given = options.years ?? bundledYears();
  if (given.length === 0) throw new ClockDataError('no calendar year given', { field: 'years' });
  const lastGiven = Math.max(...given.map((y) => y.year));
  const years = withProvisionalYears(given, settings, options.lastYear ?? lastGiven + 3);
  const offsetMs = settings.versions[0].utcOffsetMinutes * 60_000;
  const cache = new Map<string, WorkingTimeRules>();
  return (agency, at) => {
    if (!Number.isFinite(at)) throw new ClockDataError(`a moment must be finite epoch milliseconds, got ${at}`, { field: 'at' });
    const date = formatLocalDate(Math.floor((at + offsetMs) / 86_400_000));
    const version = settingsInForce(settings, date);
    const key = `${version.effectiveFrom}\u0000${agency ?? ''}`;
    let rules = cache.get(key);
    if (!rules) {
      const own = agency === undefined ? undefined : options.agencies?.[agency];
      rules = {
        calendar: agencyWorkingCalendar(years, version, { agency, ...own }),
        cutoff: version.cutoff.time,
        dayCounting: version.countingStart.rule,
      };
      cache.set(key, rules);
    }
    return rules;
  };
}
