import path from 'node:path';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../engine/src/errors';
import type { Command } from '../../../engine/src/runtime/commands';
import { step, stepOwned } from '../../../engine/src/runtime/step';
import { InstanceDriver, deepFreeze, effectTypes, loadFixture, ofType, T0, terminatedElements } from '../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'step.bpmn');

async function started(): Promise<InstanceDriver> {
  const { graph } = await loadFixture(FIXTURE);
  const run = new InstanceDriver(graph);
  run.start({ dossierId: 'HS-1' });
  return run;
}

describe('runtime/step', () => {
  describe('stepOwned', () => {
    it('should give what step gives, changing the handed-over state in place instead of a copy', async () => {
      // given
      const run = await started();
      const command: Command = { type: 'completeTask', taskId: run.task('Review').id, variables: { approved: true } };
      const owned = JSON.parse(JSON.stringify(run.state));

      // when
      const expected = step(run.graph, deepFreeze(JSON.parse(JSON.stringify(run.state))), command, T0 + 1000);
      const actual = stepOwned(run.graph, owned, command, T0 + 1000);

      // then
      expect(actual).toEqual(expected);
      expect(actual.state).toBe(owned);
    });

    it('should refuse an ended instance like step', async () => {
      const run = await started();
      run.send({ type: 'cancel' });
      expect(() => stepOwned(run.graph, JSON.parse(JSON.stringify(run.state)), { type: 'cancel' }, T0)).toThrow(ConflictError);
    });
  });

  describe('unknown targets', () => {
    it.each<[string, (run: InstanceDriver) => Command]>([
      ['completeTask with an unknown task', () => ({ type: 'completeTask', taskId: 'nope' })],
      ['completeTask with a job id', (run) => ({ type: 'completeTask', taskId: run.job('Register').id })],
      ['completeJob with a task id', (run) => ({ type: 'completeJob', jobId: run.task('Review').id })],
      ['failJob with an unknown job', () => ({ type: 'failJob', jobId: 'nope', retries: 1, errorMessage: 'x' })],
      ['throwError with a task id', (run) => ({ type: 'throwError', waitId: run.task('Review').id, errorCode: 'E' })],
      ['fireTimer with a message wait', (run) => ({ type: 'fireTimer', waitId: run.subscription('Paid').id })],
      ['deliverMessage with an unknown wait', () => ({ type: 'deliverMessage', waitId: 'nope', messageName: 'fee-paid' })],
      ['deliverMessage with the wrong message name', (run) => ({ type: 'deliverMessage', waitId: run.subscription('Paid').id, messageName: 'other' })],
      ['completeChild with an unknown wait', () => ({ type: 'completeChild', waitId: 'nope' })],
      ['resolveIncident with an unknown incident', () => ({ type: 'resolveIncident', incidentId: 'nope' })],
      ['setVariables in a scope that does not exist', () => ({ type: 'setVariables', variables: { a: 1 }, scopeKey: 999 })],
    ])('should refuse %s with NotFoundError and change nothing', async (_, command) => {
      // given
      const run = await started();
      const before = JSON.stringify(run.state);

      // when
      const attempt = () => run.send(command(run));

      // then
      expect(attempt).toThrow(NotFoundError);
      expect(JSON.stringify(run.state)).toBe(before);
    });

    it('should refuse a command without a state', async () => {
      // given
      const { graph } = await loadFixture(FIXTURE);

      // when / then
      expect(() => step(graph, undefined, { type: 'cancel' }, T0)).toThrow(NotFoundError);
    });
  });

  describe('ended instances', () => {
    it.each<[string, Command]>([
      ['completeTask', { type: 'completeTask', taskId: 'i1-4' }],
      ['cancel', { type: 'cancel' }],
      ['setVariables', { type: 'setVariables', variables: { a: 1 } }],
      ['deliverSignal', { type: 'deliverSignal', signalName: 'x' }],
      ['resolveIncident', { type: 'resolveIncident', incidentId: 'x' }],
    ])('should refuse %s on a cancelled instance with ConflictError', async (_, command) => {
      // given
      const run = await started();
      run.cancel();

      // when / then
      expect(() => run.send(command)).toThrow(ConflictError);
    });

    it('should refuse any command on a completed instance with ConflictError', async () => {
      // given
      const run = await started();
      run.completeTask('Review');
      run.completeJob('Register');
      run.deliverMessage('Paid');
      expect(run.status).toBe('completed');

      // when / then
      expect(() => run.send({ type: 'setVariables', variables: { a: 1 } })).toThrow(ConflictError);
    });

    it('should refuse to start an instance that already exists', async () => {
      // given
      const run = await started();

      // when / then
      expect(() => run.start()).toThrow(ConflictError);
    });
  });

  describe('bad variables', () => {
    it.each<[string, unknown, string]>([
      ['a list instead of an object', [1, 2], 'variables'],
      ['a name that is not an identifier', { 'bad-name': 1 }, 'variables.bad-name'],
      ['a number that is not finite', { x: Number.NaN }, 'variables.x'],
      ['undefined nested in an object', { x: { y: undefined } }, 'variables.x.y'],
      ['a function', { x: () => 1 }, 'variables.x'],
      ['a Date', { x: new Date(0) }, 'variables.x'],
      ['a Map in a list', { x: [1, new Map()] }, 'variables.x[1]'],
    ])('should refuse %s with InvalidInputError naming the field', async (_, variables, field) => {
      // given
      const run = await started();
      const command = { type: 'completeTask', taskId: run.task('Review').id, variables } as Command;

      // when
      const attempt = () => run.send(command);

      // then
      expect(attempt).toThrow(InvalidInputError);
      expect(attempt).toThrow(expect.objectContaining({ details: { field } }));
      expect(run.task('Review')).toBeDefined();
    });

    it('should refuse bad start variables', async () => {
      // given
      const { graph } = await loadFixture(FIXTURE);
      const run = new InstanceDriver(graph);

      // when / then
      expect(() => run.start({ 'two words': 1 })).toThrow(InvalidInputError);
      expect(run.state).toBeUndefined();
    });
  });

  describe('cancel', () => {
    it('should terminate every live element and withdraw every wait', async () => {
      // given
      const run = await started();

      // when
      const effects = run.cancel('withdrawn by applicant');

      // then
      expect(terminatedElements(effects).sort()).toEqual(['Paid', 'Register', 'Review']);
      expect(effectTypes(effects).filter((t) => t.endsWith('Cancelled') || t.endsWith('Unsubscribed')).sort()).toEqual([
        'jobCancelled',
        'messageUnsubscribed',
        'taskCancelled',
      ]);
      expect(ofType(effects, 'instanceEnded')).toEqual([{ type: 'instanceEnded', status: 'cancelled', variables: { dossierId: 'HS-1' } }]);
      expect(run.current.waits).toEqual({});
      expect(run.status).toBe('cancelled');
      expect(run.current.endedAt).toBe(run.now);
    });
  });

  describe('purity', () => {
    it('should not mutate the state it is given and return equal outputs for equal inputs', async () => {
      // given
      const run = await started();
      const state = deepFreeze(structuredClone(run.current));
      const command: Command = { type: 'completeTask', taskId: run.task('Review').id, variables: { ok: true } };

      // when
      const first = step(run.graph, state, command, T0 + 1000);
      const second = step(run.graph, state, command, T0 + 1000);

      // then
      expect(first).toEqual(second);
      expect(first.state).not.toBe(state);
      expect(state).toEqual(run.current);
    });
  });
});
