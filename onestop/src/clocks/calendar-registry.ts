/**
 * The calendar data in force in one process, replaceable while it runs: the
 * year files (bundled, overridden by an administrator's), each agency's own
 * hours, and the engine's calendar provider over them. Replacing data validates
 * it first (a bad file changes nothing and the error names the field) and then
 * drops the built calendars, so the next deadline is counted on the new data.
 * Storing and recording the change is the caller's (api/src/calendars).
 */
import type { CalendarProvider } from '../../../engine/src/pure';
import { agencyWorkingCalendar, type AgencyCalendarOptions } from './agency-calendar';
import { vietnameseCalendars } from './calendar-provider';
import { ClockDataError } from './errors';
import { settingsInForce, type LegalSettings } from './legal-settings';
import { bundledLegalSettings, bundledYears } from './load';
import { validateYearData } from './validate';
import type { VnYearData } from './year-data';

/** One year as listed: its status and announcing documents. */
export interface YearSummary {
  year: number;
  status: VnYearData['status'];
  documents: VnYearData['documents'];
}

/** The calendar data of one process and the provider over it. */
export class CalendarRegistry {
  private readonly settings: LegalSettings;
  private readonly yearsByNumber = new Map<number, VnYearData>();
  private readonly agencies = new Map<string, AgencyCalendarOptions>();
  private current: CalendarProvider;

  constructor(options: { settings?: LegalSettings; years?: readonly VnYearData[]; agencies?: Record<string, AgencyCalendarOptions> } = {}) {
    this.settings = options.settings ?? bundledLegalSettings();
    for (const year of options.years ?? bundledYears()) this.yearsByNumber.set(year.year, year);
    for (const [agency, own] of Object.entries(options.agencies ?? {})) this.agencies.set(agency, own);
    this.current = this.build();
  }

  /** The engine's provider: always counts on the data in force now (a stable function). */
  readonly provider: CalendarProvider = (agency, at) => this.current(agency, at);

  /** The years known, in order. */
  years(): YearSummary[] {
    return [...this.yearsByNumber.values()].sort((a, b) => a.year - b.year).map((y) => ({ year: y.year, status: y.status, documents: y.documents }));
  }

  /** One year's data, or undefined. */
  year(year: number): VnYearData | undefined {
    return this.yearsByNumber.get(year);
  }

  /** Every agency's own hours. */
  agencyOptions(): Record<string, AgencyCalendarOptions> {
    return Object.fromEntries(this.agencies);
  }

  /**
   * Validates a year file (the JSON as received) and puts it in force; returns it.
   * The years must stay consecutive (a new year right after the last one, or a
   * replacement). Throws ClockDataError naming the field; nothing changes then.
   */
  replaceYear(data: unknown, source = 'year'): VnYearData {
    const year = validateYearData(structuredClone(data), source);
    const numbers = [...this.yearsByNumber.keys()];
    if (!this.yearsByNumber.has(year.year) && year.year !== Math.max(...numbers) + 1 && year.year !== Math.min(...numbers) - 1) {
      throw new ClockDataError(`${source}: /year ${year.year} would leave a gap: the calendar holds ${Math.min(...numbers)}–${Math.max(...numbers)}`, { file: source, field: '/year' });
    }
    const before = this.yearsByNumber.get(year.year);
    this.yearsByNumber.set(year.year, year);
    try {
      this.current = this.build();
    } catch (error) {
      if (before) this.yearsByNumber.set(year.year, before);
      else this.yearsByNumber.delete(year.year);
      throw error;
    }
    return year;
  }

  /**
   * Validates an agency's own hours (by building its calendar) and puts them in
   * force. Throws ClockDataError naming the agency and the field.
   */
  replaceAgency(agency: string, options: unknown): AgencyCalendarOptions {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ClockDataError(`agency ${agency}: the calendar settings must be an object with workingHours and/or weekdays`, { field: '(root)' });
    const { workingHours, weekdays, ...rest } = options as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new ClockDataError(`agency ${agency}: unknown field ${unknown[0]} (expected workingHours, weekdays)`, { field: unknown[0] });
    const own = { ...(workingHours === undefined ? {} : { workingHours }), ...(weekdays === undefined ? {} : { weekdays }) } as AgencyCalendarOptions;
    const years = [...this.yearsByNumber.values()];
    for (const version of this.settings.versions) agencyWorkingCalendar(years, version, { agency, ...own });
    this.agencies.set(agency, own);
    this.current = this.build();
    return own;
  }

  private build(): CalendarProvider {
    const years = [...this.yearsByNumber.values()];
    // Fails now, not at the first deadline, when the data cannot make a calendar.
    const provider = vietnameseCalendars({ years, settings: this.settings, agencies: Object.fromEntries(this.agencies) });
    const last = Math.max(...years.map((y) => y.year));
    provider(undefined, Date.parse(`${last}-12-31T00:00:00Z`));
    settingsInForce(this.settings, `${last}-12-31`);
    return provider;
  }
}
