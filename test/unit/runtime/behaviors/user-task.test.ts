import path from 'node:path';
import { NotFoundError } from '../../../../engine/src/errors';
import { InstanceDriver, completedElements, loadFixture, ms, ofType, T0 } from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'user-task.bpmn');

async function driver(): Promise<InstanceDriver> {
  const { graph } = await loadFixture(FIXTURE);
  return new InstanceDriver(graph);
}

describe('runtime/behaviors/user-task', () => {
  it('should open a task with assignee, candidates, dates, form and one-stop-shop facts', async () => {
    // given
    const run = await driver();

    // when
    const effects = run.start({ owner: 'lan', supervisor: 'binh', deadline: '2025-01-10T17:00:00Z' });

    // then
    expect(ofType(effects, 'taskOpened').map((e) => e.task)).toEqual([
      {
        id: run.task('Review').id,
        elementId: 'Review',
        elementInstanceKey: run.task('Review').owner,
        name: 'Review the dossier',
        assignee: 'lan',
        candidateGroups: ['reviewers', 'clerks'],
        candidateUsers: ['an', 'binh'],
        dueAt: Date.UTC(2025, 0, 10, 17),
        followUpAt: T0 + ms('P1D'),
        formKey: 'camunda-forms:bpmn:review-form',
        facts: expect.objectContaining({ agency: 'so-tu-phap', dossierStatus: 'processing' }),
      },
    ]);
    expect(run.current.elements[run.task('Review').owner].state).toBe('waiting');
  });

  it('should leave the assignee out when the expression gives null', async () => {
    // given
    const run = await driver();

    // when
    const effects = run.start({ supervisor: 'binh', deadline: null });

    // then
    const task = ofType(effects, 'taskOpened')[0].task;
    expect(task.assignee).toBeUndefined();
    expect(task.dueAt).toBeUndefined();
  });

  it('should use the formId as form key', async () => {
    // given
    const run = await driver();
    run.start({ owner: 'lan', supervisor: 'binh', deadline: null });

    // when
    const effects = run.completeTask('Review');

    // then
    expect(ofType(effects, 'taskOpened')[0].task).toMatchObject({ elementId: 'Sign', formKey: 'sign-form', candidateGroups: [], candidateUsers: [] });
  });

  it('should complete with the variables of the completion, in the process scope', async () => {
    // given
    const run = await driver();
    run.start({ owner: 'lan', supervisor: 'binh', deadline: null });
    const taskId = run.task('Review').id;

    // when
    const effects = run.completeTask('Review', { approved: true, remarks: 'ok' });

    // then
    expect(ofType(effects, 'taskCompleted')).toEqual([{ type: 'taskCompleted', taskId, variables: { approved: true, remarks: 'ok' } }]);
    expect(completedElements(effects)).toEqual(['Review']);
    expect(run.variables).toMatchObject({ approved: true, remarks: 'ok' });
  });

  it('should refuse to complete the same task twice', async () => {
    // given
    const run = await driver();
    run.start({ owner: 'lan', supervisor: 'binh', deadline: null });
    const taskId = run.task('Review').id;
    run.completeTask('Review');

    // when / then
    expect(() => run.send({ type: 'completeTask', taskId })).toThrow(NotFoundError);
  });

  it('should raise an incident when the assignment cannot be evaluated, and retry on resolve', async () => {
    // given
    const run = await driver();

    // when (candidateUsers reads `supervisor`, which is not a string)
    const effects = run.start({ supervisor: 42, deadline: null });

    // then
    expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'Review', kind: 'expression' });
    expect(ofType(effects, 'taskOpened')).toEqual([]);

    // when
    run.setVariables({ supervisor: 'binh' });
    const resolved = run.resolveIncident('Review');

    // then
    expect(ofType(resolved, 'taskOpened')[0].task.candidateUsers).toEqual(['an', 'binh']);
  });
});
