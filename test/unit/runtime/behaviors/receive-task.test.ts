import path from 'node:path';
import { NotFoundError } from '../../../../engine/src/errors';
import { InstanceDriver, completedElements, loadFixture, ofType, terminatedElements } from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'receive-task.bpmn');

async function driver(): Promise<InstanceDriver> {
  const { graph } = await loadFixture(FIXTURE);
  return new InstanceDriver(graph);
}

describe('runtime/behaviors/receive-task', () => {
  it('should subscribe to its message and open its boundary timer', async () => {
    // given
    const run = await driver();

    // when
    const effects = run.start({ dossierId: 'HS-5' });

    // then
    expect(ofType(effects, 'messageSubscribed')[0].subscription).toMatchObject({
      elementId: 'WaitDocument',
      messageName: 'supplementary-document',
      correlationKey: 'HS-5',
    });
    expect(ofType(effects, 'timerScheduled')[0].timer.elementId).toBe('GiveUp');
  });

  it('should complete with the message variables and cancel the boundary timer', async () => {
    // given
    const run = await driver();
    run.start({ dossierId: 'HS-5' });

    // when
    const effects = run.deliverMessage('WaitDocument', { document: 'giay-phep.pdf' });

    // then
    expect(completedElements(effects)).toEqual(['WaitDocument', 'End']);
    expect(ofType(effects, 'timerCancelled')).toHaveLength(1);
    expect(run.variables.document).toBe('giay-phep.pdf');
  });

  it('should refuse a message of another name', async () => {
    // given
    const run = await driver();
    run.start({ dossierId: 'HS-5' });

    // when / then
    expect(() => run.send({ type: 'deliverMessage', waitId: run.subscription('WaitDocument').id, messageName: 'other' })).toThrow(NotFoundError);
  });

  it('should give up when the boundary timer fires', async () => {
    // given
    const run = await driver();
    run.start({ dossierId: 'HS-5' });

    // when
    const effects = run.fireTimer('GiveUp');

    // then
    expect(terminatedElements(effects)).toEqual(['WaitDocument']);
    expect(ofType(effects, 'messageUnsubscribed')).toHaveLength(1);
    expect(run.status).toBe('completed');
  });
});
