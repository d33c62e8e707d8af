/**
 * Storage of working-calendar data (migration 0015): plain JSON by kind and key,
 * replaced with a change record in one transaction. Knows nothing of the data's
 * meaning; the one-stop-shop layer validates it before it comes here.
 */
import { QueryTypes } from 'sequelize';
import type { CalendarChange, CalendarDataKind, CalendarDataStore, TaskDueUpdate } from '../store/calendar-data-store';
import type { Database } from './connect';

/** Every stored row of a kind, by key. */
export async function calendarData(db: Database, kind: CalendarDataKind): Promise<Map<string, unknown>> {
  const rows = await db.sequelize.query<{ key: string; data: unknown }>('SELECT key, data FROM calendar_data WHERE kind = $1 ORDER BY key', { bind: [kind], type: QueryTypes.SELECT });
  return new Map(rows.map((row) => [row.key, row.data]));
}

/**
 * Stores `data` under (kind, key), applies the open tasks' new due dates and
 * records the change (with the data it replaced, `before`, and how many tasks
 * changed), in one transaction. A task no longer open is left alone; an overdue
 * (follow-up) report is cleared when its new due (follow-up) date is later than
 * the change, so it is reported again when that comes.
 */
export async function replaceCalendarData(
  db: Database,
  change: { kind: CalendarDataKind; key: string; data: unknown; before: unknown; actor?: string; at: number },
  tasks: readonly TaskDueUpdate[] = [],
): Promise<CalendarChange> {
  return db.sequelize.transaction(async (transaction) => {
    const at = new Date(change.at);
    await db.sequelize.query(
      `INSERT INTO calendar_data (kind, key, data, updated_at, updated_by) VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (kind, key) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      { bind: [change.kind, change.key, JSON.stringify(change.data), at, change.actor ?? null], transaction },
    );
    let recomputed = 0;
    for (const task of tasks) {
      const [, result] = await db.sequelize.query(
        `UPDATE tasks SET due_at = $2, follow_up_at = CASE WHEN $5 THEN follow_up_at ELSE $3 END,
           overdue_reported_at = CASE WHEN $2::timestamptz > $4::timestamptz THEN NULL ELSE overdue_reported_at END,
           follow_up_reported_at = CASE WHEN NOT $5 AND $3::timestamptz > $4::timestamptz THEN NULL ELSE follow_up_reported_at END
         WHERE id = $1 AND state = 'open'`,
        { bind: [task.taskId, new Date(task.dueAt), task.followUpAt === undefined ? null : new Date(task.followUpAt), at, task.keepFollowUp === true], transaction },
      );
      recomputed += (result as { rowCount?: number } | undefined)?.rowCount ?? 0;
    }
    const [row] = await db.sequelize.query<{ id: string }>(
      `INSERT INTO calendar_changes (at, actor, kind, key, before, after, recomputed_tasks) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7) RETURNING id`,
      { bind: [at, change.actor ?? null, change.kind, change.key, change.before === undefined ? null : JSON.stringify(change.before), JSON.stringify(change.data), recomputed], type: QueryTypes.SELECT, transaction },
    );
    return { id: Number(row.id), at: change.at, actor: change.actor, kind: change.kind, key: change.key, before: change.before ?? null, after: change.data, recomputedTasks: recomputed };
  });
}

/** The recorded changes, newest first. */
export async function calendarChanges(db: Database, limit = 100): Promise<CalendarChange[]> {
  const rows = await db.sequelize.query<{ id: string; at: Date; actor: string | null; kind: CalendarDataKind; key: string; before: unknown; after: unknown; recomputed_tasks: number }>(
    'SELECT id, at, actor, kind, key, before, after, recomputed_tasks FROM calendar_changes ORDER BY id DESC LIMIT $1',
    { bind: [limit], type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ id: Number(r.id), at: r.at.getTime(), actor: r.actor ?? undefined, kind: r.kind, key: r.key, before: r.before, after: r.after, recomputedTasks: r.recomputed_tasks }));
}

/** Open tasks (id, definition, element, creation time), for recomputing due dates. */
export async function openTasksForDueDates(db: Database): Promise<Array<{ id: string; definitionId: string; elementId: string; createdAt: number; dueAt?: number }>> {
  const rows = await db.sequelize.query<{ id: string; definition_id: string; element_id: string; created_at: Date; due_at: Date | null }>(
    "SELECT id, definition_id, element_id, created_at, due_at FROM tasks WHERE state = 'open' AND due_at IS NOT NULL ORDER BY id",
    { type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ id: r.id, definitionId: r.definition_id, elementId: r.element_id, createdAt: r.created_at.getTime(), dueAt: r.due_at?.getTime() }));
}

/** The calendar data store over one database (see the port). */
export function createSequelizeCalendarDataStore(db: Database): CalendarDataStore {
  return {
    data: (kind) => calendarData(db, kind),
    replace: (change, tasks) => replaceCalendarData(db, change, tasks),
    changes: (limit) => calendarChanges(db, limit),
    openTasksForDueDates: () => openTasksForDueDates(db),
  };
}
