/**
 * The SQL of `EngineStore.recordPassedDates`, in one transaction: the first statement locks a
 * batch of open tasks past their date (`FOR UPDATE SKIP LOCKED`, so two scanners split the
 * work instead of queueing), marks them only where still unmarked (re-checked on the locked
 * row) and returns them; their events are made by the history producer (history/events.ts)
 * and the second statement inserts them, one history row per task, as a bound parameter.
 * The assignee at the time is recorded, so the event names the same person live and on replay.
 */
import { QueryTypes } from 'sequelize';
import { historyRecord, passedDateEvent } from '../history/events';
import type { Database } from './connect';
import { storableJson } from './storable-json';

const MARK_SQL = `
WITH due AS (
  SELECT id FROM tasks
  WHERE state = 'open' AND overdue_reported_at IS NULL AND due_at < $1::timestamptz
  ORDER BY due_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED
)
UPDATE tasks t SET overdue_reported_at = $1::timestamptz
FROM due
WHERE t.id = due.id AND t.state = 'open' AND t.overdue_reported_at IS NULL
RETURNING t.id, t.instance_id, t.element_id, t.assignee`;

/** The same for follow-up dates (the warning before due). */
const FOLLOW_UP_MARK_SQL = MARK_SQL.replace(/overdue_reported_at/g, 'follow_up_reported_at').replace(/due_at/g, 'follow_up_at');

/** Inserts history rows given whole as a JSON array of {instance_id, type, element_id, push, events}, at $1 by nobody. */
const INSERT_SQL = `
INSERT INTO history (instance_id, at, actor, type, element_id, push, events)
SELECT r.instance_id, $1::timestamptz, NULL, r.type, r.element_id, r.push, r.events
FROM ROWS FROM (json_to_recordset($2::json) AS (instance_id text, type text, element_id text, push boolean, events json))
     WITH ORDINALITY AS r(instance_id, type, element_id, push, events, n)
ORDER BY r.n`;

interface MarkedTask {
  id: string;
  instance_id: string;
  element_id: string;
  assignee: string | null;
}

/** Records the passed dates of one batch; resolves with how many tasks were recorded. */
export async function recordPassedDates(db: Database, kind: 'overdue' | 'followUp', now: number, batchSize: number): Promise<number> {
  const at = new Date(now);
  return db.sequelize.transaction(async (transaction) => {
    const marked = (await db.sequelize.query(kind === 'overdue' ? MARK_SQL : FOLLOW_UP_MARK_SQL, {
      bind: [at, batchSize],
      type: QueryTypes.SELECT,
      raw: true,
      transaction,
    })) as MarkedTask[];
    if (marked.length === 0) return 0;
    const rows = marked.map((task) => {
      const record = historyRecord([passedDateEvent(kind, { id: task.id, elementId: task.element_id, assignee: task.assignee })]);
      return { instance_id: task.instance_id, type: record.type, element_id: record.elementId ?? null, push: record.push, events: record.events };
    });
    await db.sequelize.query(INSERT_SQL, { bind: [at, storableJson(rows, 'history')], type: QueryTypes.INSERT, raw: true, transaction });
    return marked.length;
  });
}
