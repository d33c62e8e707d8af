/**
 * Working time on the engine, on both databases, with the real Vietnamese
 * calendar (onestop/src/clocks) and an injected clock: a dossier received on
 * Friday 13/2/2026 at 16:00, the last working day before the Tết break (Sat
 * 14/2–Sun 22/2/2026). Every timer fires at its working moment (not a
 * millisecond before) and every due date lands after the break.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../../engine/src/engine';
import { JobExecutor } from '../../../engine/src/jobs/job-executor';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { vietnameseCalendars } from '../../../onestop/src/clocks';
import { openTestDatabase, testDatabases } from '../../support/databases';

const xml = readFileSync(join(__dirname, '../../fixtures/engine/working-time-tet.bpmn'), 'utf8');
/** A Vietnamese local time (UTC+7). */
const vn = (text: string): number => Date.parse(`${text}+07:00`);

describe.each(testDatabases())('working time on $name', ({ name }) => {
  let store: EngineStore;
  let engine: Engine;
  let executor: JobExecutor;
  let clock: number;

  beforeAll(async () => {
    const db = await openTestDatabase(name);
    store = createSequelizeEngineStore(db);
    engine = new Engine({ store, now: () => clock, calendars: vietnameseCalendars() });
    executor = new JobExecutor({ engine, now: () => clock, onError: (e) => { throw e; } });
  });

  afterAll(async () => {
    await store.close();
  });

  async function openTask(instanceId: string, elementId: string) {
    const task = (await store.tasks({ instanceId, state: 'open' })).find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no open task '${elementId}'`);
    return task;
  }

  async function fired(instanceId: string): Promise<string[]> {
    const history = await store.history(instanceId);
    return history.filter((h) => h.type === 'elementCompleted' && ['warned', 'lateEnd', 'cool', 'signWarned'].includes(h.elementId ?? '')).map((h) => h.elementId!);
  }

  /** Runs the executor a millisecond before `at` (nothing of ours fires) and at `at` (`elementId` completes). */
  async function expectFiresAt(instanceId: string, at: number, elementId: string): Promise<void> {
    const before = await fired(instanceId);
    clock = at - 1;
    await executor.runOnce();
    expect(await fired(instanceId)).toEqual(before);
    clock = at;
    await executor.runOnce();
    expect(await fired(instanceId)).toEqual([...before, elementId]);
  }

  it('should deploy without a warning when the engine has a calendar', async () => {
    clock = vn('2026-02-13T15:00:00');
    const result = await engine.deploy(xml);
    expect(result.warnings).toEqual([]);
  });

  it('should count a dossier received before Tết on the working days after the break', async () => {
    // given: received Friday 13/2/2026 16:00, after the 15:00 cut-off
    clock = vn('2026-02-13T16:00:00');

    // when
    const { instanceId } = await engine.startInstance({ processId: 'working-time-tet' });

    // then: the appointment: 3 working days from Monday 23/2 07:30 → Wednesday 25/2 17:00
    expect((await engine.variables(instanceId)).appointmentAt).toBe(new Date(vn('2026-02-25T17:00:00')).toISOString());
    // the examination: 2 working days from Friday 16:00 (7/8 of the day) → Tuesday 24/2 16:00
    expect((await openTask(instanceId, 'examine')).dueAt).toBe(vn('2026-02-24T16:00:00'));
    const timers = await store.jobs({ instanceId, kind: 'timer' });
    expect(Object.fromEntries(timers.map((t) => [t.elementId, t.dueAt]))).toEqual({
      warn: vn('2026-02-23T16:00:00'), // 1 working day before the task's due date
      late: vn('2026-02-24T10:30:00'), // 12 working hours: 1 on Friday, 8 on Monday, 3 on Tuesday
    });
    // nothing fires during the break
    clock = vn('2026-02-22T23:59:59');
    await executor.runOnce();
    expect(await fired(instanceId)).toEqual([]);

    // when / then: each timer at its working moment
    await expectFiresAt(instanceId, vn('2026-02-23T16:00:00'), 'warned');
    await expectFiresAt(instanceId, vn('2026-02-24T10:30:00'), 'lateEnd');

    // when: the examination ends Tuesday 11:00
    clock = vn('2026-02-24T11:00:00');
    await engine.completeTask((await openTask(instanceId, 'examine')).id);

    // then: 4 working hours: 11:00–11:30 and 13:00–16:30
    await expectFiresAt(instanceId, vn('2026-02-24T16:30:00'), 'cool');

    // then: "same day" after the 15:00 cut-off: the close of the next working day
    const sign = await openTask(instanceId, 'sign');
    expect(sign.dueAt).toBe(vn('2026-02-25T17:00:00'));
    // a FEEL timer: one working hour before the appointment
    await expectFiresAt(instanceId, vn('2026-02-25T16:00:00'), 'signWarned');

    // when
    clock = vn('2026-02-25T16:30:00');
    await engine.completeTask(sign.id);

    // then
    expect(await store.jobs({ instanceId })).toEqual([]);
    expect((await store.history(instanceId)).some((h) => h.type === 'instanceEnded')).toBe(true);
  });

  it('should start the clock at once for a dossier received before the cut-off', async () => {
    clock = vn('2026-02-13T10:00:00');
    const { instanceId } = await engine.startInstance({ processId: 'working-time-tet' });
    // 3 working days from Friday 10:00 (2.5/8 of the day) → Wednesday 25/2 10:00
    expect((await engine.variables(instanceId)).appointmentAt).toBe(new Date(vn('2026-02-25T10:00:00')).toISOString());
    await engine.cancelInstance(instanceId);
  });
});
