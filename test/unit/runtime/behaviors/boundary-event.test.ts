import path from 'node:path';
import {
  InstanceDriver,
  completedElements,
  loadFixture,
  ms,
  ofType,
  openedTasks,
  T0,
  terminatedElements,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'boundary-event.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/boundary-event', () => {
  describe('timer, interrupting', () => {
    it('should schedule the timer when the activity starts waiting', async () => {
      // given
      const run = await driver('boundary-timer');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'timerScheduled').map((e) => e.timer)).toEqual([
        { id: run.timer('Overdue').id, elementId: 'Overdue', elementInstanceKey: run.task('Review').owner, dueAt: T0 + ms('PT1H') },
      ]);
    });

    it('should terminate the activity and take the boundary flow when the timer fires', async () => {
      // given
      const run = await driver('boundary-timer');
      run.start();
      const review = run.task('Review').id;

      // when
      const effects = run.fireTimer('Overdue');

      // then
      expect(terminatedElements(effects)).toEqual(['Review']);
      expect(ofType(effects, 'taskCancelled')).toEqual([{ type: 'taskCancelled', taskId: review }]);
      expect(completedElements(effects)).toEqual(['Overdue']);
      expect(openedTasks(effects)).toEqual(['Escalate']);
      expect(run.waits('task').map((w) => w.elementId)).toEqual(['Escalate']);
    });

    it('should cancel the timer when the activity completes first', async () => {
      // given
      const run = await driver('boundary-timer');
      run.start();
      const timer = run.timer('Overdue').id;

      // when
      const effects = run.completeTask('Review');

      // then
      expect(ofType(effects, 'timerCancelled')).toEqual([{ type: 'timerCancelled', timerId: timer }]);
      expect(run.status).toBe('completed');
    });
  });

  describe('timer cycle, non-interrupting', () => {
    it('should fire R3/PT1H three times while the task stays open', async () => {
      // given
      const run = await driver('boundary-timer-cycle');
      run.start();
      const task = run.task('C_Review').id;

      // when
      const dueTimes: number[] = [];
      for (let i = 0; i < 3; i++) {
        dueTimes.push(run.timer('C_Reminder').dueAt);
        const effects = run.fireTimer('C_Reminder');

        // then (every time)
        expect(completedElements(effects)).toEqual(['C_Reminder', 'C_Remind', 'C_RemindEnd']);
        expect(terminatedElements(effects)).toEqual([]);
        expect(run.task('C_Review').id).toBe(task);
      }

      // then
      expect(dueTimes).toEqual([T0 + ms('PT1H'), T0 + ms('PT2H'), T0 + ms('PT3H')]);
      expect(run.waits('timer')).toEqual([]);
      expect(ofType(run.effects, 'timerScheduled')).toHaveLength(3);
      expect(run.status).toBe('active');

      // when
      run.completeTask('C_Review');

      // then
      expect(run.status).toBe('completed');
    });
  });

  describe('message', () => {
    it('should subscribe both boundary messages with the correlation key', async () => {
      // given
      const run = await driver('boundary-message');

      // when
      const effects = run.start({ dossierId: 'HS-1' });

      // then
      expect(ofType(effects, 'messageSubscribed').map((e) => [e.subscription.elementId, e.subscription.messageName, e.subscription.correlationKey])).toEqual([
        ['M_Withdrawn', 'withdrawn', 'HS-1'],
        ['M_Supplement', 'supplement', 'HS-1'],
      ]);
    });

    it('should keep the activity on a non-interrupting message and take the boundary flow each time', async () => {
      // given
      const run = await driver('boundary-message');
      run.start({ dossierId: 'HS-1' });

      // when
      const effects = run.deliverMessage('M_Supplement', { pages: 3 });

      // then
      expect(openedTasks(effects)).toEqual(['M_CheckSupplement']);
      expect(terminatedElements(effects)).toEqual([]);
      expect(run.variables.pages).toBe(3);
      expect(ofType(effects, 'messageSubscribed').map((e) => e.subscription.elementId)).toEqual(['M_Supplement']);
      expect(run.waits('message').map((w) => w.elementId)).toEqual(['M_Withdrawn', 'M_Supplement']);
      expect(run.waits('task').map((w) => w.elementId).sort()).toEqual(['M_CheckSupplement', 'M_Review']);

      // when
      run.deliverMessage('M_Supplement', { pages: 4 });

      // then
      expect(run.waits('task', 'M_CheckSupplement')).toHaveLength(2);
      expect(run.variables.pages).toBe(4);
    });

    it('should terminate the activity on an interrupting message and drop its other subscriptions', async () => {
      // given
      const run = await driver('boundary-message');
      run.start({ dossierId: 'HS-1' });
      const supplement = run.subscription('M_Supplement').id;

      // when
      const effects = run.deliverMessage('M_Withdrawn', { reason: 'applicant' });

      // then
      expect(terminatedElements(effects)).toEqual(['M_Review']);
      expect(ofType(effects, 'messageUnsubscribed')).toEqual([{ type: 'messageUnsubscribed', subscriptionId: supplement }]);
      expect(completedElements(effects)).toEqual(['M_Withdrawn', 'M_WithdrawnEnd']);
      expect(run.variables.reason).toBe('applicant');
      expect(run.status).toBe('completed');
    });
  });

  describe('error', () => {
    it('should catch a job error by its code on the matching boundary', async () => {
      // given
      const run = await driver('boundary-error');
      run.start();
      const job = run.job('R_Charge').id;

      // when
      const effects = run.throwError('R_Charge', 'DECLINED', { bank: 'VCB' });

      // then
      expect(ofType(effects, 'errorThrown')).toEqual([{ type: 'errorThrown', errorCode: 'DECLINED', elementId: 'R_Charge', caught: true }]);
      expect(ofType(effects, 'jobErrorThrown')).toEqual([{ type: 'jobErrorThrown', jobId: job, errorCode: 'DECLINED', errorMessage: undefined }]);
      expect(ofType(effects, 'jobCompleted')).toEqual([]);
      expect(terminatedElements(effects)).toEqual(['R_Charge']);
      expect(openedTasks(effects)).toEqual(['R_AskAgain']);
      expect(run.variables).toEqual({ bank: 'VCB' });
    });

    it('should catch any other code on the catch-all boundary', async () => {
      // given
      const run = await driver('boundary-error');
      run.start();

      // when
      const effects = run.throwError('R_Charge', 'TIMEOUT');

      // then
      expect(openedTasks(effects)).toEqual(['R_Investigate']);
    });
  });

  describe('escalation', () => {
    it('should catch an escalation from an end event inside the sub-process and interrupt it', async () => {
      // given
      const run = await driver('boundary-escalation');
      run.start();

      // when
      const effects = run.completeTask('E_Assess', { level: 'high' });

      // then
      expect(ofType(effects, 'escalationThrown')[0]).toMatchObject({ escalationCode: 'HIGH', elementId: 'E_HighEnd', caught: true });
      expect(terminatedElements(effects)).toEqual(['E_HighEnd', 'E_Sub']);
      expect(openedTasks(effects)).toEqual(['E_Director']);
    });

    it('should catch an escalation from a throw event without interrupting the sub-process', async () => {
      // given
      const run = await driver('boundary-escalation');
      run.start();

      // when
      const effects = run.completeTask('E_Assess', { level: 'low' });

      // then
      expect(ofType(effects, 'escalationThrown')[0]).toMatchObject({ escalationCode: 'LOW', caught: true });
      expect(terminatedElements(effects)).toEqual([]);
      expect(completedElements(effects)).toEqual(expect.arrayContaining(['E_Low', 'E_Note', 'E_NoteEnd', 'E_LowThrow']));
      expect(openedTasks(effects)).toEqual(['E_Finish']);

      // when
      run.completeTask('E_Finish');

      // then
      expect(run.status).toBe('completed');
    });
  });

  describe('signal', () => {
    it('should take a non-interrupting signal boundary and keep the task', async () => {
      // given
      const run = await driver('boundary-signal');
      run.start();

      // when
      const effects = run.deliverSignal('ping');

      // then
      expect(completedElements(effects)).toEqual(['S_Ping', 'S_Pong', 'S_PongEnd']);
      expect(run.waits('signal').map((w) => w.elementId)).toEqual(['S_Abort', 'S_Ping']);
      expect(run.task('S_Review')).toBeDefined();

      // when
      const again = run.deliverSignal('ping');

      // then
      expect(completedElements(again)).toEqual(['S_Ping', 'S_Pong', 'S_PongEnd']);
    });

    it('should terminate the task on an interrupting signal boundary', async () => {
      // given
      const run = await driver('boundary-signal');
      run.start();

      // when
      const effects = run.deliverSignal('abort-all');

      // then
      expect(terminatedElements(effects)).toEqual(['S_Review']);
      expect(ofType(effects, 'signalUnsubscribed').map((e) => e.subscriptionId)).toEqual([expect.any(String)]);
      expect(run.waits()).toEqual([]);
      expect(run.status).toBe('completed');
    });
  });
});
