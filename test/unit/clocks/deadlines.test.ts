import fc from 'fast-check';
import { addWorkingTime, isWorkingDay, isWorkingMoment, workingTimeBetween, type AddWorkingTimeOptions, type WorkingTimeUnit } from '../../../engine/src/calendar';
import { agencyWorkingCalendar, bundledLegalSettings, bundledYears, settingsInForce } from '../../../onestop/src/clocks';
import { at, local } from '../../support/local-time';

const settings = bundledLegalSettings();
const inForce = settingsInForce(settings, '2026-11-30');
const years = bundledYears();
const calendars = {
  /** Legal hours 07:30–11:30, 13:00–17:00, Monday to Friday. */
  default: agencyWorkingCalendar(years, inForce, { agency: 'default' }),
  /** A desk also open on Saturday mornings, 07:30–11:30. */
  'saturday-desk': agencyWorkingCalendar(years, inForce, { agency: 'saturday-desk', weekdays: { '6': [{ start: '07:30', end: '11:30' }] } }),
};
const cutoff = inForce.cutoff.time;

type Row = [rule: string, agency: keyof typeof calendars, start: string, amount: number, unit: WorkingTimeUnit, options: AddWorkingTimeOptions, expected: string];

describe('clocks: deadlines on the Vietnamese calendar 2025–2027', () => {
  it.each<Row>([
    // Tết
    ['Tết 2025 (notice 6150/TB-BLĐTBXH): received the Friday before the break 25/1–2/2, one working day ends after it', 'default', '2025-01-24 10:00', 1, 'workingDays', {}, '2025-02-03 10:00'],
    ['Tết 2026 (notice 9441/TB-BNV): received inside the break 14/2–22/2, the count starts Mon 23/2', 'default', '2026-02-18 09:00', 1, 'workingDays', {}, '2026-02-23 17:00'],
    ['Tết 2026: 8 working hours (online acceptance, Decree 118 art. 17(2)) across the break', 'default', '2026-02-13 14:00', 8, 'workingHours', {}, '2026-02-23 14:00'],
    ['Tết 2026: 24 hours run through the break (hours are not working hours)', 'default', '2026-02-13 10:00', 24, 'hours', {}, '2026-02-14 10:00'],
    ['Tết 2026: 15 calendar days ending inside the break end at the close of the next working day (Civil Code art. 148(5))', 'default', '2026-02-07 10:00', 15, 'calendarDays', { endOnWorkingDay: true }, '2026-02-23 17:00'],
    // 2/9
    ['2/9 block 2025: Sat 30/8–Tue 2/9 closed', 'default', '2025-08-29 10:00', 1, 'workingDays', {}, '2025-09-03 10:00'],
    ['2/9 block 2026: Sat 29/8–Wed 2/9 closed (Mon 31/8 swapped off, Tue 1/9 the second day)', 'default', '2026-08-28 10:00', 1, 'workingDays', {}, '2026-09-03 10:00'],
    // swapped Saturdays
    ['swapped Saturday 26/4/2025 is worked', 'default', '2025-04-25 10:00', 1, 'workingDays', {}, '2025-04-26 10:00'],
    ['30/4–4/5/2025: Fri 2/5 off (swapped with Sat 26/4)', 'default', '2025-04-29 10:00', 1, 'workingDays', {}, '2025-05-05 10:00'],
    ['swapped Saturday 10/1/2026 is worked', 'default', '2026-01-09 10:00', 1, 'workingDays', {}, '2026-01-10 10:00'],
    ['swapped Saturday 22/8/2026 is worked', 'default', '2026-08-21 10:00', 1, 'workingDays', {}, '2026-08-22 10:00'],
    // 24/11
    ['24/11/2026 Vietnam Culture Day (Resolution 28/2026/QH16) is closed', 'default', '2026-11-23 10:00', 1, 'workingDays', {}, '2026-11-25 10:00'],
    // holiday on a Sunday
    ["Hùng Kings' day on Sunday 26/4/2026: compensatory Mon 27/4 (Labour Code art. 111(3))", 'default', '2026-04-24 10:00', 1, 'workingDays', {}, '2026-04-28 10:00'],
    ['30/4–1/5/2026 Thu–Fri closed', 'default', '2026-04-29 10:00', 1, 'workingDays', {}, '2026-05-04 10:00'],
    ['8 working hours from Wed 29/4/2026 16:00 resume Mon 4/5', 'default', '2026-04-29 16:00', 8, 'workingHours', {}, '2026-05-04 16:00'],
    // across a year boundary
    ['across 2025→2026: 1/1 and the swapped Fri 2/1 closed', 'default', '2025-12-31 10:00', 1, 'workingDays', {}, '2026-01-05 10:00'],
    ['20 working days from Mon 5/1/2026 (Sat 10/1 counted)', 'default', '2026-01-05 09:00', 20, 'workingDays', {}, '2026-01-30 09:00'],
    ['across 2026→2027 provisional: 1/1/2027 closed', 'default', '2026-12-31 10:00', 1, 'workingDays', {}, '2027-01-04 10:00'],
    // the 15:00 cut-off
    ['same day: received 14:30, handled today', 'default', '2026-01-05 14:30', 1, 'sameDay', { cutoff }, '2026-01-05 17:00'],
    ['same day: received 15:30, the next working day (Law on Civil Status art. 5(3))', 'default', '2026-01-05 15:30', 1, 'sameDay', { cutoff }, '2026-01-06 17:00'],
    ['same day: received 15:30 on 31/12/2025, the next working day is Mon 5/1/2026', 'default', '2025-12-31 15:30', 1, 'sameDay', { cutoff }, '2026-01-05 17:00'],
    ['same day: received 15:30 before the compensatory Mon 27/4/2026, Tue 28/4', 'default', '2026-04-24 15:30', 1, 'sameDay', { cutoff }, '2026-04-28 17:00'],
    ['cut-off on working days (Decree 301 birth group): after 15:00 the count starts the next working day', 'default', '2026-01-05 15:30', 3, 'workingDays', { cutoff }, '2026-01-08 17:00'],
    ['Civil Code art. 147 counting (next-day): the receipt day is not counted, the compensatory day skipped', 'default', '2026-04-24 10:00', 2, 'workingDays', { dayCounting: 'next-day' }, '2026-04-29 17:00'],
    // per-agency Saturday desk
    ['Saturday desk: received Fri 15:30, handled Sat morning', 'saturday-desk', '2026-01-16 15:30', 1, 'sameDay', { cutoff }, '2026-01-17 11:30'],
    ['no Saturday desk: received Fri 15:30, handled Monday', 'default', '2026-01-16 15:30', 1, 'sameDay', { cutoff }, '2026-01-19 17:00'],
    ['Saturday desk: working hours run on Saturday morning', 'saturday-desk', '2026-01-16 16:00', 2, 'workingHours', {}, '2026-01-17 08:30'],
    ['Saturday desk: closed on a Saturday inside Tết 2026', 'saturday-desk', '2026-02-13 15:30', 1, 'sameDay', { cutoff }, '2026-02-23 17:00'],
    ['Saturday desk: a swapped working Saturday has full weekday hours', 'saturday-desk', '2026-08-22 10:00', 1, 'sameDay', { cutoff }, '2026-08-22 17:00'],
    // 2027, provisional
    ['2027 provisional: Tết placed Wed 3/2–Tue 9/2 around lunar New Year Sat 6/2', 'default', '2027-02-02 10:00', 1, 'workingDays', {}, '2027-02-10 10:00'],
    ["2027 provisional: Hùng Kings' day Fri 16/4 (lunar 10/3)", 'default', '2027-04-15 10:00', 1, 'workingDays', {}, '2027-04-19 10:00'],
    ['2027 provisional: 30/4 Fri, 1/5 Sat compensated Mon 3/5', 'default', '2027-04-29 10:00', 1, 'workingDays', {}, '2027-05-04 10:00'],
    ['2027 provisional: 2/9 Thu and the second day Fri 3/9', 'default', '2027-09-01 10:00', 1, 'workingDays', {}, '2027-09-06 10:00'],
    ['2027 provisional: 24/11 Wed closed', 'default', '2027-11-23 10:00', 1, 'workingDays', {}, '2027-11-25 10:00'],
  ])('%s', (_rule, agency, start, amount, unit, options, expected) => {
    // when
    const deadline = addWorkingTime(calendars[agency], at(start), amount, unit, options);

    // then
    expect(local(deadline)).toBe(expected);
  });

  it.each<[rule: string, date: string, working: boolean]>([
    ['the unconfirmed proposal to take Mon 23/11/2026 off is not applied', '2026-11-23 10:00', true],
    ['… nor its Sat 28/11/2026 worked', '2026-11-28 10:00', false],
    ['Sun 26/4/2026 (a holiday on a rest day) stays closed', '2026-04-26 10:00', false],
    ['Mon 27/4/2026, its compensatory day, is closed', '2026-04-27 10:00', false],
    ['Mon 31/8/2026 (swapped with Sat 22/8) is closed', '2026-08-31 10:00', false],
    ['Sat 6/2/2027, lunar New Year on a Saturday, is closed', '2027-02-06 10:00', false],
  ])('%s', (_rule, date, working) => {
    expect(isWorkingDay(calendars.default, at(date))).toBe(working);
  });

  describe('properties on the real calendar (starts anywhere in 2025–2026, both agencies)', () => {
    const start = fc.integer({ min: at('2025-01-01 00:00'), max: at('2026-12-31 23:59') });
    const agency = fc.constantFrom<keyof typeof calendars>('default', 'saturday-desk');

    it('should count back the working days and working hours it added', () => {
      fc.assert(
        fc.property(agency, start, fc.integer({ min: 0, max: 60 }), (a, s, n) => {
          const calendar = calendars[a];
          expect(Math.abs(workingTimeBetween(calendar, s, addWorkingTime(calendar, s, n, 'workingDays'), 'workingDays') - n)).toBeLessThan(1e-6);
          expect(workingTimeBetween(calendar, s, addWorkingTime(calendar, s, n, 'workingHours'), 'workingHours')).toBeCloseTo(n, 9);
        }),
      );
    });

    it('should never end a positive deadline on a non-working moment, whatever the unit and cut-off', () => {
      fc.assert(
        fc.property(agency, start, fc.integer({ min: 1, max: 60 }), fc.constantFrom<WorkingTimeUnit>('workingDays', 'workingHours', 'sameDay'), fc.boolean(), (a, s, n, unit, withCutoff) => {
          const deadline = addWorkingTime(calendars[a], s, n, unit, withCutoff ? { cutoff } : {});
          expect(isWorkingMoment(calendars[a], deadline - 1)).toBe(true);
        }),
      );
    });

    // Day shares are rounded to whole ms; with 4 h Saturdays and 8 h weekdays a two-step sum differs by at most ½ × 8/4 + ½ → 1 ms.
    it('should give the same deadline when working days are added in steps or at once (to the millisecond)', () => {
      fc.assert(
        fc.property(agency, start, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (a, s, x, y) => {
          const calendar = calendars[a];
          const steps = addWorkingTime(calendar, addWorkingTime(calendar, s, x, 'workingDays'), y, 'workingDays');
          expect(Math.abs(steps - addWorkingTime(calendar, s, x + y, 'workingDays'))).toBeLessThanOrEqual(1);
          expect(addWorkingTime(calendar, addWorkingTime(calendar, s, x, 'workingHours'), y, 'workingHours')).toBe(addWorkingTime(calendar, s, x + y, 'workingHours'));
        }),
      );
    });
  });
});
