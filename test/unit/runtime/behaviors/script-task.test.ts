import path from 'node:path';
import { InstanceDriver, completedElements, loadFixture, ofType } from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'script-task.bpmn');

describe('runtime/behaviors/script-task', () => {
  it('should evaluate the FEEL script into the result variable', async () => {
    // given
    const { graph } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graph);

    // when
    const effects = run.start({ a: 4, b: 9 });

    // then
    expect(completedElements(effects)).toEqual(['Start', 'Sum', 'Summary']);
    expect(run.variables).toEqual({ a: 4, b: 9, sum: 13, summary: { total: 13, parts: [4, 9], big: true } });
    expect(ofType(effects, 'variablesSet').map((e) => Object.keys(e.variables))).toEqual([['sum'], ['summary']]);
  });

  it('should store null when the script reads a missing variable', async () => {
    // given
    const { graph } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graph);

    // when
    run.start({ a: 4 });

    // then
    expect(run.variables.sum).toBeNull();
  });
});
