import path from 'node:path';
import { InstanceDriver, loadFixture, ofType } from '../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'variables.bpmn');

async function driver(): Promise<InstanceDriver> {
  const { graph } = await loadFixture(FIXTURE);
  return new InstanceDriver(graph);
}

/** The element instance (with its local variables) of the open wait at `elementId`. */
function scopeOf(run: InstanceDriver, elementId: string) {
  const wait = run.waits(undefined, elementId)[0];
  return run.current.elements[wait.owner];
}

describe('runtime/variables', () => {
  describe('input mappings', () => {
    it('should give the job its input variables on top of the visible ones', async () => {
      // given
      const run = await driver();

      // when
      const effects = run.start({ applicant: { name: 'Nguyễn Văn A' }, counter: 100 });

      // then
      expect(ofType(effects, 'jobCreated')[0].job.variables).toEqual({
        applicant: { name: 'Nguyễn Văn A' },
        counter: 100,
        name: 'Nguyễn Văn A',
        label: 'fixed-label',
      });
      expect(scopeOf(run, 'Lookup').vars).toEqual({ name: 'Nguyễn Văn A', label: 'fixed-label' });
      expect(run.variables).toEqual({ applicant: { name: 'Nguyễn Văn A' }, counter: 100 });
    });
  });

  describe('output mappings', () => {
    it('should merge only the mapped outputs into the process, not the job variables or the inputs', async () => {
      // given
      const run = await driver();
      run.start({ applicant: { name: 'A' }, counter: 100 });

      // when
      const effects = run.completeJob('Lookup', { response: { total: 5 }, extra: 1 });

      // then
      expect(run.variables).toEqual({ applicant: { name: 'A' }, counter: 100, total: 5 });
      expect(ofType(effects, 'variablesSet')[0]).toEqual({ type: 'variablesSet', scopeKey: 0, variables: { total: 5 } });
    });
  });

  describe('scoping', () => {
    it('should keep a local input variable in its sub-process, shadowing the process variable', async () => {
      // given
      const run = await driver();
      run.start({ applicant: { name: 'A' }, counter: 100 });

      // when
      run.completeJob('Lookup', { response: { total: 5 } });

      // then (the script incremented the sub-process's own counter)
      expect(scopeOf(run, 'Note').parent).toBeGreaterThan(0);
      const counting = run.current.elements[scopeOf(run, 'Note').parent];
      expect(counting.elementId).toBe('Counting');
      expect(counting.vars).toEqual({ counter: 1 });
      expect(run.variables.counter).toBe(100);
    });

    it('should write a completion variable to the nearest scope that has it, else to the process', async () => {
      // given
      const run = await driver();
      run.start({ applicant: { name: 'A' }, counter: 100, status: 'new' });
      run.completeJob('Lookup', { response: { total: 5 } });
      const countingKey = scopeOf(run, 'Note').parent;

      // when
      run.completeTask('Note', { counter: 7, status: 'noted', remark: 'ok' });

      // then
      expect(run.variables).toEqual({ applicant: { name: 'A' }, counter: 100, status: 'noted', remark: 'ok', total: 5 });
      expect(run.current.elements[countingKey]).toBeUndefined(); // the sub-process completed, its locals are gone
      expect(ofType(run.effects, 'jobCreated')[1].job.variables).toEqual(run.variables);
    });

    it('should not leak local variables to the process when the scope completes', async () => {
      // given
      const run = await driver();
      run.start({ applicant: { name: 'A' } });
      run.completeJob('Lookup', { response: { total: 5 } });

      // when
      run.completeTask('Note');

      // then
      expect(run.variables).not.toHaveProperty('counter');
      expect(run.variables).not.toHaveProperty('name');
      expect(run.variables).not.toHaveProperty('label');
    });
  });

  describe('setVariables', () => {
    it('should set variables in the process scope by default', async () => {
      // given
      const run = await driver();
      run.start({ applicant: { name: 'A' } });

      // when
      const effects = run.setVariables({ priority: 'high' });

      // then
      expect(effects).toEqual([{ type: 'variablesSet', scopeKey: 0, variables: { priority: 'high' } }]);
      expect(run.variables.priority).toBe('high');
    });

    it('should set local variables of a given scope', async () => {
      // given
      const run = await driver();
      run.start({ applicant: { name: 'A' } });
      run.completeJob('Lookup', { response: { total: 5 } });
      const countingKey = scopeOf(run, 'Note').parent;

      // when
      run.setVariables({ counter: 42 }, countingKey);

      // then
      expect(run.current.elements[countingKey].vars).toEqual({ counter: 42 });
      expect(run.variables).not.toHaveProperty('counter');
    });
  });
});
