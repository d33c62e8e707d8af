/**
 * In-transaction step listeners: what the dossier layer builds on. A listener writes its
 * own rows in the command's transaction (they commit with the step), a failing listener
 * rolls the whole command back, and commands no listener wants keep the one-statement path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, type StepListener } from '../../../engine/src/engine';
import type { Effect } from '../../../engine/src/runtime/effects';
import { ROOT } from '../../../engine/src/runtime/state';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import type { EngineStore } from '../../../engine/src/store/ports';
import { openTestDatabase, testDatabases } from '../../support/databases';

const xml = readFileSync(join(__dirname, '../../fixtures/engine/reference.bpmn'), 'utf8');

/** A listener that logs the task effects it is shown into its own table, through the transaction's SQL. */
function taskLog(): StepListener {
  return {
    wants: (effect) => effect.type === 'taskOpened' || effect.type === 'taskCompleted',
    async onStep(tx, step) {
      const types = step.effects.filter((e) => e.type === 'taskOpened' || e.type === 'taskCompleted').map((e) => e.type);
      await tx.sql.run('INSERT INTO listener_log (instance_id, revision, types) VALUES ($1, $2, $3)', [step.instance.id, step.instance.revision, types.join(',')]);
    },
  };
}

describe.each(testDatabases())('engine step listeners on $name', ({ name }) => {
  let db: Database;
  let store: EngineStore;
  let calls: Record<string, number>;

  beforeAll(async () => {
    db = await openTestDatabase(name);
    await db.sequelize.query('CREATE TABLE listener_log (instance_id text NOT NULL, revision int NOT NULL, types text NOT NULL)');
    await db.sequelize.query(`CREATE FUNCTION fail_serialization() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated conflict' USING ERRCODE = '40001'; END $$`);
    const real = createSequelizeEngineStore(db);
    // Counts which path each command took.
    calls = { transaction: 0, applyStepIfCurrent: 0, applyStartIfLatest: 0 };
    store = new Proxy(real, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof key === 'string' && key in calls && typeof value === 'function') {
          return (...args: unknown[]) => {
            calls[key]++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return value;
      },
    });
  });

  afterAll(async () => {
    await store.close();
  });

  beforeEach(async () => {
    await db.sequelize.query('DELETE FROM listener_log');
    for (const key of Object.keys(calls)) calls[key] = 0;
  });

  const logged = async () => (await db.sequelize.query('SELECT instance_id, revision, types FROM listener_log ORDER BY revision', { type: 'SELECT' })) as Array<{ instance_id: string; revision: number; types: string }>;

  async function openTaskOf(instanceId: string, elementId: string): Promise<string> {
    const task = (await store.tasks({ instanceId, state: 'open' })).find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no open task ${elementId}`);
    return task.id;
  }

  it('should commit the rows a listener writes with the step it was shown', async () => {
    // given
    const engine = new Engine({ store, listeners: [taskLog()] });
    await engine.deploy(xml);

    // when
    const { instanceId } = await engine.startInstance({ processId: 'reference', variables: { approved: false } });
    await engine.completeTask(await openTaskOf(instanceId, 'examine'));

    // then
    expect(await logged()).toEqual([
      { instance_id: instanceId, revision: 1, types: 'taskOpened' },
      { instance_id: instanceId, revision: 2, types: 'taskCompleted' },
    ]);
  });

  it('should roll the whole command back when a listener throws', async () => {
    // given a second listener that refuses completions
    const refusing: StepListener = {
      wants: (effect: Effect) => effect.type === 'taskCompleted',
      onStep: async () => {
        throw new Error('the dossier layer refuses this step');
      },
    };
    const engine = new Engine({ store, listeners: [taskLog(), refusing] });
    await engine.deploy(xml);
    const { instanceId } = await engine.startInstance({ processId: 'reference', variables: { approved: false } });
    const taskId = await openTaskOf(instanceId, 'examine');
    const before = await store.instance(instanceId);
    const historyBefore = await store.history(instanceId);

    // when
    await expect(engine.completeTask(taskId)).rejects.toThrow('the dossier layer refuses this step');

    // then nothing of the command is stored: state, task, history, the other listener's row
    const after = await store.instance(instanceId);
    expect(after?.revision).toBe(before?.revision);
    expect(after?.state).toEqual(before?.state);
    expect((await store.tasks({ instanceId, state: 'open' })).map((t) => t.id)).toEqual([taskId]);
    expect(await store.history(instanceId)).toEqual(historyBefore);
    expect((await logged()).map((r) => r.types)).toEqual(['taskOpened']);
  });

  it('should keep the one-statement path for commands no listener wants, and take a transaction for those it wants', async () => {
    // given two engines: one whose listener wants only incidents, one whose listener wants completions
    const wanting = (type: Effect['type']): StepListener => ({ wants: (e) => e.type === type, onStep: async () => undefined });
    const quiet = new Engine({ store, listeners: [wanting('incidentRaised')] });
    const listened = new Engine({ store, listeners: [wanting('taskCompleted')] });
    await quiet.deploy(xml);
    const { instanceId: first } = await quiet.startInstance({ processId: 'reference', variables: { approved: false } });
    const { instanceId: second } = await listened.startInstance({ processId: 'reference', variables: { approved: false } });

    // when each completes a task of an instance it remembers
    for (const key of Object.keys(calls)) calls[key] = 0;
    await quiet.completeTask(await openTaskOf(first, 'examine'));
    const quietCalls = { ...calls };
    for (const key of Object.keys(calls)) calls[key] = 0;
    await listened.completeTask(await openTaskOf(second, 'examine'));

    // then the unwanted completion was one guarded statement, the wanted one a transaction
    expect(quietCalls).toEqual({ transaction: 0, applyStepIfCurrent: 1, applyStartIfLatest: 0 });
    expect(calls).toEqual({ transaction: 1, applyStepIfCurrent: 0, applyStartIfLatest: 0 });
  });

  it('should keep the one-statement path for instances a listener does not want, and show it the steps of those it wants', async () => {
    // given a listener that wants completions, but only of instances started with a `dossierId`
    const seen: string[] = [];
    const dossiersOnly: StepListener = {
      wantsInstance: (instance) => typeof instance.state.elements[ROOT]?.vars?.dossierId === 'string',
      wants: (e) => e.type === 'taskCompleted',
      onStep: async (_tx, step) => {
        seen.push(step.instance.id);
      },
    };
    const engine = new Engine({ store, listeners: [dossiersOnly] });
    await engine.deploy(xml);
    const { instanceId: plain } = await engine.startInstance({ processId: 'reference', variables: { approved: false } });
    const { instanceId: dossier } = await engine.startInstance({ processId: 'reference', variables: { approved: false, dossierId: 'd-1' } });

    // when each completes a task of an instance it remembers
    for (const key of Object.keys(calls)) calls[key] = 0;
    await engine.completeTask(await openTaskOf(plain, 'examine'));
    const plainCalls = { ...calls };
    for (const key of Object.keys(calls)) calls[key] = 0;
    await engine.completeTask(await openTaskOf(dossier, 'examine'));

    // then the plain instance's completion was one guarded statement and unseen; the dossier's a transaction, seen
    expect(plainCalls).toEqual({ transaction: 0, applyStepIfCurrent: 1, applyStartIfLatest: 0 });
    expect(calls).toEqual({ transaction: 1, applyStepIfCurrent: 0, applyStartIfLatest: 0 });
    expect(seen).toEqual([dossier]);
  });

  it('should run the command again, whole, when the database reports a serialization failure (a typed error from the adapter)', async () => {
    // given: a listener whose first write fails with a real SQLSTATE 40001 raised by the database
    let attempts = 0;
    const flaky: StepListener = {
      wants: (effect) => effect.type === 'taskOpened',
      async onStep(tx, step) {
        attempts++;
        if (attempts === 1) await tx.sql.select('SELECT fail_serialization()');
        await tx.sql.run('INSERT INTO listener_log (instance_id, revision, types) VALUES ($1, $2, $3)', [step.instance.id, step.instance.revision, 'retried']);
      },
    };
    const engine = new Engine({ store, listeners: [flaky] });
    await engine.deploy(xml);

    // when
    const { instanceId } = await engine.startInstance({ processId: 'reference', variables: { approved: false } });

    // then: the first attempt left nothing behind, the second committed once
    expect(attempts).toBe(2);
    expect(await logged()).toEqual([{ instance_id: instanceId, revision: 1, types: 'retried' }]);
    expect((await store.tasks({ instanceId, state: 'open' })).length).toBe(1);
  });

  it('should hand other database errors to the caller untouched, after one attempt', async () => {
    // given
    let attempts = 0;
    const broken: StepListener = {
      wants: (effect) => effect.type === 'taskOpened',
      async onStep(tx) {
        attempts++;
        await tx.sql.select('SELECT * FROM no_such_table');
      },
    };
    const engine = new Engine({ store, listeners: [broken] });
    await engine.deploy(xml);

    // when / then
    await expect(engine.startInstance({ processId: 'reference', variables: { approved: false } })).rejects.toThrow(/no_such_table/);
    expect(attempts).toBe(1);
  });
});
