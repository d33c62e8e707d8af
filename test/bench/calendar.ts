/**
 * Mode `calendar`: deadline computations per second on one core, on the
 * Vietnamese calendar 2025–2027 as an agency sees it (bundled year files, legal
 * settings, the engine's precomputed day tables). Starts are spread over
 * 2025–2026 at random minutes (drawn before timing); each figure is the median of
 * several timed rounds after a warm-up.
 *
 * Environment: BENCH_CALENDAR_N (computations per round, default 2000000),
 * BENCH_CALENDAR_ROUNDS (default 5).
 */
import { addWorkingTime, buildWorkingCalendar, type AddWorkingTimeOptions, type WorkingCalendar, type WorkingTimeUnit } from '../../engine/src/calendar';
import { agencyCalendarDefinition, bundledLegalSettings, bundledYears, settingsInForce } from '../../onestop/src/clocks';
import { fmt, hrnow, intFromEnv, log, machine, table, type BenchConfig } from './util';

/** Deadline computations per second the calendar must sustain on one core. */
export const CALENDAR_TARGET_PER_SEC = 1_000_000;

export interface CalendarCase {
  name: string;
  /** Judged against the target. */
  judged: boolean;
  perSec: number;
  nsEach: number;
}

export interface CalendarResult {
  kind: 'calendar';
  n: number;
  rounds: number;
  buildMs: number;
  years: number[];
  cases: CalendarCase[];
}

function measure(calendar: WorkingCalendar, starts: Float64Array, amount: number, unit: WorkingTimeUnit, options: AddWorkingTimeOptions, n: number, rounds: number): { perSec: number; checksum: number } {
  const mask = starts.length - 1;
  let checksum = 0;
  for (let i = 0; i < 200_000; i++) checksum += addWorkingTime(calendar, starts[i & mask], amount, unit, options) % 1000;
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = hrnow();
    for (let i = 0; i < n; i++) checksum += addWorkingTime(calendar, starts[i & mask], amount, unit, options) % 1000;
    rates.push(n / (Number(hrnow() - t0) / 1e9));
  }
  rates.sort((a, b) => a - b);
  return { perSec: rates[rates.length >> 1], checksum };
}

/** Runs the calendar mode (in its own child process, see run.ts). */
export function calendarBench(_config: BenchConfig): CalendarResult {
  const n = intFromEnv('BENCH_CALENDAR_N', 2_000_000);
  const rounds = intFromEnv('BENCH_CALENDAR_ROUNDS', 5);
  const settings = bundledLegalSettings();
  const years = bundledYears();
  const version = settingsInForce(settings, '2026-12-01');
  const definition = agencyCalendarDefinition(years, version, { agency: 'bench' });
  const b0 = hrnow();
  const calendar = buildWorkingCalendar(definition);
  const buildMs = Number(hrnow() - b0) / 1e6;

  // 2^16 starts at random minutes of 2025–2026 (a power of two: the loop indexes with a mask).
  const from = Date.UTC(2025, 0, 1) - 7 * 3_600_000;
  const span = 2 * 365 * 24 * 60;
  const starts = new Float64Array(1 << 16);
  let seed = 20261207;
  for (let i = 0; i < starts.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    starts[i] = from + (seed % span) * 60_000;
  }

  const cases: Array<[string, boolean, number, WorkingTimeUnit, AddWorkingTimeOptions]> = [
    ['20 working days (elapsed)', true, 20, 'workingDays', {}],
    ['8 working hours', true, 8, 'workingHours', {}],
    ['160 working hours (20 days of hours)', true, 160, 'workingHours', {}],
    ['20 working days, next-day counting, 15:00 cut-off', false, 20, 'workingDays', { dayCounting: 'next-day', cutoff: version.cutoff.time }],
    ['same day, 15:00 cut-off', false, 1, 'sameDay', { cutoff: version.cutoff.time }],
  ];
  const out: CalendarCase[] = [];
  let checksum = 0;
  for (const [name, judged, amount, unit, options] of cases) {
    const { perSec, checksum: c } = measure(calendar, starts, amount, unit, options, n, rounds);
    checksum += c;
    log(`calendar: ${name}: ${fmt(perSec)} computations/s`);
    out.push({ name, judged, perSec, nsEach: 1e9 / perSec });
  }
  if (!Number.isFinite(checksum)) throw new Error('calendar bench: non-finite checksum');
  return { kind: 'calendar', n, rounds, buildMs, years: years.map((y) => y.year), cases: out };
}

/** The markdown section of the calendar mode. */
export function renderCalendar(r: CalendarResult): string {
  const m = machine();
  const out: string[] = [];
  out.push('## Calendar: deadline computations (one core)', '');
  out.push(
    `- ${m.cpu}; one thread. Calendar: bundled years ${r.years.join(', ')} (Asia/Ho_Chi_Minh), legal hours 07:30–11:30 and 13:00–17:00; tables built in ${fmt(r.buildMs, 2)} ms.`,
    `- Each figure: \`addWorkingTime()\` from random starts over 2025–2026, median of ${r.rounds} rounds of ${fmt(r.n)} after a 200,000-call warm-up.`,
    '',
  );
  out.push(
    table(
      ['computation', 'per second', 'ns each', `≥ ${fmt(CALENDAR_TARGET_PER_SEC)}/s`],
      r.cases.map((c) => [c.name, fmt(c.perSec), fmt(c.nsEach, 0), c.judged ? (c.perSec >= CALENDAR_TARGET_PER_SEC ? 'PASS' : 'FAIL') : '(not judged)']),
    ),
    '',
  );
  return out.join('\n');
}

/** The target rows of the calendar mode. */
export function calendarTargets(r: CalendarResult): string[][] {
  return r.cases
    .filter((c) => c.judged)
    .map((c) => [`calendar: ${c.name} ≥ ${fmt(CALENDAR_TARGET_PER_SEC)}/s (one core)`, `${fmt(c.perSec)}/s`, c.perSec >= CALENDAR_TARGET_PER_SEC ? 'PASS' : 'FAIL']);
}
