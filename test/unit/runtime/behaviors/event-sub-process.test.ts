import path from 'node:path';
import { InvalidInputError } from '../../../../engine/src/errors';
import {
  InstanceDriver,
  activatedElements,
  completedElements,
  loadFixture,
  ms,
  ofType,
  openedTasks,
  T0,
  terminatedElements,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'event-sub-process.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/event-sub-process', () => {
  describe('timer start', () => {
    it('should schedule the timers of the event sub-processes when the instance starts', async () => {
      // given
      const run = await driver('esp-timer');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'timerScheduled').map((e) => [e.timer.elementId, e.timer.dueAt])).toEqual([
        ['RemindStart', T0 + ms('PT1H')],
        ['ExpiryStart', T0 + ms('P1D')],
      ]);
    });

    it('should run a non-interrupting timer event sub-process beside the main flow, once per cycle', async () => {
      // given
      const run = await driver('esp-timer');
      run.start();

      // when
      const first = run.fireTimer('RemindStart');

      // then
      expect(activatedElements(first)).toEqual(['Reminders', 'RemindStart', 'Remind']);
      expect(terminatedElements(first)).toEqual([]);
      expect(run.task('Work')).toBeDefined();
      expect(run.timer('RemindStart').dueAt).toBe(T0 + ms('PT2H'));

      // when
      run.fireTimer('RemindStart');

      // then
      expect(run.waits('task', 'Remind')).toHaveLength(2);
      expect(run.waits('timer', 'RemindStart')).toEqual([]);
    });

    it('should wait for a running non-interrupting event sub-process before completing', async () => {
      // given
      const run = await driver('esp-timer');
      run.start();
      run.fireTimer('RemindStart');

      // when
      const effects = run.completeTask('Work');

      // then
      expect(run.status).toBe('active');
      expect(ofType(effects, 'timerCancelled')).toEqual([]);

      // when
      const ended = run.completeTask('Remind');

      // then
      expect(completedElements(ended)).toEqual(['Remind', 'RemindEnd', 'Reminders']);
      expect(ofType(ended, 'timerCancelled').length).toBe(2);
      expect(run.status).toBe('completed');
    });

    it('should cancel the event sub-process timers when the process completes', async () => {
      // given
      const run = await driver('esp-timer');
      run.start();

      // when
      const effects = run.completeTask('Work');

      // then
      expect(ofType(effects, 'timerCancelled')).toHaveLength(2);
      expect(run.status).toBe('completed');
      expect(run.current.waits).toEqual({});
    });

    it('should terminate everything else when an interrupting timer event sub-process starts', async () => {
      // given
      const run = await driver('esp-timer');
      run.start();
      run.fireTimer('RemindStart');

      // when
      const effects = run.fireTimer('ExpiryStart');

      // then
      expect(terminatedElements(effects).sort()).toEqual(['Remind', 'Reminders', 'Work']);
      expect(ofType(effects, 'timerCancelled')).toHaveLength(1); // the next RemindStart repetition
      expect(completedElements(effects)).toEqual(['ExpiryStart', 'Expire', 'ExpiryEnd', 'Expiry']);
      expect(run.status).toBe('completed');
    });
  });

  describe('message start', () => {
    it('should subscribe the message starts with their correlation keys', async () => {
      // given
      const run = await driver('esp-message');

      // when
      const effects = run.start({ dossierId: 'HS-9' });

      // then
      expect(ofType(effects, 'messageSubscribed').map((e) => [e.subscription.elementId, e.subscription.correlationKey])).toEqual([
        ['M_CancelStart', 'HS-9'],
        ['M_NoteStart', 'HS-9'],
      ]);
    });

    it('should run a non-interrupting message event sub-process and keep listening', async () => {
      // given
      const run = await driver('esp-message');
      run.start({ dossierId: 'HS-9' });

      // when
      const effects = run.deliverMessage('M_NoteStart', { note: 'call back' });

      // then
      expect(completedElements(effects)).toEqual(['M_NoteStart', 'M_File', 'M_NoteEnd', 'M_Notes']);
      expect(run.variables.note).toBe('call back');
      expect(run.task('M_Work')).toBeDefined();
      expect(run.waits('message').map((w) => w.elementId)).toEqual(['M_CancelStart', 'M_NoteStart']);
    });

    it('should interrupt the process on an interrupting message start', async () => {
      // given
      const run = await driver('esp-message');
      run.start({ dossierId: 'HS-9' });

      // when
      const effects = run.deliverMessage('M_CancelStart', { reason: 'withdrawn' });

      // then
      expect(terminatedElements(effects)).toEqual(['M_Work']);
      expect(ofType(effects, 'messageUnsubscribed')).toHaveLength(1); // the note start
      expect(openedTasks(effects)).toEqual(['M_ConfirmCancel']);
      expect(run.waits('message')).toEqual([]);

      // when
      run.completeTask('M_ConfirmCancel');

      // then
      expect(run.status).toBe('completed');
      expect(run.variables.reason).toBe('withdrawn');
    });
  });

  describe('error start', () => {
    it('should catch a job error and terminate the rest of the process', async () => {
      // given
      const run = await driver('esp-error');
      run.start();

      // when
      const effects = run.throwError('R_Work', 'FAIL', { cause: 'disk' });

      // then
      expect(ofType(effects, 'errorThrown')[0]).toMatchObject({ errorCode: 'FAIL', caught: true });
      expect(terminatedElements(effects).sort()).toEqual(['R_Other', 'R_Work']);
      expect(openedTasks(effects)).toEqual(['R_Recover']);
      expect(run.variables.cause).toBe('disk');

      // when
      run.completeTask('R_Recover');

      // then
      expect(run.status).toBe('completed');
    });
  });

  describe('escalation start', () => {
    it('should start a non-interrupting escalation event sub-process and continue after the throw', async () => {
      // given
      const run = await driver('esp-escalation');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'escalationThrown')[0]).toMatchObject({ escalationCode: 'HELP', caught: true });
      expect(openedTasks(effects).sort()).toEqual(['E_Help', 'E_Work']);

      // when
      run.completeTask('E_Work');
      run.completeTask('E_Help');

      // then
      expect(run.status).toBe('completed');
    });

    it('should interrupt the thrower with an interrupting escalation event sub-process', async () => {
      // given
      const run = await driver('esp-escalation-interrupting');

      // when
      const effects = run.start();

      // then
      expect(terminatedElements(effects)).toEqual(['I_AskHelp']);
      expect(openedTasks(effects)).toEqual(['I_Supervisor']);

      // when
      run.completeTask('I_Supervisor');

      // then
      expect(run.status).toBe('completed');
    });
  });

  describe('signal start', () => {
    it('should start a non-interrupting signal event sub-process on every signal', async () => {
      // given
      const run = await driver('esp-signal');
      run.start();

      // when
      run.deliverSignal('ping');
      run.deliverSignal('ping');

      // then
      expect(run.waits('task', 'S_Answer')).toHaveLength(2);
      expect(run.task('S_Work')).toBeDefined();
    });

    it('should terminate everything on an interrupting signal start', async () => {
      // given
      const run = await driver('esp-signal');
      run.start();
      run.deliverSignal('ping');

      // when
      const effects = run.deliverSignal('abort');

      // then
      expect(terminatedElements(effects).sort()).toEqual(['S_Answer', 'S_Pings', 'S_Work']);
      expect(completedElements(effects)).toEqual(['S_AbortStart', 'S_Clean', 'S_AbortEnd', 'S_Abort']);
      expect(run.status).toBe('completed');
      expect(run.current.waits).toEqual({});
    });
  });

  describe('a start expression that fails when the instance starts', () => {
    it('should refuse the start command with a typed error, not crash', async () => {
      // given
      const run = await driver('esp-timer-expression');

      // when
      const attempt = () => run.start({});

      // then
      expect(attempt).toThrow(InvalidInputError);
      expect(run.state).toBeUndefined();
    });

    it('should start when the expression can be evaluated', async () => {
      // given
      const run = await driver('esp-timer-expression');

      // when
      const effects = run.start({ reminderAfter: 'PT3H' });

      // then
      expect(ofType(effects, 'timerScheduled')[0].timer).toMatchObject({ elementId: 'X_RemindStart', dueAt: T0 + ms('PT3H') });
    });
  });
});
