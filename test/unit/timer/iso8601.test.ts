import { addDuration, firstDue, nextDue, parseTimer, TimerError } from '../../../engine/src/timer';
import type { ParsedTimer } from '../../../engine/src/timer';

/** An instant given as a UTC calendar time. */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number => Date.UTC(y, mo - 1, d, h, mi, s, ms);
/** An instant given as a Vietnamese (UTC+7) calendar time. */
const vn = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => utc(y, mo, d, h, mi, s) - 7 * 3_600_000;

/** Calls `fn` and returns what it threw (fails the test when it does not throw). */
function thrown(fn: () => unknown): TimerError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TimerError);
    return err as TimerError;
  }
  throw new Error('expected a TimerError');
}

describe('timer/iso8601', () => {
  describe('parseTimer', () => {
    describe('date', () => {
      it.each([
        ['2026-11-24T08:00:00+07:00', vn(2026, 11, 24, 8)],
        ['2026-11-24T01:00:00Z', utc(2026, 11, 24, 1)],
        ['2026-11-24T08:00:00+0700', vn(2026, 11, 24, 8)],
        ['2026-11-24T08:00+07', vn(2026, 11, 24, 8)],
        ['2026-11-24T08:00:00-05:30', utc(2026, 11, 24, 13, 30)],
        ['2026-11-24T08:00:00.250Z', utc(2026, 11, 24, 8, 0, 0, 250)],
        ['2026-11-24T08:00:00', vn(2026, 11, 24, 8)],
        ['2026-11-24', vn(2026, 11, 24)],
        ['  2026-11-24T08:00:00  ', vn(2026, 11, 24, 8)],
        ['2026-07-01T08:00:00[Europe/Berlin]', utc(2026, 7, 1, 6)],
        ['2026-07-01T08:00:00+02:00[Europe/Berlin]', utc(2026, 7, 1, 6)],
        ['2028-02-29T00:00:00Z', utc(2028, 2, 29)],
        // a wall time skipped by a forward DST shift is read with the offset before it
        ['2026-03-29T02:30:00[Europe/Berlin]', utc(2026, 3, 29, 1, 30)],
        // a wall time repeated by a backward DST shift is the earlier instant
        ['2026-10-25T02:30:00[Europe/Berlin]', utc(2026, 10, 25, 0, 30)],
      ])('should read %j as the right instant', (text, expected) => {
        // given the text of a timeDate
        // when
        const timer = parseTimer('date', text);
        // then
        expect(timer).toEqual({ kind: 'date', at: expected });
      });

      it.each([
        ['', 'empty date timer'],
        ['   ', 'empty date timer'],
        ['tomorrow', "'tomorrow' is not an ISO 8601 date-time (e.g. 2026-11-24T08:00:00+07:00, or 2026-11-24T08:00:00 for Vietnamese time)"],
        ['2026-11-24 08:00:00', "'2026-11-24 08:00:00' is not an ISO 8601 date-time (e.g. 2026-11-24T08:00:00+07:00, or 2026-11-24T08:00:00 for Vietnamese time)"],
        ['2026-02-30T08:00:00', "'2026-02-30T08:00:00' is not a valid calendar date (February 2026 has 28 days)"],
        ['2026-02-29', "'2026-02-29' is not a valid calendar date (February 2026 has 28 days)"],
        ['2026-13-01T08:00:00', "'2026-13-01T08:00:00': month 13 does not exist"],
        ['2026-11-24T24:00:00', "'2026-11-24T24:00:00' is not a valid time of day"],
        ['2026-11-24T08:60:00', "'2026-11-24T08:60:00' is not a valid time of day"],
        ['2026-11-24T08:00:00+25:00', "'2026-11-24T08:00:00+25:00': offset +25:00 is not valid"],
        ['2026-11-24T08:00:00[Mars/Olympus]', "unknown time zone 'Mars/Olympus'"],
        ['PT10M', "'PT10M' is not an ISO 8601 date-time (e.g. 2026-11-24T08:00:00+07:00, or 2026-11-24T08:00:00 for Vietnamese time)"],
      ])('should reject %j', (text, reason) => {
        // given an unusable timeDate text
        // when
        const error = thrown(() => parseTimer('date', text));
        // then
        expect(error.reason).toBe(reason);
        expect(error.text).toBe(text);
        expect(error.message).toBe(`invalid timer '${text}': ${reason}`);
      });
    });

    describe('duration', () => {
      it.each([
        ['PT10M', 'PT10M'],
        ['P1DT2H', 'P1DT2H'],
        ['pt90m', 'PT90M'],
        ['P1Y2M3W4DT5H6M7S', 'P1Y2M3W4DT5H6M7S'],
        ['PT1.5S', 'PT1.5S'],
        ['PT0,250S', 'PT0.25S'],
        ['PT1.2345S', 'PT1.235S'],
        ['PT0.0004S', 'PT0S'],
        ['PT59.9999S', 'PT60S'],
        ['P0DT0H', 'PT0S'],
        ['P01D', 'P1D'],
        [' P3D ', 'P3D'],
      ])('should normalize %j to %j', (text, expected) => {
        // given the text of a timeDuration
        // when
        const timer = parseTimer('duration', text);
        // then
        expect(timer).toEqual({ kind: 'duration', duration: expected });
      });

      it.each([
        ['', 'empty duration timer'],
        ['P', "'P' has no components: a duration needs at least one, e.g. PT10M"],
        ['PT', "'PT' has no components: a duration needs at least one, e.g. PT10M"],
        ['P1DT', "'P1DT': 'T' must be followed by hours, minutes or seconds"],
        ['-PT10M', 'negative or signed durations are not allowed'],
        ['PT1.5M', 'only the seconds of a duration may have a fraction'],
        ['P1H', "'P1H' is not an ISO 8601 duration (P[n]Y[n]M[n]W[n]DT[n]H[n]M[n]S, e.g. PT10M or P1DT2H)"],
        ['10 minutes', "'10 minutes' is not an ISO 8601 duration (P[n]Y[n]M[n]W[n]DT[n]H[n]M[n]S, e.g. PT10M or P1DT2H)"],
        ['P99999999Y', "'P99999999Y' is too long"],
      ])('should reject %j', (text, reason) => {
        // given an unusable timeDuration text
        // when
        const error = thrown(() => parseTimer('duration', text));
        // then
        expect(error.reason).toBe(reason);
      });
    });

    describe('cycle', () => {
      it.each<[string, ParsedTimer]>([
        ['R3/PT10M', { kind: 'cycle', repetitions: 3, interval: 'PT10M' }],
        ['R/P1D', { kind: 'cycle', repetitions: null, interval: 'P1D' }],
        ['R2/2026-11-24T08:00:00+07:00/PT1H', { kind: 'cycle', repetitions: 2, start: vn(2026, 11, 24, 8), interval: 'PT1H' }],
        ['R/2026-11-24T08:00:00/P1M', { kind: 'cycle', repetitions: null, start: vn(2026, 11, 24, 8), interval: 'P1M' }],
        ['0 0 8 * * MON-FRI', { kind: 'cycle', repetitions: null, interval: '0 0 8 * * MON-FRI' }],
        ['  0  0 8 * *   mon-fri ', { kind: 'cycle', repetitions: null, interval: '0 0 8 * * mon-fri' }],
        ['0 */15 8-17 ? * *', { kind: 'cycle', repetitions: null, interval: '0 */15 8-17 ? * *' }],
        ['@Daily', { kind: 'cycle', repetitions: null, interval: '@daily' }],
      ])('should read %j', (text, expected) => {
        // given the text of a timeCycle
        // when
        const timer = parseTimer('cycle', text);
        // then
        expect(timer).toEqual(expected);
      });

      it.each([
        ['', 'empty cycle timer'],
        ['PT10M', "a cycle must be R[n]/[start/]duration (e.g. 'R3/PT10M') or a 6-field cron expression"],
        ['R3', "a cycle must be R[n]/[start/]duration (e.g. 'R3/PT10M') or a 6-field cron expression"],
        ['R3/PT10M/2026-11-24T08:00:00/x', "a cycle must be R[n]/[start/]duration (e.g. 'R3/PT10M') or a 6-field cron expression"],
        ['R0/PT10M', 'R0 never fires: a cycle needs at least one repetition'],
        ['R3/PT0S', 'the interval of a cycle must be longer than zero'],
        ['R3/P', "'P' has no components: a duration needs at least one, e.g. PT10M"],
        ['R/-PT1H', 'negative or signed durations are not allowed'],
        ['R/PT1H/2026-11-24T08:00:00Z', 'R[n]/duration/end is not supported: use R[n]/start/duration'],
        ['R/2026-11-24T08:00:00Z/2026-11-25T08:00:00Z', 'R[n]/start/end is not supported: use R[n]/start/duration'],
        ['R2/2026-02-30T08:00:00/PT1H', "'2026-02-30T08:00:00' is not a valid calendar date (February 2026 has 28 days)"],
        ['0 8 * * *', 'a cron expression needs 6 fields (second minute hour day-of-month month day-of-week), got 5'],
        ['0 0 25 * * *', 'hour 25 is out of range 0-23'],
        ['0 0 8 L * *', "'L': the cron characters L, W and # are not supported"],
        ['0 0 8 * * 1#2', "'1#2': the cron characters L, W and # are not supported"],
        ['0 0 8 * * FRI-MON', "range 'FRI-MON' in day-of-week field goes backwards"],
        ['0 0 0 30 2 *', 'the cron expression never matches (no selected month has the selected day)'],
        ['? 0 8 * * *', "'?' is only allowed in the day-of-month and day-of-week fields"],
        ['0 */0 8 * * *', "the step in minute field '*/0' must be at least 1"],
        ['@often', "unknown cron macro '@often' (known: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)"],
      ])('should reject %j', (text, reason) => {
        // given an unusable timeCycle text
        // when
        const error = thrown(() => parseTimer('cycle', text));
        // then
        expect(error.reason).toBe(reason);
      });
    });
  });

  describe('addDuration', () => {
    it.each([
      ['PT10M', vn(2026, 11, 24, 8), vn(2026, 11, 24, 8, 10)],
      ['PT1.5S', utc(2026, 11, 24), utc(2026, 11, 24, 0, 0, 1, 500)],
      ['P1DT2H', vn(2026, 11, 24, 8), vn(2026, 11, 25, 10)],
      ['P1W', vn(2026, 11, 24, 8), vn(2026, 12, 1, 8)],
      ['P1M', vn(2026, 1, 31, 9), vn(2026, 2, 28, 9)],
      ['P1M', vn(2028, 1, 31, 9), vn(2028, 2, 29, 9)],
      ['P2M', vn(2026, 1, 31, 9), vn(2026, 3, 31, 9)],
      ['P1M', vn(2026, 12, 15), vn(2027, 1, 15)],
      ['P1Y', vn(2028, 2, 29), vn(2029, 2, 28)],
      ['P1MT1H', vn(2026, 1, 31, 23, 30), vn(2026, 3, 1, 0, 30)],
      // 05:00 on 1 March in Vietnam is still 28 February in UTC: months count in Vietnam
      ['P1M', vn(2026, 3, 1, 5), vn(2026, 4, 1, 5)],
      ['P1D', vn(2026, 12, 31, 23, 59, 59), vn(2027, 1, 1, 23, 59, 59)],
    ])('should add %j to %d', (duration, from, expected) => {
      // given an instant and a duration
      // when
      const result = addDuration(from, duration);
      // then
      expect(result).toBe(expected);
    });

    it('should count calendar days in the given time zone across a DST change', () => {
      // given noon in Berlin the day before clocks go forward (29 March 2026)
      const noon = utc(2026, 3, 28, 11);
      // when
      const oneDay = addDuration(noon, 'P1D', 'Europe/Berlin');
      const dayInHours = addDuration(noon, 'PT24H', 'Europe/Berlin');
      // then
      expect(oneDay).toBe(utc(2026, 3, 29, 10));
      expect(dayInHours).toBe(utc(2026, 3, 29, 11));
    });

    it('should reject a malformed duration or an unknown time zone', () => {
      // given
      const now = vn(2026, 11, 24);
      // when
      const badDuration = thrown(() => addDuration(now, 'P1X'));
      const badZone = thrown(() => addDuration(now, 'P1D', 'Nowhere/City'));
      // then
      expect(badDuration.reason).toBe("'P1X' is not an ISO 8601 duration (P[n]Y[n]M[n]W[n]DT[n]H[n]M[n]S, e.g. PT10M or P1DT2H)");
      expect(badZone.reason).toBe("unknown time zone 'Nowhere/City'");
    });
  });

  describe('firstDue', () => {
    const now = vn(2026, 11, 24, 9, 30);

    it.each<[string, 'date' | 'duration' | 'cycle', string, number]>([
      ['a date', 'date', '2026-12-01T08:00:00+07:00', vn(2026, 12, 1, 8)],
      ['a past date', 'date', '2026-11-01T08:00:00+07:00', vn(2026, 11, 1, 8)],
      ['a duration', 'duration', 'P1DT2H', vn(2026, 11, 25, 11, 30)],
      ['a zero duration', 'duration', 'PT0S', now],
      ['a cycle without start', 'cycle', 'R3/PT10M', vn(2026, 11, 24, 9, 40)],
      ['a cycle starting later', 'cycle', 'R2/2026-11-25T08:00:00+07:00/PT1H', vn(2026, 11, 25, 8)],
      ['a cycle starting now', 'cycle', 'R2/2026-11-24T09:30:00+07:00/PT1H', now],
      ['a cycle started before', 'cycle', 'R/2026-11-24T08:00:00+07:00/PT1H', vn(2026, 11, 24, 10)],
      ['a cycle started exactly k intervals before', 'cycle', 'R/2026-11-24T07:30:00+07:00/PT1H', now],
      ['a monthly cycle started before', 'cycle', 'R/2026-01-31T08:00:00+07:00/P1M', vn(2026, 11, 28, 8)],
      ['a working-day cron cycle on a Tuesday morning', 'cycle', '0 0 8 * * MON-FRI', vn(2026, 11, 25, 8)],
      ['a cron cycle every 15 minutes', 'cycle', '0 */15 * * * *', vn(2026, 11, 24, 9, 45)],
      ['a daily cron macro', 'cycle', '@daily', vn(2026, 11, 25)],
    ])('should schedule %s', (_label, type, text, expected) => {
      // given a parsed timer and the time it is scheduled
      const timer = parseTimer(type, text);
      // when
      const due = firstDue(timer, now);
      // then
      expect(due).toBe(expected);
    });

    it('should skip the weekend for a working-day cron cycle', () => {
      // given Friday 27 November 2026, after 08:00
      const friday = vn(2026, 11, 27, 9);
      // when
      const due = firstDue(parseTimer('cycle', '0 0 8 * * MON-FRI'), friday);
      // then: Monday 30 November, 08:00
      expect(due).toBe(vn(2026, 11, 30, 8));
    });

    it('should read cron fields in the given time zone', () => {
      // given 07:00 UTC on 24 November 2026
      const at = utc(2026, 11, 24, 7);
      // when
      const due = firstDue(parseTimer('cycle', '0 0 8 * * *'), at, 'UTC');
      // then
      expect(due).toBe(utc(2026, 11, 24, 8));
    });
  });

  describe('nextDue', () => {
    it.each([
      ['PT10M', vn(2026, 11, 24, 8), vn(2026, 11, 24, 8, 10)],
      ['P1D', vn(2026, 11, 24, 8), vn(2026, 11, 25, 8)],
      ['P1M', vn(2026, 1, 31, 8), vn(2026, 2, 28, 8)],
      ['P1M', vn(2026, 2, 28, 8), vn(2026, 3, 28, 8)],
      ['0 0 8 * * MON-FRI', vn(2026, 11, 24, 8), vn(2026, 11, 25, 8)],
      ['0 0 8 * * MON-FRI', vn(2026, 11, 27, 8), vn(2026, 11, 30, 8)],
      ['0 0 8 * * 0,7', vn(2026, 11, 24, 8), vn(2026, 11, 29, 8)],
      ['0 30 9 1 JAN,jul ?', vn(2026, 11, 24), vn(2027, 1, 1, 9, 30)],
      ['0 0 0 29 2 *', vn(2026, 11, 24), vn(2028, 2, 29)],
      ['*/20 * * * * *', vn(2026, 11, 24, 8, 0, 40), vn(2026, 11, 24, 8, 1)],
      ['@hourly', vn(2026, 11, 24, 23, 0, 0), vn(2026, 11, 25, 0)],
      ['@yearly', vn(2026, 11, 24), vn(2027, 1, 1)],
    ])('should follow %j after %d', (interval, previous, expected) => {
      // given the interval of a cycle and its previous due time
      // when
      const due = nextDue(interval, previous);
      // then
      expect(due).toBe(expected);
    });

    it('should walk a monthly cycle from the 31st one month at a time', () => {
      // given a monthly cycle first due on 31 January
      let due = vn(2026, 1, 31, 8);
      const dues: number[] = [];
      // when
      for (let i = 0; i < 3; i++) dues.push((due = nextDue('P1M', due)));
      // then
      expect(dues).toEqual([vn(2026, 2, 28, 8), vn(2026, 3, 28, 8), vn(2026, 4, 28, 8)]);
    });

    it('should move past a previous due time that is not on a whole second', () => {
      // given a cron cycle that fired half a second late
      const previous = vn(2026, 11, 24, 8, 0, 0) + 500;
      // when
      const due = nextDue('0 0 8 * * *', previous);
      // then
      expect(due).toBe(vn(2026, 11, 25, 8));
    });
  });
});
