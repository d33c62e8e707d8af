/**
 * Lunar dates on the Vietnamese calendar (new moons computed for UTC+7), from
 * the `date-chinese` package (astronomical algorithms, by the author of
 * date-holidays). Never typed in by hand: the Chinese calendar (UTC+8) puts some
 * new moons on another day (2030: Tết is 2/2 in Vietnam, 3/2 in China).
 */
import { CalendarVietnamese } from 'date-chinese';
import { ClockDataError } from './errors';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The Gregorian date "YYYY-MM-DD" of lunar month/day (not a leap month) of the
 * lunar year that begins in `gregorianYear`. Throws when that day does not exist
 * (day 30 of a 29-day month).
 */
export function vietnameseLunarDate(gregorianYear: number, lunarMonth: number, lunarDay: number): string {
  // 1 June always lies in the lunar year that began with that Gregorian year's Tết.
  const [cycle, year] = new CalendarVietnamese().fromGregorian(gregorianYear, 6, 1).get();
  const g = new CalendarVietnamese(cycle, year, lunarMonth, 0, lunarDay).toGregorian(gregorianYear);
  // get() is [cycle, year, month, leap, day] (its declared type says number[]).
  const back = new CalendarVietnamese().fromGregorian(g.year, g.month, g.day).get() as unknown as [number, number, number, boolean, number];
  if (back[2] !== lunarMonth || back[3] !== false || back[4] !== lunarDay) {
    throw new ClockDataError(`lunar day ${lunarDay} of month ${lunarMonth} does not exist in the lunar year starting in ${gregorianYear}`, { field: 'date' });
  }
  return `${g.year}-${pad(g.month)}-${pad(g.day)}`;
}

/** Lunar New Year's day (mùng 1 Tết) of `gregorianYear` on the Vietnamese calendar, "YYYY-MM-DD". */
export function lunarNewYear(gregorianYear: number): string {
  return vietnameseLunarDate(gregorianYear, 1, 1);
}
