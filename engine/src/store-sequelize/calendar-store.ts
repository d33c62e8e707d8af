/**
 * Storage of working-calendar data (migration 0015): plain JSON by kind and key,
 * replaced with a change record in one transaction. Knows nothing of the data's
 * meaning; the one-stop-shop layer validates it before it comes here.
 */
import { QueryTypes } from 'sequelize';
import type { CalendarChange, CalendarDataKind, CalendarDataStore } from '../store/calendar-data-store';
import type { Database } from './connect';

/** Every stored row of a kind, by key. */
export async function calendarData(db: Database, kind: CalendarDataKind): Promise<Map<string, unknown>> {
  const rows = await db.sequelize.query<{ key: string; data: unknown }>('SELECT key, data FROM calendar_data WHERE kind = $1 ORDER BY key', { bind: [kind], type: QueryTypes.SELECT });
  return new Map(rows.map((row) => [row.key, row.data]));
}

/**
 * Stores `data` under (kind, key) and records the change (with the data it replaced,
 * `before`), in one transaction. The open tasks' due dates move after it, as steps of their
 * instances; {@link recordRecomputed} then says how many moved.
 */
export async function replaceCalendarData(db: Database, change: { kind: CalendarDataKind; key: string; data: unknown; before: unknown; actor?: string; at: number }): Promise<CalendarChange> {
  return db.sequelize.transaction(async (transaction) => {
    const at = new Date(change.at);
    await db.sequelize.query(
      `INSERT INTO calendar_data (kind, key, data, updated_at, updated_by) VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (kind, key) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      { bind: [change.kind, change.key, JSON.stringify(change.data), at, change.actor ?? null], transaction },
    );
    const [row] = await db.sequelize.query<{ id: string }>(
      `INSERT INTO calendar_changes (at, actor, kind, key, before, after, recomputed_tasks) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, 0) RETURNING id`,
      { bind: [at, change.actor ?? null, change.kind, change.key, change.before === undefined ? null : JSON.stringify(change.before), JSON.stringify(change.data)], type: QueryTypes.SELECT, transaction },
    );
    return { id: Number(row.id), at: change.at, actor: change.actor, kind: change.kind, key: change.key, before: change.before ?? null, after: change.data, recomputedTasks: 0 };
  });
}

/** Records how many open tasks' due dates a change moved. */
export async function recordRecomputed(db: Database, changeId: number, tasks: number): Promise<void> {
  await db.sequelize.query('UPDATE calendar_changes SET recomputed_tasks = $2 WHERE id = $1', { bind: [changeId, tasks] });
}

/** The recorded changes, newest first. */
export async function calendarChanges(db: Database, limit = 100): Promise<CalendarChange[]> {
  const rows = await db.sequelize.query<{ id: string; at: Date; actor: string | null; kind: CalendarDataKind; key: string; before: unknown; after: unknown; recomputed_tasks: number }>(
    'SELECT id, at, actor, kind, key, before, after, recomputed_tasks FROM calendar_changes ORDER BY id DESC LIMIT $1',
    { bind: [limit], type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ id: Number(r.id), at: r.at.getTime(), actor: r.actor ?? undefined, kind: r.kind, key: r.key, before: r.before, after: r.after, recomputedTasks: r.recomputed_tasks }));
}

/** The instances with an open task that has a due date (those a calendar change may move), in id order. */
export async function instancesWithOpenDueDates(db: Database): Promise<string[]> {
  const rows = await db.sequelize.query<{ instance_id: string }>("SELECT DISTINCT instance_id FROM tasks WHERE state = 'open' AND due_at IS NOT NULL ORDER BY instance_id", { type: QueryTypes.SELECT });
  return rows.map((r) => r.instance_id);
}

/** The calendar data store over one database (see the port). */
export function createSequelizeCalendarDataStore(db: Database): CalendarDataStore {
  return {
    data: (kind) => calendarData(db, kind),
    replace: (change) => replaceCalendarData(db, change),
    recordRecomputed: (changeId, tasks) => recordRecomputed(db, changeId, tasks),
    changes: (limit) => calendarChanges(db, limit),
    instancesWithOpenDueDates: () => instancesWithOpenDueDates(db),
  };
}
