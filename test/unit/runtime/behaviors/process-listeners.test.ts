/**
 * Zeebe execution listeners on the process itself (start before the start event, end before the
 * instance completes) and on a multi-instance activity: for the body (start before its input
 * collection is evaluated, so a listener may produce it; end after the body completed) and for
 * each inner instance.
 */
import path from 'node:path';
import { InstanceDriver, loadFixture, ofType } from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'process-listeners.bpmn');

/** Completes the one open job of this type. */
function complete(run: InstanceDriver, jobType: string, variables?: Record<string, unknown>) {
  const jobs = Object.values(run.state!.waits).filter((w) => w.kind === 'job' && w.jobType === jobType);
  if (jobs.length !== 1) throw new Error(`expected one open '${jobType}' job, found ${jobs.length}`);
  return run.send({ type: 'completeJob', jobId: jobs[0].id, variables: variables as never });
}

describe('runtime/behaviors/listeners (on the process and on multi-instance activities)', () => {
  it('should run the process start listener before the start event and the end listener before the instance completes', async () => {
    // given
    const { graph } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graph);

    // when
    const started = run.start({});

    // then: only the process's start listener job; the start event waits for it
    expect(ofType(started, 'jobCreated').map((e) => e.job.jobType)).toEqual(['process-start']);
    expect(ofType(started, 'elementActivated')).toEqual([]);

    // when: it sets the collection the multi-instance body reads
    const entered = complete(run, 'process-start', { items: ['a', 'b'] });

    // then: the body's own start listener comes first, before any inner instance
    expect(ofType(entered, 'jobCreated').map((e) => e.job.jobType)).toEqual(['each-start']);
    expect(run.state!.elements[0].vars).toMatchObject({ items: ['a', 'b'] });
  });

  it('should run the listeners for the body and for each inner instance, then the process end listener', async () => {
    // given
    const { graph } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graph);
    run.start({});
    complete(run, 'process-start', { items: ['placeholder'] });

    // when: the body's start listener replaces the input collection
    const order: string[] = [];
    const record = (effects: ReturnType<InstanceDriver['send']>) => order.push(...ofType(effects, 'jobCreated').map((e) => e.job.jobType));
    record(complete(run, 'each-start', { items: ['a', 'b'] }));
    for (let i = 0; i < 20 && run.state!.status === 'active'; i++) {
      const open = Object.values(run.state!.waits).find((w) => w.kind === 'job');
      if (!open || open.kind !== 'job') break;
      record(complete(run, open.jobType, open.jobType === 'work' ? { done: true } : undefined));
    }

    // then: per item (inner start, work, inner end), then the body's end, then the process's end
    expect(order).toEqual(['each-start', 'work', 'each-end', 'each-start', 'work', 'each-end', 'each-end', 'process-end']);
    expect(run.state!.status).toBe('completed');
  });
});
