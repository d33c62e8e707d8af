/**
 * The overdue scanner: finds open user tasks past their due date that were not
 * reported yet, and records one `taskOverdue` history row per task, so the push
 * feed sends `task.overdue` like any other event (live and on replay).
 *
 * Exactly once, across any number of API processes on one database: one
 * statement locks a batch of candidate tasks (`FOR UPDATE SKIP LOCKED`, so two
 * scanners split the work instead of queueing), sets `tasks.overdue_reported_at`
 * only where it is still NULL (re-checked on the locked row), and appends the
 * history rows of exactly the tasks it marked — all in one transaction. A task
 * completed at the same moment is either reported before, or not at all.
 */
import type { Database } from '../../../engine/src/store-sequelize/connect';

/** The assignee at the time is recorded, so the event names the same person live and on replay. */
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

/**
 * The same for follow-up dates: a task whose follow-up date has come (for a task
 * due by its statutory time, the warning before due, counted in working time by
 * the engine) gets one `taskFollowUp` row (`task.followUp`).
 */
const FOLLOW_UP_SQL = REPORT_SQL.replace(/overdue_reported_at/g, 'follow_up_reported_at').replace(/due_at/g, 'follow_up_at').replace(/taskOverdue/g, 'taskFollowUp');

/** Options of {@link OverdueScanner}. */
export interface OverdueScannerOptions {
  db: Database;
  /** The clock (epoch ms). */
  now: () => number;
  /** Scan interval in ms; 0 or less: no timer (call `scan()` yourself). */
  intervalMs: number;
  /** Tasks marked per statement (default 500). */
  batchSize?: number;
  /** Called after a scan that reported tasks (to wake the feed). */
  onReported: (count: number) => void;
  onError: (error: unknown) => void;
}

/** Reports overdue tasks on a timer; `scan()` runs one pass now. */
export class OverdueScanner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private closed = false;

  constructor(private readonly options: OverdueScannerOptions) {}

  /** Starts the timer (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.scan().catch((error) => this.options.onError(error));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Reports every task overdue now, then every follow-up date come (in batches); resolves with how many. A pass in progress is joined. */
  scan(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the timer and waits for a pass in progress. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    const batchSize = this.options.batchSize ?? 500;
    let total = 0;
    for (const sql of [REPORT_SQL, FOLLOW_UP_SQL]) {
      while (!this.closed) {
        const now = new Date(this.options.now());
        const rows = (await this.options.db.sequelize.query(sql, { bind: [now, batchSize], type: 'SELECT', raw: true })) as Array<{ reported: number }>;
        const reported = rows[0]?.reported ?? 0;
        total += reported;
        if (reported > 0) this.options.onReported(reported);
        if (reported < batchSize) break;
      }
    }
    return total;
  }
}
