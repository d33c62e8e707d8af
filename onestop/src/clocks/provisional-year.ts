/**
 * Generates a provisional year from the legal rules, for a year whose notice has
 * not come yet: fixed-date holidays, lunar holidays computed on the Vietnamese
 * calendar, Tết and the second 2/9 day placed by the documented rules of the
 * settings (and marked provisional), and the compensatory days of art. 111(3).
 * Deadlines can then run past the last announced year; an administrator
 * replaces the file when the Prime Minister's notice is out.
 */
import { formatLocalDate, parseLocalDate } from '../../../engine/src/pure';
import { ClockDataError } from './errors';
import { holidayRule, settingsInForce, type HolidayRule, type LegalSettings, type LegalSettingsVersion } from './legal-settings';
import { lunarNewYear, vietnameseLunarDate } from './lunar';
import { weekdayOf } from './validate';
import type { BreakEntry, DayOffEntry, HolidayEntry, UnconfirmedEntry, VnYearData } from './year-data';

const pad = (n: number) => String(n).padStart(2, '0');
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const addDays = (date: string, days: number) => formatLocalDate(parseLocalDate(date)! + days);
const show = (date: string) => `${WEEKDAY[weekdayOf(date)]} ${Number(date.slice(8, 10))}/${Number(date.slice(5, 7))}/${date.slice(0, 4)}`;

/**
 * The `days` Tết days: the weekdays nearest to lunar New Year's day, ties going to
 * the day after Tết (the settings' `nearest-weekdays` rule).
 */
export function placeTet(newYearsDay: string, days: number, restDays: readonly number[]): string[] {
  const candidates: Array<{ date: string; distance: number; after: boolean }> = [];
  for (let offset = -days * 3; offset <= days * 3; offset++) {
    const date = addDays(newYearsDay, offset);
    if (!restDays.includes(weekdayOf(date))) candidates.push({ date, distance: Math.abs(offset), after: offset >= 0 });
  }
  candidates.sort((a, b) => a.distance - b.distance || Number(b.after) - Number(a.after));
  return candidates
    .slice(0, days)
    .map((c) => c.date)
    .sort();
}

/**
 * The second National Day holiday (the settings' `adjacent-weekday` rule): 1/9 or
 * 3/9, whichever is a weekday; when both are, the one next to a weekend (a Monday
 * or a Friday); when that still leaves both or neither, 1/9.
 */
export function placeSecondNationalDay(nationalDay: string, restDays: readonly number[]): string {
  const before = addDays(nationalDay, -1);
  const after = addDays(nationalDay, 1);
  const weekday = (d: string) => !restDays.includes(weekdayOf(d));
  const nextToWeekend = (d: string) => restDays.includes(weekdayOf(addDays(d, -1))) || restDays.includes(weekdayOf(addDays(d, 1)));
  if (weekday(before) !== weekday(after)) return weekday(before) ? before : after;
  if (weekday(before) && nextToWeekend(before) !== nextToWeekend(after)) return nextToWeekend(before) ? before : after;
  return before;
}

function entry(rule: HolidayRule, date: string, extra: Partial<HolidayEntry> = {}): HolidayEntry {
  return { date, holiday: rule.holiday, name: rule.name, ground: rule.ground, ...extra };
}

/**
 * A provisional year built from `settings` (each holiday counted only where the
 * version in force on its date lists it; placements by the version in force on
 * 1 January). Throws for a year before the first settings version.
 *
 * @example
 * const year2028 = provisionalYear(2028, bundledLegalSettings());
 */
export function provisionalYear(year: number, settings: LegalSettings): VnYearData {
  if (!Number.isInteger(year) || year < 2000 || year > 2200) throw new ClockDataError(`provisionalYear: year must be an integer 2000–2200, got ${year}`, { field: 'year' });
  const first = settingsInForce(settings, `${year}-01-01`);
  const last = settingsInForce(settings, `${year}-12-31`);
  const rest = first.weeklyRestDays;
  const holidays: HolidayEntry[] = [];
  const notes: string[] = [];
  const inForce = (rule: HolidayRule, date: string): LegalSettingsVersion | undefined => {
    const version = settingsInForce(settings, date);
    return holidayRule(version, rule.holiday) ? version : undefined;
  };

  const newYearsDay = lunarNewYear(year);
  let nationalDay: string | undefined;
  for (const rule of last.holidays) {
    const d = rule.date;
    if (d.type === 'fixed' || d.type === 'lunar') {
      const date = d.type === 'fixed' ? `${year}-${pad(d.month)}-${pad(d.day)}` : vietnameseLunarDate(year, d.month, d.day);
      if (!inForce(rule, date)) continue;
      holidays.push(entry(rule, date, d.type === 'lunar' ? { note: `lunar ${d.day}/${d.month}, computed on the Vietnamese calendar (UTC+7)` } : {}));
      if (rule.holiday === 'national-day') nationalDay = date;
    } else if (d.type === 'tet') {
      const days = placeTet(newYearsDay, d.days, rest);
      if (!inForce(rule, days[0])) continue;
      const note = `lunar New Year's day ${show(newYearsDay)}; ${d.days} days placed provisionally by the rule "${first.tetPlacement.rule}" (legal-settings.json): the Prime Minister places them`;
      for (const date of days) holidays.push(entry(rule, date, { provisional: true, note }));
    }
  }
  const second = last.holidays.find((rule) => rule.date.type === 'adjacent');
  if (second && nationalDay) {
    const date = placeSecondNationalDay(nationalDay, rest);
    if (inForce(second, date)) {
      holidays.push(entry(second, date, { provisional: true, note: `placed provisionally by the rule "${first.secondNationalDayPlacement.rule}" (legal-settings.json): the Prime Minister places it` }));
    }
  }
  holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // Compensatory days (art. 111(3)), in date order, each on the next day that is neither a rest day nor already off.
  const off = new Set(holidays.map((h) => h.date));
  const daysOff: DayOffEntry[] = [];
  const unconfirmed: UnconfirmedEntry[] = [];
  for (const holiday of holidays) {
    if (!rest.includes(weekdayOf(holiday.date))) continue;
    const version = settingsInForce(settings, holiday.date);
    const rule = holidayRule(version, holiday.holiday)!;
    if (rule.compensatory.unconfirmed) {
      unconfirmed.push({
        date: holiday.date,
        what: `${holiday.name.en} falls on ${show(holiday.date)}, a weekly rest day; whether it gives a compensatory day is unconfirmed`,
        default: rule.compensatory.value ? 'a compensatory day on the next working day' : 'no compensatory day',
      });
    }
    if (version.compensatoryDay.rule !== 'next-working-day' || !rule.compensatory.value) continue;
    let date = addDays(holiday.date, 1);
    while (rest.includes(weekdayOf(date)) || off.has(date)) date = addDays(date, 1);
    if (!date.startsWith(`${year}-`)) {
      notes.push(`${holiday.name.en} on ${show(holiday.date)} is compensated on ${show(date)}, in the next year's file`);
      continue;
    }
    off.add(date);
    daysOff.push({ date, kind: 'compensatory', for: holiday.date, ground: version.compensatoryDay.ground });
  }
  daysOff.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // The Tết and National Day breaks: the placed days with the rest days around them (closed for a Saturday desk too).
  const breaks: BreakEntry[] = [];
  const closed = (date: string) => off.has(date) || rest.includes(weekdayOf(date));
  for (const [key, name] of [
    ['tet', { vi: 'Nghỉ Tết Âm lịch', en: 'Lunar New Year break' }],
    ['national-day', { vi: 'Nghỉ lễ Quốc khánh', en: 'National Day break' }],
  ] as const) {
    const dates = holidays.filter((h) => h.holiday === key || (key === 'national-day' && h.holiday === 'national-day-second')).map((h) => h.date);
    if (dates.length === 0) continue;
    let from = dates[0];
    let to = dates[dates.length - 1];
    while (closed(addDays(from, -1)) && addDays(from, -1).startsWith(`${year}-`)) from = addDays(from, -1);
    while (closed(addDays(to, 1)) && addDays(to, 1).startsWith(`${year}-`)) to = addDays(to, 1);
    breaks.push({ from, to, name, ground: 'the placed holidays with the weekly rest days around them (provisional)', provisional: true });
  }

  notes.unshift(
    `Generated by provisionalYear(${year}) from legal-settings.json; no notice yet. Lunar dates from the date-chinese package on the Vietnamese calendar (UTC+7): lunar New Year's day ${show(newYearsDay)}.`,
  );
  return {
    year,
    status: 'provisional',
    documents: [],
    holidays,
    daysOff,
    workingDays: [],
    breaks,
    ...(unconfirmed.length > 0 ? { unconfirmed } : {}),
    notes,
  };
}
