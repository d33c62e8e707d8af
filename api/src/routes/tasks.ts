/**
 * `/api/tasks`: the officials' inbox, and the work on one task: claim, unclaim,
 * assign (delegate), complete with its form, comments.
 */
import type { Router } from 'express';
import { ConflictError, type InboxQuery, NotFoundError, type TaskComment, type TaskRow } from '../../../engine/src/index';
import { ForbiddenError, IneligibleUserError } from '../auth/errors';
import { canActOnTask, canAssignTask, canSeeTask, taskVisibilityFilter, whyNotAssignable } from '../auth/policy';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/tasks';
import type { ApiServices } from '../server';
import { bindLogIds, epoch, iso, mount } from '../validation';
import { completeTaskFor } from './task-completion';
import type { Request } from 'express';

/** A task's dossier, as the inbox names it. */
export interface TaskDossier {
  id: string;
  code: string;
  status: string;
  received: boolean;
}

export function taskView(t: TaskRow, now: number, dossier?: TaskDossier) {
  return {
    id: t.id,
    instanceId: t.instanceId,
    processId: t.processId,
    definitionId: t.definitionId,
    elementId: t.elementId,
    name: t.name,
    assignee: t.assignee,
    candidateGroups: t.candidateGroups,
    candidateUsers: t.candidateUsers,
    agency: t.agency,
    state: t.state,
    dueAt: iso(t.dueAt),
    overdue: t.state === 'open' && t.dueAt !== undefined && t.dueAt < now,
    formKey: t.formKey,
    createdAt: iso(t.createdAt),
    completedAt: iso(t.completedAt),
    completedBy: t.completedBy,
    dossier: dossier && { id: dossier.id, code: dossier.code, status: dossier.status, received: dossier.received },
  };
}

function commentView(c: TaskComment) {
  return { id: c.id, taskId: c.taskId, author: c.author, text: c.text, createdAt: iso(c.createdAt) };
}

interface ListQuery {
  scope: 'assigned' | 'candidate' | 'all';
  processId?: string;
  instanceId?: string;
  state: TaskRow['state'];
  dueBefore?: string;
  overdue?: boolean;
  sort: 'dueAt' | '-dueAt';
  limit: number;
  cursor?: string;
}

/**
 * Refuses a task the caller may not see with the answer of a task that does not exist (404),
 * so that another agency's task ids cannot be probed (docs/conventions.md); what the caller
 * sees but may not do is refused with 403 by each route.
 */
function seeable(id: string, p: Principal, req: Request, task: TaskRow | undefined): asserts task is TaskRow {
  if (!task || !canSeeTask(p, task)) throw new NotFoundError(`task '${id}' does not exist`, { field: 'params.id' });
  bindLogIds(req, { instanceId: task.instanceId });
}

/** Who has an inbox at all (the others are refused before their query is read). */
const hasInbox = (p: Principal): boolean => taskVisibilityFilter(p) !== 'none';

export function createTaskRoutes(router: Router, services: ApiServices): void {
  const { ctx, taskStore, apiStore, assignments, metrics, users } = services;

  /** The dossiers of the tasks' instances (one read; none without a dossier layer). */
  const dossiersOf = async (tasks: readonly TaskRow[]): Promise<Map<string, TaskDossier>> => (ctx.dossiers && tasks.length > 0 ? ctx.dossiers.ofInstances(tasks.map((t) => t.instanceId)) : new Map());

  /** The task, when the caller may see it (404 when it does not exist or is hidden). */
  const visible = async (id: string, p: Principal, req: Request): Promise<TaskRow> => {
    const task = await taskStore.task(id);
    seeable(id, p, req, task);
    return task;
  };

  mount<Record<string, string>, ListQuery>(
    router,
    schemas.listTasks,
    services.mount,
    async ({ query, principal }) => {
      const filter = taskVisibilityFilter(principal!);
      if (filter === 'none') throw new ForbiddenError('this user has no inbox');
      const visibility: InboxQuery['visibility'] =
        filter === 'all-of-agency' ? { agency: principal!.agency } : { agency: filter.agency, user: { id: filter.userId, groups: filter.groups } };
      const now = ctx.now();
      const page = await taskStore.inbox({
        visibility,
        scope: query.scope,
        assignee: query.scope === 'assigned' ? principal!.id : undefined,
        processId: query.processId,
        instanceId: query.instanceId,
        state: query.state,
        dueBefore: epoch(query.dueBefore),
        overdueAt: query.overdue ? now : undefined,
        order: query.sort === '-dueAt' ? 'desc' : 'asc',
        limit: query.limit,
        cursor: query.cursor,
      });
      const dossiers = await dossiersOf(page.items);
      return { status: 200, body: { items: page.items.map((t) => taskView(t, now, dossiers.get(t.instanceId))), nextCursor: page.nextCursor } };
    },
    { allow: hasInbox },
  );

  mount<{ id: string }>(
    router,
    schemas.getTask,
    services.mount,
    async ({ params, principal, req }) => {
      const task = await visible(params.id, principal!, req);
      const [form, dossiers] = await Promise.all([task.formKey ? apiStore.formOfDefinition(task.definitionId, task.formKey) : undefined, dossiersOf([task])]);
      return { status: 200, body: { ...taskView(task, ctx.now(), dossiers.get(task.instanceId)), form: form ? { formKey: form.formKey, kind: form.kind, schema: form.schema } : undefined } };
    },
    { allow: hasInbox },
  );

  mount<{ id: string }>(
    router,
    schemas.claimTask,
    services.mount,
    async ({ params, principal, req }) => {
      const p = principal!;
      const task = await visible(params.id, p, req);
      // Whether it is free is the store's to say (409), atomically: here only whether this user could take it.
      if (!canActOnTask(p, { ...task, assignee: undefined })) throw new ForbiddenError(`this user may not claim task '${params.id}'`);
      const claimed = await metrics.command('claimTask', () => assignments.claim(params.id, { assignee: p.id, actor: p.id }));
      return { status: 200, body: taskView(claimed, ctx.now()) };
    },
    { allow: hasInbox },
  );

  mount<{ id: string }>(
    router,
    schemas.unclaimTask,
    services.mount,
    async ({ params, principal, req }) => {
      const p = principal!;
      const task = await visible(params.id, p, req);
      let onlyIf: string | undefined;
      if (!canAssignTask(p, task)) {
        // An official gives back only its own task.
        if (task.assignee !== undefined && task.assignee !== p.id) throw new ForbiddenError(`task '${params.id}' is assigned to someone else`);
        if (!canActOnTask(p, { ...task, assignee: undefined })) throw new ForbiddenError(`this user may not unclaim task '${params.id}'`);
        onlyIf = p.id;
      }
      const task2 = await metrics.command('unclaimTask', () => assignments.unclaim(params.id, { actor: p.id, onlyIf }));
      return { status: 200, body: taskView(task2, ctx.now()) };
    },
    { allow: hasInbox },
  );

  mount<{ id: string }, Record<string, never>, { assignee: string }>(
    router,
    schemas.assignTask,
    services.mount,
    async ({ params, body, principal, req }) => {
      const p = principal!;
      const task = await visible(params.id, p, req);
      if (!canAssignTask(p, task)) throw new ForbiddenError(`this user may not assign task '${params.id}'`);
      // Users are named by username, as in Camunda (`assignee="demo"`); a user id is accepted too.
      const user = (await users.byUsername(body.assignee)) ?? (await users.byId(body.assignee));
      // Given to someone who cannot work on it, the task would be stuck: only its assignee acts on it.
      const why = whyNotAssignable(user, task);
      if (why) throw new IneligibleUserError(`task '${params.id}' cannot be assigned to '${body.assignee}': ${why}`, { field: 'body.assignee', reason: why });
      const assigned = await metrics.command('assignTask', () => assignments.assign(params.id, { assignee: user!.id, actor: p.id }));
      return { status: 200, body: taskView(assigned, ctx.now()) };
    },
    { allow: hasInbox },
  );

  mount<{ id: string }, Record<string, never>, { variables?: Record<string, never> }>(
    router,
    schemas.completeTask,
    services.mount,
    async ({ params, body, principal, req }) => {
      const p = principal!;
      const variables = body.variables ?? {};
      const completion = await completeTaskFor(services, {
        taskId: params.id,
        actor: p.id,
        variables,
        authorize: (task: TaskRow | undefined): asserts task is TaskRow => {
          seeable(params.id, p, req, task);
          if (task.state !== 'open') throw new ConflictError(`task '${params.id}' is already ${task.state}`, { taskId: params.id, state: task.state });
          if (!canActOnTask(p, task)) throw new ForbiddenError(`this user may not complete task '${params.id}'`);
        },
      });
      // The answer is the task as read under the lock, completed by this command at the step's time: no read after.
      const task = completion.task;
      return { status: 200, body: taskView({ ...task, state: 'completed', completedAt: completion.completedAt, completedBy: p.id }, ctx.now()) };
    },
    { allow: hasInbox },
  );

  mount<{ id: string }>(
    router,
    schemas.listTaskComments,
    services.mount,
    async ({ params, principal, req }) => {
      await visible(params.id, principal!, req);
      return { status: 200, body: { items: (await assignments.comments(params.id)).map(commentView) } };
    },
    { allow: hasInbox },
  );

  mount<{ id: string }, Record<string, never>, { text: string }>(
    router,
    schemas.addTaskComment,
    services.mount,
    async ({ params, body, principal, req }) => {
      await visible(params.id, principal!, req);
      const comment = await metrics.command('commentTask', () => assignments.comment(params.id, { text: body.text, author: principal!.id }));
      return { status: 201, body: commentView(comment) };
    },
    { allow: hasInbox },
  );
}
