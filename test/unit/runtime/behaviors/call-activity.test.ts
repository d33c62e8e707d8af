import path from 'node:path';
import {
  InstanceDriver,
  completedElements,
  loadFixture,
  ofType,
  openedTasks,
  terminatedElements,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'call-activity.bpmn');

async function driver(processId: string, instanceId = 'i1'): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId], { instanceId });
}

describe('runtime/behaviors/call-activity', () => {
  describe('in the parent', () => {
    it('should request the child with the input variables only', async () => {
      // given
      const run = await driver('parent');

      // when
      const effects = run.start({ dossierId: 'HS-7', fee: 30, secret: 'x' });

      // then
      expect(ofType(effects, 'childRequested').map((e) => e.request)).toEqual([
        {
          waitId: run.child('CallAppraisal').id,
          elementId: 'CallAppraisal',
          elementInstanceKey: run.child('CallAppraisal').owner,
          processId: 'appraisal',
          bindingType: 'latest',
          variables: { dossierId: 'HS-7', fee: 30 },
          depth: 1,
        },
      ]);
      expect(run.status).toBe('active');
    });

    it('should pass all visible variables by default (propagateAllParentVariables)', async () => {
      // given
      const run = await driver('parent-propagating');

      // when
      const effects = run.start({ childProcess: 'appraisal', a: 1 });

      // then
      expect(ofType(effects, 'childRequested')[0].request).toMatchObject({ processId: 'appraisal', variables: { childProcess: 'appraisal', a: 1 } });
    });

    it('should continue with the output mappings when the child completes', async () => {
      // given
      const run = await driver('parent');
      run.start({ dossierId: 'HS-7', fee: 30 });

      // when
      const effects = run.completeChild('CallAppraisal', { score: 8, internal: 'x' });

      // then
      expect(completedElements(effects)).toEqual(['CallAppraisal']);
      expect(openedTasks(effects)).toEqual(['Decide']);
      expect(run.variables).toEqual({ dossierId: 'HS-7', fee: 30, appraisalScore: 8 });
    });

    it('should take all child variables when the call propagates them', async () => {
      // given
      const run = await driver('parent-propagating');
      run.start({ childProcess: 'appraisal' });

      // when
      run.completeChild('P_Call', { score: 8 });

      // then
      expect(run.variables).toEqual({ childProcess: 'appraisal', score: 8 });
      expect(run.status).toBe('completed');
    });

    it('should catch an error escaped from the child on the error boundary of the call activity', async () => {
      // given
      const run = await driver('parent');
      run.start({ dossierId: 'HS-7', fee: 30 });

      // when
      const effects = run.throwError('CallAppraisal', 'CHILD_FAILED', { reason: 'no appraiser' });

      // then
      expect(ofType(effects, 'errorThrown')[0]).toMatchObject({ errorCode: 'CHILD_FAILED', elementId: 'CallAppraisal', caught: true });
      expect(terminatedElements(effects)).toEqual(['CallAppraisal']);
      expect(openedTasks(effects)).toEqual(['HandleFailure']);
      expect(run.variables.reason).toBe('no appraiser');
    });

    it('should ask to cancel the child when the parent is cancelled', async () => {
      // given
      const run = await driver('parent');
      run.start({ dossierId: 'HS-7', fee: 30 });
      const waitId = run.child('CallAppraisal').id;

      // when
      const effects = run.cancel();

      // then
      expect(ofType(effects, 'childCancelled')).toEqual([{ type: 'childCancelled', waitId }]);
      expect(run.status).toBe('cancelled');
    });
  });

  describe('in the child', () => {
    it('should remember its parent and end completed with its variables', async () => {
      // given
      const child = await driver('appraisal', 'c1');
      child.start({ dossierId: 'HS-7' }, { parent: { instanceId: 'i1', waitId: 'i1-3' } });

      // when
      const effects = child.completeJob('C_Appraise', { score: 9 });

      // then
      expect(child.current.parent).toEqual({ instanceId: 'i1', waitId: 'i1-3' });
      expect(ofType(effects, 'instanceEnded')).toEqual([{ type: 'instanceEnded', status: 'completed', variables: { dossierId: 'HS-7', score: 9 } }]);
    });

    it('should let an uncaught error escape and end terminated', async () => {
      // given
      const child = await driver('appraisal', 'c1');
      child.start({}, { parent: { instanceId: 'i1', waitId: 'i1-3' } });

      // when
      const effects = child.throwError('C_Appraise', 'CHILD_FAILED', { reason: 'no appraiser' }, 'nobody free');

      // then
      expect(ofType(effects, 'errorThrown')[0]).toMatchObject({ errorCode: 'CHILD_FAILED', caught: false });
      expect(ofType(effects, 'errorEscaped')).toEqual([
        { type: 'errorEscaped', errorCode: 'CHILD_FAILED', errorMessage: 'nobody free', variables: { reason: 'no appraiser' } },
      ]);
      expect(terminatedElements(effects)).toEqual(['C_Appraise']);
      expect(ofType(effects, 'instanceEnded')[0].status).toBe('terminated');
      expect(ofType(effects, 'incidentRaised')).toEqual([]);
      expect(child.status).toBe('terminated');
    });

    it('should raise an incident for an uncaught error in a top-level instance', async () => {
      // given
      const run = await driver('appraisal');
      run.start();

      // when
      const effects = run.throwError('C_Appraise', 'CHILD_FAILED');

      // then
      expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'C_Appraise', kind: 'unhandledError', cause: 'unhandledError' });
      expect(run.status).toBe('active');
    });
  });
});
