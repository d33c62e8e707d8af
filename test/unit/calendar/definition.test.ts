import { buildWorkingCalendar, CalendarDefinitionError, type CalendarDefinition } from '../../../engine/src/calendar';
import { synthetic } from './synthetic-calendar';

/** The synthetic definition with one change. */
function changed(change: (d: CalendarDefinition) => void): CalendarDefinition {
  const copy = JSON.parse(JSON.stringify(synthetic)) as CalendarDefinition;
  change(copy);
  return copy;
}

describe('calendar/buildWorkingCalendar', () => {
  it('should precompute working days and hours of the covered days', () => {
    // when
    const calendar = buildWorkingCalendar(synthetic);

    // then: January 2031 has 23 weekdays, 2 closed (1/1, 8/1), plus 2 Saturdays worked
    expect(calendar.dayCount).toBe(181);
    const januaryWorkingDays = calendar.workDaysBefore[31] - calendar.workDaysBefore[0];
    expect(januaryWorkingDays).toBe(23 - 2 + 2);
    // 20 full days of 8 h, Thu 16/1 4 h, Sat 11/1 8 h, Sat 18/1 2 h
    expect(calendar.workMsBefore[31] / 3_600_000).toBe(20 * 8 + 4 + 8 + 2);
  });

  it.each<[string, (d: CalendarDefinition) => void, string]>([
    ['a missing zone', (d) => ((d as { timeZone?: string }).timeZone = ''), 'timeZone'],
    ['a fractional offset', (d) => (d.utcOffsetMinutes = 420.5), 'utcOffsetMinutes'],
    ['an impossible date', (d) => (d.from = '2031-02-30'), 'from'],
    ['an end before the start', (d) => (d.to = '2030-12-31'), 'to'],
    ['six weekdays', (d) => d.week.pop(), 'week'],
    ['an hour 25', (d) => (d.week[1] = [{ start: '08:00', end: '25:00' }]), 'week[1][0].end'],
    ['a block ending before it starts', (d) => (d.week[2] = [{ start: '13:00', end: '12:00' }]), 'week[2][0]'],
    ['overlapping blocks', (d) => (d.week[3] = [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '17:00' }]), 'week[3][1]'],
    ['an exception outside the covered days', (d) => (d.exceptions[0].date = '2032-01-01'), 'exceptions[0].date'],
    ['a date listed twice', (d) => (d.exceptions[1].date = d.exceptions[0].date), 'exceptions[1].date'],
    ['hours that are not a list', (d) => ((d.exceptions[2] as { hours: unknown }).hours = 'all day'), 'exceptions[2].hours'],
  ])('should refuse %s, naming the field', (_what, change, field) => {
    try {
      buildWorkingCalendar(changed(change));
      throw new Error('expected a CalendarDefinitionError');
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarDefinitionError);
      expect((error as CalendarDefinitionError).details.field).toBe(field);
      expect((error as Error).message).toContain(field);
    }
  });
});
