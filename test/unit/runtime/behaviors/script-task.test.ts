import path from 'node:path';
import fc from 'fast-check';
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

describe('runtime/behaviors/script-task clock', () => {
  it("should read FEEL's now() and today() from the step's clock, never the wall clock", async () => {
    // given
    const { graph } = await loadFixture(path.join(__dirname, 'script-task-clock.bpmn'));

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), async (now) => {
        // when the instance starts at a fixed clock
        const run = new InstanceDriver(graph, { now });
        run.start();

        // then the script saw that clock
        const iso = new Date(now).toISOString();
        const later = new Date(now + 24 * 3600 * 1000).toISOString();
        const { at, day, later: tomorrow } = run.variables.stamp as { at: string; day: string; later: string };
        expect([Date.parse(at), day, Date.parse(tomorrow)]).toEqual([Date.parse(iso), iso.slice(0, 10), Date.parse(later)]);
      }),
      { numRuns: 25 },
    );
  });
});
