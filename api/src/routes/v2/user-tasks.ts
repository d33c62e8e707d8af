/**
 * `POST /v2/user-tasks/search`, `POST /v2/user-tasks/{userTaskKey}/assignment` and
 * `POST /v2/user-tasks/{userTaskKey}/completion`, under the rules of `/api/tasks`: a caller
 * finds the tasks of its inbox (an agency admin: its agency's; an official: those offered
 * to it); an agency admin assigns, an official assigns only to itself (a claim) a task
 * offered to it; completion validates the task's form. Users are named by username, as in
 * Camunda. States: CREATED (open), COMPLETED, CANCELED.
 */
import type { Router } from 'express';
import { ConflictError, type InboxQuery, InvalidInputError, NotFoundError, type TaskRow, type Variables } from '../../../../engine/src/index';
import { ForbiddenError, IneligibleUserError } from '../../auth/errors';
import { canActOnTask, canAssignTask, canSeeTask, taskVisibilityFilter, whyNotAssignable } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import type { ApiServices } from '../../server';
import { compileValidator } from '../../validation';
import { completeTaskFor } from '../task-completion';
import { definitionParts, gate, handle, isoOrNull, keysOf, TENANT } from './common';

const STATE_OUT: Record<TaskRow['state'], string> = { open: 'CREATED', completed: 'COMPLETED', cancelled: 'CANCELED' };
const STATE_IN: Record<string, TaskRow['state']> = { CREATED: 'open', COMPLETED: 'completed', CANCELED: 'cancelled' };

/** A filter value: the value, or Camunda's `{ $eq: value }`. */
const eq = { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'object', required: ['$eq'], properties: { $eq: { type: 'string', maxLength: 200 } }, additionalProperties: false }] };
type Eq = string | { $eq: string };
const eqValue = (v: Eq | undefined): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : v.$eq);

const searchBody = compileValidator<{
  filter?: { state?: Eq; processInstanceKey?: Eq; processDefinitionId?: Eq; elementId?: Eq; assignee?: Eq; userTaskKey?: Eq };
  page?: { limit?: number; after?: string };
}>('body', {
  type: 'object',
  properties: {
    filter: {
      type: 'object',
      properties: { state: eq, processInstanceKey: eq, processDefinitionId: eq, elementId: eq, assignee: eq, userTaskKey: eq, tenantId: eq },
      additionalProperties: false,
    },
    page: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 }, after: { type: 'string', maxLength: 2000 } } },
    sort: { type: 'array' },
  },
});
const assignmentBody = compileValidator<{ assignee: string; allowOverride?: boolean }>('body', {
  type: 'object',
  required: ['assignee'],
  properties: { assignee: { type: 'string', minLength: 1, maxLength: 200 }, allowOverride: { type: ['boolean', 'null'] }, action: { type: ['string', 'null'] } },
});
const completionBody = compileValidator<{ variables?: Variables | null }>('body', {
  type: 'object',
  properties: { variables: { type: ['object', 'null'], propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 200 } }, action: { type: ['string', 'null'] } },
});

const hasInbox = (p: Principal): boolean => taskVisibilityFilter(p) !== 'none';

export function mountUserTaskRoutes(router: Router, services: ApiServices): void {
  const { taskStore, assignments, metrics, users } = services;
  const keys = keysOf(services);
  const allowed = gate(services, hasInbox, 'only officials and agency admins of an agency work on user tasks');

  /** The task a key names, when the caller may see it (404 otherwise, as Camunda hides what one may not read). */
  const visible = async (key: string, p: Principal): Promise<TaskRow> => {
    const id = await keys.id('task', key, 'params.userTaskKey');
    const task = await taskStore.task(id);
    if (!task || !canSeeTask(p, task)) throw new NotFoundError(`user task with key '${key}' not found`, { field: 'params.userTaskKey' });
    return task;
  };

  const view = async (tasks: TaskRow[]) => {
    const [taskKeys, instanceKeys, definitionKeys] = await Promise.all([
      keys.keys('task', tasks.map((t) => t.id)),
      keys.keys('instance', tasks.map((t) => t.instanceId)),
      keys.keys('definition', tasks.map((t) => t.definitionId)),
    ]);
    const usernames = new Map<string, string>();
    for (const t of tasks) if (t.assignee && !usernames.has(t.assignee)) usernames.set(t.assignee, (await users.byId(t.assignee))?.username ?? t.assignee);
    return tasks.map((t, i) => ({
      userTaskKey: taskKeys[i],
      name: t.name ?? null,
      state: STATE_OUT[t.state],
      assignee: t.assignee ? usernames.get(t.assignee)! : null,
      elementId: t.elementId,
      elementInstanceKey: taskKeys[i],
      candidateGroups: t.candidateGroups,
      candidateUsers: t.candidateUsers,
      processDefinitionId: t.processId,
      processDefinitionVersion: definitionParts(t.definitionId).processDefinitionVersion,
      processDefinitionKey: definitionKeys[i],
      processInstanceKey: instanceKeys[i],
      formKey: null,
      externalFormReference: null,
      creationDate: new Date(t.createdAt).toISOString(),
      completionDate: isoOrNull(t.completedAt),
      dueDate: isoOrNull(t.dueAt),
      followUpDate: null,
      tenantId: TENANT,
      priority: 50,
      customHeaders: {},
      tags: [],
    }));
  };

  router.post(
    '/user-tasks/search',
    ...allowed,
    handle(async (req, res) => {
      const body = searchBody(req.body ?? {});
      const p = req.principal!;
      const f = body.filter ?? {};
      const stateName = eqValue(f.state);
      if (stateName !== undefined && !STATE_IN[stateName]) {
        throw new InvalidInputError(`filter.state '${stateName}' is not one of ${Object.keys(STATE_IN).join(', ')}`, { field: 'body.filter.state' });
      }
      const empty = () => void res.status(200).json({ items: [], page: { totalItems: 0, startCursor: null, endCursor: null, hasMoreTotalItems: false } });
      let instanceId: string | undefined;
      if (f.processInstanceKey !== undefined) {
        instanceId = await keys.find('instance', eqValue(f.processInstanceKey)!);
        if (!instanceId) return empty();
      }
      let assignee: string | undefined;
      if (f.assignee !== undefined) {
        const user = await users.byUsername(eqValue(f.assignee)!);
        if (!user) return empty();
        assignee = user.id;
      }
      const state = stateName ? STATE_IN[stateName] : undefined;
      const keep = (t: TaskRow) =>
        (f.elementId === undefined || t.elementId === eqValue(f.elementId)) && (assignee === undefined || t.assignee === assignee) && (state === undefined || t.state === state);
      let tasks: TaskRow[];
      let nextCursor: string | undefined;
      if (f.userTaskKey !== undefined) {
        const id = await keys.find('task', eqValue(f.userTaskKey)!);
        const task = id ? await taskStore.task(id) : undefined;
        tasks = task && canSeeTask(p, task) && (!instanceId || task.instanceId === instanceId) ? [task] : [];
      } else {
        const filter = taskVisibilityFilter(p);
        if (filter === 'none') throw new ForbiddenError('this user has no inbox');
        const visibility: InboxQuery['visibility'] = filter === 'all-of-agency' ? { agency: p.agency } : { agency: filter.agency, user: { id: filter.userId, groups: filter.groups } };
        const page = await taskStore.inbox({
          visibility,
          scope: 'all',
          processId: eqValue(f.processDefinitionId),
          instanceId,
          state: state ?? 'open',
          limit: body.page?.limit ?? 100,
          cursor: body.page?.after,
        });
        tasks = page.items;
        nextCursor = page.nextCursor;
      }
      const items = await view(tasks.filter(keep));
      res.status(200).json({ items, page: { totalItems: items.length, startCursor: null, endCursor: nextCursor ?? null, hasMoreTotalItems: nextCursor !== undefined } });
    }),
  );

  router.post(
    '/user-tasks/:userTaskKey/assignment',
    ...allowed,
    handle(async (req, res) => {
      const p = req.principal!;
      const task = await visible(String(req.params.userTaskKey), p);
      const body = assignmentBody(req.body ?? {});
      const user = (await users.byUsername(body.assignee)) ?? (await users.byId(body.assignee));
      if (task.state !== 'open') throw new ConflictError(`user task with key '${req.params.userTaskKey}' is already ${task.state}`, { state: task.state });
      if (!canAssignTask(p, task)) {
        // An official takes a task offered to it (a claim), never gives one to someone else.
        if (user?.id !== p.id) throw new ForbiddenError(`this user may only assign user task '${req.params.userTaskKey}' to itself`);
        if (!canActOnTask(p, { ...task, assignee: undefined })) throw new ForbiddenError(`this user may not take user task '${req.params.userTaskKey}'`);
        if (task.assignee !== undefined && task.assignee !== p.id) throw new ConflictError(`user task with key '${req.params.userTaskKey}' is assigned to someone else`);
        if (task.assignee !== p.id) await metrics.command('claimTask', () => assignments.claim(task.id, { assignee: p.id, actor: p.id }));
        return void res.status(204).end();
      }
      const why = whyNotAssignable(user, task);
      if (why) throw new IneligibleUserError(`user task '${req.params.userTaskKey}' cannot be assigned to '${body.assignee}': ${why}`, { field: 'body.assignee', reason: why });
      if (body.allowOverride === false && task.assignee !== undefined && task.assignee !== user!.id) {
        throw new ConflictError(`user task with key '${req.params.userTaskKey}' is already assigned (allowOverride is false)`);
      }
      await metrics.command('assignTask', () => assignments.assign(task.id, { assignee: user!.id, actor: p.id }));
      res.status(204).end();
    }),
  );

  router.post(
    '/user-tasks/:userTaskKey/completion',
    ...allowed,
    handle(async (req, res) => {
      const p = req.principal!;
      const key = String(req.params.userTaskKey);
      const body = completionBody(req.body ?? {});
      const id = await keys.id('task', key, 'params.userTaskKey');
      // No read before the command: the checks run inside it, under the instance's lock (task-completion.ts).
      await completeTaskFor(services, {
        taskId: id,
        actor: p.id,
        variables: body.variables ?? {},
        authorize: (task: TaskRow | undefined): asserts task is TaskRow => {
          if (!task || !canSeeTask(p, task)) throw new NotFoundError(`user task with key '${key}' not found`, { field: 'params.userTaskKey' });
          if (task.state !== 'open') throw new ConflictError(`user task with key '${key}' is already ${task.state}`, { state: task.state });
          if (!canActOnTask(p, task)) throw new ForbiddenError(`this user may not complete user task '${key}'`);
        },
      });
      res.status(204).end();
    }),
  );
}
