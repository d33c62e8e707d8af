/**
 * The statistics sink (the projection row written in every dossier change's transaction)
 * and the reads over it: grouped reports with their indicators, the drill-down, and the
 * public figures of an agency. No HTTP, no authorization: the API decides who may ask what.
 */
import type { EngineStore, TransactionSql } from '../../../engine/src/index';
import type { DossierClock } from '../dossiers/dossier-clock';
import type { DossierChange, DossierSink } from '../dossiers/dossier-sink';
import { statisticsRowOf } from './projection';
import { indicatorsOf, type ReportIndicator } from './report';
import type { CountedDossier, DrillDown, ReceivedPerProcedure, StatisticsCounts, StatisticsQuery, StatisticsStore } from './statistics-store';

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

  dossiers(query: StatisticsQuery, which: DrillDown, limit: number): Promise<CountedDossier[]> {
    return this.read((sql) => this.deps.statistics.dossiers(sql, query, which, limit));
  }

  receivedPerProcedure(agency: string, from: number, to: number): Promise<ReceivedPerProcedure[]> {
    return this.read((sql) => this.deps.statistics.receivedPerProcedure(sql, agency, from, to));
  }
}
