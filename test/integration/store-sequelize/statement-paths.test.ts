/**
 * A step reaches PostgreSQL in one of three ways: bound through the extended protocol as
 * one statement (`runBound`, real PostgreSQL) or in a batch of them (`runBatch`, a server's
 * multi-statement transactions, bound-pipeline.ts), or inlined as literals into `EXECUTE`
 * (`runPrepared`, the embedded database, pipelined-sql.ts). All must store exactly the same
 * rows, whatever the values hold.
 */
import type { Effect } from '../../../engine/src/runtime/effects';
import type { InstanceState } from '../../../engine/src/runtime/state';
import { withConnection, type Database } from '../../../engine/src/store-sequelize/connect';
import { runBatch } from '../../../engine/src/store-sequelize/bound-pipeline';
import { runBound, runPrepared } from '../../../engine/src/store-sequelize/pipelined-sql';
import { buildStepStatements } from '../../../engine/src/store-sequelize/step-writer';
import type { InstanceRecord } from '../../../engine/src/store/ports';
import { openTestDatabase } from '../../support/databases';

const AWKWARD = `it's a "dossier" \\ with ễ, a tab\t, a newline\n and $1 ? :name`;

function instance(id: string): InstanceRecord {
  return {
    id,
    definitionId: 'p:1:abc',
    processId: 'p',
    businessKey: AWKWARD,
    status: 'active',
    state: { id, status: 'active', note: AWKWARD, nested: { list: [1, null, 'x'] } } as unknown as InstanceState,
    revision: 1,
    startedAt: Date.UTC(2026, 10, 24, 3, 4, 5, 678),
  };
}

function effects(id: string): Effect[] {
  return [
    {
      type: 'taskOpened',
      task: {
        id: `${id}-t`,
        elementId: 'review',
        elementInstanceKey: 3,
        name: AWKWARD,
        assignee: null,
        candidateGroups: ['desk', "o'k", 'a\\b', 'ễ', 'with,comma', 'with"quote', 'NULL', ''],
        candidateUsers: [],
        dueAt: Date.UTC(2026, 11, 1, 10),
        facts: { agency: 'H29', note: AWKWARD },
      },
    },
    { type: 'timerScheduled', timer: { id: `${id}-j`, elementId: 'late', elementInstanceKey: 3, dueAt: Date.UTC(2026, 11, 2) } },
  ] as unknown as Effect[];
}

/** The step as the one statement of a bound batch inside a transaction, as a server's locking path sends it. */
const inBatch: typeof runBound = async (connection, text, values) => (await runBatch(connection, [{ text: 'BEGIN' }, { text, values }, { text: 'COMMIT' }]))[1];

describe('steps: bound, batched and inlined write the same rows (PostgreSQL)', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    await db.sequelize.query(
      `INSERT INTO deployments (id, name, created_at) VALUES ('d1', 'd', now());
       INSERT INTO definitions (id, process_id, version, deployment_id, xml, xml_hash, created_at) VALUES ('p:1:abc', 'p', 1, 'd1', '<x/>', 'h', now())`,
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  async function write(id: string, how: typeof runBound): Promise<unknown> {
    const [statement] = buildStepStatements(instance(id), effects(id), { now: Date.UTC(2026, 10, 24, 5), actor: AWKWARD }, { guarded: true, latestVersion: 1 })!;
    return withConnection(db, async (connection) => (await how(connection, statement.text, statement.values))[0]);
  }

  async function rows(id: string): Promise<unknown> {
    const strip = (row: Record<string, unknown>) => JSON.parse(JSON.stringify(row).replaceAll(id, 'ID')) as unknown;
    const [instances] = await db.sequelize.query(`SELECT business_key, status, state::text, revision, started_at, updated_at FROM instances WHERE id = '${id}'`);
    const [tasks] = await db.sequelize.query(`SELECT id, name, candidate_groups, candidate_users, agency, due_at, facts, created_at FROM tasks WHERE instance_id = '${id}'`);
    const [jobs] = await db.sequelize.query(`SELECT id, kind, due_at, headers, variables, payload FROM jobs WHERE instance_id = '${id}'`);
    const [history] = await db.sequelize.query(`SELECT actor, type, element_id, events::text, push FROM history WHERE instance_id = '${id}'`);
    const all = (list: unknown[]) => list.map((r) => strip(r as Record<string, unknown>));
    return { instances: all(instances), tasks: all(tasks), jobs: all(jobs), history: all(history) };
  }

  it('should store identical rows, quotes, backslashes, arrays, dates and JSON included', async () => {
    expect(await write('i-bound', runBound)).toEqual({ applied: 1 });
    expect(await write('i-inlined', runPrepared)).toEqual({ applied: 1 });
    expect(await write('i-batched', inBatch)).toEqual({ applied: 1 });
    const bound = await rows('i-bound');
    expect(bound).toEqual(await rows('i-inlined'));
    expect(bound).toEqual(await rows('i-batched'));
    expect(bound).toMatchObject({
      instances: [{ business_key: AWKWARD, revision: 1 }],
      tasks: [{ name: AWKWARD, candidate_groups: ['desk', "o'k", 'a\\b', 'ễ', 'with,comma', 'with"quote', 'NULL', ''], agency: 'H29' }],
    });
    const [row] = (bound as { instances: Array<{ state: string }> }).instances;
    expect(JSON.parse(row.state)).toMatchObject({ note: AWKWARD, nested: { list: [1, null, 'x'] } });
  });

  it('should apply nothing when the guard fails, by either path', async () => {
    // A newer version now exists: the guarded start must not apply.
    await db.sequelize.query(`INSERT INTO definitions (id, process_id, version, deployment_id, xml, xml_hash, created_at) VALUES ('p:2:def', 'p', 2, 'd1', '<y/>', 'h2', now())`);
    expect(await write('i-late-bound', runBound)).toEqual({ applied: 0 });
    expect(await write('i-late-inlined', runPrepared)).toEqual({ applied: 0 });
    expect(await write('i-late-batched', inBatch)).toEqual({ applied: 0 });
    const [left] = await db.sequelize.query(`SELECT count(*)::int AS n FROM instances WHERE id LIKE 'i-late-%'`);
    expect(left).toEqual([{ n: 0 }]);
  });

  it('should keep answering past the bound on named statements, and after the inlined path reset the connection', async () => {
    await withConnection(db, async (connection) => {
      // 600 texts, each run twice (a text is named on its second use): the first 500 (less those named above) get names, the rest run unnamed.
      for (let i = 0; i < 600; i += 1) {
        for (let twice = 0; twice < 2; twice += 1) {
          expect(await runBound(connection, `SELECT ${i}::int AS n, $1::text AS v`, [AWKWARD])).toEqual([{ n: i, v: AWKWARD }]);
        }
      }
      // Past the inlined path's own bound (500 per connection) it starts over with DEALLOCATE ALL.
      for (let i = 0; i < 520; i += 1) await runPrepared(connection, `SELECT ${i}::int AS n, $1::text AS v`, [AWKWARD]);
      for (let i = 0; i < 600; i += 50) {
        expect(await runBound(connection, `SELECT ${i}::int AS n, $1::text AS v`, [AWKWARD])).toEqual([{ n: i, v: AWKWARD }]);
      }
    });
  });
});
