/**
 * The SQL of `EngineStore.recordPassedDates`: one statement locks a batch of open tasks past
 * their date (`FOR UPDATE SKIP LOCKED`, so two scanners split the work instead of queueing),
 * marks them only where still unmarked (re-checked on the locked row), and appends the history
 * row of exactly the tasks it marked, all in one transaction. The assignee at the time is
 * recorded, so the event names the same person live and on replay.
 */
import type { Database } from './connect';

const REPORT_SQL = `
WITH due AS (
  SELECT id FROM tasks
  WHERE state = 'open' AND overdue_reported_at IS NULL AND due_at < $1::timestamptz
  ORDER BY due_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), marked AS (
  UPDATE tasks t SET overdue_reported_at = $1::timestamptz
  FROM due
  WHERE t.id = due.id AND t.state = 'open' AND t.overdue_reported_at IS NULL
  RETURNING t.id, t.instance_id, t.element_id, t.assignee
), logged AS (
  INSERT INTO history (instance_id, at, actor, type, element_id, push, events)
  SELECT instance_id, $1::timestamptz, NULL, 'taskOverdue', element_id, true,
         json_build_array(json_build_object('type', 'taskOverdue', 'taskId', id, 'assignee', assignee))
  FROM marked
  RETURNING 1
)
SELECT count(*)::int AS reported FROM logged`;

/** The same for follow-up dates (the warning before due), as `taskFollowUp`. */
const FOLLOW_UP_SQL = REPORT_SQL.replace(/overdue_reported_at/g, 'follow_up_reported_at').replace(/due_at/g, 'follow_up_at').replace(/taskOverdue/g, 'taskFollowUp');

/** Records the passed dates of one batch; resolves with how many tasks were recorded. */
export async function recordPassedDates(db: Database, kind: 'overdue' | 'followUp', now: number, batchSize: number): Promise<number> {
  const sql = kind === 'overdue' ? REPORT_SQL : FOLLOW_UP_SQL;
  const rows = (await db.sequelize.query(sql, { bind: [new Date(now), batchSize], type: 'SELECT', raw: true })) as Array<{ reported: number }>;
  return rows[0]?.reported ?? 0;
}
