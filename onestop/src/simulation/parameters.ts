/**
 * The parameters of a simulation run, as one JSON document with a JSON Schema
 * (validated by ajv; every error names the field), and the defaults a model's own
 * facts give when a parameter is left out.
 *
 * ## Shape
 * - `arrivals.perWorkingDay`: dossiers received per working day (a Poisson stream
 *   over the working time of the reception calendar).
 * - `durations[elementId]`: the working time one dossier takes at a task (or the
 *   delay of a timer catch event), as a distribution: fixed, exponential,
 *   triangular or lognormal, in working minutes, hours or days of the pool's
 *   calendar. The clock of a step runs only in its pool's working hours.
 * - `branches[gatewayId][flowId]`: the probability of each outgoing flow of an
 *   exclusive gateway (they sum to 1).
 * - `pools`: staff per (agency, role) with optional working hours. A user task is
 *   served by the pool of its agency (`motcua:facts agency`, else the process's) and
 *   its first candidate group (the role); other tasks need no staff.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { type FlowNode, parseClockTime, parseLocalDate, type ProcessGraph, type TimeBlock } from '../../../engine/src/pure';
import { SimulationInputError } from './errors';

/**
 * Units of a duration: working time on the pool's calendar (the work pauses outside
 * working hours), or elapsed time (`hours`, `calendarDays`: an applicant's supplement,
 * a timer of "15 days", which run on nights and holidays too).
 */
export type DurationUnit = 'workingMinutes' | 'workingHours' | 'workingDays' | 'hours' | 'calendarDays';

/** How long one dossier takes at a step; `unit` defaults to workingHours. */
export type Distribution =
  | { type: 'fixed'; value: number; unit?: DurationUnit }
  | { type: 'exponential'; mean: number; unit?: DurationUnit }
  | { type: 'triangular'; min: number; mode: number; max: number; unit?: DurationUnit }
  /** `mean` and `sd` of the lognormal itself (not of its logarithm). */
  | { type: 'lognormal'; mean: number; sd: number; unit?: DurationUnit };

/** Staff of one role at one agency, and their working hours when they differ from the calendar's. */
export interface PoolParameters {
  agency: string;
  role: string;
  /** How many officials serve the pool at once. */
  staff: number;
  /** Working hours on working days (default: the calendar's). */
  workingHours?: TimeBlock[];
  /** Hours per weekday "0" (Sunday) … "6" (Saturday) replacing the calendar's week for that weekday. */
  weekdays?: Record<string, TimeBlock[]>;
}

/** The parameters of one run. Every field is optional: the model's facts give defaults. */
export interface SimulationParameters {
  /** Seed of the random stream (default 1). */
  seed?: number;
  /** Dossiers simulated (default 10,000). */
  dossiers?: number;
  /** Local date of the first day of arrivals, "YYYY-MM-DD" (default: the calendar's first day). */
  start?: string;
  arrivals?: { perWorkingDay: number };
  durations?: Record<string, Distribution>;
  branches?: Record<string, Record<string, number>>;
  pools?: PoolParameters[];
  /** Staff that serve an element, when its model does not say (an as-is model's plain tasks) or says otherwise: `role`, at `agency` (default: the element's). */
  assignments?: Record<string, { role: string; agency?: string }>;
}

const unit = { enum: ['workingMinutes', 'workingHours', 'workingDays', 'hours', 'calendarDays'] };
const positive = { type: 'number', exclusiveMinimum: 0 };
const nonNegative = { type: 'number', minimum: 0 };
const block = {
  type: 'object',
  additionalProperties: false,
  required: ['start', 'end'],
  properties: { start: { type: 'string', pattern: '^\\d{2}:\\d{2}$' }, end: { type: 'string', pattern: '^\\d{2}:\\d{2}$' } },
};
const blocks = { type: 'array', items: block, maxItems: 8 };

/** The JSON Schema of SimulationParameters (draft 2020-12 subset that ajv's default draft accepts). */
export const SIMULATION_PARAMETERS_SCHEMA = {
  $id: 'https://motcua.vn/schema/simulation-parameters.json',
  title: 'Simulation parameters',
  type: 'object',
  additionalProperties: false,
  properties: {
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    dossiers: { type: 'integer', minimum: 1 },
    start: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    arrivals: { type: 'object', additionalProperties: false, required: ['perWorkingDay'], properties: { perWorkingDay: positive } },
    durations: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['type'],
        properties: { type: { type: 'string' } },
        discriminator: { propertyName: 'type' },
        oneOf: [
          { additionalProperties: false, required: ['type', 'value'], properties: { type: { const: 'fixed' }, value: nonNegative, unit } },
          { additionalProperties: false, required: ['type', 'mean'], properties: { type: { const: 'exponential' }, mean: positive, unit } },
          { additionalProperties: false, required: ['type', 'min', 'mode', 'max'], properties: { type: { const: 'triangular' }, min: nonNegative, mode: nonNegative, max: nonNegative, unit } },
          { additionalProperties: false, required: ['type', 'mean', 'sd'], properties: { type: { const: 'lognormal' }, mean: positive, sd: nonNegative, unit } },
        ],
      },
    },
    branches: { type: 'object', additionalProperties: { type: 'object', minProperties: 1, additionalProperties: { type: 'number', minimum: 0, maximum: 1 } } },
    assignments: {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: false, required: ['role'], properties: { role: { type: 'string', minLength: 1, maxLength: 200 }, agency: { type: 'string', minLength: 1, maxLength: 200 } } },
    },
    pools: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['agency', 'role', 'staff'],
        properties: {
          agency: { type: 'string', minLength: 1, maxLength: 200 },
          role: { type: 'string', minLength: 1, maxLength: 200 },
          staff: { type: 'integer', minimum: 1, maximum: 100000 },
          workingHours: blocks,
          weekdays: { type: 'object', propertyNames: { pattern: '^[0-6]$' }, additionalProperties: blocks },
        },
      },
    },
  },
} as const;

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  validator ??= new Ajv({ allErrors: false, strict: true, discriminator: true }).compile(SIMULATION_PARAMETERS_SCHEMA);
  return validator;
}

/** "/durations/examine/mean" → "durations.examine.mean". */
function fieldOf(path: string): string {
  return path === '' ? '(root)' : path.slice(1).split('/').join('.');
}

function describe(error: ErrorObject): string {
  const field = fieldOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const prefix = field === '(root)' ? '' : `${field}.`;
  if (error.keyword === 'additionalProperties') return `${prefix}${String(params.additionalProperty)} is not a known parameter`;
  if (error.keyword === 'required') return `${prefix}${String(params.missingProperty)} is required`;
  if (error.keyword === 'enum') return `${field} must be one of ${JSON.stringify(params.allowedValues)}`;
  if (error.keyword === 'discriminator') return `${prefix}type must be one of ["fixed","exponential","triangular","lognormal"]`;
  return `${field} ${error.message ?? 'is invalid'}`;
}

function fail(field: string, message: string): never {
  throw new SimulationInputError(`simulation parameters: ${field} ${message}`, { field });
}

/**
 * Checks a parameters document against the schema and against the model it is for
 * (durations name tasks, branches name exclusive gateways and their outgoing flows,
 * probabilities sum to 1, triangular min ≤ mode ≤ max, one pool per agency and role)
 * and returns it typed. Throws SimulationInputError naming the first bad field.
 */
export function validateSimulationParameters(data: unknown, graph?: ProcessGraph): SimulationParameters {
  const validate = compiled();
  if (!validate(data)) {
    const error = validate.errors?.[0];
    const field = error ? fieldOf(error.instancePath) : '(root)';
    throw new SimulationInputError(`simulation parameters: ${error ? describe(error) : 'are invalid'}`, { field });
  }
  const params = data as SimulationParameters;
  if (params.start !== undefined && parseLocalDate(params.start) === undefined) fail('start', `(${params.start}) is not a real date`);
  for (const [id, d] of Object.entries(params.durations ?? {})) {
    if (d.type === 'triangular' && !(d.min <= d.mode && d.mode <= d.max)) fail(`durations.${id}`, `needs min ≤ mode ≤ max (got ${d.min}, ${d.mode}, ${d.max})`);
    if (graph) {
      const node = graph.nodes[id];
      if (!node) fail(`durations.${id}`, `names no element of process ${graph.processId}`);
      if (!takesTime(node)) fail(`durations.${id}`, `names a ${node.type}, which takes no time (only tasks and catch events do)`);
    }
  }
  for (const [id, flows] of Object.entries(params.branches ?? {})) {
    const sum = Object.values(flows).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-6) fail(`branches.${id}`, `probabilities must sum to 1 (they sum to ${sum})`);
    if (graph) {
      const node = graph.nodes[id];
      if (!node || (node.type !== 'exclusiveGateway' && node.type !== 'eventBasedGateway')) fail(`branches.${id}`, `names no exclusive or event-based gateway of process ${graph.processId}`);
      for (const flow of Object.keys(flows)) {
        if (!node.outgoing.includes(flow)) fail(`branches.${id}.${flow}`, `is not an outgoing flow of ${id} (its flows: ${node.outgoing.join(', ')})`);
      }
    }
  }
  for (const id of Object.keys(params.assignments ?? {})) {
    const node = graph?.nodes[id];
    if (graph && (!node || !takesTime(node) || node.type === 'intermediateCatchEvent')) fail(`assignments.${id}`, `names no task of process ${graph.processId}`);
  }
  const seen = new Set<string>();
  (params.pools ?? []).forEach((pool, i) => {
    const key = poolKey(pool.agency, pool.role);
    if (seen.has(key)) fail(`pools.${i}`, `repeats agency ${pool.agency} and role ${pool.role}`);
    seen.add(key);
    const hours = [...(pool.workingHours ?? []), ...Object.values(pool.weekdays ?? {}).flat()];
    for (const b of hours) {
      const s = parseClockTime(b.start);
      const e = parseClockTime(b.end);
      if (s === undefined || e === undefined || s >= e) fail(`pools.${i}`, `has a working-hours block ${b.start}–${b.end} that is not a time span within a day`);
    }
  });
  return params;
}

/** The key of a staff pool. */
export function poolKey(agency: string, role: string): string {
  return `${agency}/${role}`;
}

/** Elements that take time in a simulation: tasks and catch events other than links. */
export function takesTime(node: FlowNode): boolean {
  switch (node.type) {
    case 'task':
    case 'manualTask':
    case 'userTask':
    case 'serviceTask':
    case 'sendTask':
    case 'businessRuleTask':
    case 'receiveTask':
    case 'scriptTask':
      return true;
    case 'intermediateCatchEvent':
      // A timer waits its time; a message or signal waits for the outside world (an applicant's supplement): a drawn delay.
      return node.eventDefinition.kind !== 'link';
    default:
      return false;
  }
}

/** The agency of an element: its own `motcua:facts agency`, else the process's, else "default". */
export function agencyOf(graph: ProcessGraph, node: FlowNode): string {
  return node.facts?.agency ?? graph.facts?.agency ?? 'default';
}

/** The role that serves a user task: its first literal candidate group, else "official". Other elements: none. */
export function roleOf(node: FlowNode): string | undefined {
  if (node.type !== 'userTask') return undefined;
  const groups = node.candidateGroups;
  if (groups && !groups.startsWith('=')) {
    const first = groups.split(',')[0].trim();
    if (first) return first;
  }
  return 'official';
}

/** "P15D", "PT72H", "P1DT2H30M" → hours; undefined for anything else (a FEEL expression, a date, a cycle). */
export function isoDurationHours(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [w, d, h, min, sec] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  return w * 168 + d * 24 + h + min / 60 + sec / 3600;
}

/**
 * Default duration of a step: a timer catch event waits its statutory time, else its
 * literal ISO duration (elapsed time, as the engine's timer runs); a task takes a
 * triangular share of its statutory time; else one working hour for a user task, none
 * otherwise (a message catch event: the outside world answers at once).
 */
export function defaultDuration(node: FlowNode): Distribution {
  const time = node.facts?.statutoryTime;
  if (node.type === 'intermediateCatchEvent') {
    if (time && (time.unit === 'workingDays' || time.unit === 'workingHours')) return { type: 'fixed', value: time.amount, unit: time.unit };
    if (time && time.unit === 'calendarDays') return { type: 'fixed', value: time.amount, unit: 'calendarDays' };
    if (time && time.unit === 'hours') return { type: 'fixed', value: time.amount, unit: 'hours' };
    const definition = node.eventDefinition;
    if (definition.kind === 'timer' && definition.timerType === 'duration') {
      const hours = isoDurationHours(definition.expression);
      if (hours !== undefined) return { type: 'fixed', value: hours, unit: 'hours' };
    }
  } else if (time && node.type !== 'boundaryEvent') {
    const u: DurationUnit | undefined = time.unit === 'workingDays' ? 'workingDays' : time.unit === 'workingHours' ? 'workingHours' : undefined;
    // A step usually takes well under its statutory share: mode at half of it, never beyond it.
    if (u) return { type: 'triangular', min: 0, mode: time.amount / 2, max: time.amount, unit: u };
  }
  return node.type === 'userTask' ? { type: 'fixed', value: 1, unit: 'workingHours' } : { type: 'fixed', value: 0, unit: 'workingHours' };
}
