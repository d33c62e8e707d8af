/**
 * How a statistics query is read from the counters of migration 0025: which counter rows
 * (scope, grain and the periods) and which time ranges are left to the rows (the parts of
 * local days at the edges, and for an agency the days of months it does not cover whole).
 * Pure; local time is Vietnam's (UTC+7, no daylight saving since 1975).
 */
import type { StatisticsQuery } from '../statistics/statistics-store';

const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** [from, to) in epoch ms. */
export type Range = { from: number; to: number };

export interface CounterPlan {
  /** The counters' scope column: the agency, or '*' (provinces). */
  scope: string;
  years: string[];
  months: string[];
  days: string[];
  /** What the counters do not cover, read from rows. */
  rows: Range[];
}

/** Local date "YYYY-MM-DD" of a local midnight given in UTC ms. */
const dateOf = (local: number): string => new Date(local).toISOString().slice(0, 10);

/**
 * The plan of a query, or undefined when counters cannot answer it (an official's figures,
 * or grouped by official or channel: read from rows).
 */
export function counterPlan(query: StatisticsQuery): CounterPlan | undefined {
  const groupBy = query.groupBy ?? 'none';
  if (query.official !== undefined || groupBy === 'official' || groupBy === 'channel') return undefined;
  const perAgency = query.agency !== undefined || groupBy === 'agency';
  const plan: CounterPlan = { scope: perAgency ? (query.agency ?? '') : '*', years: [], months: [], days: [], rows: [] };
  const addRows = (from: number, to: number) => {
    if (from >= to) return;
    const last = plan.rows[plan.rows.length - 1];
    if (last && last.to === from) last.to = to;
    else plan.rows.push({ from, to });
  };
  // Local midnights, as UTC ms of the local clock reading.
  const start = Math.ceil((query.from + OFFSET_MS) / DAY_MS) * DAY_MS;
  const end = Math.floor((query.to + OFFSET_MS) / DAY_MS) * DAY_MS;
  if (start >= end) {
    addRows(query.from, query.to);
    return plan;
  }
  addRows(query.from, start - OFFSET_MS);
  let at = start;
  while (at < end) {
    const d = new Date(at);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    const nextYear = Date.UTC(y + 1, 0, 1);
    const nextMonth = Date.UTC(y, m + 1, 1);
    if (groupBy !== 'month' && m === 0 && d.getUTCDate() === 1 && nextYear <= end) {
      plan.years.push(dateOf(at));
      at = nextYear;
    } else if (d.getUTCDate() === 1 && nextMonth <= end) {
      plan.months.push(dateOf(at));
      at = nextMonth;
    } else if (!perAgency) {
      plan.days.push(dateOf(at));
      at += DAY_MS;
    } else {
      const to = Math.min(nextMonth, end);
      addRows(at - OFFSET_MS, to - OFFSET_MS);
      at = to;
    }
  }
  addRows(end - OFFSET_MS, query.to);
  return plan;
}

export type { StatisticsQuery };
