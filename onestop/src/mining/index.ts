/**
 * Process mining over the history of dossiers (issue 17): an event log built from what
 * the engine recorded (build-log.ts), the analyses a reform team reads (analyses.ts:
 * waiting vs working time, the longest waits, rework loops, who holds late dossiers, a
 * heat overlay per element), and the exports for mining tools: XES (IEEE 1849) and
 * OCEL 2.0 JSON, both from one list of events (log-events.ts).
 *
 * Pure: no I/O, no clock, no `node:` modules. The database is read by
 * onestop/src/store-sequelize/mining-log-reader.ts; applicants reach this code only as
 * keyed pseudonyms made by its caller.
 */
export type { MiningCase, MiningLog, MiningStep, StepOutcome } from './event-log';
export { buildMiningLog, type ElementNames, type MiningSource, type MiningSourceCase, type MiningSourceEvent, type MiningSourceTask } from './build-log';
export type { MiningLogQuery, MiningLogRead, MiningLogSource } from './log-source';
export {
  mineLog,
  reworkOf,
  stepTimes,
  workingHoursMeter,
  type DurationSummary,
  type ElementHeat,
  type LateHolder,
  type LateTask,
  type MiningOptions,
  type MiningSummary,
  type ReworkLoop,
  type StepFigures,
  type StepTimes,
  type TimeFigures,
  type WorkingHoursMeter,
} from './analyses';
export { caseEvents, isExportedStep, logEvents, type LifecycleTransition, type LogEvent } from './log-events';
export { toXes, xmlAttribute } from './xes';
export { toOcel, type OcelDocument, type OcelEvent, type OcelObject, type OcelRelationship } from './ocel';
