/**
 * The task store on PostgreSQL: assignment changes and the officials' inbox.
 *
 * Each change is one transaction of two statements: a data-modifying CTE that
 * locks the task row and updates it under a condition, then the history row of
 * what the update returned, its event made by the history producer
 * (history/events.ts) and bound as a parameter: the change and its history
 * commit together, and no SQL here builds an event. Given a transaction (`context.sql`:
 * the task assignments' listeners write with it), both statements run in that one instead.
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
import { historyRecord, taskChangeEvent, taskCommentEvent, type HistoryEvent, type TaskChangeEvent } from '../history/events';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import type { TaskRow, TransactionSql } from '../store/ports';
import type { InboxQuery, Page, TaskChange, TaskChangeContext, TaskComment, TaskStore } from '../store/task-store';
import type { Database } from './connect';
import { ms, opt, toTask, type Row } from './rows';
import { storableJson } from './storable-json';

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
 * One change of a task's assignee, as one statement: lock the open task, update it when
 * `condition` (over the locked row `old`) holds, and return it with the assignee before.
 */
function changeSql(condition: string): string {
  return `
    WITH old AS (
      SELECT id, assignee FROM tasks WHERE id = $1 AND state = 'open' FOR UPDATE
    )
    UPDATE tasks t SET assignee = $2::text FROM old
    WHERE t.id = old.id AND ${condition}
    RETURNING t.*, old.assignee AS previous_assignee`;
}

const CLAIM_SQL = changeSql('old.assignee IS NULL');
const UNCLAIM_SQL = changeSql('old.assignee IS NOT NULL AND ($3::text IS NULL OR old.assignee = $3::text)');
const ASSIGN_SQL = changeSql('TRUE');

const COMMENT_SQL = `
  INSERT INTO task_comments (id, task_id, instance_id, author, body, created_at)
  SELECT $1, id, instance_id, $3, $4, $5::timestamptz FROM tasks WHERE id = $2
  RETURNING *, (SELECT element_id FROM tasks WHERE id = $2) AS element_id`;

/**
 * Appends one history row (marked `push`: the live inboxes hear of it) holding the event a
 * producer of history/events.ts made: the adapter only stores it.
 */
const HISTORY_SQL = `
  INSERT INTO history (instance_id, at, actor, type, element_id, push, events)
  VALUES ($1, $2::timestamptz, $3::text, $4, $5, $6, $7::json)`;

/** Creates the task store over an open, migrated database. */
export function createSequelizeTaskStore(db: Database): TaskStore {
  const { sequelize } = db;
  const select = async (sql: string, bind: unknown[] = []): Promise<Row[]> =>
    (await sequelize.query(sql, { bind, type: QueryTypes.SELECT })) as Row[];

  /** Runs `sql` and, when it changed a row, appends that row's history, in one transaction (the caller's, when given). */
  const withHistory = async (sql: string, bind: unknown[], at: Date, actor: string | null, event: (row: Row) => HistoryEvent, tx?: TransactionSql): Promise<Row | undefined> => {
    const historyBind = (row: Row) => {
      const record = historyRecord([event(row)]);
      return [row.instance_id, at, actor, record.type, record.elementId ?? null, record.push, storableJson(record.events, 'history')];
    };
    if (tx) {
      const row = (await tx.select(sql, bind))[0] as Row | undefined;
      if (row) await tx.run(HISTORY_SQL, historyBind(row));
      return row;
    }
    return sequelize.transaction(async (transaction) => {
      const rows = (await sequelize.query(sql, { bind, type: QueryTypes.SELECT, transaction })) as Row[];
      const row = rows[0];
      if (!row) return undefined;
      await sequelize.query(HISTORY_SQL, { bind: historyBind(row), type: QueryTypes.INSERT, transaction });
      return row;
    });
  };

  const change = async (type: TaskChangeEvent['type'], sql: string, bind: unknown[], context: TaskChangeContext): Promise<TaskChange | undefined> => {
    const at = new Date(context.now);
    const actor = context.actor ?? null;
    const row = await withHistory(
      sql,
      bind,
      at,
      actor,
      (r) => taskChangeEvent(type, { taskId: r.id, elementId: r.element_id, assignee: r.assignee, previousAssignee: r.previous_assignee, by: actor }),
      context.sql,
    );
    return row && { task: toTaskRow(row), previousAssignee: opt(row.previous_assignee) };
  };

  return {
    async task(id) {
      const rows = await select('SELECT * FROM tasks WHERE id = $1', [id]);
      return rows[0] && toTaskRow(rows[0]);
    },

    claim: (taskId, assignee, context) => change('taskClaimed', CLAIM_SQL, [taskId, assignee], context),

    unclaim: (taskId, context) => change('taskUnclaimed', UNCLAIM_SQL, [taskId, null, context.onlyIf ?? null], context),

    assign: (taskId, assignee, context) => change('taskAssigned', ASSIGN_SQL, [taskId, assignee], context),

    async addComment(comment) {
      const at = new Date(comment.createdAt);
      const row = await withHistory(COMMENT_SQL, [comment.id, comment.taskId, comment.author, comment.text, at], at, comment.author, (r) =>
        taskCommentEvent({ taskId: r.task_id, elementId: r.element_id, commentId: r.id, by: r.author }),
      );
      return row && toComment(row);
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
