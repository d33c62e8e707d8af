/** Process instances: one per dossier. */
import { idParams, named, pageOf, pageQuery, Timestamp, Variables } from './common';
import { operation } from './operation';

export const INSTANCE_STATUSES = ['active', 'completed', 'terminated', 'cancelled'] as const;

export const StartInstanceBody = named('StartInstanceBody', {
  type: 'object',
  description: 'Names the process by `processId` (latest version, or `version`) or by `definitionId`.',
  properties: {
    processId: { type: 'string', minLength: 1, maxLength: 200 },
    version: { type: 'integer', minimum: 1 },
    definitionId: { type: 'string', minLength: 1, maxLength: 300 },
    businessKey: { type: 'string', minLength: 1, maxLength: 200, description: 'The dossier code.' },
    variables: Variables,
  },
  additionalProperties: false,
});

export const StartedInstance = named('StartedInstance', {
  type: 'object',
  required: ['instanceId', 'definitionId', 'version', 'status'],
  properties: {
    instanceId: { type: 'string' },
    definitionId: { type: 'string' },
    version: { type: 'integer' },
    status: { type: 'string', enum: [...INSTANCE_STATUSES] },
  },
});

export const Instance = named('Instance', {
  type: 'object',
  required: ['id', 'processId', 'definitionId', 'version', 'status', 'startedAt'],
  properties: {
    id: { type: 'string' },
    processId: { type: 'string' },
    definitionId: { type: 'string' },
    version: { type: 'integer' },
    businessKey: { type: 'string' },
    status: { type: 'string', enum: [...INSTANCE_STATUSES] },
    parentInstanceId: { type: 'string' },
    startedAt: Timestamp,
    endedAt: Timestamp,
    agencies: { type: 'array', items: { type: 'string' }, description: 'Agencies of its tasks (get only).' },
    suspended: { type: 'boolean', description: 'True while an operator has suspended it (get, suspend, resume, cancel only).' },
  },
});

export const InstanceVariables = named('InstanceVariables', {
  type: 'object',
  required: ['variables'],
  properties: { variables: Variables },
});

export const SetVariablesBody = named('SetVariablesBody', {
  type: 'object',
  required: ['variables'],
  properties: { variables: Variables },
  additionalProperties: false,
});

export const CancelInstanceBody = named('CancelInstanceBody', {
  type: 'object',
  properties: { reason: { type: 'string', maxLength: 1000 } },
  additionalProperties: false,
});

export const HistoryEntry = named('HistoryEntry', {
  type: 'object',
  required: ['id', 'at', 'type', 'data'],
  properties: {
    id: { type: 'string', pattern: '^[0-9]+\\.[0-9]+$', description: 'The history row and the place of this event in it (`<row>.<n>`); unique, but order by position in `items`.' },
    at: Timestamp,
    actor: { type: 'string' },
    type: { type: 'string', description: 'An effect type (`taskOpened`, `flowTaken`, ...) or a task event (`taskClaimed`, ...).' },
    elementId: { type: 'string' },
    data: { type: 'object' },
  },
});

export const InstanceHistory = named('InstanceHistory', {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: HistoryEntry } },
});

export const InstancePosition = named('InstancePosition', {
  type: 'object',
  description: 'Where an instance is, for drawing on its diagram.',
  required: ['instanceId', 'definitionId', 'status', 'activeElementIds', 'completedElementIds', 'takenFlowIds', 'incidentElementIds'],
  properties: {
    instanceId: { type: 'string' },
    definitionId: { type: 'string' },
    status: { type: 'string', enum: [...INSTANCE_STATUSES] },
    activeElementIds: { type: 'array', items: { type: 'string' }, description: 'Elements with a live token now.' },
    completedElementIds: { type: 'array', items: { type: 'string' }, description: 'Elements completed at least once.' },
    takenFlowIds: { type: 'array', items: { type: 'string' }, description: 'Sequence flows taken at least once.' },
    incidentElementIds: { type: 'array', items: { type: 'string' }, description: 'Elements with an open incident.' },
  },
});

/** Who reads dossiers: staff of the agencies involved, and the citizen who submitted it (analysts see no dossier). */
const readers = ['agency-admin (own agency)', 'official (own agency)', 'citizen (own dossiers)'];
/** The engine's raw data (variables, history) name officials and carry their opinions: staff only (QA finding 4). */
const staffReaders = ['agency-admin (own agency)', 'official (own agency)'];

export const startInstance = operation({
  operationId: 'startInstance',
  method: 'post',
  path: '/instances',
  summary: 'Start an instance (open a dossier)',
  tag: 'instances',
  roles: ['official (own agency’s processes)', 'agency-admin (own agency’s processes)'],
  body: StartInstanceBody,
  idempotent: true,
  responses: { 201: { description: 'Started.', schema: StartedInstance } },
  errors: [404, 409, 422],
});

export const listInstances = operation({
  operationId: 'listInstances',
  method: 'get',
  path: '/instances',
  summary: 'List instances, newest first',
  tag: 'instances',
  roles: readers,
  query: {
    type: 'object',
    properties: {
      processId: { type: 'string', minLength: 1, maxLength: 200 },
      status: { type: 'string', enum: [...INSTANCE_STATUSES] },
      businessKey: { type: 'string', minLength: 1, maxLength: 200 },
      ...pageQuery,
    },
    additionalProperties: false,
  },
  responses: { 200: { description: 'A page of instances.', schema: pageOf('InstancePage', Instance) } },
});

export const getInstance = operation({
  operationId: 'getInstance',
  method: 'get',
  path: '/instances/{id}',
  summary: 'Get an instance',
  tag: 'instances',
  roles: readers,
  params: idParams,
  responses: { 200: { description: 'The instance.', schema: Instance } },
  errors: [404],
});

export const cancelInstance = operation({
  operationId: 'cancelInstance',
  method: 'post',
  path: '/instances/{id}/cancel',
  summary: 'Cancel an instance (and the instances it called)',
  tag: 'instances',
  roles: ['agency-admin (own agency)'],
  params: idParams,
  body: CancelInstanceBody,
  responses: { 200: { description: 'Cancelled.', schema: Instance } },
  errors: [404, 409],
});

export const SuspendInstanceBody = named('SuspendInstanceBody', {
  type: 'object',
  properties: { reason: { type: 'string', maxLength: 1000 } },
  additionalProperties: false,
});

export const suspendInstance = operation({
  operationId: 'suspendInstance',
  method: 'post',
  path: '/instances/{id}/suspend',
  summary: 'Suspend an instance: nothing moves it on (tasks, jobs, timers, messages are refused or deferred) until it is resumed; cancel still works',
  tag: 'instances',
  roles: ['agency-admin (own agency)'],
  params: idParams,
  body: SuspendInstanceBody,
  responses: { 200: { description: 'Suspended.', schema: Instance } },
  errors: [404, 409],
});

export const resumeInstance = operation({
  operationId: 'resumeInstance',
  method: 'post',
  path: '/instances/{id}/resume',
  summary: 'Resume a suspended instance',
  tag: 'instances',
  roles: ['agency-admin (own agency)'],
  params: idParams,
  responses: { 200: { description: 'Resumed.', schema: Instance } },
  errors: [404, 409],
});

export const getInstanceVariables = operation({
  operationId: 'getInstanceVariables',
  method: 'get',
  path: '/instances/{id}/variables',
  summary: 'Get the variables of an instance (process scope)',
  tag: 'instances',
  roles: staffReaders,
  params: idParams,
  responses: { 200: { description: 'The variables.', schema: InstanceVariables } },
  errors: [404],
});

export const setInstanceVariables = operation({
  operationId: 'setInstanceVariables',
  method: 'patch',
  path: '/instances/{id}/variables',
  summary: 'Set variables of an instance (the others are kept)',
  tag: 'instances',
  roles: ['agency-admin (own agency)'],
  params: idParams,
  body: SetVariablesBody,
  responses: { 200: { description: 'The variables after the change.', schema: InstanceVariables } },
  errors: [404, 409],
});

export const getInstanceHistory = operation({
  operationId: 'getInstanceHistory',
  method: 'get',
  path: '/instances/{id}/history',
  summary: 'Get the history of an instance, oldest first',
  tag: 'instances',
  roles: staffReaders,
  params: idParams,
  responses: { 200: { description: 'Every recorded fact.', schema: InstanceHistory } },
  errors: [404],
});

export const getInstancePosition = operation({
  operationId: 'getInstancePosition',
  method: 'get',
  path: '/instances/{id}/position',
  summary: 'Where the instance is: active and completed elements, taken flows',
  tag: 'instances',
  roles: readers,
  params: idParams,
  responses: { 200: { description: 'The position.', schema: InstancePosition } },
  errors: [404],
});

export const operations = [
  startInstance,
  listInstances,
  getInstance,
  cancelInstance,
  suspendInstance,
  resumeInstance,
  getInstanceVariables,
  setInstanceVariables,
  getInstanceHistory,
  getInstancePosition,
];
