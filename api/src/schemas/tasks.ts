/** Tasks: the officials' inbox and the work on one user task. */
import { Id, idParams, named, pageOf, pageQuery, Timestamp, Variables } from './common';
import { operation } from './operation';

export const TASK_STATES = ['open', 'completed', 'cancelled'] as const;

const taskProperties = {
  id: { type: 'string' },
  instanceId: { type: 'string' },
  processId: { type: 'string' },
  definitionId: { type: 'string' },
  elementId: { type: 'string' },
  name: { type: 'string' },
  assignee: { type: 'string' },
  candidateGroups: { type: 'array', items: { type: 'string' } },
  candidateUsers: { type: 'array', items: { type: 'string' } },
  agency: { type: 'string' },
  state: { type: 'string', enum: [...TASK_STATES] },
  dueAt: Timestamp,
  overdue: { type: 'boolean', description: 'Open and past its due date.' },
  formKey: { type: 'string' },
  createdAt: Timestamp,
  completedAt: Timestamp,
  completedBy: { type: 'string' },
  dossier: {
    type: 'object',
    description: 'The one-stop-shop dossier the task’s instance runs, when it runs one: its id, national code, status and whether it was received (an online dossier not yet received waits for the desk to accept it, ask for a supplement or send it back); no personal data.',
    required: ['id', 'code', 'status', 'received'],
    properties: { id: { type: 'string' }, code: { type: 'string' }, status: { type: 'string' }, received: { type: 'boolean' } },
  },
} as const;

const taskRequired = ['id', 'instanceId', 'processId', 'definitionId', 'elementId', 'candidateGroups', 'candidateUsers', 'state', 'overdue', 'createdAt'];

export const Task = named('Task', { type: 'object', required: taskRequired, properties: taskProperties });

export const TaskDetail = named('TaskDetail', {
  type: 'object',
  required: taskRequired,
  properties: {
    ...taskProperties,
    form: {
      type: 'object',
      description:
        'The form of the task, when one was deployed for it: a JSON Schema (`kind: json-schema`), or a Camunda form (`kind: camunda-form`, ' +
        'form-js JSON, linked by formId or embedded in the model), which a completion is checked against as form-js checks it.',
      required: ['formKey', 'kind', 'schema'],
      properties: { formKey: { type: 'string' }, kind: { type: 'string', enum: ['json-schema', 'camunda-form'] }, schema: { type: 'object' } },
    },
  },
});

export const TaskComment = named('TaskComment', {
  type: 'object',
  required: ['id', 'taskId', 'author', 'text', 'createdAt'],
  properties: { id: { type: 'string' }, taskId: { type: 'string' }, author: { type: 'string' }, text: { type: 'string' }, createdAt: Timestamp },
});

export const CompleteTaskBody = named('CompleteTaskBody', {
  type: 'object',
  properties: { variables: Variables },
  additionalProperties: false,
});

export const AssignTaskBody = named('AssignTaskBody', {
  type: 'object',
  required: ['assignee'],
  properties: { assignee: { ...Id, description: 'Username of the new assignee (as Camunda names users; any case), or its user id: an official of the task’s agency.' } },
  additionalProperties: false,
});

export const CommentBody = named('CommentBody', {
  type: 'object',
  required: ['text'],
  properties: { text: { type: 'string', minLength: 1, maxLength: 4000 } },
  additionalProperties: false,
});

const officials = ['official (own agency, candidate or assignee)', 'agency-admin (own agency)'];

export const listTasks = operation({
  operationId: 'listTasks',
  method: 'get',
  path: '/tasks',
  summary: 'The inbox: tasks the caller may see, by due date',
  description:
    'Officials see the tasks of their agency assigned to them or offered to them (a candidate group of theirs, their id among the ' +
    'candidate users, or no candidates at all); agency admins see every task of their agency.',
  tag: 'tasks',
  roles: officials,
  query: {
    type: 'object',
    properties: {
      scope: { type: 'string', enum: ['assigned', 'candidate', 'all'], default: 'all', description: '`assigned`: mine; `candidate`: unassigned and offered to me; `all`: both.' },
      processId: { type: 'string', minLength: 1, maxLength: 200 },
      instanceId: { type: 'string', minLength: 1, maxLength: 200 },
      state: { type: 'string', enum: [...TASK_STATES], default: 'open' },
      dueBefore: Timestamp,
      overdue: { type: 'boolean', description: 'Only open tasks past their due date.' },
      sort: { type: 'string', enum: ['dueAt', '-dueAt'], default: 'dueAt', description: 'By due date (then id); `-` for descending.' },
      ...pageQuery,
    },
    additionalProperties: false,
  },
  responses: { 200: { description: 'A page of tasks.', schema: pageOf('TaskPage', Task) } },
});

export const getTask = operation({
  operationId: 'getTask',
  method: 'get',
  path: '/tasks/{id}',
  summary: 'Get a task (with its form)',
  tag: 'tasks',
  roles: officials,
  params: idParams,
  responses: { 200: { description: 'The task.', schema: TaskDetail } },
  errors: [404],
});

export const claimTask = operation({
  operationId: 'claimTask',
  method: 'post',
  path: '/tasks/{id}/claim',
  summary: 'Claim a task (assign it to oneself)',
  tag: 'tasks',
  roles: ['official (own agency, candidate)'],
  params: idParams,
  responses: { 200: { description: 'The claimed task.', schema: Task } },
  errors: [404, 409],
});

export const unclaimTask = operation({
  operationId: 'unclaimTask',
  method: 'post',
  path: '/tasks/{id}/unclaim',
  summary: 'Give a claimed task back to its candidates',
  tag: 'tasks',
  roles: ['official (own agency, assignee)', 'agency-admin (own agency)'],
  params: idParams,
  responses: { 200: { description: 'The task.', schema: Task } },
  errors: [404, 409],
});

export const assignTask = operation({
  operationId: 'assignTask',
  method: 'post',
  path: '/tasks/{id}/assign',
  summary: 'Assign (delegate) a task to an official',
  description: 'The assignee must exist, be enabled, be an official and work for the task’s agency; otherwise 422 (`USER_NOT_ELIGIBLE`) says which.',
  tag: 'tasks',
  roles: ['agency-admin (own agency)'],
  params: idParams,
  body: AssignTaskBody,
  responses: { 200: { description: 'The task.', schema: Task } },
  errors: [404, 409, 422],
});

export const completeTask = operation({
  operationId: 'completeTask',
  method: 'post',
  path: '/tasks/{id}/complete',
  summary: 'Complete a task with its form data',
  description: 'When the task has a form deployed with its definition, `variables` must satisfy it (422 names each field).',
  tag: 'tasks',
  roles: ['official (own agency, assignee or candidate)'],
  params: idParams,
  body: CompleteTaskBody,
  responses: { 200: { description: 'The completed task.', schema: Task } },
  errors: [404, 409, 422],
});

export const listTaskComments = operation({
  operationId: 'listTaskComments',
  method: 'get',
  path: '/tasks/{id}/comments',
  summary: 'Comments on a task, oldest first',
  tag: 'tasks',
  roles: officials,
  params: idParams,
  responses: { 200: { description: 'The comments.', schema: named('TaskCommentList', { type: 'object', required: ['items'], properties: { items: { type: 'array', items: TaskComment } } }) } },
  errors: [404],
});

export const addTaskComment = operation({
  operationId: 'addTaskComment',
  method: 'post',
  path: '/tasks/{id}/comments',
  summary: 'Comment on a task',
  tag: 'tasks',
  roles: officials,
  params: idParams,
  body: CommentBody,
  responses: { 201: { description: 'The comment.', schema: TaskComment } },
  errors: [404],
});

export const operations = [listTasks, getTask, claimTask, unclaimTask, assignTask, completeTask, listTaskComments, addTaskComment];
