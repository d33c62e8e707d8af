/**
 * The shape of one year of the Vietnamese public-sector calendar (data/vn-YYYY.json,
 * checked against data/vn-year.schema.json at load). Each year is data, not code,
 * because the government places Tết and the second 2/9 day and swaps Saturdays
 * every year.
 */

/** The statutory holidays (Labour Code 2019 art. 112; Resolution 28/2026/QH16 for 24/11). */
export type HolidayKey = 'new-year' | 'tet' | 'hung-kings' | 'reunification' | 'labour-day' | 'national-day' | 'national-day-second' | 'culture-day';

/** A name in both languages of the product. */
export interface BilingualName {
  vi: string;
  en: string;
}

/** A document that announced the year's schedule. */
export interface AnnouncingDocument {
  number: string;
  /** Date of signature, "YYYY-MM-DD"; null where it was not checked against the text. */
  date: string | null;
  issuer: string;
  decides: string;
}

/** One statutory holiday on one date (a holiday that falls on a rest day is listed too). */
export interface HolidayEntry {
  date: string;
  holiday: HolidayKey;
  name: BilingualName;
  ground: string;
  /** Placed by a rule while the Prime Minister's placement is awaited. */
  provisional?: boolean;
  note?: string;
}

/** A day off that is not itself a holiday: a compensatory day, or a weekday swapped with a Saturday. */
export interface DayOffEntry {
  date: string;
  kind: 'compensatory' | 'swapped';
  /** compensatory: the holiday it compensates. */
  for?: string;
  /** swapped: the Saturday worked instead. */
  workedOn?: string;
  ground: string;
  provisional?: boolean;
  note?: string;
}

/** A weekly rest day worked instead of a day off. */
export interface WorkingDayEntry {
  date: string;
  replaces: string;
  ground: string;
  provisional?: boolean;
  note?: string;
}

/** An announced break: every day from `from` to `to` (rest days included) is closed for every agency. */
export interface BreakEntry {
  from: string;
  to: string;
  name: BilingualName;
  ground: string;
  provisional?: boolean;
  note?: string;
}

/** A proposal never confirmed: recorded, not applied. */
export interface UnconfirmedEntry {
  date: string;
  what: string;
  default: string;
}

/** One year file. */
export interface VnYearData {
  $schema?: string;
  year: number;
  status: 'official' | 'provisional';
  documents: AnnouncingDocument[];
  holidays: HolidayEntry[];
  daysOff: DayOffEntry[];
  workingDays: WorkingDayEntry[];
  breaks?: BreakEntry[];
  unconfirmed?: UnconfirmedEntry[];
  notes?: string[];
}
