import path from 'node:path';
import {
  InstanceDriver,
  activatedElements,
  completedElements,
  loadFixture,
  openedTasks,
  takenFlows,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'parallel-gateway.bpmn');

async function driver(): Promise<InstanceDriver> {
  const { graph } = await loadFixture(FIXTURE);
  return new InstanceDriver(graph);
}

describe('runtime/behaviors/parallel-gateway', () => {
  it('should fork a token on every outgoing flow', async () => {
    // given
    const run = await driver();

    // when
    const effects = run.start();

    // then
    expect(takenFlows(effects)).toEqual(expect.arrayContaining(['Flow_a', 'Flow_v', 'Flow_l', 'Flow_l_join']));
    expect(openedTasks(effects)).toEqual(['Appraise', 'Verify']);
    expect(completedElements(effects)).toContain('Log');
    expect(activatedElements(effects)).not.toContain('Join');
    expect(Object.values(run.current.joins)).toEqual([{ Flow_l_join: 1 }]);
  });

  it('should join only when a token arrived on every incoming flow', async () => {
    // given
    const run = await driver();
    run.start();

    // when
    const first = run.completeTask('Verify');

    // then
    expect(activatedElements(first)).toEqual([]);
    expect(Object.values(run.current.joins)).toEqual([{ Flow_l_join: 1, Flow_v_join: 1 }]);

    // when
    const second = run.completeTask('Appraise');

    // then
    expect(activatedElements(second)).toEqual(['Join', 'Approve']);
    expect(openedTasks(second)).toEqual(['Approve']);
    expect(run.current.joins).toEqual({});
  });

  it('should complete the instance after the joined branch ends', async () => {
    // given
    const run = await driver();
    run.start();
    run.completeTask('Appraise');
    run.completeTask('Verify');

    // when
    run.completeTask('Approve');

    // then
    expect(run.status).toBe('completed');
    expect(completedElements(run.effects).filter((id) => id === 'Join')).toHaveLength(1);
  });
});
