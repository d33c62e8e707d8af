/**
 * Zeebe execution listeners as Camunda 8.8 runs them: start listeners are jobs after the input
 * mappings and before the element is entered, end listeners are jobs after the output mappings
 * and before it is left; each one in document order, the element waiting for each.
 */
import path from 'node:path';
import { InstanceDriver, loadFixture, ofType } from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'listeners.bpmn');

async function started(): Promise<InstanceDriver> {
  const { graph } = await loadFixture(FIXTURE);
  const run = new InstanceDriver(graph);
  run.start({ fee: 50_000, office: 'hcm' });
  return run;
}

describe('runtime/behaviors/listeners (execution listeners)', () => {
  it('should run the start listeners one after the other, with the inputs applied, before the element makes its job', async () => {
    // when
    const run = await started();

    // then: the first start listener's job, seeing the input mapping; no service job yet
    const [first] = ofType(run.effects, 'jobCreated');
    expect(first.job).toMatchObject({ elementId: 'register', jobType: 'check-fee', retries: 2 });
    expect(first.job.variables).toMatchObject({ doubleFee: 100_000 });
    expect(Object.values(run.state!.waits).filter((w) => w.kind === 'job')).toHaveLength(1);

    // when: it completes with a variable
    const second = run.completeJob('register', { feeChecked: true });

    // then: the second start listener, its type an expression
    expect(ofType(second, 'jobCreated').map((e) => e.job.jobType)).toEqual(['stamp-hcm']);

    // when
    const entered = run.completeJob('register');

    // then: the element's own job, seeing what the listener set
    const [own] = ofType(entered, 'jobCreated');
    expect(own.job.jobType).toBe('register-dossier');
    expect(own.job.variables).toMatchObject({ feeChecked: true, doubleFee: 100_000 });
  });

  it('should run the end listener after the output mappings and leave the element only when it is done', async () => {
    // given
    const run = await started();
    run.completeJob('register');
    run.completeJob('register');

    // when: the element's own job completes
    const completed = run.completeJob('register', { code: 'HS-7' });

    // then: outputs applied, the end listener's job made, the element not left yet
    expect(ofType(completed, 'jobCreated').map((e) => e.job.jobType)).toEqual(['audit']);
    expect(ofType(completed, 'jobCreated')[0].job.variables).toMatchObject({ dossierCode: 'HS-7' });
    expect(ofType(completed, 'elementCompleted').map((e) => e.elementId)).not.toContain('register');
    expect(run.state!.status).toBe('active');

    // when
    const left = run.completeJob('register', { audited: 'yes' });

    // then
    expect(ofType(left, 'elementCompleted').map((e) => e.elementId)).toEqual(['register', 'done']);
    expect(run.state!.status).toBe('completed');
    expect(ofType(left, 'instanceEnded')[0].variables).toMatchObject({ dossierCode: 'HS-7', audited: 'yes' });
  });

  it('should open an incident when a listener job runs out of retries, and hand the same listener out again when it is resolved', async () => {
    // given
    const run = await started();

    // when
    run.failJob('register', 0, 'fee service down');

    // then
    expect(run.incident('register').message).toBe('fee service down');

    // when
    const resolved = run.resolveIncident('register', 1);
    run.completeJob('register');

    // then: the next listener comes, not the first again
    expect(resolved).toBeDefined();
    expect(ofType(run.effects, 'jobCreated').at(-1)!.job.jobType).toBe('stamp-hcm');
  });

  it('should withdraw a listener job when the instance is cancelled', async () => {
    // given
    const run = await started();

    // when
    run.cancel();

    // then
    expect(Object.keys(run.state!.waits)).toHaveLength(0);
    expect(run.state!.status).toBe('cancelled');
  });
});
