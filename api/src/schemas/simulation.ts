/** Analysis of procedure models: simulation of as-is and to-be models on the working-day calendar. */
import { named } from './common';
import { operation } from './operation';

const modelInput = {
  type: 'object',
  required: ['xml'],
  additionalProperties: false,
  properties: {
    xml: { type: 'string', minLength: 1, description: 'A BPMN 2.0 XML document; its first process is simulated.' },
    parameters: {
      type: 'object',
      description:
        'Simulation parameters (checked by the server against onestop/src/simulation/parameters.ts SIMULATION_PARAMETERS_SCHEMA and the model; a 400 names the field): ' +
        '`seed`, `dossiers` (at most MOTCUA_SIMULATION_MAX_DOSSIERS), `start` (YYYY-MM-DD), `arrivals.perWorkingDay`, `durations[elementId]` (fixed, exponential, triangular, lognormal; workingMinutes, workingHours, workingDays), ' +
        '`branches[gatewayId][flowId]`, `pools[]` ({agency, role, staff, workingHours?, weekdays?}), `assignments[elementId]` ({role, agency?}). Left out: defaults from the model, listed in the result’s `assumptions`.',
    },
  },
} as const;

export const SimulationReport = named('SimulationReport', {
  type: 'object',
  description:
    'The figures of the to-be model (and of the as-is model when compared): cycle time p50/p90/mean/max in working days, on-time shares (legal and Decision 766 indicator 2.1), ' +
    'per staff pool utilisation, mean and longest queue, mean wait; per element (by id) visits, mean and longest wait, mean work; the changes to-be − as-is; a common-bin histogram; the plots as SVG documents.',
  required: ['toBe', 'histogram', 'plots'],
  properties: {
    toBe: { type: 'object' },
    asIs: { type: 'object' },
    comparison: { type: 'object' },
    histogram: { type: 'object' },
    plots: {
      type: 'object',
      required: ['cycleTimeHistogram', 'cycleTimeCdf', 'utilisation'],
      properties: { cycleTimeHistogram: { type: 'string' }, cycleTimeCdf: { type: 'string' }, utilisation: { type: 'string' } },
    },
    plotsPng: {
      type: 'object',
      description: 'With `plots: "png"` asked: the same plots as PNG images (base64), at twice the SVG’s size.',
      required: ['cycleTimeHistogram', 'cycleTimeCdf', 'utilisation'],
      properties: { cycleTimeHistogram: { type: 'string', contentEncoding: 'base64', contentMediaType: 'image/png' }, cycleTimeCdf: { type: 'string', contentEncoding: 'base64', contentMediaType: 'image/png' }, utilisation: { type: 'string', contentEncoding: 'base64', contentMediaType: 'image/png' } },
    },
  },
});

export const simulateModels = operation({
  operationId: 'simulateModels',
  method: 'post',
  path: '/analysis/simulate',
  summary: 'Simulate a procedure model (and the model it replaces) on the working-day calendar',
  description:
    'A seeded Monte-Carlo simulation: the same seed gives the same report. The calendar is that of the model’s agency (`motcua:facts agency`), with its own hours and the years in force. ' +
    'Runs in the request: at most MOTCUA_SIMULATION_MAX_DOSSIERS dossiers per model.',
  tag: 'analysis',
  roles: ['analyst', 'agency-admin'],
  body: {
    type: 'object',
    required: ['model'],
    additionalProperties: false,
    properties: {
      model: modelInput,
      compare: { ...modelInput, description: 'The model it replaces (as-is); without its own parameters it shares the run’s seed, dossiers, start and arrivals.' },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Overrides the parameters’ seeds.' },
      plots: { type: 'string', enum: ['svg', 'png'], description: 'The plots’ formats: `svg` (default) in `plots`; `png` adds `plotsPng`, the same plots as PNG (base64, twice the size).' },
    },
  },
  responses: { 200: { description: 'The report.', schema: SimulationReport } },
  errors: [413],
});

export const legalClock = operation({
  operationId: 'legalClock',
  method: 'post',
  path: '/analysis/legal-clock',
  summary: 'Due moments on the legal clock: statutory times added one after another from a receipt',
  description:
    'For the modeler’s token walk: from `from`, each statutory time of `steps` is added on the working calendar of `agency` (the national one without), each from the previous due moment, ' +
    'with the cut-off rules of the engine’s due dates (a `sameDay` time uses the legal cut-off). Answers the due moments in the same order.',
  tag: 'analysis',
  roles: ['analyst', 'agency-admin'],
  body: {
    type: 'object',
    required: ['from', 'steps'],
    additionalProperties: false,
    properties: {
      from: { type: 'string', format: 'date-time', description: 'The receipt (or the moment the clock restarts), ISO 8601.' },
      agency: { type: 'string', minLength: 1, maxLength: 64, description: 'The agency whose calendar counts (motcua:facts agency).' },
      steps: {
        type: 'array',
        maxItems: 100,
        items: {
          type: 'object',
          required: ['amount', 'unit'],
          additionalProperties: false,
          properties: {
            amount: { type: 'number', minimum: 0, maximum: 3650 },
            unit: { type: 'string', enum: ['workingDays', 'workingHours', 'hours', 'calendarDays', 'sameDay', 'days'], description: '`days` is the legacy name of calendarDays.' },
            cutoff: { type: 'string', pattern: '^(legal|none|[0-2][0-9]:[0-5][0-9])$' },
          },
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The due moment after each step, ISO 8601.',
      schema: named('LegalClock', { type: 'object', required: ['dueAt'], properties: { dueAt: { type: 'array', items: { type: 'string', format: 'date-time' } } } }),
    },
  },
});

export const operations = [simulateModels, legalClock];
