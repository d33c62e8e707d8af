import path from 'node:path';
import { InstanceDriver, completedElements, loadFixture, ofType } from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'task.bpmn');

describe('runtime/behaviors/task (plain and manual)', () => {
  it('should pass through a plain task and a manual task without waiting', async () => {
    // given
    const { graph } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graph);

    // when
    const effects = run.start();

    // then
    expect(completedElements(effects)).toEqual(['Start', 'Plain', 'Manual', 'End']);
    expect(ofType(effects, 'elementCompleted').map((e) => e.elementType)).toEqual(['startEvent', 'task', 'manualTask', 'endEvent']);
    expect(run.status).toBe('completed');
  });

  it('should apply the output mappings of a plain task', async () => {
    // given
    const { graph } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graph);

    // when
    run.start();

    // then
    expect(run.variables).toEqual({ plainMark: 'seen' });
  });
});
