import path from 'node:path';
import { ConflictError, InvalidInputError } from '../../../../engine/src/errors';
import { InstanceDriver, completedElements, createdJobs, effectTypes, loadFixture, ofType } from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'job-task.bpmn');

async function driver(): Promise<InstanceDriver> {
  const { graph } = await loadFixture(FIXTURE);
  return new InstanceDriver(graph);
}

describe('runtime/behaviors/job-task (service, send, business rule)', () => {
  it('should create a job with the evaluated type, retries, headers and variables', async () => {
    // given
    const run = await driver();

    // when
    const effects = run.start({ currency: 'vnd', fee: 50, retryBudget: 4 });

    // then
    expect(ofType(effects, 'jobCreated').map((e) => e.job)).toEqual([
      {
        id: run.job('Charge').id,
        elementId: 'Charge',
        elementInstanceKey: run.job('Charge').owner,
        jobType: 'charge-vnd',
        retries: 2,
        headers: { method: 'card', gateway: 'napas' },
        variables: { currency: 'vnd', fee: 50, retryBudget: 4, total: 100 },
      },
    ]);
  });

  it('should run the service, send and business rule tasks as jobs in turn', async () => {
    // given
    const run = await driver();
    run.start({ currency: 'vnd', fee: 50, retryBudget: 4 });

    // when
    run.completeJob('Charge', { paid: true });
    run.completeJob('SendReceipt');
    const last = run.completeJob('Classify', { category: 'B' });

    // then
    expect(createdJobs(run.effects)).toEqual(['charge-vnd', 'send-receipt', 'classify']);
    expect(ofType(run.effects, 'jobCreated').map((e) => e.job.retries)).toEqual([2, 3, 4]);
    expect(completedElements(last)).toEqual(['Classify', 'End']);
    expect(run.variables).toEqual({ currency: 'vnd', fee: 50, retryBudget: 4, paid: true, category: 'B' });
    expect(run.status).toBe('completed');
  });

  it('should keep the job open while a failure leaves retries', async () => {
    // given
    const run = await driver();
    run.start({ currency: 'vnd', fee: 50, retryBudget: 4 });
    const jobId = run.job('Charge').id;

    // when
    const effects = run.failJob('Charge', 1, 'gateway timeout');

    // then
    expect(effects).toEqual([{ type: 'jobFailed', jobId, retries: 1, errorMessage: 'gateway timeout' }]);
    expect(run.job('Charge').retries).toBe(1);
    expect(run.incidents()).toEqual([]);
  });

  it('should raise a job incident at 0 retries, and create the job again when resolved with retries', async () => {
    // given
    const run = await driver();
    run.start({ currency: 'vnd', fee: 50, retryBudget: 4 });
    const jobId = run.job('Charge').id;
    run.failJob('Charge', 1, 'gateway timeout');

    // when
    const failed = run.failJob('Charge', 0, 'gateway down');

    // then
    expect(effectTypes(failed)).toEqual(['jobFailed', 'incidentRaised']);
    expect(ofType(failed, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'Charge', kind: 'job', cause: 'jobFailed', jobId, message: 'gateway down' });
    expect(run.current.elements[run.job('Charge').owner].state).toBe('incident');

    // when
    const resolved = run.resolveIncident('Charge', 3);

    // then
    expect(resolved).toEqual([
      { type: 'incidentResolved', incidentId: expect.any(String) },
      { type: 'jobRetried', jobId, retries: 3 },
    ]);
    expect(run.job('Charge').retries).toBe(3);
    expect(run.current.elements[run.job('Charge').owner].state).toBe('waiting');

    // when
    const completed = run.completeJob('Charge');

    // then
    expect(completedElements(completed)).toEqual(['Charge']);
  });

  it('should refuse to resolve a job incident with 0 retries', async () => {
    // given
    const run = await driver();
    run.start({ currency: 'vnd', fee: 50, retryBudget: 4 });
    run.failJob('Charge', 0);

    // when
    const attempt = () => run.resolveIncident('Charge', 0);

    // then
    expect(attempt).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'retries' } }));
    expect(run.incidents('Charge')).toHaveLength(1);
  });

  it('should refuse reports on a job that waits on its incident', async () => {
    // given
    const run = await driver();
    run.start({ currency: 'vnd', fee: 50, retryBudget: 4 });
    run.failJob('Charge', 0);

    // when / then
    expect(() => run.completeJob('Charge')).toThrow(ConflictError);
    expect(() => run.failJob('Charge', 0)).toThrow(ConflictError);
    expect(() => run.throwError('Charge', 'ANY')).toThrow(ConflictError);
    expect(run.incidents('Charge')).toHaveLength(1);
  });

  it('should refuse negative retries, naming the field', async () => {
    // given
    const run = await driver();
    run.start({ currency: 'vnd', fee: 50, retryBudget: 4 });

    // when
    const attempt = () => run.failJob('Charge', -1);

    // then
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(expect.objectContaining({ details: { field: 'retries' } }));
  });

  it('should raise an incident when the retries expression is not a number', async () => {
    // given
    const run = await driver();
    run.start({ currency: 'vnd', fee: 50, retryBudget: 'many' });
    run.completeJob('Charge');

    // when
    const effects = run.completeJob('SendReceipt');

    // then
    expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'Classify', kind: 'expression', cause: 'wrongType' });
  });
});
