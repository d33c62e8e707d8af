import path from 'node:path';
import {
  InstanceDriver,
  activatedElements,
  completedElements,
  loadFixture,
  ofType,
  openedTasks,
  terminatedElements,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'multi-instance.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/multi-instance', () => {
  describe('parallel', () => {
    it('should start one inner instance per item, each with its item and loop counter', async () => {
      // given
      const run = await driver('mi-parallel');

      // when
      const effects = run.start({ items: ['a', 'b', 'c'] });

      // then
      expect(ofType(effects, 'elementActivated').map((e) => [e.elementId, e.elementType])).toEqual([
        ['Start', 'startEvent'],
        ['Review', 'multiInstanceBody'],
        ['Review', 'userTask'],
        ['Review', 'userTask'],
        ['Review', 'userTask'],
      ]);
      const inner = run.waits('task', 'Review').map((w) => run.current.elements[w.owner].vars);
      expect(inner).toEqual([
        { loopCounter: 1, item: 'a' },
        { loopCounter: 2, item: 'b' },
        { loopCounter: 3, item: 'c' },
      ]);
      expect(ofType(effects, 'timerScheduled').map((e) => e.timer.elementId)).toEqual(['Deadline']);
    });

    it('should collect the outputs by index, whatever the completion order', async () => {
      // given
      const run = await driver('mi-parallel');
      run.start({ items: ['a', 'b', 'c'] });
      const [t0, t1, t2] = run.waits('task', 'Review').map((w) => w.id);

      // when
      run.send({ type: 'completeTask', taskId: t2, variables: { r: 'C' } });
      run.send({ type: 'completeTask', taskId: t0, variables: { r: 'A' } });
      const last = run.send({ type: 'completeTask', taskId: t1, variables: { r: 'B' } });

      // then
      expect(completedElements(last)).toEqual(['Review', 'Review']);
      expect(openedTasks(last)).toEqual(['Summarize']);
      expect(run.variables.results).toEqual(['A', 'B', 'C']);
      expect(run.variables).not.toHaveProperty('item');
      expect(run.variables).not.toHaveProperty('loopCounter');
    });

    it('should complete at once for an empty collection, with an empty output collection', async () => {
      // given
      const run = await driver('mi-parallel');

      // when
      const effects = run.start({ items: [] });

      // then
      expect(openedTasks(effects)).toEqual(['Summarize']);
      expect(run.variables.results).toEqual([]);
      expect(ofType(effects, 'timerCancelled')).toHaveLength(1);
    });

    it('should raise an incident when the input collection is not a list', async () => {
      // given
      const run = await driver('mi-parallel');

      // when
      const effects = run.start({ items: 'abc' });

      // then
      expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'Review', kind: 'expression', cause: 'wrongType' });

      // when
      run.setVariables({ items: ['x'] });
      const resolved = run.resolveIncident();

      // then
      expect(openedTasks(resolved)).toEqual(['Review']);
    });

    it('should terminate every inner instance when the boundary timer on the body fires', async () => {
      // given
      const run = await driver('mi-parallel');
      run.start({ items: ['a', 'b'] });

      // when
      const effects = run.fireTimer('Deadline');

      // then
      expect(terminatedElements(effects)).toEqual(['Review', 'Review', 'Review']);
      expect(ofType(effects, 'taskCancelled')).toHaveLength(2);
      expect(run.status).toBe('completed');
    });
  });

  describe('sequential', () => {
    it('should run one inner instance at a time, in item order', async () => {
      // given
      const run = await driver('mi-sequential');

      // when
      const started = run.start({ recipients: ['an', 'binh'] });

      // then
      expect(ofType(started, 'jobCreated').map((e) => e.job.variables.recipient)).toEqual(['an']);

      // when
      const second = run.completeJob('S_Notify', { receipt: 'r-an' });

      // then
      expect(ofType(second, 'jobCreated').map((e) => e.job.variables)).toEqual([
        expect.objectContaining({ recipient: 'binh', loopCounter: 2 }),
      ]);

      // when
      const done = run.completeJob('S_Notify', { receipt: 'r-binh' });

      // then
      expect(openedTasks(done)).toEqual(['S_Next']);
      expect(run.variables.receipts).toEqual(['r-an', 'r-binh']);
      expect(activatedElements(run.effects).filter((id) => id === 'S_Notify')).toHaveLength(3);
    });
  });

  describe('completion condition', () => {
    it('should end the loop early and terminate the remaining inner instances', async () => {
      // given
      const run = await driver('mi-completion');
      run.start({ voters: ['an', 'binh', 'chi'] });
      const [, t1, t2] = run.waits('task', 'C_Vote').map((w) => w.id);

      // when
      run.send({ type: 'completeTask', taskId: t1, variables: { vote: 'yes' } });
      const effects = run.send({ type: 'completeTask', taskId: t2, variables: { vote: 'no' } });

      // then
      expect(terminatedElements(effects)).toEqual(['C_Vote']);
      expect(ofType(effects, 'taskCancelled')).toHaveLength(1);
      expect(openedTasks(effects)).toEqual(['C_Count']);
      expect(run.variables.votes).toEqual([null, 'yes', 'no']);
      expect(run.waits('task').map((w) => w.elementId)).toEqual(['C_Count']);
    });
  });
});

describe('runtime/behaviors/multi-instance (incidents and scopes)', () => {
  it('should count each completion once when the completion condition fails and is resolved', async () => {
    // given
    const { graphs } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graphs['mi-completion-incident']);
    run.start({ voters: ['an', 'binh', 'chi'] });
    const [t0, t1] = run.waits('task', 'Q_Vote').map((w) => w.id);

    // when (quorum is missing: the condition is null)
    const failed = run.send({ type: 'completeTask', taskId: t0 });

    // then
    expect(ofType(failed, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'Q_Vote', kind: 'expression' });
    expect(completedElements(failed)).toEqual([]);

    // when
    run.setVariables({ quorum: 2 });
    const resolved = run.resolveIncident('Q_Vote');

    // then (one of three done: the loop goes on)
    expect(completedElements(resolved)).toEqual(['Q_Vote']);
    expect(run.waits('task', 'Q_Vote')).toHaveLength(2);
    const body = Object.values(run.current.elements).find((e) => e.mi)!;
    expect(body.mi).toMatchObject({ completed: 1, active: 2 });

    // when
    const second = run.send({ type: 'completeTask', taskId: t1 });

    // then (two of three: the quorum is reached)
    expect(terminatedElements(second)).toEqual(['Q_Vote']);
    expect(openedTasks(second)).toEqual(['Q_Count']);
  });

  it('should let input mappings of an inner instance read its input element', async () => {
    // given
    const { graphs } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graphs['mi-inputs']);

    // when
    const effects = run.start({ files: [{ name: 'cccd.pdf' }, { name: 'so-do.pdf' }] });

    // then
    expect(ofType(effects, 'jobCreated')[0].job.variables).toMatchObject({ file: { name: 'cccd.pdf' }, fileName: 'cccd.pdf', loopCounter: 1 });

    // when
    const next = run.completeJob('F_Scan');

    // then
    expect(ofType(next, 'jobCreated')[0].job.variables).toMatchObject({ fileName: 'so-do.pdf', loopCounter: 2 });
  });

  it('should catch an error of an inner job on the boundary of the multi-instance body', async () => {
    // given
    const { graphs } = await loadFixture(FIXTURE);
    const run = new InstanceDriver(graphs['mi-inputs']);
    run.start({ files: [{ name: 'a' }, { name: 'b' }] });

    // when
    const effects = run.throwError('F_Scan', 'BAD_FILE');

    // then
    expect(ofType(effects, 'errorThrown')[0]).toMatchObject({ caught: true });
    expect(terminatedElements(effects)).toEqual(['F_Scan', 'F_Scan']);
    expect(openedTasks(effects)).toEqual(['F_Reject']);
    expect(run.waits('job')).toEqual([]);
  });
});
