/**
 * The test's own working-day arithmetic, written from the law and the published schedules, so
 * the end-to-end suite checks the server's appointments against something it did not compute:
 * nothing here comes from engine/src/calendar or onestop/src/clocks.
 *
 * - Working days Monday–Friday, 07:30–11:30 and 13:00–17:00 (the common public-sector hours).
 * - Days off (Labour Code 2019 art. 112; Resolution 28/2026/QH16 for 24/11) as placed by notice
 *   9441/TB-BNV for 2026 (DOMAIN.md), worked Saturdays included; for 2027 only the fixed days
 *   known before the Prime Minister's notice (1/1, Hùng Kings' day 16/4, 30/4, Mon 3/5 for 1/5 on a
 *   Saturday): the suite keeps its dossiers away from Tết 2027, whose placement is provisional.
 * - Working days counted "elapsed" (received Tue 09:30 + 2 working days → Thu 09:30; an end
 *   falling on the start of a day is the previous working day's close); a start after the 15:00
 *   cut-off, where the procedure has one, counts from the opening of the next working day; a
 *   "same day" time ends at the close of the (cut-off adjusted) day.
 */
const OFF: ReadonlySet<string> = new Set([
  // 2026 (notice 9441/TB-BNV)
  '2026-01-01', '2026-01-02',
  '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
  '2026-04-27', '2026-04-30', '2026-05-01',
  '2026-08-31', '2026-09-01', '2026-09-02',
  '2026-11-24',
  // 2027: the fixed days only
  '2027-01-01', '2027-04-16', '2027-04-30', '2027-05-03',
]);
const WORKED_SATURDAYS: ReadonlySet<string> = new Set(['2026-01-10', '2026-08-22']);

const OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;
const OPEN = 7 * 60 + 30;
const MORNING_END = 11 * 60 + 30;
const AFTERNOON = 13 * 60;
const CLOSE = 17 * 60;
const DAY_MINUTES = 480;
const BASE = Date.UTC(2025, 11, 1); // local day 0: 1/12/2025

/** A Vietnamese local moment: `vn('2026-12-07', '09:00')`. */
export const vn = (date: string, time = '09:00'): number => Date.parse(`${date}T${time}:00+07:00`);

function dateOf(day: number): string {
  return new Date(BASE + day * DAY_MS).toISOString().slice(0, 10);
}

export function isWorkingDate(date: string): boolean {
  if (OFF.has(date)) return false;
  if (WORKED_SATURDAYS.has(date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

function split(t: number): { day: number; minute: number } {
  const local = t + OFFSET_MS - BASE;
  const day = Math.floor(local / DAY_MS);
  return { day, minute: (local - day * DAY_MS) / 60_000 };
}

const at = (day: number, minute: number): number => BASE + day * DAY_MS + minute * 60_000 - OFFSET_MS;

/** Minutes of work done on a working day by `minute`. */
function workedBy(minute: number): number {
  const morning = Math.min(Math.max(minute - OPEN, 0), MORNING_END - OPEN);
  const afternoon = Math.min(Math.max(minute - AFTERNOON, 0), CLOSE - AFTERNOON);
  return morning + afternoon;
}

/** Working days before local day `day` (counted from BASE). */
function workingDaysBefore(day: number): number {
  let n = 0;
  for (let d = 0; d < day; d++) if (isWorkingDate(dateOf(d))) n++;
  return n;
}

/** The local day of the `k`-th working day (0-based from BASE). */
function workingDay(k: number): number {
  for (let d = 0, n = 0; d < 2000; d++) {
    if (!isWorkingDate(dateOf(d))) continue;
    if (n === k) return d;
    n++;
  }
  throw new Error(`working day ${k} is beyond the test's calendar`);
}

/** Working days since BASE, with the share of the day worked. */
function position(t: number): number {
  const { day, minute } = split(t);
  const before = workingDaysBefore(day);
  return isWorkingDate(dateOf(day)) ? before + workedBy(minute) / DAY_MINUTES : before;
}

/** The earliest moment at which `p` working days have run since BASE. */
function momentAt(p: number): number {
  const whole = Math.floor(p);
  const worked = Math.round((p - whole) * DAY_MINUTES);
  if (worked === 0) return at(workingDay(whole - 1), CLOSE);
  const day = workingDay(whole);
  return at(day, worked <= MORNING_END - OPEN ? OPEN + worked : AFTERNOON + worked - (MORNING_END - OPEN));
}

/** A start after the cut-off on a working day counts from the next working day's opening. */
function afterCutoff(start: number, cutoff: string | undefined): number {
  if (!cutoff) return start;
  const { day, minute } = split(start);
  const [h, m] = cutoff.split(':').map(Number);
  if (!isWorkingDate(dateOf(day)) || minute <= h * 60 + m) return start;
  return at(workingDay(workingDaysBefore(day + 1)), OPEN);
}

export type StatutoryTime = { amount: number; unit: 'workingDays' | 'workingHours'; sameDay?: boolean; cutoff?: string };

/** The appointment of a dossier whose clock starts at `start`. */
export function appointment(start: number, time: StatutoryTime): number {
  const s = afterCutoff(start, time.cutoff ?? (time.sameDay ? '15:00' : undefined));
  if (time.sameDay) {
    const { day, minute } = split(s);
    const today = isWorkingDate(dateOf(day)) && minute < CLOSE;
    return at(today ? day : workingDay(workingDaysBefore(day + 1)), CLOSE);
  }
  if (time.unit === 'workingDays') return momentAt(position(s) + time.amount);
  return momentAt(position(s) + time.amount / 8);
}

/** Under `pause`: the working days left at the request, counted again from the supplement. */
export function pausedAppointment(requestedAt: number, appointmentAt: number, supplementedAt: number): number {
  const left = Math.max(0, position(appointmentAt) - position(requestedAt));
  return momentAt(position(supplementedAt) + left);
}
