/**
 * The `MOTCUA_TASK_WARNING` setting: when a task due by its statutory time gets
 * its follow-up (warning) date, counted in working time on its agency's
 * calendar. "1 workingDays" (default: one working day before the due date, as
 * Decree 118 art. 19(6) asks for the late notice), "4 workingHours", "75%" (when
 * three quarters of the task's working time have run), or "off".
 */
import type { TaskWarning } from '../../engine/src/index';

const UNITS = ['workingDays', 'workingHours', 'hours', 'calendarDays'] as const;

/** Parses the setting; throws an error naming the variable and the accepted forms. */
export function parseTaskWarning(raw: string | undefined, name = 'MOTCUA_TASK_WARNING'): TaskWarning | undefined {
  const text = raw === undefined || raw.trim() === '' ? '1 workingDays' : raw.trim();
  if (text === 'off') return undefined;
  const share = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (share) {
    const value = Number(share[1]);
    if (value > 0 && value < 100) return { share: value / 100 };
  }
  const amount = /^(\d+(?:\.\d+)?) (\w+)$/.exec(text);
  if (amount && (UNITS as readonly string[]).includes(amount[2])) return { amount: Number(amount[1]), unit: amount[2] as (typeof UNITS)[number] };
  throw new Error(`configuration: ${name} must be "<number> <unit>" (unit: ${UNITS.join(', ')}), a share such as "75%" (between 0 and 100), or "off" (got '${raw}')`);
}
