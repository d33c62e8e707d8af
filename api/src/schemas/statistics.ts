/** Dossier statistics (Decision 766/QĐ-TTg, Decree 118/2025 art. 29–34): staff reports with drill-down, and the public aggregates. */
import { named, pageQuery } from './common';
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

/** The page size of the drill-down: by default, and at most. */
export const DRILL_DOWN_LIMIT = { default: 200, max: 1000 } as const;

const CountedDossier = named('StatisticsCountedDossier', {
  type: 'object',
  required: ['dossierId', 'code', 'agency', 'procedureCode', 'channel', 'status', 'countedAt', 'supplementRequests'],
  properties: {
    dossierId: { type: 'string' },
    code: { type: 'string' },
    agency: { type: 'string' },
    procedureCode: { type: 'string' },
    official: { type: 'string', description: 'The official who received it.' },
    channel: { type: 'string', enum: ['online', 'desk', 'post'] },
    status: { type: 'string' },
    countedAt: { type: 'string', format: 'date-time', description: 'What puts it in the period: its receipt, or its submission when it was never received. The list is in the order of this, then dossierId.' },
    receivedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    due766At: { type: 'string', format: 'date-time' },
    legalDueAt: { type: 'string', format: 'date-time' },
    timeliness766: { type: 'string', enum: ['early', 'on-time', 'late'] },
    timelinessLegal: { type: 'string', enum: ['early', 'on-time', 'late'] },
    supplementRequests: { type: 'integer' },
    workingDays: { type: 'number' },
  },
});

export const getStatisticsDossiers = operation({
  operationId: 'getStatisticsDossiers',
  method: 'get',
  path: '/statistics/dossiers',
  summary: 'The dossiers a statistic counted (drill-down)',
  description:
    'The same filters as GET /statistics, and the set (`indicator`) named by an indicator’s numeratorDossiers or denominatorDossiers. No personal data. ' +
    'In the order of `countedAt`, then `dossierId`; the dossiers counted by `asOf` (the moment of the request), a page of `limit` at a time. ' +
    'Pass `nextCursor` back as `cursor` for the next page: the cursor keeps the first page’s `asOf`, so every page of a walk is of that moment ' +
    '(in progress on time or overdue then, counted by then) and a dossier written meanwhile neither repeats nor hides another. ' +
    'CSV with `?format=csv` or `Accept: text/csv`: every dossier (from `cursor`, when given), streamed; `limit` does not apply.',
  tag: 'statistics',
  roles: ['analyst', 'agency-admin (own agency)', 'official (own agency)'],
  query: {
    type: 'object',
    required: ['indicator'],
    properties: {
      ...filters,
      indicator: { type: 'string', enum: DRILL_DOWNS },
      limit: { type: 'integer', minimum: 1, maximum: DRILL_DOWN_LIMIT.max, default: DRILL_DOWN_LIMIT.default, description: 'Largest number of dossiers in the page (JSON only).' },
      cursor: pageQuery.cursor,
      format: { enum: ['json', 'csv'], description: 'Default: from the Accept header, else json.' },
    },
    additionalProperties: false,
  },
  responses: {
    200: {
      description: 'A page of the dossiers, or all of them as CSV.',
      content: {
        'application/json': {
          schema: named('StatisticsDossierPage', {
            type: 'object',
            required: ['asOf', 'items'],
            properties: {
              asOf: { type: 'string', format: 'date-time', description: 'The moment the figures are taken (the first page’s, for a walk).' },
              items: { type: 'array', items: CountedDossier },
              nextCursor: { type: 'string', description: 'Pass as `cursor` for the next page; absent on the last page.' },
            },
          }),
        },
        'text/csv': { schema: { type: 'string', description: 'Columns dossierId, code, agency, procedureCode, official, channel, status, countedAt, receivedAt, finishedAt, due766At, legalDueAt, timeliness766, timelinessLegal, supplementRequests, workingDays; times in ISO 8601 (UTC).' } },
      },
    },
  },
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

export const getPublicAgencies = operation({
  operationId: 'getPublicAgencies',
  method: 'get',
  path: '/public/agencies',
  summary: 'The agencies whose figures are public: those that receive a procedure of the catalogue',
  description: 'Each competent agency of a procedure in force, with its name (as the catalogue gives it), level and how many of its procedures are online; by id. Public data only. Rate limited per client.',
  tag: 'statistics',
  roles: ['anonymous'],
  responses: {
    200: {
      description: 'The agencies.',
      schema: {
        type: 'object',
        required: ['items'],
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'name', 'procedures', 'online'],
              properties: { id: { type: 'string' }, name: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } }, level: { type: 'string' }, procedures: { type: 'integer' }, online: { type: 'integer' } },
            },
          },
        },
      },
    },
  },
});

export const operations = [getStatistics, getStatisticsDossiers, getPublicStatistics, getPublicAgencies];
