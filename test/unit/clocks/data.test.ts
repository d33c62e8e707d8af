import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addWorkingTime } from '../../../engine/src/calendar';
import {
  agencyCalendarDefinition,
  agencyWorkingCalendar,
  bundledLegalSettings,
  bundledYears,
  ClockDataError,
  holidayRule,
  provisionalYear,
  readYearFile,
  settingsInForce,
  validateLegalSettings,
  validateYearData,
  withProvisionalYears,
  type VnYearData,
} from '../../../onestop/src/clocks';
import { provisionalYearFile } from '../../../onestop/src/clocks/generate-year';
import vn2026 from '../../../onestop/src/clocks/data/vn-2026.json';
import vn2027 from '../../../onestop/src/clocks/data/vn-2027.json';
import { at, local } from '../../support/local-time';

/** What `fn` threw, as a ClockDataError (fails the test otherwise). */
function clockError(fn: () => unknown): ClockDataError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ClockDataError);
    return error as ClockDataError;
  }
  throw new Error('expected a ClockDataError');
}

const copy2026 = (): VnYearData => structuredClone(vn2026) as VnYearData;
const settings = bundledLegalSettings();

describe('clocks/data', () => {
  describe('bundled years', () => {
    it('should load and validate 2025 and 2026 (official, with their documents) and 2027 (provisional)', () => {
      // when
      const years = bundledYears();

      // then
      expect(years.map((y) => [y.year, y.status])).toEqual([
        [2025, 'official'],
        [2026, 'official'],
        [2027, 'provisional'],
      ]);
      expect(years[0].documents.map((d) => d.number)).toEqual(['6150/TB-BLĐTBXH']);
      expect(years[1].documents.map((d) => d.number)).toEqual(['9441/TB-BNV', '12729/VPCP-KGVX', '3383/BNV-CVL']);
      expect(years[2].documents).toEqual([]);
    });

    it('should count 11 holidays in 2025 and 12 from 2026 (24/11 added by Resolution 28/2026/QH16)', () => {
      const [y2025, y2026, y2027] = bundledYears();
      expect(y2025.holidays).toHaveLength(11);
      expect(y2026.holidays).toHaveLength(12);
      expect(y2027.holidays).toHaveLength(12);
      expect(y2026.holidays.find((h) => h.holiday === 'culture-day')?.date).toBe('2026-11-24');
    });

    it('should mark the 2027 Tết days and second 2/9 day provisional, and the fixed days not', () => {
      const y2027 = bundledYears()[2];
      expect(y2027.holidays.filter((h) => h.provisional).map((h) => h.date)).toEqual(['2027-02-03', '2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-09-03']);
      expect(y2027.daysOff).toEqual([expect.objectContaining({ date: '2027-05-03', kind: 'compensatory', for: '2027-05-01' })]);
    });

    it('should keep vn-2027.json equal to what the generator makes for 2027', () => {
      expect(provisionalYearFile(2027)).toEqual(vn2027);
    });
  });

  describe('provisionalYear', () => {
    it('should generate 2028 from the rules: Tết around Wed 26/1, compensatory days for 1/1 Sat, 30/4 Sun, 2/9 Sat', () => {
      // when
      const y2028 = provisionalYear(2028, settings);

      // then
      expect(y2028.status).toBe('provisional');
      expect(y2028.holidays.map((h) => `${h.date} ${h.holiday}${h.provisional ? ' (provisional)' : ''}`)).toEqual([
        '2028-01-01 new-year',
        '2028-01-24 tet (provisional)',
        '2028-01-25 tet (provisional)',
        '2028-01-26 tet (provisional)',
        '2028-01-27 tet (provisional)',
        '2028-01-28 tet (provisional)',
        '2028-04-04 hung-kings',
        '2028-04-30 reunification',
        '2028-05-01 labour-day',
        '2028-09-01 national-day-second (provisional)',
        '2028-09-02 national-day',
        '2028-11-24 culture-day',
      ]);
      expect(y2028.daysOff.map((d) => `${d.date} for ${d.for}`)).toEqual(['2028-01-03 for 2028-01-01', '2028-05-02 for 2028-04-30', '2028-09-04 for 2028-09-02']);
      expect(() => validateYearData(structuredClone(y2028), 'vn-2028.json')).not.toThrow();
    });

    it('should flag, not compensate, 24/11 on a weekly rest day (2029: Saturday), as the settings say it is unconfirmed', () => {
      // when
      const y2029 = provisionalYear(2029, settings);

      // then
      expect(y2029.daysOff.some((d) => d.for === '2029-11-24')).toBe(false);
      expect(y2029.unconfirmed).toEqual([expect.objectContaining({ date: '2029-11-24', default: 'no compensatory day' })]);
    });

    it('should not count 24/11 before Resolution 28/2026/QH16 is in force (a 2025 generated from the rules)', () => {
      expect(provisionalYear(2025, settings).holidays.some((h) => h.holiday === 'culture-day')).toBe(false);
    });

    it('should place the official 2025 and 2026 Tết days with the same rule the generator uses for later years', () => {
      for (const official of bundledYears().slice(0, 2)) {
        const generated = provisionalYear(official.year, settings);
        const tet = (y: VnYearData) => y.holidays.filter((h) => h.holiday === 'tet').map((h) => h.date);
        expect(tet(generated)).toEqual(tet(official));
      }
    });

    it('should let deadlines run into a generated year', () => {
      // given
      const years = withProvisionalYears(bundledYears(), settings, 2028);
      const calendar = agencyWorkingCalendar(years, settingsInForce(settings, '2027-12-31'));

      // when: Fri 21/1/2028 + 1 working day, across the provisional Tết 24–28/1/2028
      const deadline = addWorkingTime(calendar, at('2028-01-21 10:00'), 1, 'workingDays');

      // then
      expect(years.map((y) => y.year)).toEqual([2025, 2026, 2027, 2028]);
      expect(local(deadline)).toBe('2028-01-31 10:00');
    });
  });

  describe('validation at load', () => {
    it.each<[string, (y: VnYearData) => void, string]>([
      ['a date in the wrong format', (y) => (y.holidays[3].date = '26/4/2026'), '/holidays/3/date'],
      ['an unknown holiday', (y) => ((y.holidays[0] as { holiday: string }).holiday = 'christmas'), '/holidays/0/holiday'],
      ['an unknown field', (y) => ((y.daysOff[0] as unknown as Record<string, unknown>).color = 'red'), '/daysOff/0'],
      ['a missing name', (y) => delete (y.holidays[1] as Partial<(typeof y.holidays)[number]>).name, '/holidays/1'],
      ['a bad status', (y) => ((y as { status: string }).status = 'draft'), '/status'],
      ['a date of another year', (y) => (y.holidays[0].date = '2025-01-01'), '/holidays/0/date'],
      ['one date listed twice', (y) => (y.daysOff[1].date = y.daysOff[0].date), '/daysOff/1/date'],
      ['a swapped day without its worked Saturday', (y) => (y.daysOff[0].workedOn = '2026-01-17'), '/daysOff/0/workedOn'],
      ['a working day that is not a rest day', (y) => ((y.workingDays[0].date = '2026-01-12'), (y.daysOff[0].workedOn = '2026-01-12')), '/workingDays/0/date'],
      ['a compensatory day for a weekday holiday', (y) => (y.daysOff[1].for = '2026-04-30'), '/daysOff/1/for'],
      ['an official year without documents', (y) => (y.documents = []), '/documents'],
      ['a break ending before it starts', (y) => (y.breaks![0].to = '2026-02-01'), '/breaks/0/to'],
    ])('should refuse %s, naming the file and the field', (_what, change, field) => {
      // given
      const data = copy2026();
      change(data);

      // when
      const error = clockError(() => validateYearData(data, 'vn-2026.json'));

      // then
      expect(error.details).toEqual({ file: 'vn-2026.json', field });
      expect(error.message).toMatch(new RegExp(`^vn-2026\\.json: ${field.replace(/\//g, '\\/')}`));
    });

    it('should name the file when a year file cannot be read or is not JSON', () => {
      // given
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-clocks-'));
      const broken = path.join(dir, 'vn-2028.json');
      fs.writeFileSync(broken, '{ "year": 2028,');

      // then
      expect(clockError(() => readYearFile(broken)).message).toMatch(/^vn-2028\.json: is not JSON/);
      expect(clockError(() => readYearFile(path.join(dir, 'vn-2029.json'))).message).toMatch(/^vn-2029\.json: cannot be read/);
      fs.writeFileSync(broken, JSON.stringify(provisionalYear(2028, settings)));
      expect(readYearFile(broken).year).toBe(2028);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('should refuse legal settings whose versions are out of order, naming the field', () => {
      // given
      const data = structuredClone(settings);
      data.versions[1].effectiveFrom = '2020-01-01';

      // then
      expect(clockError(() => validateLegalSettings(data, 'legal-settings.json')).details).toEqual({ file: 'legal-settings.json', field: '/versions/1/effectiveFrom' });
    });

    it('should refuse legal settings with a bad cut-off, naming the field', () => {
      const data = structuredClone(settings);
      data.versions[0].cutoff.time = '25:00';
      expect(clockError(() => validateLegalSettings(data, 'legal-settings.json')).details.field).toBe('/versions/0/cutoff/time');
    });
  });

  describe('legal settings by date', () => {
    it.each([
      ['2026-06-30', '2021-01-01', false],
      ['2026-07-01', '2026-07-01', true],
      ['2027-03-01', '2026-07-01', true],
    ])('on %s the version of %s is in force (24/11 counted: %s)', (date, effectiveFrom, cultureDay) => {
      const version = settingsInForce(settings, date);
      expect(version.effectiveFrom).toBe(effectiveFrom);
      expect(holidayRule(version, 'culture-day') !== undefined).toBe(cultureDay);
      expect(version.cutoff.time).toBe('15:00');
      expect(version.workingHours.blocks).toEqual([
        { start: '07:30', end: '11:30' },
        { start: '13:00', end: '17:00' },
      ]);
      expect(version.countingStart.rule).toBe('elapsed');
      expect(version.compensatoryDay.rule).toBe('next-working-day');
    });

    it('should flag the 24/11 compensatory day as unconfirmed', () => {
      expect(holidayRule(settingsInForce(settings, '2026-12-01'), 'culture-day')?.compensatory).toEqual(expect.objectContaining({ value: false, unconfirmed: true }));
    });

    it('should refuse a date before every version', () => {
      expect(clockError(() => settingsInForce(settings, '2020-12-31')).message).toMatch(/no legal settings in force on 2020-12-31/);
    });
  });

  describe('agencyCalendarDefinition', () => {
    it('should refuse years with a gap, which would make the missing holidays working days', () => {
      const [y2025, , y2027] = bundledYears();
      expect(clockError(() => agencyCalendarDefinition([y2025, y2027], settingsInForce(settings, '2026-12-01'), { agency: 'X' })).message).toMatch(/agency X: calendar years must be consecutive: 2025 is followed by 2027/);
    });

    it('should refuse a weekday key that is not 0–6', () => {
      expect(clockError(() => agencyCalendarDefinition(bundledYears(), settingsInForce(settings, '2026-12-01'), { weekdays: { saturday: [] } })).details.field).toBe('weekdays.saturday');
    });

    it("should refuse an agency's overlapping hours, naming the agency and the field", () => {
      const error = clockError(() =>
        agencyWorkingCalendar(bundledYears(), settingsInForce(settings, '2026-12-01'), { agency: 'desk-7', weekdays: { '6': [{ start: '07:30', end: '11:30' }, { start: '11:00', end: '12:00' }] } }),
      );
      expect(error.message).toMatch(/^agency desk-7: calendar definition: week\[6\]\[1\]/);
      expect(error.details.field).toBe('week[6][1]');
    });

    it("should use an agency's own working hours on working days and swapped Saturdays", () => {
      // given: a desk open 08:00–12:00 and 13:30–17:30
      const hours = [
        { start: '08:00', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ];
      const calendar = agencyWorkingCalendar(bundledYears(), settingsInForce(settings, '2026-12-01'), { agency: 'late-desk', workingHours: hours });

      // then
      expect(local(addWorkingTime(calendar, at('2026-01-05 16:00'), 1, 'sameDay', { cutoff: '15:00' }))).toBe('2026-01-06 17:30');
      expect(local(addWorkingTime(calendar, at('2026-01-09 17:00'), 1, 'workingHours'))).toBe('2026-01-10 08:30');
    });

    it('should cover 1/1 of the first year to 31/12 of the last, in Asia/Ho_Chi_Minh (UTC+7)', () => {
      const definition = agencyCalendarDefinition(bundledYears(), settingsInForce(settings, '2026-12-01'));
      expect([definition.from, definition.to, definition.timeZone, definition.utcOffsetMinutes]).toEqual(['2025-01-01', '2027-12-31', 'Asia/Ho_Chi_Minh', 420]);
    });
  });
});
