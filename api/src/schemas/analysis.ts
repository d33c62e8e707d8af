/** Re-engineering analysis: comparing two models of a procedure (issue #17). */
import { named } from './common';
import { operation } from './operation';

const label = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** One side of a comparison: an XML document, a deployed version, or a model of the procedure library. */
const ModelSource = named('ModelSource', {
  oneOf: [
    {
      type: 'object',
      required: ['xml'],
      properties: { xml: { type: 'string', minLength: 1, description: 'A BPMN 2.0 XML document (both together within the 1 MB JSON body limit).' }, label },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['definitionId'],
      properties: { definitionId: { type: 'string', minLength: 1, maxLength: 200, description: 'A deployed version (`GET /api/definitions`).' }, label },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['procedure', 'model'],
      properties: {
        procedure: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$', description: 'A procedure of the library (a folder of MOTCUA_PROCESSES_DIR).' },
        model: { enum: ['as-is', 'to-be'] },
        label,
      },
      additionalProperties: false,
    },
  ],
});

const number = { type: 'number' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const text = { type: 'string' } as const;

const ModelMetrics = named('ModelMetrics', {
  type: 'object',
  required: ['steps', 'laneHandOffs', 'agencyHandOffs', 'agencies', 'agencyIds', 'criticalPathDays', 'criticalPath', 'documents', 'deskVisits', 'manualSteps', 'automatedSteps'],
  properties: {
    steps: count,
    laneHandOffs: count,
    agencyHandOffs: count,
    agencies: count,
    agencyIds: { type: 'array', items: text },
    criticalPathDays: { type: 'number', minimum: 0, description: 'Statutory working days on the longest path (parallel branches counted once; 8 working hours, 24 hours or a calendar day make a working day).' },
    criticalPath: { type: 'array', items: text, description: 'The ids of the flow nodes on that path, in order.' },
    documents: count,
    deskVisits: count,
    manualSteps: count,
    automatedSteps: count,
  },
});

const ComparedModel = named('ComparedModel', {
  type: 'object',
  required: ['label', 'metrics', 'warnings'],
  properties: {
    label: text,
    metrics: ModelMetrics,
    warnings: { type: 'array', items: text, description: 'What could not be read as meant (a statutory time that is not a number...), naming the element.' },
    xml: { type: 'string', description: 'The document compared (only with `includeXml`).' },
  },
});

const DiffElement = { type: 'object', required: ['id', 'type'], properties: { id: text, type: text, name: text } } as const;

const Comparison = named('Comparison', {
  type: 'object',
  required: ['before', 'after', 'figures', 'elements'],
  properties: {
    before: ComparedModel,
    after: ComparedModel,
    figures: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'label', 'before', 'after', 'change', 'changePercent'],
        properties: {
          key: text,
          label: { type: 'object', required: ['vi', 'en'], properties: { vi: text, en: text } },
          before: number,
          after: number,
          change: number,
          changePercent: { type: ['number', 'null'], description: 'In percent of `before`; null when `before` is 0 and `after` is not.' },
        },
      },
    },
    elements: {
      type: 'object',
      description: 'Elements matched by id: added (only in `after`), removed (only in `before`), changed (with the properties that differ).',
      required: ['added', 'removed', 'changed'],
      properties: {
        added: { type: 'array', items: DiffElement },
        removed: { type: 'array', items: DiffElement },
        changed: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'type', 'changes'],
            properties: { ...DiffElement.properties, changes: { type: 'array', items: { type: 'object', required: ['property'], properties: { property: text, before: text, after: text } } } },
          },
        },
      },
    },
  },
});

export const compareModels = operation({
  operationId: 'compareModels',
  method: 'post',
  path: '/analysis/compare',
  summary: 'Compare two models of a procedure: figures before → after, elements added, removed and changed',
  description:
    'Each side is a BPMN document, a deployed version or a model of the procedure library (e.g. the as-is and the to-be of one procedure). ' +
    'The answer is JSON, or CSV of the figures with `?format=csv` or `Accept: text/csv`. Reads nothing but the two models and changes nothing.',
  tag: 'analysis',
  roles: ['analyst', 'agency-admin'],
  query: { type: 'object', properties: { format: { enum: ['json', 'csv'], description: 'Default: from the Accept header, else json.' } }, additionalProperties: false },
  body: {
    type: 'object',
    required: ['before', 'after'],
    properties: { before: ModelSource, after: ModelSource, includeXml: { type: 'boolean', default: false, description: 'Answer each side with its XML (what the modeler draws).' } },
    additionalProperties: false,
  },
  responses: {
    200: {
      description: 'The comparison.',
      content: {
        'application/json': { schema: Comparison },
        'text/csv': { schema: { type: 'string', description: 'Columns figure, label_vi, label_en, before, after, change, change_percent (empty: no percent).' } },
      },
    },
  },
  errors: [404, 413, 415, 422],
});

export const operations = [compareModels];
