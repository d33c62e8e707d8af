/**
 * The task store on PostgreSQL: assignment changes and the officials' inbox.
 *
 * Each change is ONE statement: a data-modifying CTE that locks the task row,
 * updates it under a condition, and appends the history row from what the
 * update returned. One statement is one transaction, so the change and its
 * history commit together, in one round trip, with no transaction object to
 * forget (see the PGlite trap in DESIGN.md). Given a transaction (`context.sql`: the task
 * assignments' listeners write with it), the statement runs in that one instead.
 *
 * Concurrency: the conditional UPDATE re-checks its WHERE clause on the
 * newest row version after waiting for a concurrent writer (READ COMMITTED),
 * so of two claims of one task the second finds `assignee IS NULL` false and
 * returns no row; a claim waiting behind `completeTask` finds `state = 'open'`
 * false. `completeTask` locks the task row with the instance's (`lockTask`), so the
 * caller's checks it runs (`authorize`) see any claim that committed before.
 *
 * Inbox queries filter and order so that the partial indexes of migration 0001
 * serve the first page: `tasks_agency_state_due_idx (agency, state, due_at)`
 * for an official's agency inbox, `tasks_open_assignee_due_idx (assignee,
 * due_at) WHERE state = 'open'` for "assigned to me".
 */
import { QueryTypes } from 'sequelize';
import { InvalidInputError } from '../errors';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import type { TaskRow } from '../store/ports';
import type { InboxQuery, Page, TaskChange, TaskChangeContext, TaskComment, TaskStore } from '../store/task-store';
import type { Database } from './connect';
import { ms, opt, toTask, type Row } from './rows';

/** Turns a `tasks` row into a TaskRow (the mapping all stores share). */
export const toTaskRow = toTask;

function toComment(row: Row): TaskComment {
  return { id: row.id, taskId: row.task_id, instanceId: row.instance_id, author: row.author, text: row.body, createdAt: ms(row.created_at)! };
}

/** Opaque page cursor over (due date, id): base64url of `[dueAtMs | null, id]`. */
export function encodeTaskCursor(task: Pick<TaskRow, 'dueAt' | 'id'>): string {
  return encodeCursor([task.dueAt ?? null, task.id]);
}

/** Reads a cursor made by {@link encodeTaskCursor}; throws InvalidInputError (field `cursor`) otherwise. */
export function decodeTaskCursor(cursor: string): { dueAt: number | null; id: string } {
  const [dueAt, id] = decodeCursor(cursor, 'Ns');
  return { dueAt: dueAt as number | null, id: id as string };
}

/**
 * One change of a task's assignee, as one statement: lock the open task,
 * update it when `condition` (over the locked row `old`) holds, append history
 * (a row marked `push`: the live inboxes hear of it).
 */
function changeSql(condition: string, historyType: string): string {
  return `
    WITH old AS (
      SELECT id, assignee FROM tasks WHERE id = $1 AND state = 'open' FOR UPDATE
    ), changed AS (
      UPDATE tasks t SET assignee = $2::text FROM old
      WHERE t.id = old.id AND ${condition}
      RETURNING t.*, old.assignee AS previous_assignee
    ), logged AS (
      INSERT INTO history (instance_id, at, actor, type, element_id, push, events)
      SELECT instance_id, $3::timestamptz, $4::text, '${historyType}', element_id, true,
             json_build_array(json_strip_nulls(json_build_object(
               'type', '${historyType}', 'taskId', id, 'assignee', assignee, 'previousAssignee', previous_assignee, 'by', $4::text)))
      FROM changed
    )
    SELECT * FROM changed`;
}

const CLAIM_SQL = changeSql('old.assignee IS NULL', 'taskClaimed');
const UNCLAIM_SQL = changeSql('old.assignee IS NOT NULL AND ($5::text IS NULL OR old.assignee = $5::text)', 'taskUnclaimed');
const ASSIGN_SQL = changeSql('TRUE', 'taskAssigned');

const COMMENT_SQL = `
  WITH task AS (
    SELECT id, instance_id, element_id FROM tasks WHERE id = $2
  ), added AS (
    INSERT INTO task_comments (id, task_id, instance_id, author, body, created_at)
    SELECT $1, id, instance_id, $3, $4, $5::timestamptz FROM task
    RETURNING *
  ), logged AS (
    INSERT INTO history (instance_id, at, actor, type, element_id, push, events)
    SELECT added.instance_id, added.created_at, added.author, 'taskCommented', task.element_id, true,
           json_build_array(json_build_object('type', 'taskCommented', 'taskId', added.task_id, 'commentId', added.id, 'by', added.author))
    FROM added, task
  )
  SELECT * FROM added`;

/** Creates the task store over an open, migrated database. */
export function createSequelizeTaskStore(db: Database): TaskStore {
  const { sequelize } = db;
  const select = async (sql: string, bind: unknown[] = []): Promise<Row[]> =>
    (await sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as Row[];

  const change = async (sql: string, bind: unknown[], context: TaskChangeContext): Promise<TaskChange | undefined> => {
    const rows = context.sql ? await context.sql.select(sql, bind) : await select(sql, bind);
    if (rows.length === 0) return undefined;
    return { task: toTaskRow(rows[0]), previousAssignee: opt(rows[0].previous_assignee) };
  };
  const when = (context: TaskChangeContext) => [new Date(context.now), context.actor ?? null];

  return {
    async task(id) {
      const rows = await select('SELECT * FROM tasks WHERE id = $1', [id]);
      return rows[0] && toTaskRow(rows[0]);
    },

    claim: (taskId, assignee, context) => change(CLAIM_SQL, [taskId, assignee, ...when(context)], context),

    unclaim: (taskId, context) => change(UNCLAIM_SQL, [taskId, null, ...when(context), context.onlyIf ?? null], context),

    assign: (taskId, assignee, context) => change(ASSIGN_SQL, [taskId, assignee, ...when(context)], context),

    async addComment(comment) {
      const rows = await select(COMMENT_SQL, [comment.id, comment.taskId, comment.author, comment.text, new Date(comment.createdAt)]);
      return rows[0] && toComment(rows[0]);
    },

    async comments(taskId) {
      const rows = await select('SELECT * FROM task_comments WHERE task_id = $1 ORDER BY created_at, id', [taskId]);
      return rows.map(toComment);
    },

    async inbox(query: InboxQuery): Promise<Page<TaskRow>> {
      const { text, bind } = inboxSql(query);
      const rows = await select(text, bind);
      const items = rows.slice(0, query.limit).map(toTaskRow);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > query.limit && last ? encodeTaskCursor(last) : undefined };
    },
  };
}

/**
 * The inbox query: visibility, filters, keyset pagination over (due_at, id).
 * Exported for the EXPLAIN test.
 */
export function inboxSql(query: InboxQuery): { text: string; bind: unknown[] } {
  const bind: unknown[] = [];
  const param = (value: unknown, cast = ''): string => {
    bind.push(value);
    return `$${bind.length}${cast}`;
  };
  const where: string[] = [];
  const state = query.state ?? 'open';
  where.push(`state = ${param(state)}`);
  const { agency, user } = query.visibility;
  if (agency !== undefined) where.push(`agency = ${param(agency)}`);

  const offeredTo = (u: { id: string; groups: string[] }): string => {
    const id = param(u.id);
    const groups = u.groups.length > 0 ? `candidate_groups && ${param(u.groups, '::text[]')} OR ` : '';
    return `(${groups}${id} = ANY(candidate_users) OR (candidate_groups = '{}' AND candidate_users = '{}'))`;
  };
  const scope = query.scope ?? 'all';
  if (scope === 'assigned') {
    const assignee = query.assignee ?? user?.id;
    if (assignee === undefined) throw new InvalidInputError('scope assigned needs an assignee', { field: 'assignee' });
    where.push(`assignee = ${param(assignee)}`);
  } else if (scope === 'candidate') {
    where.push('assignee IS NULL');
    if (user) where.push(offeredTo(user));
  } else if (user) {
    where.push(`(assignee = ${param(user.id)} OR (assignee IS NULL AND ${offeredTo(user)}))`);
  }
  if (query.assignee !== undefined && scope !== 'assigned') where.push(`assignee = ${param(query.assignee)}`);
  if (query.processId !== undefined) where.push(`process_id = ${param(query.processId)}`);
  if (query.instanceId !== undefined) where.push(`instance_id = ${param(query.instanceId)}`);
  if (query.dueBefore !== undefined) where.push(`due_at < ${param(new Date(query.dueBefore), '::timestamptz')}`);
  if (query.overdueAt !== undefined) where.push(`state = 'open' AND due_at < ${param(new Date(query.overdueAt), '::timestamptz')}`);

  const desc = query.order === 'desc';
  if (query.cursor !== undefined) {
    const after = decodeTaskCursor(query.cursor);
    const id = param(after.id);
    if (after.dueAt === null) {
      // Tasks without a due date come last ascending (NULLS LAST), first descending (NULLS FIRST).
      where.push(desc ? `(due_at IS NOT NULL OR (due_at IS NULL AND id < ${id}))` : `(due_at IS NULL AND id > ${id})`);
    } else {
      const due = param(new Date(after.dueAt), '::timestamptz');
      where.push(
        desc
          ? `(due_at < ${due} OR (due_at = ${due} AND id < ${id}))`
          : `(due_at > ${due} OR (due_at = ${due} AND id > ${id}) OR due_at IS NULL)`,
      );
    }
  }
  const order = desc ? 'due_at DESC NULLS FIRST, id DESC' : 'due_at ASC NULLS LAST, id ASC';
  const text = `SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${param(query.limit + 1)}`;
  return { text, bind };
}
