/**
 * Reads what process mining needs from the engine's tables, read-only: the instances of a
 * procedure, agency and period (with their definition), their history events, their user
 * tasks, and whether each was started by staff or by an applicant. Returns plain records
 * ({@link MiningSource}) for onestop/src/mining to build its log from; nothing else here.
 *
 * ## Applicants
 * The one who started an instance is an applicant unless it is a user with a staff role
 * (official, agency admin, analyst): an applicant leaves this file only as the caller's
 * keyed pseudonym. Only the task events keep their actor (officials, the resources of
 * mining); every other event is returned without one.
 *
 * ## Cost
 * Cases are read in chunks of {@link CHUNK} instances, each chunk's history and tasks by
 * `instance_id = ANY(...)` (the history primary key and the tasks' instance index);
 * `maxCases` bounds the whole read (one more case than allowed is an error for the caller,
 * who asks for a narrower period rather than a silently cut log).
 *
 * The history feed moves behind a store port (issue 13); this is the one file to change then.
 */
import { parseStoredEvents } from '../../../engine/src/index';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { ms, opt } from '../../../engine/src/store-sequelize/rows';
import type { MiningSourceCase, MiningSourceEvent, MiningSourceTask } from '../mining/build-log';
import type { MiningLogQuery, MiningLogRead } from '../mining/log-source';

const CHUNK = 500;
const STAFF_ROLES = ['official', 'agency-admin', 'analyst'];
/** The events mining reads; the task events keep their actor. */
const STEP_EVENTS = new Set(['elementActivated', 'elementCompleted', 'elementTerminated', 'taskOpened']);
const TASK_EVENTS = new Set(['taskClaimed', 'taskUnclaimed', 'taskAssigned', 'taskCompleted']);

interface CaseRow {
  id: string;
  process_id: string;
  version: number;
  definition_id: string;
  name: string | null;
  agency: string | null;
  status: string;
  started_at: Date | string;
  ended_at: Date | string | null;
}

interface HistoryRow {
  instance_id: string;
  at: Date | string;
  actor: string | null;
  events: unknown;
}

interface TaskRow {
  id: string;
  instance_id: string;
  element_id: string;
  element_instance_key: number | null;
  name: string | null;
  agency: string | null;
  assignee: string | null;
  state: MiningSourceTask['state'];
  due_at: Date | string | null;
  completed_by: string | null;
}


/** Reads the mining source of the cases `query` selects, oldest first. */
export async function readMiningSource(db: Database, query: MiningLogQuery): Promise<MiningLogRead> {
  const select = async <T>(sql: string, bind: unknown[]): Promise<T[]> => (await db.sequelize.query(sql, { bind, type: 'SELECT', raw: true })) as T[];
  const where: string[] = [];
  const bind: unknown[] = [];
  const add = (value: unknown) => `$${bind.push(value)}`;
  if (query.processId !== undefined) where.push(`i.process_id = ${add(query.processId)}`);
  if (query.agency !== undefined) where.push(`d.agency = ${add(query.agency)}`);
  if (query.from !== undefined) where.push(`i.started_at >= ${add(new Date(query.from).toISOString())}::timestamptz`);
  if (query.to !== undefined) where.push(`i.started_at < ${add(new Date(query.to).toISOString())}::timestamptz`);
  const caseRows = await select<CaseRow>(
    `SELECT i.id, i.process_id, d.version, d.id AS definition_id, d.name, d.agency, i.status, i.started_at, i.ended_at
       FROM instances i JOIN definitions d ON d.id = i.definition_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY i.started_at, i.id
      LIMIT ${add(query.maxCases + 1)}`,
    bind,
  );
  const truncated = caseRows.length > query.maxCases;
  const chosen = caseRows.slice(0, query.maxCases);

  const events: MiningSourceEvent[] = [];
  const tasks: MiningSourceTask[] = [];
  const starters = new Map<string, string>();
  for (let i = 0; i < chosen.length; i += CHUNK) {
    const ids = chosen.slice(i, i + CHUNK).map((c) => c.id);
    const history = await select<HistoryRow>('SELECT instance_id, at, actor, events FROM history WHERE instance_id = ANY($1::text[]) ORDER BY instance_id, id', [ids]);
    for (const row of history) {
      // Through the engine's history parser: a row written by hand that is not a list of
      // events has none, a malformed event is left out.
      const { events: list } = parseStoredEvents(row.events);
      if (!list) continue;
      for (const parsed of list) {
        if (!parsed.ok) continue;
        const { type, ...data } = parsed.event as { type: string } & Record<string, unknown>;
        if (type === 'instanceStarted' && row.actor !== null && !starters.has(row.instance_id)) starters.set(row.instance_id, row.actor);
        if (typeof type !== 'string' || !(STEP_EVENTS.has(type) || TASK_EVENTS.has(type))) continue;
        events.push({ caseId: row.instance_id, at: ms(row.at)!, type, data, ...(TASK_EVENTS.has(type) && row.actor !== null ? { actor: row.actor } : {}) });
      }
    }
    const taskRows = await select<TaskRow>(
      `SELECT id, instance_id, element_id, element_instance_key, name, agency, assignee, state, due_at, completed_by
         FROM tasks WHERE instance_id = ANY($1::text[]) ORDER BY instance_id, created_at, id`,
      [ids],
    );
    for (const t of taskRows) {
      tasks.push({
        id: t.id,
        caseId: t.instance_id,
        elementId: t.element_id,
        elementInstanceKey: opt(t.element_instance_key),
        name: opt(t.name),
        agency: opt(t.agency),
        assignee: opt(t.assignee),
        state: t.state,
        dueAt: t.due_at === null ? undefined : ms(t.due_at),
        completedBy: opt(t.completed_by),
      });
    }
  }

  const starterIds = [...new Set(starters.values())];
  const staff = new Set(
    starterIds.length === 0
      ? []
      : (await select<{ id: string }>(`SELECT id FROM users WHERE id = ANY($1::text[]) AND roles && $2::text[]`, [starterIds, STAFF_ROLES])).map((u) => u.id),
  );
  const cases: MiningSourceCase[] = chosen.map((c) => {
    const starter = starters.get(c.id);
    return {
      id: c.id,
      processId: c.process_id,
      processVersion: c.version,
      definitionId: c.definition_id,
      procedureName: opt(c.name),
      agency: opt(c.agency),
      ...(starter === undefined ? {} : staff.has(starter) ? { receivedBy: starter } : { applicant: query.pseudonymise(starter) }),
      status: c.status,
      startedAt: ms(c.started_at)!,
      endedAt: c.ended_at === null ? undefined : ms(c.ended_at),
    };
  });
  return { cases, events, tasks, truncated };
}
