import {
  addWorkingTime,
  buildWorkingCalendar,
  CalendarArgumentError,
  CalendarRangeError,
  isWorkingMoment,
  nextWorkingMoment,
  workingTimeBetween,
  type AddWorkingTimeOptions,
  type WorkingTimeUnit,
} from '../../../engine/src/calendar';
import { at, local } from '../../support/local-time';
import { synthetic } from './synthetic-calendar';

const calendar = buildWorkingCalendar(synthetic);

type Row = [rule: string, start: string, amount: number, unit: WorkingTimeUnit, options: AddWorkingTimeOptions, expected: string];

describe('calendar/arithmetic', () => {
  describe('addWorkingTime', () => {
    it.each<Row>([
      ['working hours: a full day from the opening ends at the close, not the next opening', '2031-01-06 08:00', 8, 'workingHours', {}, '2031-01-06 17:00'],
      ['working hours: the lunch break is skipped', '2031-01-06 11:00', 2, 'workingHours', {}, '2031-01-06 14:00'],
      ['working hours: overnight', '2031-01-06 16:00', 2, 'workingHours', {}, '2031-01-07 09:00'],
      ['working hours: a closed weekday is skipped', '2031-01-07 16:00', 2, 'workingHours', {}, '2031-01-09 09:00'],
      ['working hours: a swapped Saturday is worked', '2031-01-10 16:00', 2, 'workingHours', {}, '2031-01-11 09:00'],
      ['working hours: a start on Sunday counts from Monday opening', '2031-01-05 10:00', 1, 'workingHours', {}, '2031-01-06 09:00'],
      ['working hours: a start in the lunch break counts from 13:00', '2031-01-06 12:30', 1, 'workingHours', {}, '2031-01-06 14:00'],
      ['working hours: half an hour', '2031-01-06 08:00', 0.5, 'workingHours', {}, '2031-01-06 08:30'],
      ['working hours: zero is the start itself', '2031-01-06 12:30', 0, 'workingHours', {}, '2031-01-06 12:30'],
      ['working hours: a short Saturday then Monday', '2031-01-17 16:00', 4, 'workingHours', {}, '2031-01-20 09:00'],
      ['working hours: cut-off moves a late start to the next opening', '2031-01-06 15:30', 1, 'workingHours', { cutoff: '15:00' }, '2031-01-07 09:00'],
      ['working days: n days later at the same time, a closed day skipped', '2031-01-06 09:30', 2, 'workingDays', {}, '2031-01-09 09:30'],
      ['working days: from the opening, one day ends at the same day close', '2031-01-06 08:00', 1, 'workingDays', {}, '2031-01-06 17:00'],
      ['working days: a swapped Saturday counts', '2031-01-10 10:00', 1, 'workingDays', {}, '2031-01-11 10:00'],
      ['working days: a start on a closed day counts from the next working day', '2031-01-04 10:00', 1, 'workingDays', {}, '2031-01-06 17:00'],
      ['working days: after the close, the next day is day 1 (a 2 h Saturday desk)', '2031-01-17 17:30', 1, 'workingDays', {}, '2031-01-18 10:00'],
      ['working days: the same share of a shorter day (half of a 4 h day)', '2031-01-15 12:00', 1, 'workingDays', {}, '2031-01-16 10:00'],
      ['working days: half a day', '2031-01-06 08:00', 0.5, 'workingDays', {}, '2031-01-06 12:00'],
      ['working days: twenty days across closed days', '2031-01-06 10:00', 20, 'workingDays', {}, '2031-01-31 10:00'],
      ['working days: cut-off 15:00 starts the count the next working day', '2031-01-06 15:30', 1, 'workingDays', { cutoff: '15:00' }, '2031-01-07 17:00'],
      ['working days, next-day counting: the start day is not counted', '2031-01-06 09:30', 2, 'workingDays', { dayCounting: 'next-day' }, '2031-01-09 17:00'],
      ['working days, next-day counting: ends at the close of a short day', '2031-01-17 09:00', 1, 'workingDays', { dayCounting: 'next-day' }, '2031-01-18 10:00'],
      ['working days, next-day counting: from a Sunday, Monday is day 1', '2031-01-05 09:00', 1, 'workingDays', { dayCounting: 'next-day' }, '2031-01-06 17:00'],
      ['same day: before the cut-off, the close of the day', '2031-01-06 14:59', 1, 'sameDay', {}, '2031-01-06 17:00'],
      ['same day: exactly 15:00 is not after the cut-off', '2031-01-06 15:00', 1, 'sameDay', {}, '2031-01-06 17:00'],
      ['same day: after 15:00, the next working day', '2031-01-06 15:01', 1, 'sameDay', {}, '2031-01-07 17:00'],
      ['same day: after 15:00 before a closed day, the day after it', '2031-01-07 15:30', 1, 'sameDay', {}, '2031-01-09 17:00'],
      ['same day: before the opening, the same day', '2031-01-06 06:00', 1, 'sameDay', {}, '2031-01-06 17:00'],
      ['same day: on a Sunday, Monday', '2031-01-05 10:00', 1, 'sameDay', {}, '2031-01-06 17:00'],
      ['same day: after the close with the cut-off off, the next working day', '2031-01-06 17:30', 1, 'sameDay', { cutoff: null }, '2031-01-07 17:00'],
      ['same day: late afternoon with the cut-off off, the same day', '2031-01-06 16:30', 1, 'sameDay', { cutoff: null }, '2031-01-06 17:00'],
      ['same day: a cut-off set to 12:00', '2031-01-06 12:30', 1, 'sameDay', { cutoff: '12:00' }, '2031-01-07 17:00'],
      ['same day: amount 2 is the close of the next working day', '2031-01-06 10:00', 2, 'sameDay', {}, '2031-01-07 17:00'],
      ['hours: elapsed time, work or not', '2031-01-03 10:00', 24, 'hours', {}, '2031-01-04 10:00'],
      ['hours: ending on a closed day moves to the close of the next working day when asked', '2031-01-03 10:00', 24, 'hours', { endOnWorkingDay: true }, '2031-01-06 17:00'],
      ['hours: ending on a working day stays put when asked', '2031-01-06 10:00', 24, 'hours', { endOnWorkingDay: true }, '2031-01-07 10:00'],
      ['calendar days: 15 days', '2031-01-06 10:00', 15, 'calendarDays', {}, '2031-01-21 10:00'],
      ['calendar days: ending on a closed weekday moves when asked', '2031-01-01 10:00', 7, 'calendarDays', { endOnWorkingDay: true }, '2031-01-09 17:00'],
    ])('%s', (_rule, start, amount, unit, options, expected) => {
      // when
      const deadline = addWorkingTime(calendar, at(start), amount, unit, options);

      // then
      expect(local(deadline)).toBe(expected);
    });
  });

  describe('workingTimeBetween', () => {
    it.each<[rule: string, a: string, b: string, unit: WorkingTimeUnit, expected: number]>([
      ['working hours skip nights, lunch and a closed weekday', '2031-01-06 08:00', '2031-01-09 17:00', 'workingHours', 24],
      ['working days are whole days between openings and closes', '2031-01-06 08:00', '2031-01-09 17:00', 'workingDays', 3],
      ['working days count a half day as a share of that day', '2031-01-16 08:00', '2031-01-16 10:00', 'workingDays', 0.5],
      ['backwards is negative', '2031-01-07 09:00', '2031-01-06 16:00', 'workingHours', -2],
      ['hours are elapsed hours', '2031-01-03 10:00', '2031-01-04 16:00', 'hours', 30],
      ['calendar days are elapsed days', '2031-01-01 00:00', '2031-01-16 00:00', 'calendarDays', 15],
    ])('%s', (_rule, a, b, unit, expected) => {
      expect(workingTimeBetween(calendar, at(a), at(b), unit)).toBeCloseTo(expected, 9);
    });

    it('should refuse sameDay, which is a rule and not a duration', () => {
      expect(() => workingTimeBetween(calendar, at('2031-01-06 08:00'), at('2031-01-06 09:00'), 'sameDay')).toThrow(CalendarArgumentError);
    });
  });

  describe('isWorkingMoment and nextWorkingMoment', () => {
    it.each<[string, boolean, string]>([
      ['2031-01-06 08:00', true, '2031-01-06 08:00'],
      ['2031-01-06 11:59:59.999', true, '2031-01-06 11:59:59.999'],
      ['2031-01-06 12:00', false, '2031-01-06 13:00'],
      ['2031-01-06 17:00', false, '2031-01-07 08:00'],
      ['2031-01-07 17:30', false, '2031-01-09 08:00'],
      ['2031-01-08 10:00', false, '2031-01-09 08:00'],
      ['2031-01-11 10:00', true, '2031-01-11 10:00'],
      ['2031-01-18 10:00', false, '2031-01-20 08:00'],
      ['2031-01-05 07:00', false, '2031-01-06 08:00'],
    ])('%s: working %s, next working moment %s', (moment, working, next) => {
      expect(isWorkingMoment(calendar, at(moment))).toBe(working);
      expect(local(nextWorkingMoment(calendar, at(moment)))).toBe(next);
    });
  });

  describe('errors', () => {
    it('should throw CalendarRangeError naming the covered days when a deadline leaves them', () => {
      // when
      const error = (() => {
        try {
          addWorkingTime(calendar, at('2031-06-02 10:00'), 40, 'workingDays');
        } catch (e) {
          return e as CalendarRangeError;
        }
      })();

      // then
      expect(error).toBeInstanceOf(CalendarRangeError);
      expect(error!.code).toBe('CALENDAR_RANGE');
      expect(error!.message).toContain('2031-01-01 to 2031-06-30');
    });

    it.each<[string, () => unknown]>([
      ['a start before the covered days', () => addWorkingTime(calendar, at('2030-12-31 10:00'), 1, 'workingHours')],
      ['working hours past the end', () => addWorkingTime(calendar, at('2031-06-30 10:00'), 100, 'workingHours')],
      ['next-day counting past the end', () => addWorkingTime(calendar, at('2031-06-30 10:00'), 1, 'workingDays', { dayCounting: 'next-day' })],
      ['a fractional day past the end', () => addWorkingTime(calendar, at('2031-06-30 10:00'), 1.5, 'workingDays')],
    ])('should throw CalendarRangeError for %s', (_what, fn) => {
      expect(fn).toThrow(CalendarRangeError);
    });

    it.each<[string, () => unknown, string]>([
      ['a negative amount', () => addWorkingTime(calendar, at('2031-01-06 10:00'), -1, 'workingDays'), 'amount'],
      ['NaN', () => addWorkingTime(calendar, at('2031-01-06 10:00'), Number.NaN, 'workingHours'), 'amount'],
      ['a fractional next-day count', () => addWorkingTime(calendar, at('2031-01-06 10:00'), 1.5, 'workingDays', { dayCounting: 'next-day' }), 'amount'],
      ['sameDay 0', () => addWorkingTime(calendar, at('2031-01-06 10:00'), 0, 'sameDay'), 'amount'],
      ['an unknown unit', () => addWorkingTime(calendar, at('2031-01-06 10:00'), 1, 'weeks' as WorkingTimeUnit), 'unit'],
      ['a bad cut-off', () => addWorkingTime(calendar, at('2031-01-06 10:00'), 1, 'sameDay', { cutoff: '3pm' }), 'cutoff'],
      ['an unknown day counting', () => addWorkingTime(calendar, at('2031-01-06 10:00'), 1, 'workingDays', { dayCounting: 'weekly' as 'elapsed' }), 'dayCounting'],
      ['a non-finite moment', () => addWorkingTime(calendar, Number.POSITIVE_INFINITY, 1, 'workingDays'), 'moment'],
    ])('should throw CalendarArgumentError naming the field for %s', (_what, fn, field) => {
      try {
        fn();
        throw new Error('expected an error');
      } catch (error) {
        expect(error).toBeInstanceOf(CalendarArgumentError);
        expect((error as CalendarArgumentError).details.field).toBe(field);
      }
    });
  });
});
