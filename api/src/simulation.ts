/**
 * The simulation use case shared by `motcua simulate` and `POST /api/analysis/simulate`:
 * BPMN documents and parameter documents in, the as-is / to-be report out. It reads
 * no file and no clock: the caller passes the documents, the calendar provider (the
 * agency's hours and the years in force) and `now` (the default first day of arrivals).
 */
import { type CalendarDefinition, type CalendarProvider, formatLocalDate, type Limits, loadProcessModels, type ProcessGraph } from '../../engine/src/index';
import { CalendarCache, SimulationInputError, simulate, simulationReport, validateSimulationParameters, type SimulationReport } from '../../onestop/src/simulation';

/** One model to simulate: its BPMN document and its parameters (JSON, validated here). */
export interface SimulationModelInput {
  xml: string;
  parameters?: unknown;
}

/** What a simulation is asked: the model (to-be), perhaps the model it replaces (as-is), a seed for both. */
export interface SimulationRequest {
  model: SimulationModelInput;
  compare?: SimulationModelInput;
  seed?: number;
}

/** What the use case needs from its caller. */
export interface SimulationServices {
  calendars: CalendarProvider;
  /** The first day of arrivals when the parameters give none: the local day of `now`. */
  now: number;
  maxDossiers: number;
  maxXmlBytes?: number;
  limits?: Limits;
}

async function graphOf(input: SimulationModelInput, which: 'model' | 'compare', services: Pick<SimulationServices, 'maxXmlBytes' | 'limits'>): Promise<ProcessGraph> {
  // An as-is model describes how a procedure runs today, for analysis: it is often not executable, and need not be.
  const { graphs, problems } = await loadProcessModels(input.xml, { maxBytes: services.maxXmlBytes, limits: services.limits, includeNotExecutable: true });
  if (problems.length > 0) {
    const listed = problems.slice(0, 10).map((p) => `${p.elementId || '(document)'}: ${p.reason}`);
    throw new SimulationInputError(`${which}: the BPMN document has ${problems.length} problem(s): ${listed.join('; ')}${problems.length > 10 ? '; …' : ''}`, { field: which });
  }
  if (graphs.length === 0) throw new SimulationInputError(`${which}: the BPMN document has no process`, { field: which });
  return graphs[0];
}

/**
 * Everything a run needs, as plain data (a worker thread receives it by structured clone):
 * the request, the reception calendar's definition and the first day, the bounds.
 */
export interface SimulationJob {
  request: SimulationRequest;
  calendar: CalendarDefinition;
  start: string;
  maxDossiers: number;
  maxXmlBytes?: number;
  limits?: Limits;
}

/**
 * Checks the request (models readable, parameters valid, within the bounds) and resolves
 * the calendar: every 400 is thrown here, before a run is queued. Throws
 * SimulationInputError (a 400) naming the field or element; ModelParseError when a
 * document cannot be read.
 */
export async function prepareSimulation(request: SimulationRequest, services: SimulationServices): Promise<SimulationJob> {
  const { toBe, toBeParams } = await checkedModels(request, services);
  // The reception calendar: the procedure's agency, its own hours, the years and legal settings in force at the start.
  const offsetMs = services.calendars(toBe.facts?.agency, services.now).calendar.definition.utcOffsetMinutes * 60_000;
  const start = toBeParams.start ?? formatLocalDate(Math.floor((services.now + offsetMs) / 86_400_000));
  const startAt = Date.parse(`${start}T00:00:00Z`) - offsetMs;
  const calendar = services.calendars(toBe.facts?.agency, startAt).calendar.definition;
  const n = toBeParams.dossiers ?? 10_000;
  if (n > services.maxDossiers) throw new SimulationInputError(`model.parameters: simulation parameters: dossiers (${n}) is more than the ${services.maxDossiers} allowed`, { field: 'model.parameters.dossiers' });
  return { request, calendar, start, maxDossiers: services.maxDossiers, ...(services.maxXmlBytes !== undefined ? { maxXmlBytes: services.maxXmlBytes } : {}), ...(services.limits ? { limits: services.limits } : {}) };
}

async function checkedModels(request: SimulationRequest, services: Pick<SimulationServices, 'maxXmlBytes' | 'limits'>) {
  const toBe = await graphOf(request.model, 'model', services);
  const asIs = request.compare ? await graphOf(request.compare, 'compare', services) : undefined;
  const prefix = (field: string, fn: () => ReturnType<typeof validateSimulationParameters>) => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof SimulationInputError) throw new SimulationInputError(`${field}: ${error.message}`, { field: `${field}.${String(error.details.field ?? '')}` });
      throw error;
    }
  };
  const toBeParams = prefix('model.parameters', () => validateSimulationParameters(request.model.parameters ?? {}, toBe));
  // Without its own parameters the as-is model shares the run's shape (dossiers, start, arrivals), not the to-be's elements.
  const shared = { seed: toBeParams.seed, dossiers: toBeParams.dossiers, start: toBeParams.start, arrivals: toBeParams.arrivals };
  const asIsParams = asIs ? prefix('compare.parameters', () => validateSimulationParameters(request.compare!.parameters ?? JSON.parse(JSON.stringify(shared)), asIs)) : undefined;
  return { toBe, asIs, toBeParams, asIsParams };
}

/** Runs a prepared job: the CPU-bound part, the same inline and in a worker thread (simulation-pool.ts). */
export async function runSimulationJob(job: SimulationJob): Promise<SimulationReport> {
  const { toBe, asIs, toBeParams, asIsParams } = await checkedModels(job.request, job);
  const calendars = new CalendarCache();
  const options = { calendar: job.calendar, calendars, maxDossiers: job.maxDossiers, ...(job.request.seed !== undefined ? { seed: job.request.seed } : {}) };
  const toBeRun = simulate(toBe, { ...toBeParams, start: job.start }, options);
  const asIsRun = asIs ? simulate(asIs, { ...asIsParams!, start: asIsParams!.start ?? job.start }, options) : undefined;
  return simulationReport(toBeRun, asIsRun, job.calendar);
}

/**
 * Simulates the model (and the one it is compared with, on the same calendar and
 * seed) and builds the report, in this thread. Throws like {@link prepareSimulation}.
 */
export async function runSimulation(request: SimulationRequest, services: SimulationServices): Promise<SimulationReport> {
  return runSimulationJob(await prepareSimulation(request, services));
}
