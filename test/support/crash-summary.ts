/**
 * Counts, straight from the tables, what the crash and multi-node tests check:
 * instances by status, and per instance the history facts that must occur
 * exactly once (a timer fired, a task opened and completed, a job completed).
 */
import { QueryTypes, type Sequelize } from 'sequelize';

export interface CrashSummary {
  instances: number;
  active: number;
  completed: number;
  /** Instances whose history breaks a rule, with the rule. */
  violations: Array<{ instanceId: string; rule: string }>;
  tasksPerInstanceMax: number;
  timerFiredTotal: number;
  leftoverJobs: number;
}

export async function summarize(sequelize: Sequelize): Promise<CrashSummary> {
  const select = (sql: string) => sequelize.query(sql, { type: QueryTypes.SELECT }) as Promise<Array<Record<string, any>>>;
  const [counts] = await select(
    "SELECT count(*)::int AS instances, count(*) FILTER (WHERE status = 'active')::int AS active, count(*) FILTER (WHERE status = 'completed')::int AS completed FROM instances",
  );
  const perInstance = await select(`
    SELECT i.id,
      count(*) FILTER (WHERE h.type = 'instanceStarted')::int AS started,
      count(*) FILTER (WHERE h.type = 'instanceEnded')::int AS ended,
      count(*) FILTER (WHERE h.type = 'timerFired')::int AS timers,
      count(*) FILTER (WHERE h.type = 'taskOpened')::int AS opened,
      count(*) FILTER (WHERE h.type = 'taskCompleted')::int AS task_completed,
      count(*) FILTER (WHERE h.type = 'jobCompleted')::int AS jobs,
      count(*) FILTER (WHERE h.type = 'elementCompleted')::int AS elements
    FROM instances i LEFT JOIN history_events h ON h.instance_id = i.id
    GROUP BY i.id`);
  const violations: CrashSummary['violations'] = [];
  for (const row of perInstance) {
    const check = (ok: boolean, rule: string) => ok || violations.push({ instanceId: row.id, rule });
    check(row.started === 1, `instanceStarted ${row.started}×`);
    check(row.ended <= 1, `instanceEnded ${row.ended}×`);
    check(row.timers <= 1, `timer fired ${row.timers}×`);
    check(row.opened <= 1, `task opened ${row.opened}×`);
    check(row.task_completed <= 1, `task completed ${row.task_completed}×`);
    check(row.jobs <= 1, `job completed ${row.jobs}×`);
    if (row.ended === 1) {
      check(row.timers === 1 && row.opened === 1 && row.task_completed === 1 && row.jobs === 1, 'a completed instance misses a step in its history');
      // start, stamp, timer, approve, end
      check(row.elements === 5, `completed instance has ${row.elements} elementCompleted events, expected 5`);
    }
  }
  const [tasks] = await select('SELECT coalesce(max(n), 0)::int AS max FROM (SELECT count(*) AS n FROM tasks GROUP BY instance_id) t');
  const [fired] = await select("SELECT count(*)::int AS n FROM history_events WHERE type = 'timerFired'");
  const [jobs] = await select('SELECT count(*)::int AS n FROM jobs');
  return {
    instances: counts.instances,
    active: counts.active,
    completed: counts.completed,
    violations,
    tasksPerInstanceMax: tasks.max,
    timerFiredTotal: fired.n,
    leftoverJobs: jobs.n,
  };
}
