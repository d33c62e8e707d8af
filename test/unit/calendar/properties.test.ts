import fc from 'fast-check';
import { addWorkingTime, buildWorkingCalendar, isWorkingMoment, workingTimeBetween, type AddWorkingTimeOptions, type WorkingTimeUnit } from '../../../engine/src/calendar';
import { at } from '../../support/local-time';
import { synthetic } from './synthetic-calendar';

const calendar = buildWorkingCalendar(synthetic);
/** Starts anywhere in January–February 2031 (to the millisecond): deadlines of up to 25 working days stay inside the calendar. */
const start = fc.integer({ min: at('2031-01-01 00:00'), max: at('2031-02-28 23:59:59.999') });
/** Whole working days, and working hours in quarter hours. */
const days = fc.integer({ min: 0, max: 12 });
const quarters = fc.integer({ min: 0, max: 4 * 60 }).map((q) => q / 4);

describe('calendar/arithmetic properties', () => {
  it('should count back exactly the working hours it added', () => {
    fc.assert(
      fc.property(start, quarters, (s, hours) => {
        expect(workingTimeBetween(calendar, s, addWorkingTime(calendar, s, hours, 'workingHours'), 'workingHours')).toBeCloseTo(hours, 9);
      }),
    );
  });

  it('should count back the working days it added (to the millisecond, on days of different lengths)', () => {
    fc.assert(
      fc.property(start, days, (s, n) => {
        // A share of a day is rounded to whole ms: within 1 ms of the shortest (2 h) day.
        expect(Math.abs(workingTimeBetween(calendar, s, addWorkingTime(calendar, s, n, 'workingDays'), 'workingDays') - n)).toBeLessThanOrEqual(1 / (2 * 3_600_000));
      }),
    );
  });

  it.each<[WorkingTimeUnit, AddWorkingTimeOptions]>([
    ['workingHours', {}],
    ['workingDays', {}],
    ['workingDays', { dayCounting: 'next-day' }],
    ['workingDays', { cutoff: '15:00' }],
    ['sameDay', {}],
  ])('should never put a positive %s deadline %j on a non-working moment: the millisecond before it is working time', (unit, options) => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 12 }), (s, n) => {
        const deadline = addWorkingTime(calendar, s, n, unit, options);
        expect(isWorkingMoment(calendar, deadline - 1)).toBe(true);
        expect(deadline).toBeGreaterThan(s);
      }),
    );
  });

  it('should give the same deadline for working hours added in two steps or at once', () => {
    fc.assert(
      fc.property(start, quarters, quarters, (s, a, b) => {
        expect(addWorkingTime(calendar, addWorkingTime(calendar, s, a, 'workingHours'), b, 'workingHours')).toBe(addWorkingTime(calendar, s, a + b, 'workingHours'));
      }),
    );
  });

  // Elapsed counting keeps the share of the day; a share is rounded to whole ms on the day it lands on, so
  // a step through a 2 h day and on to an 8 h day may differ from the direct result by ½ × 8/2 + ½ → 2 ms.
  it('should give the same deadline for working days added in two steps or at once (next-day counting exactly, elapsed within 2 ms)', () => {
    fc.assert(
      fc.property(start, days, days, (s, a, b) => {
        const nextDay = { dayCounting: 'next-day' } as const;
        expect(addWorkingTime(calendar, addWorkingTime(calendar, s, a, 'workingDays', nextDay), b, 'workingDays', nextDay)).toBe(addWorkingTime(calendar, s, a + b, 'workingDays', nextDay));
        const steps = addWorkingTime(calendar, addWorkingTime(calendar, s, a, 'workingDays'), b, 'workingDays');
        expect(Math.abs(steps - addWorkingTime(calendar, s, a + b, 'workingDays'))).toBeLessThanOrEqual(2);
      }),
    );
  });

  it('should never give a later start an earlier deadline', () => {
    fc.assert(
      fc.property(start, start, days, (s1, s2, n) => {
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        for (const unit of ['workingDays', 'workingHours', 'sameDay'] as const) {
          expect(addWorkingTime(calendar, early, Math.max(n, 1), unit)).toBeLessThanOrEqual(addWorkingTime(calendar, late, Math.max(n, 1), unit));
        }
      }),
    );
  });
});
