import path from 'node:path';
import {
  InstanceDriver,
  activatedElements,
  loadFixture,
  ofType,
  openedTasks,
  takenFlows,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'inclusive-gateway.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/inclusive-gateway', () => {
  describe('fork', () => {
    it('should take only the flows whose condition is true', async () => {
      // given
      const run = await driver('inclusive');

      // when
      const effects = run.start({ land: true, tax: false, construction: true });

      // then
      expect(takenFlows(effects)).toEqual(['Flow_1', 'Flow_land', 'Flow_construction']);
      expect(openedTasks(effects)).toEqual(['Land', 'Construction']);
      expect(ofType(effects, 'timerScheduled')).toEqual([]);
    });

    it('should take the default flow when no condition is true', async () => {
      // given
      const run = await driver('inclusive-default');

      // when
      const effects = run.start({ special: false });

      // then
      expect(takenFlows(effects)).toEqual(['D_Flow_1', 'D_Flow_default']);
      expect(openedTasks(effects)).toEqual(['D_Standard']);
    });

    it('should not take the default flow when a condition is true', async () => {
      // given
      const run = await driver('inclusive-default');

      // when
      const effects = run.start({ special: true });

      // then
      expect(openedTasks(effects)).toEqual(['D_Special']);
    });

    it('should raise a noOutgoingFlow incident when nothing is true and there is no default', async () => {
      // given
      const run = await driver('inclusive');

      // when
      const effects = run.start({ land: false, tax: false, construction: false });

      // then
      expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({ elementId: 'Fork', kind: 'noOutgoingFlow', cause: 'noOutgoingFlow' });
    });
  });

  describe('join', () => {
    it('should fire after the two taken branches, not waiting for the branch that was not taken', async () => {
      // given
      const run = await driver('inclusive');
      run.start({ land: true, tax: false, construction: true });

      // when
      const first = run.completeTask('Land');

      // then
      expect(activatedElements(first)).toEqual([]);

      // when
      const second = run.completeTask('Construction');

      // then
      expect(activatedElements(second)).toEqual(['Join', 'Decide']);
      expect(run.current.joins).toEqual({});
    });

    it('should fire at once for a single taken branch', async () => {
      // given
      const run = await driver('inclusive');
      run.start({ land: false, tax: false, construction: true });

      // when
      const effects = run.completeTask('Construction');

      // then
      expect(activatedElements(effects)).toEqual(['Join', 'Decide']);
    });

    it('should wait for a token still waiting in a catch event upstream', async () => {
      // given
      const run = await driver('inclusive');
      run.start({ land: true, tax: true, construction: false });

      // when
      const first = run.completeTask('Land');

      // then
      expect(activatedElements(first)).toEqual([]);

      // when
      const second = run.fireTimer('Cooling');

      // then
      expect(activatedElements(second)).toEqual(['Tax', 'Join', 'Decide']);
      expect(activatedElements(run.effects).filter((id) => id === 'Join')).toHaveLength(1);
    });

    it('should complete the instance after the join', async () => {
      // given
      const run = await driver('inclusive');
      run.start({ land: true, tax: true, construction: true });
      run.fireTimer('Cooling');
      run.completeTask('Construction');
      run.completeTask('Land');

      // when
      run.completeTask('Decide');

      // then
      expect(run.status).toBe('completed');
    });
  });

  describe('join after a branch that loops', () => {
    it('should wait while the looping branch goes round again', async () => {
      // given
      const run = await driver('inclusive-loop');
      run.start({ check: true, draft: true });
      run.completeTask('L_Check');

      // when
      const again = run.completeTask('L_Draft', { redo: true });

      // then
      expect(openedTasks(again)).toEqual(['L_Draft']);
      expect(activatedElements(again)).not.toContain('L_Join');

      // when
      const done = run.completeTask('L_Draft', { redo: false });

      // then
      expect(activatedElements(done)).toEqual(['L_Again', 'L_Join', 'L_Sign']);
      expect(activatedElements(run.effects).filter((id) => id === 'L_Join')).toHaveLength(1);
    });

    it('should fire when the looping branch finishes first and the other branch arrives later', async () => {
      // given
      const run = await driver('inclusive-loop');
      run.start({ check: true, draft: true });
      run.completeTask('L_Draft', { redo: true });
      run.completeTask('L_Draft', { redo: false });

      // when
      const effects = run.completeTask('L_Check');

      // then
      expect(activatedElements(effects)).toEqual(['L_Join', 'L_Sign']);
      run.completeTask('L_Sign');
      expect(run.status).toBe('completed');
    });

    it('should fire for the looping branch alone when it was the only one taken', async () => {
      // given
      const run = await driver('inclusive-loop');
      run.start({ check: false, draft: true });

      // when
      run.completeTask('L_Draft', { redo: true });
      const effects = run.completeTask('L_Draft', { redo: false });

      // then
      expect(openedTasks(effects)).toEqual(['L_Sign']);
    });
  });

  describe('join with two tokens on one incoming flow', () => {
    it('should let each token through: one per incoming flow at a time', async () => {
      // given
      const run = await driver('inclusive-two-tokens');
      run.start();
      run.completeTask('W_A');
      run.completeTask('W_B');

      // when
      const effects = run.completeTask('W_C');

      // then
      expect(activatedElements(effects)).toEqual(['W_Join', 'W_After', 'W_Join', 'W_After']);
      expect(run.waits('task', 'W_After')).toHaveLength(2);
      expect(run.current.joins).toEqual({});
    });
  });
});
