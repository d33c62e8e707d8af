/**
 * The port of the statistics projection (adapter: store-sequelize/sequelize-statistics-store.ts):
 * the sink's upsert in the dossier's transaction, and the grouped counts the reports read.
 */
import type { TransactionSql } from '../../../engine/src/index';
import type { StatisticsRow } from './projection';

/** What to count: dossiers received (or, never received, submitted) in [from, to). */
export interface StatisticsQuery {
  from: number;
  to: number;
  /** The moment the figures are taken: where dossiers in progress are measured. */
  asOf: number;
  agency?: string;
  province?: string;
  procedureCode?: string;
  official?: string;
  groupBy?: StatisticsGroupBy;
}

export type StatisticsGroupBy = 'none' | 'agency' | 'province' | 'procedure' | 'official' | 'channel' | 'month';

/** The counts of one group (see the adapter's SQL for each one's condition). */
export interface StatisticsCounts {
  /** The group's key ('' for groupBy none). */
  key: string;
  /** Every row counted (received, or submitted and never received). */
  dossiers: number;
  received: number;
  online: number;
  desk: number;
  post: number;
  /** Online dossiers that count as online for 3.3 (an e-result where the result is issued). */
  onlineWithEResult: number;
  finished766: { early: number; onTime: number; late: number };
  finishedLegal: { early: number; onTime: number; late: number };
  inProgress766: { onTime: number; overdue: number };
  inProgressLegal: { onTime: number; overdue: number };
  /** Dossiers with a supplement request, and the requests. */
  withSupplement: number;
  supplementRequests: number;
  refused: number;
  rejected: number;
  stopped: number;
  withdrawn: number;
  /** Finished dossiers with working days: their count, sum and p90 (nearest rank). */
  timed: number;
  workingDaysSum: number;
  workingDaysP90: number | null;
  feeBearing: number;
  feeBearingPaidOnline: number;
  /** Dossiers with a result (result ready or returned), with an e-result, with digitised inputs and an e-result. */
  withResult: number;
  eResult: number;
  digitised: number;
}

/** A counted dossier, for the drill-down: no personal data. */
export interface CountedDossier {
  dossierId: string;
  code: string;
  /** The moment that puts it in a period: its receipt, or its submission when it was never received. */
  countedAt: number;
  agency: string;
  procedureCode: string;
  official?: string;
  channel: string;
  status: string;
  receivedAt?: number;
  finishedAt?: number;
  due766At?: number;
  legalDueAt?: number;
  timeliness766?: string;
  timelinessLegal?: string;
  supplementRequests: number;
  workingDays?: number;
}

/** Which dossiers a drill-down lists. */
export type DrillDown =
  | 'received'
  | 'online'
  | 'desk'
  | 'post'
  | 'finished-early'
  | 'finished-on-time'
  | 'finished-late'
  | 'in-progress-on-time'
  | 'in-progress-overdue'
  | 'legal-finished-early'
  | 'legal-finished-on-time'
  | 'legal-finished-late'
  | 'legal-in-progress-on-time'
  | 'legal-in-progress-overdue'
  | 'supplement'
  | 'refused'
  | 'rejected'
  | 'stopped'
  | 'withdrawn'
  | 'timed'
  | 'fee-bearing'
  | 'paid-online'
  | 'with-result'
  | 'e-result'
  | 'digitised';

export const DRILL_DOWNS: readonly DrillDown[] = [
  'received', 'online', 'desk', 'post', 'finished-early', 'finished-on-time', 'finished-late', 'in-progress-on-time', 'in-progress-overdue',
  'legal-finished-early', 'legal-finished-on-time', 'legal-finished-late', 'legal-in-progress-on-time', 'legal-in-progress-overdue',
  'supplement', 'refused', 'rejected', 'stopped', 'withdrawn', 'timed', 'fee-bearing', 'paid-online', 'with-result', 'e-result', 'digitised',
];

/** Dossiers received per procedure of an agency, in a period (the public figures). */
export interface ReceivedPerProcedure {
  procedureCode: string;
  received: number;
}

/**
 * One page of a drill-down, in the order (countedAt, dossierId): at most `limit` dossiers, those
 * after `after` (exclusive). Keyset paging: a dossier written between two pages never shifts the
 * next one (as an offset would), and the pair is unique (dossierId is the table's key).
 */
export interface DrillDownPage {
  limit: number;
  after?: { countedAt: number; dossierId: string };
}

export interface StatisticsStore {
  /** Writes a dossier's row (insert or replace), in the dossier's transaction. */
  upsert(sql: TransactionSql, row: StatisticsRow): Promise<void>;
  counts(sql: TransactionSql, query: StatisticsQuery): Promise<StatisticsCounts[]>;
  /**
   * The dossiers of a drill-down counted by `query.asOf` (counted at or before it: a dossier
   * received after the moment the figures were taken is not among them), one page of them.
   */
  dossiers(sql: TransactionSql, query: StatisticsQuery, which: DrillDown, page: DrillDownPage): Promise<CountedDossier[]>;
  receivedPerProcedure(sql: TransactionSql, agency: string, from: number, to: number): Promise<ReceivedPerProcedure[]>;
}
