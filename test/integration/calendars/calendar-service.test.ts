/**
 * Replacing calendar data on both databases: a year's schedule and an agency's
 * hours are validated, stored with a change record, reloaded at the next start;
 * open tasks due by statutory time get new due dates, never after the instance's
 * appointment; an appointment already set never moves.
 */
import { createSequelizeCalendarDataStore } from '../../../engine/src/store-sequelize/calendar-store';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../../engine/src/engine';
import { InvalidInputError } from '../../../engine/src/errors';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { CalendarService } from '../../../api/src/calendars/calendar-service';
import { bundledYears, CalendarRegistry } from '../../../onestop/src/clocks';
import { openTestDatabase, testDatabases } from '../../support/databases';

const xml = readFileSync(join(__dirname, '../../fixtures/engine/working-time-tet.bpmn'), 'utf8');
const vn = (text: string): number => Date.parse(`${text}+07:00`);

/** 2026 with Monday 23/2 off too, swapped with Saturday 28/2 (and each of `more` [off, worked]). */
function longerTet(...more: Array<[off: string, worked: string]>): unknown {
  const year = structuredClone(bundledYears().find((y) => y.year === 2026)!);
  for (const [off, worked] of [['2026-02-23', '2026-02-28'], ...more]) {
    year.daysOff.push({ date: off, kind: 'swapped', workedOn: worked, ground: 'test notice' } as never);
    year.workingDays.push({ date: worked, replaces: off, ground: 'test notice' } as never);
  }
  year.daysOff.sort((a, b) => a.date.localeCompare(b.date));
  year.workingDays.sort((a, b) => a.date.localeCompare(b.date));
  return year;
}

describe.each(testDatabases())('calendar service on $name', ({ name }) => {
  let db: Database;
  let store: EngineStore;
  let engine: Engine;
  let service: CalendarService;
  let clock: number;

  beforeAll(async () => {
    db = await openTestDatabase(name);
    store = createSequelizeEngineStore(db);
    clock = vn('2026-02-13T16:00:00');
    service = await CalendarService.open({ store: createSequelizeCalendarDataStore(db), now: () => clock });
    engine = new Engine({ store, now: () => clock, calendars: service.registry.provider, taskWarning: { amount: 1, unit: 'workingDays' } });
    await engine.deploy(xml);
  });

  afterAll(async () => {
    await store.close();
  });

  async function examine(instanceId: string) {
    return (await store.tasks({ instanceId, state: 'open' })).find((t) => t.elementId === 'examine')!;
  }

  it('should recompute open due dates on a replaced year and keep the appointment', async () => {
    // given: received Friday 13/2/2026 16:00, before Tết
    clock = vn('2026-02-13T16:00:00');
    const { instanceId } = await engine.startInstance({ processId: 'working-time-tet' });
    const appointment = (await engine.variables(instanceId)).appointmentAt;
    expect((await examine(instanceId)).dueAt).toBe(vn('2026-02-24T16:00:00'));

    // when: Monday 23/2 becomes a day off
    clock = vn('2026-02-20T09:00:00');
    const change = await service.replaceYear(engine, 2026, longerTet(), 'admin.h29');

    // then: the task's 2 working days now end Wednesday; its warning the working day before
    const task = await examine(instanceId);
    expect(task.dueAt).toBe(vn('2026-02-25T16:00:00'));
    const [row] = (await db.sequelize.query('SELECT follow_up_at FROM tasks WHERE id = $1', { bind: [task.id], type: 'SELECT' })) as Array<{ follow_up_at: Date }>;
    expect(row.follow_up_at.getTime()).toBe(vn('2026-02-24T16:00:00'));
    expect((await engine.variables(instanceId)).appointmentAt).toBe(appointment);
    expect(change).toMatchObject({ kind: 'year', key: '2026', actor: 'admin.h29', recomputedTasks: 1, at: clock });
    expect((change.before as { daysOff: Array<{ date: string }> }).daysOff.map((d) => d.date)).not.toContain('2026-02-23');
    expect((await service.changes())[0]).toMatchObject({ id: change.id, kind: 'year', key: '2026', recomputedTasks: 1 });

    // and: a new receipt counts on the new data
    clock = vn('2026-02-13T16:00:00');
    const next = await engine.startInstance({ processId: 'working-time-tet' });
    expect((await engine.variables(next.instanceId)).appointmentAt).toBe(new Date(vn('2026-02-26T17:00:00')).toISOString());

    // and: the next start of the service loads the stored year
    const reopened = await CalendarService.open({ store: createSequelizeCalendarDataStore(db), now: () => clock, registry: new CalendarRegistry() });
    expect(reopened.year(2026)!.daysOff.map((d) => d.date)).toContain('2026-02-23');
    await engine.cancelInstance(instanceId);
    await engine.cancelInstance(next.instanceId);
  });

  it('should never move a task past the appointment when days off are added, and record the move in its history', async () => {
    // given: on the schedule with Monday 23/2 off, received Friday 13/2/2026 16:00 (after the cut-off): appointment Thursday 26/2 17:00
    clock = vn('2026-02-13T16:00:00');
    await service.replaceYear(engine, 2026, longerTet(), 'admin.h29');
    const { instanceId } = await engine.startInstance({ processId: 'working-time-tet' });
    const appointment = (await engine.variables(instanceId)).appointmentAt;
    expect(appointment).toBe(new Date(vn('2026-02-26T17:00:00')).toISOString());
    const task = await examine(instanceId);
    expect(task.dueAt).toBe(vn('2026-02-25T16:00:00'));

    // when: Tuesday 24/2 and Wednesday 25/2 become days off too (Saturdays 7/3 and 14/3 worked)
    clock = vn('2026-02-20T09:00:00');
    const change = await service.replaceYear(engine, 2026, longerTet(['2026-02-24', '2026-03-07'], ['2026-02-25', '2026-03-14']), 'admin.h29');

    // then: the task's 2 working days would end Friday 27/2 16:00; it is due at the appointment, which stays
    expect((await examine(instanceId)).dueAt).toBe(vn('2026-02-26T17:00:00'));
    expect((await engine.variables(instanceId)).appointmentAt).toBe(appointment);
    expect(change).toMatchObject({ recomputedTasks: 1 });
    expect((await service.changes())[0]).toMatchObject({ id: change.id, recomputedTasks: 1 });
    // and: the move is a step of the instance, by the admin
    const moves = (await store.history(instanceId)).filter((h) => h.type === 'taskUpdated');
    expect(moves).toMatchObject([{ actor: 'admin.h29', data: { taskId: task.id, changes: { dueAt: vn('2026-02-26T17:00:00') } } }]);
    await engine.cancelInstance(instanceId);
  });

  it('should refuse a bad schedule naming the field, and change nothing', async () => {
    const bad = structuredClone(longerTet()) as { holidays: Array<{ date: string }> };
    bad.holidays[0].date = '2026-13-01';
    const before = await service.changes();

    await expect(service.replaceYear(engine, 2026, bad)).rejects.toThrow(InvalidInputError);
    await expect(service.replaceYear(engine, 2026, bad)).rejects.toMatchObject({ details: { field: expect.stringMatching(/^body\.holidays\.0/) } });
    await expect(service.replaceYear(engine, 2025, longerTet())).rejects.toThrow("the schedule's /year is 2026, but it is loaded as 2025");
    await expect(service.replaceYear(engine, 2031, { ...(longerTet() as object), year: 2031 })).rejects.toThrow(InvalidInputError);
    expect(await service.changes()).toEqual(before);
  });

  it("should replace an agency's hours, record it, and refuse bad hours naming the field", async () => {
    const change = await service.replaceAgency(engine, '000.00.15.H29', { weekdays: { '6': [{ start: '07:30', end: '11:30' }] } }, 'admin.h29');
    expect(change).toMatchObject({ kind: 'agency', key: '000.00.15.H29', after: { weekdays: { '6': [{ start: '07:30', end: '11:30' }] } } });
    expect(service.agency('000.00.15.H29')).toEqual({ weekdays: { '6': [{ start: '07:30', end: '11:30' }] } });

    await expect(service.replaceAgency(engine, '000.00.15.H29', { weekdays: { '7': [] } })).rejects.toMatchObject({ details: { field: 'body.weekdays.7' } });
    await expect(service.replaceAgency(engine, '000.00.15.H29', { hours: [] })).rejects.toThrow('unknown field hours');
    expect(service.agency('000.00.15.H29')).toEqual({ weekdays: { '6': [{ start: '07:30', end: '11:30' }] } });
  });
});
