/**
 * The statistics sink (the projection row written in every dossier change's transaction)
 * and the reads over it: grouped reports with their indicators, the drill-down, and the
 * public figures of an agency. No HTTP, no authorization: the API decides who may ask what.
 */
import { decodeCursor, encodeCursor, InvalidInputError, type EngineStore, type TransactionSql } from '../../../engine/src/index';
import type { DossierClock } from '../dossiers/dossier-clock';
import type { DossierChange, DossierSink } from '../dossiers/dossier-sink';
import { statisticsRowOf } from './projection';
import { indicatorsOf, type ReportIndicator } from './report';
import type { CountedDossier, DrillDown, DrillDownPage, ReceivedPerProcedure, StatisticsCounts, StatisticsQuery, StatisticsStore } from './statistics-store';

/** The sink that keeps `dossier_statistics`: register it on the DossierService. */
export function statisticsSink(deps: { statistics: StatisticsStore; clockOf: (agency: string, at: number) => DossierClock }): DossierSink {
  return {
    name: 'statistics',
    async onDossierChange(tx: TransactionSql, change: DossierChange): Promise<void> {
      const at = change.dossier.receivedAt ?? change.dossier.submittedAt;
      await deps.statistics.upsert(tx, statisticsRowOf(change, deps.clockOf(change.facts.agency, at)));
    },
  };
}

/** One group of a report. */
export interface ReportGroup {
  key: string;
  counts: StatisticsCounts;
  indicators: ReportIndicator[];
}

export class StatisticsService {
  constructor(private readonly deps: { store: EngineStore; statistics: StatisticsStore }) {}

  private read<T>(work: (sql: TransactionSql) => Promise<T>): Promise<T> {
    return this.deps.store.transaction((tx) => work(tx.sql));
  }

  async report(query: StatisticsQuery): Promise<ReportGroup[]> {
    const counts = await this.read((sql) => this.deps.statistics.counts(sql, query));
    return counts.map((c) => ({ key: c.key, counts: c, indicators: indicatorsOf(c) }));
  }

  /**
   * One page of a drill-down; `nextCursor` (absent on the last page) carries the query's asOf
   * and the last dossier's sort values ({@link encodeDrillDownCursor}).
   */
  async dossierPage(query: StatisticsQuery, which: DrillDown, page: DrillDownPage): Promise<{ items: CountedDossier[]; nextCursor?: string }> {
    const rows = await this.read((sql) => this.deps.statistics.dossiers(sql, query, which, { ...page, limit: page.limit + 1 }));
    if (rows.length <= page.limit) return { items: rows };
    const items = rows.slice(0, page.limit);
    return { items, nextCursor: encodeDrillDownCursor({ asOf: query.asOf, ...items[items.length - 1] }) };
  }

  /**
   * Every dossier of a drill-down from `after` on, page by page (`pageSize` each, one short
   * read transaction per page: nothing is held open while a slow client reads).
   */
  async *allDossiers(query: StatisticsQuery, which: DrillDown, after?: DrillDownPage['after'], pageSize = 1000): AsyncGenerator<CountedDossier[]> {
    let from = after;
    for (;;) {
      const items = await this.read((sql) => this.deps.statistics.dossiers(sql, query, which, { limit: pageSize, ...(from ? { after: from } : {}) }));
      if (items.length > 0) yield items;
      if (items.length < pageSize) return;
      const last = items[items.length - 1];
      from = { countedAt: last.countedAt, dossierId: last.dossierId };
    }
  }

  receivedPerProcedure(agency: string, from: number, to: number): Promise<ReceivedPerProcedure[]> {
    return this.read((sql) => this.deps.statistics.receivedPerProcedure(sql, agency, from, to));
  }
}

/** Where a drill-down continues: the moment its figures are taken, and the last dossier listed. */
export interface DrillDownCursor {
  asOf: number;
  countedAt: number;
  dossierId: string;
}

/** Moments a cursor may carry: the years a request may name (1900–9999). */
const CURSOR_TIMES = { min: Date.UTC(1900, 0, 1), max: Date.UTC(10000, 0, 1) - 1 };

/** The opaque cursor of a drill-down page (the engine's one cursor codec): `[asOf, countedAt, dossierId]`. */
export function encodeDrillDownCursor(cursor: DrillDownCursor): string {
  return encodeCursor([cursor.asOf, cursor.countedAt, cursor.dossierId]);
}

/**
 * Reads a cursor made by {@link encodeDrillDownCursor}. The walk it continues keeps its asOf,
 * so its pages are of one moment (in progress on time or overdue, counted by then) however
 * long the client takes. Throws InvalidInputError (field `cursor`) for anything else.
 */
export function decodeDrillDownCursor(cursor: string): DrillDownCursor {
  const [asOf, countedAt, dossierId] = decodeCursor(cursor, 'nns') as [number, number, string];
  if ([asOf, countedAt].some((t) => t < CURSOR_TIMES.min || t > CURSOR_TIMES.max)) {
    throw new InvalidInputError('cursor is not a cursor returned by this list', { field: 'cursor' });
  }
  return { asOf, countedAt, dossierId };
}
