/**
 * `task.followUp` on both databases: a task due by its statutory time gets its
 * warning before due in working time (one working day before, on the real
 * Vietnamese calendar across the 2026 Tết break), and the scanner reports it once,
 * when that moment has come and not before.
 */
import type { AppContext } from '../../../api/src/context';
import type { TaskEventPayload } from '../../../api/src/push';
import { Engine } from '../../../engine/src/engine';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import { vietnameseCalendars } from '../../../onestop/src/clocks';
import { openTestDatabase, testDatabases } from '../../support/databases';
import { contextOver, Inbox, openTask, sleep, startPush, type RunningPush, type TestContext } from './push-support';

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="d" targetNamespace="t">
  <bpmn:process id="follow-up" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="A" /></bpmn:extensionElements>
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="examine" />
    <bpmn:userTask id="examine">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="desk" />
        <motcua:facts statutoryTime="2" timeUnit="workingDays" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="examine" targetRef="e" />
    <bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
const vn = (text: string): number => Date.parse(`${text}+07:00`);

describe.each(testDatabases())('task.followUp on $name', ({ name }) => {
  let ctx: TestContext;
  let running: RunningPush;
  let clock = vn('2026-02-13T16:00:00');

  beforeAll(async () => {
    const db = await openTestDatabase(name);
    const store = createSequelizeEngineStore(db);
    const engine = new Engine({ store, now: () => clock, calendars: vietnameseCalendars(), taskWarning: { amount: 1, unit: 'workingDays' } });
    ctx = { ...contextOver(db), store, engine, now: () => clock };
    await engine.deploy(BPMN);
    running = await startPush(ctx);
  });

  afterAll(async () => {
    await running?.close();
    await ctx?.db.close();
  });

  it('should report the warning before due once, at its working moment', async () => {
    // given: received Friday 13/2/2026 16:00; due Tuesday 24/2 16:00 after the break
    const { instanceId } = await ctx.engine.startInstance({ processId: 'follow-up', actor: 'desk-a' });
    const task = await openTask(ctx, instanceId, 'examine');
    const desk = await new Inbox(running.url, 'desk-a').ready();
    try {
      // when: the scan runs during the break and just before Monday 23/2 16:00
      clock = vn('2026-02-20T10:00:00');
      expect(await running.push.scanOverdue()).toBe(0);
      clock = vn('2026-02-23T16:00:00');
      expect(await running.push.scanOverdue()).toBe(0);

      // when: just after
      clock = vn('2026-02-23T16:00:01');
      const reported = await running.push.scanOverdue();
      const again = await running.push.scanOverdue();

      // then
      expect([reported, again]).toEqual([1, 0]);
      const event = (await desk.waitFor('task.followUp', (e) => e.name === 'task.followUp')) as TaskEventPayload;
      expect(event.task).toMatchObject({ id: task.id, dueAt: new Date(vn('2026-02-24T16:00:00')).toISOString(), state: 'open' });
      await sleep(200);
      expect(desk.named('task.followUp')).toHaveLength(1);
      expect(desk.named('task.overdue')).toHaveLength(0);
    } finally {
      desk.close();
    }
  });
});
