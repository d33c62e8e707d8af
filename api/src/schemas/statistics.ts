/** Dossier statistics (Decision 766/QĐ-TTg, Decree 118/2025 art. 29–34): staff reports with drill-down, and the public aggregates. */
import { named } from './common';
import { operation } from './operation';

const Text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const Date10 = { type: 'string', format: 'date', description: 'A local date (Vietnam), YYYY-MM-DD.' } as const;
const DRILL_DOWNS = [
  'received', 'online', 'desk', 'post', 'finished-early', 'finished-on-time', 'finished-late', 'in-progress-on-time', 'in-progress-overdue',
  'legal-finished-early', 'legal-finished-on-time', 'legal-finished-late', 'legal-in-progress-on-time', 'legal-in-progress-overdue',
  'supplement', 'refused', 'rejected', 'stopped', 'withdrawn', 'timed', 'fee-bearing', 'paid-online', 'with-result', 'e-result', 'digitised',
];

const filters = {
  agency: Text(100),
  province: Text(20),
  procedure: Text(200),
  official: Text(200),
  from: { ...Date10, description: 'First day of the period (dossiers received on it count); default: 1 January of this year.' },
  to: { ...Date10, description: 'Last day of the period (inclusive); default: today.' },
} as const;

const Indicator = named('StatisticsIndicator', {
  type: 'object',
  required: ['code', 'name', 'formula', 'numerator', 'denominator', 'value', 'unit', 'numeratorDossiers', 'denominatorDossiers'],
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    formula: { type: 'string' },
    numerator: { type: 'number' },
    denominator: { type: 'number' },
    value: { type: ['number', 'null'] },
    unit: { type: 'string', enum: ['percent', 'workingDays'] },
    fullPointsAt: { type: 'number' },
    numeratorDossiers: { type: 'array', items: { type: 'string', enum: DRILL_DOWNS } },
    denominatorDossiers: { type: 'array', items: { type: 'string', enum: DRILL_DOWNS } },
  },
});

export const getStatistics = operation({
  operationId: 'getStatistics',
  method: 'get',
  path: '/statistics',
  summary: 'Dossier statistics and the Decision 766 indicators, per agency, procedure, official and period',
  description:
    'Counted from the statistics projection kept with every dossier change. Per group: received (by channel), finished early / on time / late and in progress on time / overdue by Decision 766 and by the legal appointment side by side, supplement requests, refusals, rejections, stopped, withdrawn, working days (average and p90), and the indicators 2.1, 2.2, 3.3, 3.6, 4.1, 4.2, 5.4 with formula, numerator and denominator. ' +
    'JSON, or CSV with `?format=csv` or `Accept: text/csv`. Staff see their own agency only (the agency defaults to theirs).',
  tag: 'statistics',
  roles: ['analyst', 'agency-admin (own agency)', 'official (own agency)'],
  query: {
    type: 'object',
    properties: { ...filters, groupBy: { type: 'string', enum: ['none', 'agency', 'province', 'procedure', 'official', 'channel', 'month'], default: 'none' }, format: { enum: ['json', 'csv'], description: 'Default: from the Accept header, else json.' } },
    additionalProperties: false,
  },
  responses: {
    200: {
      description: 'The figures, one entry per group.',
      content: {
        'application/json': {
          schema: named('StatisticsReport', {
            type: 'object',
            required: ['from', 'to', 'asOf', 'groups'],
            properties: {
              from: { type: 'string' },
              to: { type: 'string' },
              asOf: { type: 'string' },
              groupBy: { type: 'string' },
              groups: { type: 'array', items: { type: 'object', required: ['key', 'counts', 'indicators'], properties: { key: { type: 'string' }, counts: { type: 'object' }, indicators: { type: 'array', items: Indicator } } } },
            },
          }),
        },
        'text/csv': { schema: { type: 'string', description: 'Columns group, indicator, name, numerator, denominator, value, unit, formula.' } },
      },
    },
  },
  errors: [400, 403],
});

export const getStatisticsDossiers = operation({
  operationId: 'getStatisticsDossiers',
  method: 'get',
  path: '/statistics/dossiers',
  summary: 'The dossiers a statistic counted (drill-down)',
  description: 'The same filters as GET /statistics, and the set (`indicator`) named by an indicator’s numeratorDossiers or denominatorDossiers. No personal data.',
  tag: 'statistics',
  roles: ['analyst', 'agency-admin (own agency)', 'official (own agency)'],
  query: {
    type: 'object',
    required: ['indicator'],
    properties: { ...filters, indicator: { type: 'string', enum: DRILL_DOWNS }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } },
    additionalProperties: false,
  },
  responses: { 200: { description: 'The dossiers, in order of receipt.', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object' } } } } } },
  errors: [400, 403],
});

export const getPublicStatistics = operation({
  operationId: 'getPublicStatistics',
  method: 'get',
  path: '/public/statistics',
  summary: 'The public figures of an agency: aggregates only',
  description: 'The indicators of the agency over the period, which of its procedures are online (full or partial) and how many dossiers each received. Never personal data nor an official. Rate limited per client.',
  tag: 'statistics',
  roles: ['anonymous'],
  query: { type: 'object', required: ['agency'], properties: { agency: filters.agency, from: filters.from, to: filters.to }, additionalProperties: false },
  responses: { 200: { description: 'The figures.', schema: { type: 'object', required: ['agency', 'procedures', 'indicators'], properties: { agency: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, received: { type: 'integer' }, indicators: { type: 'array', items: Indicator }, procedures: { type: 'array', items: { type: 'object' } } } } } },
  errors: [400],
});

export const operations = [getStatistics, getStatisticsDossiers, getPublicStatistics];
