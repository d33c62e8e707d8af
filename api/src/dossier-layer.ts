/**
 * The dossier layer of one process, for the composition roots (app.ts, the API test harness):
 * the DossierService over the engine and the dossier store, its step listener registered on
 * the engine so that a dossier moves with its process in the same transaction.
 */
import { calendarTimeRules, type Engine, type EngineStore } from '../../engine/src/index';
import { bundledDossierRules } from '../../onestop/src/dossiers/dossier-rules';
import { DossierService } from '../../onestop/src/dossiers/dossier-service';
import { dossierClockOf } from '../../onestop/src/dossiers/dossier-clock';
import { statisticsSink, StatisticsService } from '../../onestop/src/statistics/statistics-service';
import { createSequelizeDossierStore } from '../../onestop/src/store-sequelize/sequelize-dossier-store';
import { createSequelizeStatisticsStore } from '../../onestop/src/store-sequelize/sequelize-statistics-store';
import type { CalendarService } from './calendars/calendar-service';

/** Builds the dossier service and registers its step listener; `close()` undoes both. */
export function openDossierLayer(deps: {
  engine: Engine;
  store: EngineStore;
  calendars?: CalendarService;
  now: () => number;
  warn?: (message: string, facts: Record<string, unknown>) => void;
  /** How often the deadline warnings are scanned for (MOTCUA_OVERDUE_SCAN_MS; 0 or absent: only `scanDeadlines()`). */
  scanMs?: number;
}): DossierService & { closeLayer(): void; statistics: StatisticsService } {
  const service = new DossierService({
    engine: deps.engine,
    store: deps.store,
    dossiers: createSequelizeDossierStore(),
    rules: bundledDossierRules(),
    calendars: deps.calendars?.registry.provider ?? (() => calendarTimeRules()),
    now: deps.now,
    ...(deps.warn ? { warn: deps.warn } : {}),
  });
  const calendars = deps.calendars?.registry.provider ?? (() => calendarTimeRules());
  const statisticsStore = createSequelizeStatisticsStore();
  service.addSink(statisticsSink({ statistics: statisticsStore, clockOf: (agency, at) => dossierClockOf(calendars(agency, at).calendar) }));
  const statistics = new StatisticsService({ store: deps.store, statistics: statisticsStore });
  const unregister = deps.engine.addStepListener(service.stepListener());
  const timer = deps.scanMs ? setInterval(() => service.scanDeadlines().catch((error: Error) => deps.warn?.('the deadline warning scan failed', { error: error.message })), deps.scanMs) : undefined;
  timer?.unref();
  return Object.assign(service, {
    statistics,
    closeLayer() {
      if (timer) clearInterval(timer);
      unregister();
      service.close();
    },
  });
}
