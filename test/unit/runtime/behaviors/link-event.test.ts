import path from 'node:path';
import { InstanceDriver, activatedElements, completedElements, loadFixture, openedTasks, takenFlows } from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'link-event.bpmn');

describe('runtime/behaviors/link-event', () => {
  it('should jump from the link throw event to the catch event of the same name', async () => {
    // given
    const { graph } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graph);

    // when
    const effects = run.start();

    // then
    expect(activatedElements(effects)).toEqual(['Start', 'GoToReview', 'ReviewLink', 'Review']);
    expect(completedElements(effects)).toEqual(['Start', 'GoToReview', 'ReviewLink']);
    expect(takenFlows(effects)).toEqual(['Flow_1', 'Flow_2']);
    expect(openedTasks(effects)).toEqual(['Review']);
    expect(run.activeElements).toEqual(['Review']);
  });

  it('should complete after the linked part completes', async () => {
    // given
    const { graph } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graph);
    run.start();

    // when
    run.completeTask('Review');

    // then
    expect(run.status).toBe('completed');
  });
});
