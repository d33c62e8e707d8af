/**
 * Simulation of procedure models on the working-day calendar: a seeded, pure
 * discrete-event simulation (simulate.ts), its parameters and their JSON Schema
 * (parameters.ts), fitting parameters from history (fit.ts), and the as-is / to-be
 * report with its SVG plots (report.ts, plots.ts). Nothing here reads the clock,
 * Math.random or a file: the caller passes the model, the parameters and the
 * calendar definition.
 */
export { CalendarCache, nominalDayHours, poolCalendarDefinition } from './calendars';
export { SimulationInputError } from './errors';
export { SIMULATION_PARAMETERS_SCHEMA, validateSimulationParameters, poolKey, type Distribution, type DurationUnit, type PoolParameters, type SimulationParameters } from './parameters';
export { Random } from './random';
export { simulate, type ElementResult, type OnTimeMeasure, type PoolResult, type SimulateOptions, type SimulationResult, type SimulationRun } from './simulate';
export { quantile } from './statistics';
export { fitParameters, type FitResult, type HistoryEvent } from './fit';
export { simulationReport, type Change, type SimulationReport } from './report';
export { cdfSvg, histogramSvg, utilisationSvg, type PlotSeries } from './plots';
