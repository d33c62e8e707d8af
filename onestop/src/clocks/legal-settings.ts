/**
 * The legal settings of the clocks (data/legal-settings.json): every rule a later
 * text could change (working hours, cut-off, counting start, compensatory-day
 * rule, which holidays count) is data with an effective date, and a lookup by
 * date returns the version in force, so a dossier keeps the rules of its receipt.
 */
import type { TimeBlock } from '../../../engine/src/pure';
import { ClockDataError } from './errors';
import type { BilingualName, HolidayKey } from './year-data';

/** Where a holiday falls in a year. */
export type HolidayDateRule =
  | { type: 'fixed'; month: number; day: number }
  | { type: 'lunar'; month: number; day: number }
  | { type: 'tet'; days: number }
  | { type: 'adjacent'; to: 'national-day' };

/** One statutory holiday and its rules. */
export interface HolidayRule {
  holiday: HolidayKey;
  name: BilingualName;
  ground: string;
  date: HolidayDateRule;
  /** Whether falling on a weekly rest day gives a compensatory day; `unconfirmed` flags a default no text settles. */
  compensatory: { value: boolean; unconfirmed?: boolean; note?: string };
}

/** One complete version of the settings, in force from `effectiveFrom` until the next version. */
export interface LegalSettingsVersion {
  effectiveFrom: string;
  sources: string[];
  note?: string;
  timeZone: string;
  utcOffsetMinutes: number;
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. */
  weeklyRestDays: number[];
  workingHours: { blocks: TimeBlock[]; ground: string };
  /** "HH:MM": received after it, the clock starts the next working day. */
  cutoff: { time: string; ground: string };
  /** How working days are counted from receipt (the engine's `dayCounting`). */
  countingStart: { rule: 'elapsed' | 'next-day'; ground: string; note?: string };
  compensatoryDay: { rule: 'next-working-day' | 'none'; ground: string };
  tetPlacement: { rule: 'nearest-weekdays'; note: string };
  secondNationalDayPlacement: { rule: 'adjacent-weekday'; note: string };
  holidays: HolidayRule[];
}

/** The settings file: versions in increasing `effectiveFrom` order. */
export interface LegalSettings {
  $schema?: string;
  description?: string;
  versions: LegalSettingsVersion[];
}

/**
 * The version in force on a local date "YYYY-MM-DD" (the last one whose
 * effectiveFrom is on or before it). Throws when the date precedes every version.
 */
export function settingsInForce(settings: LegalSettings, date: string): LegalSettingsVersion {
  let found: LegalSettingsVersion | undefined;
  for (const version of settings.versions) {
    if (version.effectiveFrom <= date) found = version;
    else break;
  }
  if (!found) throw new ClockDataError(`no legal settings in force on ${date}: the first version starts ${settings.versions[0]?.effectiveFrom}`, { field: 'effectiveFrom' });
  return found;
}

/** The rule of `holiday` in a version, or undefined when that version does not count it. */
export function holidayRule(version: LegalSettingsVersion, holiday: HolidayKey): HolidayRule | undefined {
  return version.holidays.find((rule) => rule.holiday === holiday);
}
