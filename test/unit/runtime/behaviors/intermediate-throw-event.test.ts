import path from 'node:path';
import {
  InstanceDriver,
  completedElements,
  loadFixture,
  ofType,
  openedTasks,
  terminatedElements,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'intermediate-throw-event.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/intermediate-throw-event', () => {
  it('should pass through a none throw event', async () => {
    // given
    const run = await driver('throw-none');

    // when
    const effects = run.start();

    // then
    expect(completedElements(effects)).toEqual(['Start', 'Milestone', 'End']);
  });

  describe('message', () => {
    it('should run a message throw event as a job with its headers', async () => {
      // given
      const run = await driver('throw-message');

      // when
      const started = run.start({ phone: '0900' });

      // then
      expect(ofType(started, 'jobCreated')[0].job).toMatchObject({
        elementId: 'M_Notify',
        jobType: 'notify-applicant',
        retries: 3,
        headers: { channel: 'sms' },
        variables: { phone: '0900' },
      });

      // when
      const effects = run.completeJob('M_Notify', { sentAt: 'now' });

      // then
      expect(completedElements(effects)).toEqual(['M_Notify']);
      expect(openedTasks(effects)).toEqual(['M_Next']);
      expect(run.variables).toEqual({ phone: '0900', sentAt: 'now' });
    });
  });

  describe('signal', () => {
    it('should broadcast the signal as an effect and continue', async () => {
      // given
      const run = await driver('throw-signal');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'signalThrown')).toEqual([{ type: 'signalThrown', signalName: 'dossier-ready', variables: {} }]);
      expect(completedElements(effects)).toEqual(['S_Start', 'S_Ready', 'S_End']);
    });
  });

  describe('escalation', () => {
    it('should trigger a non-interrupting boundary and continue after the throw', async () => {
      // given
      const run = await driver('throw-escalation');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'escalationThrown')).toEqual([
        { type: 'escalationThrown', escalationCode: 'ATTENTION', elementId: 'E_Escalate', caught: true },
      ]);
      expect(completedElements(effects)).toEqual(expect.arrayContaining(['E_Escalate', 'E_Noticed']));
      expect(openedTasks(effects).sort()).toEqual(['E_Continue', 'E_Supervise']);
      expect(terminatedElements(effects)).toEqual([]);
    });

    it('should stop at an interrupting boundary: the sub-process and the throw event are terminated', async () => {
      // given
      const run = await driver('throw-escalation-interrupting');

      // when
      const effects = run.start();

      // then
      expect(terminatedElements(effects)).toEqual(['I_Escalate', 'I_Sub']);
      expect(completedElements(effects)).not.toContain('I_Escalate');
      expect(openedTasks(effects)).toEqual(['I_TakeOver']);
    });

    it('should continue when nothing catches the escalation (no incident)', async () => {
      // given
      const run = await driver('throw-escalation-uncaught');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'escalationThrown')[0]).toMatchObject({ escalationCode: 'ATTENTION', caught: false });
      expect(ofType(effects, 'incidentRaised')).toEqual([]);
      expect(openedTasks(effects)).toEqual(['X_Next']);
    });
  });
});
