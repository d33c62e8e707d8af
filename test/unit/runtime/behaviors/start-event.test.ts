import path from 'node:path';
import { InvalidInputError } from '../../../../engine/src/errors';
import {
  InstanceDriver,
  activatedElements,
  completedElements,
  loadFixture,
  ofType,
  openedTasks,
  T0,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'start-event.bpmn');

async function driver(processId = 'start-events'): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/start-event', () => {
  describe('none start event', () => {
    it('should start at the none start event and reach the first wait', async () => {
      // given
      const run = await driver();

      // when
      const effects = run.start({ dossierId: 'D-1' });

      // then
      expect(effects[0]).toEqual({
        type: 'instanceStarted',
        processId: 'start-events',
        definitionId: 'start-events:1',
        variables: { dossierId: 'D-1' },
      });
      expect(activatedElements(effects)).toEqual(['StartNone', 'Work']);
      expect(completedElements(effects)).toEqual(['StartNone']);
      expect(openedTasks(effects)).toEqual(['Work']);
      expect(run.status).toBe('active');
      expect(run.variables).toEqual({ dossierId: 'D-1' });
      expect(run.current.startedAt).toBe(T0);
    });

    it('should record the business key', async () => {
      // given
      const run = await driver();

      // when
      const effects = run.start({}, { businessKey: 'HS-2025-001' });

      // then
      expect(ofType(effects, 'instanceStarted')[0].businessKey).toBe('HS-2025-001');
      expect(run.current.businessKey).toBe('HS-2025-001');
    });

    it('should complete the instance when the last token ends', async () => {
      // given
      const run = await driver();
      run.start();

      // when
      const effects = run.completeTask('Work');

      // then
      expect(completedElements(effects)).toEqual(['Work', 'End']);
      expect(ofType(effects, 'instanceEnded')).toEqual([{ type: 'instanceEnded', status: 'completed', variables: {} }]);
      expect(run.status).toBe('completed');
      expect(Object.keys(run.current.elements)).toEqual(['0']); // only the process scope, which keeps the variables
      expect(run.current.waits).toEqual({});
    });
  });

  describe('message start event', () => {
    it('should start at the message start event with the message variables', async () => {
      // given
      const run = await driver();

      // when
      const effects = run.start({ orderId: 'O-7' }, { startEventId: 'StartMessage' });

      // then
      expect(activatedElements(effects)).toEqual(['StartMessage', 'Work']);
      expect(run.variables).toEqual({ orderId: 'O-7' });
    });

    it('should refuse a none start on a process that has only a message start', async () => {
      // given
      const run = await driver('start-message-only');

      // when / then
      expect(() => run.start()).toThrow(InvalidInputError);
      expect(run.state).toBeUndefined();
    });

    it('should start a message-only process at its message start event', async () => {
      // given
      const run = await driver('start-message-only');

      // when
      const effects = run.start({}, { startEventId: 'OnlyMessage' });

      // then
      expect(completedElements(effects)).toEqual(['OnlyMessage', 'OnlyEnd']);
      expect(run.status).toBe('completed');
    });
  });

  describe('timer start event', () => {
    it('should start at the timer start event', async () => {
      // given
      const run = await driver();

      // when
      const effects = run.start({}, { startEventId: 'StartTimer' });

      // then
      expect(activatedElements(effects)).toEqual(['StartTimer', 'Work']);
      expect(ofType(effects, 'timerScheduled')).toEqual([]);
    });
  });

  describe('start command', () => {
    it('should refuse an unknown start event, naming the field', async () => {
      // given
      const run = await driver();

      // when
      const attempt = () => run.start({}, { startEventId: 'Nope' });

      // then
      expect(attempt).toThrow(InvalidInputError);
      expect(attempt).toThrow(expect.objectContaining({ details: { field: 'startEventId' } }));
    });

    it('should refuse to start at an element that is not a start event', async () => {
      // given
      const run = await driver();

      // when / then
      expect(() => run.start({}, { startEventId: 'Work' })).toThrow(InvalidInputError);
    });
  });
});
