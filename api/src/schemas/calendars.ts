/** Working calendars: the years' schedules, the agencies' own hours, the change record. */
import { named, Timestamp } from './common';
import { operation } from './operation';

const yearParams = {
  type: 'object',
  required: ['year'],
  properties: { year: { type: 'string', pattern: '^[0-9]{4}$' } },
  additionalProperties: false,
} as const;

const agencyParams = {
  type: 'object',
  required: ['agency'],
  properties: { agency: { type: 'string', minLength: 1, maxLength: 100 } },
  additionalProperties: false,
} as const;

export const CalendarYearSummary = named('CalendarYearSummary', {
  type: 'object',
  required: ['year', 'status', 'documents'],
  properties: {
    year: { type: 'integer' },
    status: { type: 'string', enum: ['official', 'provisional'] },
    documents: { type: 'array', items: { type: 'object' } },
  },
});

export const CalendarYear = named('CalendarYear', {
  type: 'object',
  description: 'A year file as in onestop/src/clocks/data/vn-year.schema.json (validated by the server against it).',
  required: ['year', 'status'],
  properties: { year: { type: 'integer' }, status: { type: 'string', enum: ['official', 'provisional'] } },
});

export const AgencyCalendar = named('AgencyCalendar', {
  type: 'object',
  description: "An agency's own hours: `workingHours` (blocks on working days) and `weekdays` (\"0\"–\"6\" → blocks); {} keeps the legal hours.",
  properties: {
    workingHours: { type: 'array', items: { type: 'object', required: ['start', 'end'], properties: { start: { type: 'string' }, end: { type: 'string' } } } },
    weekdays: { type: 'object', additionalProperties: { type: 'array', items: { type: 'object' } } },
  },
  additionalProperties: false,
});

export const CalendarChange = named('CalendarChange', {
  type: 'object',
  required: ['id', 'at', 'kind', 'key', 'recomputedTasks'],
  properties: {
    id: { type: 'integer' },
    at: Timestamp,
    actor: { type: 'string' },
    kind: { type: 'string', enum: ['year', 'agency'] },
    key: { type: 'string' },
    recomputedTasks: { type: 'integer', description: 'Open tasks whose due date was counted again on the new data.' },
  },
});

const readers = ['analyst', 'agency-admin'];

export const listCalendarYears = operation({
  operationId: 'listCalendarYears',
  method: 'get',
  path: '/calendars/years',
  summary: "List the working calendar's years",
  tag: 'calendars',
  roles: readers,
  responses: { 200: { description: 'The years, in order.', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: CalendarYearSummary } } } } },
});

export const getCalendarYear = operation({
  operationId: 'getCalendarYear',
  method: 'get',
  path: '/calendars/years/{year}',
  summary: "A year's schedule",
  tag: 'calendars',
  roles: readers,
  params: yearParams,
  responses: { 200: { description: 'The year file in force.', schema: CalendarYear } },
  errors: [404],
});

export const replaceCalendarYear = operation({
  operationId: 'replaceCalendarYear',
  method: 'put',
  path: '/calendars/years/{year}',
  summary: "Load or replace a year's schedule",
  description: 'Validated, stored, recorded; open task due dates are counted again (MOTCUA_RECOMPUTE_DUE_DATES); appointments already given never move.',
  tag: 'calendars',
  roles: ['agency-admin'],
  params: yearParams,
  body: { type: 'object' },
  responses: { 200: { description: 'The recorded change.', schema: CalendarChange } },
});

export const getAgencyCalendar = operation({
  operationId: 'getAgencyCalendar',
  method: 'get',
  path: '/calendars/agencies/{agency}',
  summary: "An agency's own hours",
  tag: 'calendars',
  roles: readers,
  params: agencyParams,
  responses: { 200: { description: "The agency's hours ({} when it keeps the legal ones).", schema: AgencyCalendar } },
});

export const replaceAgencyCalendar = operation({
  operationId: 'replaceAgencyCalendar',
  method: 'put',
  path: '/calendars/agencies/{agency}',
  summary: "Replace an agency's own hours",
  tag: 'calendars',
  roles: ['agency-admin (own agency)'],
  params: agencyParams,
  body: { type: 'object' },
  responses: { 200: { description: 'The recorded change.', schema: CalendarChange } },
});

export const listCalendarChanges = operation({
  operationId: 'listCalendarChanges',
  method: 'get',
  path: '/calendars/changes',
  summary: 'The record of calendar changes, newest first',
  tag: 'calendars',
  roles: readers,
  query: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } }, additionalProperties: false },
  responses: { 200: { description: 'The changes.', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: CalendarChange } } } } },
});

export const operations = [listCalendarYears, getCalendarYear, replaceCalendarYear, getAgencyCalendar, replaceAgencyCalendar, listCalendarChanges];
