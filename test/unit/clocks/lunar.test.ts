import { CalendarChinese } from 'date-chinese';
import { bundledYears, lunarNewYear, vietnameseLunarDate, weekdayOf } from '../../../onestop/src/clocks';

describe('clocks/lunar', () => {
  describe('cross-check against the official notices (shared/DOMAIN.md)', () => {
    const years = bundledYears();

    it.each([
      [2025, '2025-01-29'],
      [2026, '2026-02-17'],
    ])('should put lunar New Year %i on %s, a day inside the official Tết holidays', (year, expected) => {
      // when
      const newYear = lunarNewYear(year);

      // then
      expect(newYear).toBe(expected);
      const official = years.find((y) => y.year === year)!;
      expect(official.status).toBe('official');
      expect(official.holidays.filter((h) => h.holiday === 'tet').map((h) => h.date)).toContain(newYear);
    });

    it.each([
      [2025, '2025-04-07'],
      [2026, '2026-04-26'],
    ])("should put Hùng Kings' day (lunar 10/3) of %i on the official date %s", (year, expected) => {
      // when
      const date = vietnameseLunarDate(year, 3, 10);

      // then
      expect(date).toBe(expected);
      const official = years.find((y) => y.year === year)!;
      expect(official.holidays.find((h) => h.holiday === 'hung-kings')?.date).toBe(date);
    });
  });

  it.each([
    [2027, '2027-02-06', 'Sat'],
    [2028, '2028-01-26', 'Wed'],
  ])('should compute lunar New Year %i: %s (%s)', (year, expected, weekday) => {
    expect(lunarNewYear(year)).toBe(expected);
    expect(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][weekdayOf(expected)]).toBe(weekday);
  });

  it("should compute Hùng Kings' day 2027 on Fri 16/4", () => {
    expect(vietnameseLunarDate(2027, 3, 10)).toBe('2027-04-16');
  });

  it('should use the Vietnamese calendar (UTC+7), which puts Tết 2030 a day before the Chinese one (UTC+8)', () => {
    // given: the Chinese calendar of the same library
    const [cycle, year] = new CalendarChinese().fromGregorian(2030, 6, 1).get();
    const chinese = new CalendarChinese(cycle, year, 1, 0, 1).toGregorian(2030);

    // then
    expect(`${chinese.year}-0${chinese.month}-0${chinese.day}`).toBe('2030-02-03');
    expect(lunarNewYear(2030)).toBe('2030-02-02');
  });

  it('should refuse a lunar day that does not exist', () => {
    // the 12th month of the lunar year starting in 2025 has 29 days (its 30th would be Tết 2026)
    expect(() => vietnameseLunarDate(2025, 12, 30)).toThrow(/does not exist/);
  });
});
