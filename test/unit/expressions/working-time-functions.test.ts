/**
 * The FEEL working-time functions, table-driven, on the synthetic calendar
 * (UTC+7, Mon–Fri 08–12 and 13–17; Wed 1/1 and Wed 8/1 2031 closed; Sat 11/1
 * worked; Thu 16/1 a half day).
 */
import { buildWorkingCalendar } from '../../../engine/src/calendar';
import { evaluate, ExpressionError, usesWorkingTime, workingTimeFunctions, WORKING_TIME_FUNCTIONS } from '../../../engine/src/expressions';
import { synthetic } from '../calendar/synthetic-calendar';

const functions = workingTimeFunctions({ calendar: buildWorkingCalendar(synthetic), dayCounting: 'elapsed' });
const run = (expression: string, variables: Record<string, unknown> = {}) => evaluate(expression, { ...variables, ...functions });

describe('expressions/working-time-functions', () => {
  it('should offer every documented function', () => {
    expect(Object.keys(functions).sort()).toEqual([...WORKING_TIME_FUNCTIONS].sort());
  });

  it.each([
    // adding: Tuesday 10:00 + 2 working days skips closed Wednesday 8/1
    ['=add working days(date and time("2031-01-07T10:00:00+07:00"), 2)', '2031-01-10T10:00:00+07:00'],
    ['=add working days("2031-01-07T03:00:00Z", 2)', '2031-01-10T10:00:00+07:00'],
    // a local date-time is read in the calendar's zone; a date is its midnight (counts from the opening)
    ['=add working days(date and time("2031-01-07T10:00:00"), 3)', '2031-01-11T10:00:00+07:00'],
    ['=add working days(date("2031-01-07"), 1)', '2031-01-07T17:00:00+07:00'],
    ['=add working days("2031-01-10", 1)', '2031-01-10T17:00:00+07:00'],
    ['=add working hours(date and time("2031-01-07T16:00:00+07:00"), 3)', '2031-01-09T10:00:00+07:00'],
    ['=add working hours(date and time("2031-01-07T16:00:00+07:00"), 0)', '2031-01-07T16:00:00+07:00'],
    // subtracting: the inverse
    ['=subtract working days(date and time("2031-01-10T10:00:00+07:00"), 2)', '2031-01-07T10:00:00+07:00'],
    ['=subtract working days(date and time("2031-01-10T17:00:00+07:00"), 1)', '2031-01-09T17:00:00+07:00'],
    ['=subtract working hours(date and time("2031-01-09T10:00:00+07:00"), 3)', '2031-01-07T16:00:00+07:00'],
    // counting
    ['=count working days(date and time("2031-01-07T10:00:00+07:00"), date and time("2031-01-10T10:00:00+07:00"))', 2],
    ['=count working hours(date and time("2031-01-07T16:00:00+07:00"), date and time("2031-01-09T10:00:00+07:00"))', 3],
    ['=count working hours(date and time("2031-01-09T10:00:00+07:00"), date and time("2031-01-07T16:00:00+07:00"))', -3],
    // predicates
    ['=is working day(date("2031-01-08"))', false],
    ['=is working day(date("2031-01-11"))', true],
    ['=is working day(date("2031-01-12"))', false],
    ['=is working time(date and time("2031-01-16T12:30:00+07:00"))', false],
    ['=is working time(date and time("2031-01-16T11:59:00+07:00"))', true],
    ['=next working time(date and time("2031-01-07T17:00:00+07:00"))', '2031-01-09T08:00:00+07:00'],
    // they combine with the rest of FEEL
    ['=add working days(date and time("2031-01-07T10:00:00+07:00"), 2) > date and time("2031-01-09T10:00:00+07:00")', true],
    ['=string(add working days(date and time("2031-01-07T10:00:00+07:00"), 1) + duration("PT1H"))', '2031-01-09T11:00:00+07:00'],
  ])('%s → %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('should read variables holding ISO strings', () => {
    expect(run('=add working days(receivedAt, n)', { receivedAt: '2031-01-07T10:00:00+07:00', n: 2 })).toBe('2031-01-10T10:00:00+07:00');
  });

  it.each([
    ['=add working days(null, 2)', /add working days: expected a date or a date and time, got null/],
    ['=add working days("next week", 2)', /add working days: expected a date or a date and time, got "next week"/],
    ['=add working days(date("2031-01-07"), -1)', /add working days: expected a number ≥ 0, got -1/],
    ['=add working hours(date("2031-01-07"), "2")', /add working hours: expected a number ≥ 0, got "2"/],
    ['=add working days(date("2031-06-20"), 30)', /the calendar covers 2031-01-01 to 2031-06-30 only/],
    ['=is working day(date("2030-12-31"))', /the calendar covers 2031-01-01 to 2031-06-30 only/],
  ])('%s fails clearly', (expression, message) => {
    expect(() => run(expression)).toThrow(ExpressionError);
    expect(() => run(expression)).toThrow(message);
  });

  it('should tell which expressions may call them', () => {
    expect(usesWorkingTime('=add working days(x, 1)')).toBe(true);
    expect(usesWorkingTime('=amount > 100')).toBe(false);
  });
});
