/**
 * The inbox queries use the task indexes of migration 0001, not a sequential scan:
 * EXPLAIN of a first page on 100,000 tasks (20 agencies, a fifth of them open).
 */
import { QueryTypes } from 'sequelize';
import type { Database } from '../../engine/src/store-sequelize/connect';
import { createSequelizeTaskStore, inboxSql } from '../../engine/src/store-sequelize/sequelize-task-store';
import type { InboxQuery } from '../../engine/src/store/task-store';
import { openTestDatabase, testDatabases } from '../support/databases';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe.each(testDatabases())('inbox query plans on $name', (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(target.name);
    await db.sequelize.query(`
      INSERT INTO tasks (id, instance_id, definition_id, process_id, element_id, name, assignee, candidate_groups, candidate_users, agency, state, due_at, created_at)
      SELECT 't-' || g,
             'i-' || (g / 3),
             'permit:1:abc',
             'permit',
             'examine',
             'Examine',
             CASE WHEN g % 7 = 0 THEN 'user-' || (g % 500) END,
             CASE g % 3 WHEN 0 THEN ARRAY['desk'] WHEN 1 THEN ARRAY['head'] ELSE ARRAY['tax'] END,
             '{}',
             'agency-' || ((g / 5) % 20),
             CASE WHEN g % 5 = 0 THEN 'open' ELSE 'completed' END,
             timestamptz '2026-01-01' + (g % 365) * interval '1 day',
             timestamptz '2025-12-01'
      FROM generate_series(1, 100000) AS g`);
    await db.sequelize.query('ANALYZE tasks');
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  async function plan(query: InboxQuery): Promise<PlanNode[]> {
    const { text, bind } = inboxSql(query);
    const rows = (await db.sequelize.query(`EXPLAIN (FORMAT JSON) ${text}`, { bind, type: QueryTypes.SELECT })) as Array<{ 'QUERY PLAN': unknown }>;
    const raw = rows[0]['QUERY PLAN'];
    const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
    return nodes(parsed[0].Plan);
  }

  const expectIndexed = (all: PlanNode[]) => {
    const onTasks = all.filter((n) => n['Relation Name'] === 'tasks' || /^tasks_/.test(n['Index Name'] ?? ''));
    expect(onTasks.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    expect(all.some((n) => /Index/.test(n['Node Type']) && /^tasks_/.test(n['Index Name'] ?? ''))).toBe(true);
  };

  it('should serve an official’s first page from an index', async () => {
    const all = await plan({ visibility: { agency: 'agency-3', user: { id: 'user-3', groups: ['desk'] } }, limit: 50 });
    expectIndexed(all);
  });

  it('should serve "assigned to me" and an agency admin’s inbox from an index', async () => {
    expectIndexed(await plan({ visibility: { agency: 'agency-3', user: { id: 'user-3', groups: ['desk'] } }, scope: 'assigned', limit: 50 }));
    expectIndexed(await plan({ visibility: { agency: 'agency-3' }, limit: 50 }));
    expectIndexed(await plan({ visibility: { agency: 'agency-3' }, order: 'desc', overdueAt: Date.parse('2026-06-01'), limit: 50 }));
  });

  it('should page through an agency inbox in due order without gaps or repeats', async () => {
    // given
    const store = createSequelizeTaskStore(db);
    const query: InboxQuery = { visibility: { agency: 'agency-7', user: { id: 'user-7', groups: ['desk', 'head'] } }, limit: 200 };

    // when
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.inbox({ ...query, cursor });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);

    // then
    const [{ n }] = (await db.sequelize.query(
      `SELECT count(*)::int AS n FROM tasks WHERE agency = 'agency-7' AND state = 'open'
         AND (assignee = 'user-7' OR (assignee IS NULL AND candidate_groups && ARRAY['desk', 'head']))`,
      { type: QueryTypes.SELECT },
    )) as Array<{ n: number }>;
    expect(n).toBeGreaterThan(300);
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  }, 60_000);
});
