import path from 'node:path';
import {
  InstanceDriver,
  activatedElements,
  completedElements,
  loadFixture,
  ofType,
  openedTasks,
  takenFlows,
  T0,
  ms,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'event-based-gateway.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/event-based-gateway', () => {
  it('should open a wait for every event after the gateway', async () => {
    // given
    const run = await driver('event-based');

    // when
    const effects = run.start({ dossierId: 'HS-3' });

    // then
    expect(ofType(effects, 'messageSubscribed')[0].subscription).toMatchObject({ elementId: 'Paid', correlationKey: 'HS-3' });
    expect(ofType(effects, 'timerScheduled')[0].timer).toMatchObject({ elementId: 'Timeout', dueAt: T0 + ms('PT24H') });
    expect(activatedElements(effects)).toEqual(['Start', 'Race']);
    expect(run.activeElements).toEqual(['Race']);
  });

  it('should follow the message when it comes first and cancel the timer', async () => {
    // given
    const run = await driver('event-based');
    run.start({ dossierId: 'HS-3' });
    const timer = run.timer('Timeout').id;

    // when
    const effects = run.deliverMessage('Paid', { receipt: 'R-1' });

    // then
    expect(ofType(effects, 'timerCancelled')).toEqual([{ type: 'timerCancelled', timerId: timer }]);
    expect(completedElements(effects)).toEqual(['Race', 'Paid']);
    expect(takenFlows(effects)).toEqual(['Flow_paid', 'Flow_2']);
    expect(openedTasks(effects)).toEqual(['Process']);
    expect(run.variables.receipt).toBe('R-1');
    expect(run.waits().map((w) => w.kind)).toEqual(['task']);
  });

  it('should follow the timer when it fires first and drop the message subscription', async () => {
    // given
    const run = await driver('event-based');
    run.start({ dossierId: 'HS-3' });
    const subscription = run.subscription('Paid').id;

    // when
    const effects = run.fireTimer('Timeout');

    // then
    expect(ofType(effects, 'messageUnsubscribed')).toEqual([{ type: 'messageUnsubscribed', subscriptionId: subscription }]);
    expect(completedElements(effects)).toEqual(['Race', 'Timeout', 'Close', 'ClosedEnd']);
    expect(run.status).toBe('completed');
    expect(run.current.waits).toEqual({});
  });

  it('should treat a receive task after the gateway as one of the events', async () => {
    // given
    const run = await driver('event-based-receive');
    run.start({ dossierId: 'HS-4' });

    // when
    const effects = run.deliverMessage('R_Document', { pages: 2 });

    // then
    expect(ofType(effects, 'signalUnsubscribed')).toHaveLength(1);
    expect(completedElements(effects)).toEqual(['R_Race', 'R_Document', 'R_End']);
    expect(run.status).toBe('completed');
    expect(run.variables.pages).toBe(2);
  });

  it('should follow a signal after the gateway', async () => {
    // given
    const run = await driver('event-based-receive');
    run.start({ dossierId: 'HS-4' });

    // when
    const effects = run.deliverSignal('abort');

    // then
    expect(ofType(effects, 'messageUnsubscribed')).toHaveLength(1);
    expect(completedElements(effects)).toEqual(['R_Race', 'R_Abort', 'R_AbortEnd']);
    expect(run.status).toBe('completed');
  });
});
