/** The synthetic calendar of the arithmetic tests (a fixture beside them). */
import type { CalendarDefinition } from '../../../engine/src/calendar';

/**
 * A small synthetic calendar (no country's facts), January–June 2031, UTC+7:
 * Mon–Fri 08:00–12:00 and 13:00–17:00 (8 h); closed Wed 1/1 and Wed 8/1; Sat 11/1
 * worked in full (a swapped Saturday); Thu 16/1 a half day (08:00–12:00); Sat 18/1
 * a short desk morning (08:00–10:00).
 */
const day = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];
export const synthetic: CalendarDefinition = {
  timeZone: 'Asia/Ho_Chi_Minh',
  utcOffsetMinutes: 420,
  from: '2031-01-01',
  to: '2031-06-30',
  week: [[], day, day, day, day, day, []],
  exceptions: [
    { date: '2031-01-01', hours: [], reason: 'holiday' },
    { date: '2031-01-08', hours: [], reason: 'holiday' },
    { date: '2031-01-11', hours: day, reason: 'swapped working Saturday' },
    { date: '2031-01-16', hours: [{ start: '08:00', end: '12:00' }], reason: 'half day' },
    { date: '2031-01-18', hours: [{ start: '08:00', end: '10:00' }], reason: 'Saturday desk' },
  ],
};
