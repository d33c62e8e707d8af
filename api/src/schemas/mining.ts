/** Process mining over the history of dossiers: summary figures and event-log exports (issue 17). */
import { named, Timestamp } from './common';
import { operation } from './operation';

const roles = ['analyst', 'agency-admin (own agency)'];

const scopeQuery = {
  processId: { type: 'string', minLength: 1, maxLength: 200, description: 'Only dossiers of this process id (every version).' },
  agency: { type: 'string', minLength: 1, maxLength: 100, description: "Only procedures of this agency (an agency admin's own by default, and no other)." },
  from: { ...Timestamp, description: 'Only dossiers started at or after this moment.' },
  to: { ...Timestamp, description: 'Only dossiers started before this moment.' },
} as const;

const Hours = named('MiningHours', {
  type: 'object',
  required: ['total', 'mean', 'max'],
  properties: { total: { type: 'number' }, mean: { type: 'number' }, max: { type: 'number' } },
});

const timeFigures = {
  steps: { type: 'integer', description: 'Steps measured (open ones up to asOf).' },
  open: { type: 'integer' },
  waitHours: Hours,
  workHours: Hours,
  unmeasured: { type: 'integer', description: 'Steps whose time the calendar does not cover.' },
} as const;
const timeRequired = ['steps', 'open', 'waitHours', 'workHours', 'unmeasured'];

const StepFigures = named('MiningStepFigures', {
  type: 'object',
  required: ['processId', 'elementId', 'name', 'elementType', ...timeRequired],
  properties: { processId: { type: 'string' }, elementId: { type: 'string' }, name: { type: 'string' }, elementType: { type: 'string' }, ...timeFigures },
});

export const MiningSummary = named('MiningSummary', {
  type: 'object',
  description:
    'Waiting time (ready → claimed) and working time (claimed → completed) in working hours on the calendar of each step\'s agency, ' +
    'per procedure, agency, official and step; the steps with the longest mean wait; rework loops (an element entered again, with the path back to it); ' +
    'open tasks past due by holder; and per-element figures keyed by element id for a heat overlay on the diagram.',
  required: ['asOf', 'unit', 'cases', 'openCases', 'byProcedure', 'byAgency', 'byOfficial', 'bySteps', 'topWaiting', 'rework', 'lateHolders', 'heat'],
  properties: {
    asOf: Timestamp,
    unit: { type: 'string', enum: ['workingHours'] },
    cases: { type: 'integer' },
    openCases: { type: 'integer' },
    byProcedure: { type: 'array', items: { type: 'object', required: ['processId', 'cases', ...timeRequired], properties: { processId: { type: 'string' }, cases: { type: 'integer' }, ...timeFigures } } },
    byAgency: { type: 'array', items: { type: 'object', required: ['agency', ...timeRequired], properties: { agency: { type: ['string', 'null'] }, ...timeFigures } } },
    byOfficial: { type: 'array', items: { type: 'object', required: ['official', ...timeRequired], properties: { official: { type: 'string' }, ...timeFigures } } },
    bySteps: { type: 'array', items: StepFigures },
    topWaiting: { type: 'array', items: StepFigures },
    rework: {
      type: 'array',
      items: {
        type: 'object',
        required: ['processId', 'elementId', 'name', 'path', 'times', 'cases', 'caseIds'],
        properties: {
          processId: { type: 'string' },
          elementId: { type: 'string' },
          name: { type: 'string' },
          path: { type: 'array', items: { type: 'string' } },
          times: { type: 'integer' },
          cases: { type: 'integer' },
          caseIds: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    lateHolders: {
      type: 'array',
      items: {
        type: 'object',
        required: ['holder', 'agency', 'cases', 'oldestDueAt', 'tasks'],
        properties: {
          holder: { type: ['string', 'null'], description: 'The official holding the tasks; null: nobody claimed them.' },
          agency: { type: ['string', 'null'] },
          cases: { type: 'integer' },
          oldestDueAt: Timestamp,
          tasks: {
            type: 'array',
            items: {
              type: 'object',
              required: ['caseId', 'processId', 'taskId', 'elementId', 'name', 'dueAt'],
              properties: { caseId: { type: 'string' }, processId: { type: 'string' }, taskId: { type: 'string' }, elementId: { type: 'string' }, name: { type: 'string' }, dueAt: Timestamp, lateHours: { type: 'number' } },
            },
          },
        },
      },
    },
    heat: {
      type: 'object',
      description: 'processId → elementId → figures of that element; `heat` is its mean wait relative to the procedure\'s longest (0–1).',
      additionalProperties: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          required: ['name', 'elementType', 'runs', 'open', 'meanWaitHours', 'meanWorkHours', 'maxWaitHours', 'reworkEntries', 'heat'],
          properties: {
            name: { type: 'string' },
            elementType: { type: 'string' },
            runs: { type: 'integer' },
            open: { type: 'integer' },
            meanWaitHours: { type: 'number' },
            meanWorkHours: { type: 'number' },
            maxWaitHours: { type: 'number' },
            reworkEntries: { type: 'integer' },
            heat: { type: 'number', minimum: 0, maximum: 1 },
          },
        },
      },
    },
  },
});

export const getMiningSummary = operation({
  operationId: 'getMiningSummary',
  method: 'get',
  path: '/analysis/mining',
  summary: 'Mine the history of dossiers: waiting vs working time, longest waits, rework, late holders, heat per element',
  tag: 'analysis',
  roles,
  query: { type: 'object', properties: { ...scopeQuery }, additionalProperties: false },
  responses: { 200: { description: 'The figures of the dossiers selected, at the moment of the request.', schema: MiningSummary } },
});

export const exportMiningLog = operation({
  operationId: 'exportMiningLog',
  method: 'get',
  path: '/analysis/mining/export',
  summary: 'Export the event log of dossiers as XES (IEEE 1849) or OCEL 2.0 JSON, applicants pseudonymised',
  description:
    'One trace (XES) or dossier object (OCEL) per dossier; one event per lifecycle transition of a step (`schedule` in the inbox, `start` claimed, ' +
    '`complete`, `ate_abort`); officials as `org:resource`, agencies as `org:group`. The applicant appears only as a keyed pseudonym (MOTCUA_MINING_SECRET).',
  tag: 'analysis',
  roles,
  query: {
    type: 'object',
    required: ['format'],
    properties: { format: { type: 'string', enum: ['xes', 'ocel'] }, ...scopeQuery },
    additionalProperties: false,
  },
  responses: {
    200: {
      description: 'The event log.',
      content: {
        'application/xml': { schema: { type: 'string', description: 'An XES 1849-2016 document.' } },
        'application/json': { schema: { type: 'object', required: ['objectTypes', 'eventTypes', 'objects', 'events'], description: 'An OCEL 2.0 JSON document.' } },
      },
    },
  },
});

export const operations = [getMiningSummary, exportMiningLog];
