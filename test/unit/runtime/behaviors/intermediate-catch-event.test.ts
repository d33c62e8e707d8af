import path from 'node:path';
import {
  InstanceDriver,
  completedElements,
  loadFixture,
  ms,
  ofType,
  T0,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'intermediate-catch-event.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/intermediate-catch-event', () => {
  describe('timer', () => {
    it('should schedule a duration timer from now and continue when it fires', async () => {
      // given
      const run = await driver('catch-timer');

      // when
      const started = run.start({ delay: 'PT2H' });

      // then
      expect(ofType(started, 'timerScheduled').map((e) => e.timer)).toEqual([
        { id: run.timer('WaitOneHour').id, elementId: 'WaitOneHour', elementInstanceKey: expect.any(Number), dueAt: T0 + ms('PT1H') },
      ]);

      // when
      const fired = run.fireTimer('WaitOneHour');

      // then
      expect(ofType(fired, 'timerFired')).toHaveLength(1);
      expect(completedElements(fired)).toEqual(['WaitOneHour']);
      expect(ofType(fired, 'timerScheduled')[0].timer).toMatchObject({ elementId: 'WaitDelay', dueAt: T0 + ms('PT1H') + ms('PT2H') });
    });

    it('should evaluate a FEEL duration and schedule a timeDate timer at that date', async () => {
      // given
      const run = await driver('catch-timer');
      run.start({ delay: 'PT30M' });
      run.fireTimer('WaitOneHour');

      // when
      const effects = run.fireTimer('WaitDelay');

      // then
      expect(ofType(effects, 'timerScheduled')[0].timer).toMatchObject({ elementId: 'WaitDate', dueAt: Date.UTC(2025, 1, 1) });

      // when
      const ended = run.fireTimer('WaitDate');

      // then
      expect(completedElements(ended)).toEqual(['WaitDate', 'End']);
      expect(run.status).toBe('completed');
    });

    it('should raise an incident for a timer expression that is not a duration, and retry it when resolved', async () => {
      // given
      const run = await driver('catch-timer');
      run.start({ delay: 'soon' });

      // when
      const effects = run.fireTimer('WaitOneHour');

      // then
      expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'WaitDelay', kind: 'expression', cause: 'timerInvalid' });
      expect(run.waits('timer')).toEqual([]);

      // when
      run.setVariables({ delay: 'PT5M' });
      const resolved = run.resolveIncident('WaitDelay');

      // then
      expect(ofType(resolved, 'incidentResolved')).toHaveLength(1);
      expect(ofType(resolved, 'timerScheduled')[0].timer).toMatchObject({ elementId: 'WaitDelay', dueAt: run.now + ms('PT5M') });
      expect(run.incidents()).toEqual([]);
    });
  });

  describe('message', () => {
    it('should subscribe with the evaluated correlation key and complete with the message variables', async () => {
      // given
      const run = await driver('catch-message');

      // when
      const started = run.start({ dossierId: 'HS-42' });

      // then
      expect(ofType(started, 'messageSubscribed')[0].subscription).toEqual({
        id: run.subscription('M_WaitPaid').id,
        elementId: 'M_WaitPaid',
        elementInstanceKey: expect.any(Number),
        messageName: 'fee-paid',
        correlationKey: 'HS-42',
      });

      // when
      const effects = run.deliverMessage('M_WaitPaid', { amount: 50000 });

      // then
      expect(ofType(effects, 'messageReceived')[0]).toMatchObject({ messageName: 'fee-paid' });
      expect(completedElements(effects)).toEqual(['M_WaitPaid', 'M_End']);
      expect(run.variables).toEqual({ dossierId: 'HS-42', amount: 50000 });
      expect(run.status).toBe('completed');
    });

    it('should raise an incident when the correlation key cannot be evaluated', async () => {
      // given
      const run = await driver('catch-message');

      // when
      const effects = run.start({});

      // then
      expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'M_WaitPaid', kind: 'expression', cause: 'wrongType', message: expect.stringContaining('did not evaluate to a string (got null)') });
      expect(ofType(effects, 'messageSubscribed')).toEqual([]);
    });
  });

  describe('signal', () => {
    it('should subscribe to the signal and complete when it is broadcast', async () => {
      // given
      const run = await driver('catch-signal');
      const started = run.start();
      expect(ofType(started, 'signalSubscribed')[0].subscription).toMatchObject({ elementId: 'S_WaitGo', signalName: 'go' });

      // when
      const other = run.deliverSignal('stop');

      // then
      expect(other).toEqual([]);

      // when
      const effects = run.deliverSignal('go', { by: 'director' });

      // then
      expect(completedElements(effects)).toEqual(['S_WaitGo', 'S_End']);
      expect(run.variables).toEqual({ by: 'director' });
      expect(run.status).toBe('completed');
    });
  });
});
