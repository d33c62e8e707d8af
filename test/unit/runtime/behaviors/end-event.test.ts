import path from 'node:path';
import {
  InstanceDriver,
  completedElements,
  createdJobs,
  loadFixture,
  ofType,
  openedTasks,
  terminatedElements,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'end-event.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/end-event', () => {
  describe('none end event', () => {
    it('should complete the instance in one step when nothing waits', async () => {
      // given
      const run = await driver('end-none');

      // when
      const effects = run.start({ a: 1 });

      // then
      expect(completedElements(effects)).toEqual(['Start', 'Task', 'End']);
      expect(ofType(effects, 'instanceEnded')).toEqual([{ type: 'instanceEnded', status: 'completed', variables: { a: 1 } }]);
      expect(run.status).toBe('completed');
      expect(run.current.endedAt).toBe(run.now);
    });
  });

  describe('terminate end event', () => {
    it('should terminate the parallel branches and complete the instance', async () => {
      // given
      const run = await driver('end-terminate');
      run.start();
      expect(openedTasks(run.effects)).toEqual(['T_A', 'T_B', 'T_C']);
      const b = run.task('T_B').id;
      const c = run.task('T_C').id;

      // when
      const effects = run.completeTask('T_A');

      // then
      expect(terminatedElements(effects).sort()).toEqual(['T_B', 'T_C']);
      expect(ofType(effects, 'taskCancelled').map((e) => e.taskId).sort()).toEqual([b, c].sort());
      expect(completedElements(effects)).toEqual(['T_A', 'T_Terminate']);
      expect(ofType(effects, 'instanceEnded')[0].status).toBe('completed');
      expect(run.current.waits).toEqual({});
    });
  });

  describe('error end event', () => {
    it('should be caught by the error boundary event of the enclosing sub-process', async () => {
      // given
      const run = await driver('end-error');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'errorThrown')).toEqual([
        { type: 'errorThrown', errorCode: 'REJECTED', elementId: 'E_ErrorEnd', caught: true },
      ]);
      expect(terminatedElements(effects)).toEqual(['E_ErrorEnd', 'E_Sub']);
      expect(completedElements(effects)).toContain('E_Caught');
      expect(completedElements(effects)).not.toContain('E_Sub');
      expect(openedTasks(effects)).toEqual(['E_Handle']);
    });

    it('should raise an incident when nothing catches the error', async () => {
      // given
      const run = await driver('end-error-uncaught');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'errorThrown')[0]).toMatchObject({ errorCode: 'REJECTED', caught: false });
      expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'U_ErrorEnd', kind: 'unhandledError' });
      expect(run.status).toBe('active');
    });
  });

  describe('escalation end event', () => {
    it('should trigger the non-interrupting escalation boundary and let the sub-process complete', async () => {
      // given
      const run = await driver('end-escalation');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'escalationThrown')).toEqual([
        { type: 'escalationThrown', escalationCode: 'LATE', elementId: 'S_EscalationEnd', caught: true },
      ]);
      expect(completedElements(effects)).toEqual(expect.arrayContaining(['S_EscalationEnd', 'S_Sub', 'S_Noticed']));
      expect(terminatedElements(effects)).toEqual([]);
      expect(openedTasks(effects).sort()).toEqual(['S_After', 'S_Notify']);
    });
  });

  describe('message end event', () => {
    it('should create a job and complete when the job completes', async () => {
      // given
      const run = await driver('end-message');

      // when
      const started = run.start({ dossierId: 'D-1' });

      // then
      expect(ofType(started, 'jobCreated')[0].job).toMatchObject({ elementId: 'M_SendReceipt', jobType: 'send-receipt', retries: 5 });
      expect(run.status).toBe('active');

      // when
      const effects = run.completeJob('M_SendReceipt');

      // then
      expect(completedElements(effects)).toEqual(['M_SendReceipt']);
      expect(run.status).toBe('completed');
      expect(createdJobs(run.effects)).toEqual(['send-receipt']);
    });
  });

  describe('signal end event', () => {
    it('should broadcast the signal and complete', async () => {
      // given
      const run = await driver('end-signal');

      // when
      const effects = run.start();

      // then
      expect(ofType(effects, 'signalThrown')).toEqual([{ type: 'signalThrown', signalName: 'dossier-closed', variables: {} }]);
      expect(completedElements(effects)).toEqual(['G_Start', 'G_SignalEnd']);
      expect(run.status).toBe('completed');
    });
  });
});
