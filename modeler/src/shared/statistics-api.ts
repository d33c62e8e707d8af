/**
 * What the statistics page asks of the API: the Decision 766 report of a period, grouped
 * (`/api/statistics`), its CSV, and the dossiers behind a figure (`/api/statistics/dossiers`,
 * no personal data). Staff see their own agency; analysts may name one.
 */
import { request } from './api';

/** One indicator of a group, as the API computes it. */
export interface Indicator {
  code: string;
  name: string;
  formula: string;
  numerator: number;
  denominator: number;
  value: number | null;
  unit: 'percent' | 'workingDays';
}

/** The counts of a group. */
export interface Counts {
  dossiers: number;
  received: number;
  online: number;
  desk: number;
  post: number;
  finished766: { early: number; onTime: number; late: number };
  finishedLegal: { early: number; onTime: number; late: number };
  inProgress766: { onTime: number; overdue: number };
  inProgressLegal: { onTime: number; overdue: number };
  withSupplement: number;
  refused: number;
  rejected: number;
  stopped: number;
  withdrawn: number;
  timed: number;
  workingDaysSum: number;
  workingDaysP90: number | null;
}

export interface ReportGroup {
  key: string;
  counts: Counts;
  indicators: Indicator[];
}

export interface Report {
  from: string;
  to: string;
  asOf: string;
  groupBy?: string;
  groups: ReportGroup[];
}

export type GroupBy = 'none' | 'procedure' | 'month' | 'official' | 'channel' | 'agency';

/** The period and scope of a report (dates YYYY-MM-DD, Vietnam's). */
export interface ReportQuery {
  from?: string;
  to?: string;
  agency?: string;
}

const queryOf = (query: ReportQuery, extra: Record<string, string>) => {
  const q = new URLSearchParams(extra);
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  return q;
};

export function report(query: ReportQuery, groupBy: GroupBy): Promise<Report> {
  return request('GET', `/api/statistics?${queryOf(query, { groupBy })}`);
}

/** The report as CSV text (a spreadsheet opens it). */
export function reportCsv(query: ReportQuery, groupBy: GroupBy): Promise<string> {
  return request('GET', `/api/statistics?${queryOf(query, { groupBy, format: 'csv' })}`);
}

/** A dossier a figure counted. */
export interface CountedDossier {
  dossierId: string;
  code: string;
  procedureCode: string;
  channel: string;
  status: string;
  countedAt: string;
  receivedAt?: string;
  due766At?: string;
  legalDueAt?: string;
}

/** The first page of the dossiers behind `indicator` (e.g. `in-progress-overdue`). */
export function countedDossiers(query: ReportQuery, indicator: string, limit = 50): Promise<{ asOf: string; items: CountedDossier[]; nextCursor?: string }> {
  return request('GET', `/api/statistics/dossiers?${queryOf(query, { indicator, limit: String(limit) })}`);
}
