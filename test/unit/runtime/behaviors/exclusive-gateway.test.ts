import path from 'node:path';
import {
  InstanceDriver,
  completedElements,
  loadFixture,
  ofType,
  openedTasks,
  takenFlows,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'exclusive-gateway.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/exclusive-gateway', () => {
  it('should take the first flow whose condition is true, in model order', async () => {
    // given
    const run = await driver('exclusive');

    // when
    const effects = run.start({ amount: 500 });

    // then
    expect(takenFlows(effects)).toEqual(['Flow_1', 'Flow_large']);
    expect(openedTasks(effects)).toEqual(['Large']);
  });

  it('should take the next true flow when the first is false', async () => {
    // given
    const run = await driver('exclusive');

    // when
    const effects = run.start({ amount: 50 });

    // then
    expect(openedTasks(effects)).toEqual(['Medium']);
  });

  it('should take the default flow when no condition matches', async () => {
    // given
    const run = await driver('exclusive');

    // when
    const effects = run.start({ amount: 5 });

    // then
    expect(takenFlows(effects)).toEqual(['Flow_1', 'Flow_tiny']);
    expect(openedTasks(effects)).toEqual(['Small']);
  });

  it('should merge without waiting (a converging exclusive gateway passes each token)', async () => {
    // given
    const run = await driver('exclusive');
    run.start({ amount: 5 });

    // when
    const effects = run.completeTask('Small');

    // then
    expect(completedElements(effects)).toEqual(['Small', 'Merge', 'End']);
    expect(run.status).toBe('completed');
  });

  describe('without a default flow', () => {
    it('should raise a noOutgoingFlow incident when no condition matches', async () => {
      // given
      const run = await driver('exclusive-no-default');

      // when
      const effects = run.start({ status: 'pending' });

      // then
      expect(ofType(effects, 'incidentRaised')).toEqual([
        {
          type: 'incidentRaised',
          incident: {
            id: run.incident('N_Decision').id,
            elementId: 'N_Decision',
            elementInstanceKey: expect.any(Number),
            kind: 'noOutgoingFlow',
            cause: 'noOutgoingFlow',
            message: `gateway 'N_Decision': no condition of flows N_Flow_yes, N_Flow_no is true and there is no default flow; variables: status = "pending"`,
          },
        },
      ]);
      expect(completedElements(effects)).toEqual(['N_Start']);
      expect(run.current.elements[run.incident().elementInstanceKey].state).toBe('incident');
      expect(run.status).toBe('active');
    });

    it('should continue after the variables are fixed and the incident is resolved', async () => {
      // given
      const run = await driver('exclusive-no-default');
      run.start({ status: 'pending' });
      const incident = run.incident('N_Decision').id;

      // when
      run.setVariables({ status: 'approved' });
      const effects = run.resolveIncident();

      // then
      expect(ofType(effects, 'incidentResolved')).toEqual([{ type: 'incidentResolved', incidentId: incident }]);
      expect(completedElements(effects)).toEqual(['N_Decision']);
      expect(takenFlows(effects)).toEqual(['N_Flow_yes']);
      expect(openedTasks(effects)).toEqual(['N_Approved']);
      expect(run.incidents()).toEqual([]);
    });

    it('should raise the incident again when resolved without a fix', async () => {
      // given
      const run = await driver('exclusive-no-default');
      run.start({ status: 'pending' });

      // when
      const effects = run.resolveIncident();

      // then
      expect(ofType(effects, 'incidentRaised')).toHaveLength(1);
      expect(run.incidents('N_Decision')).toHaveLength(1);
    });

    it('should raise a conditionNotBoolean incident naming the missing variable when a condition is not a boolean', async () => {
      // given
      const run = await driver('exclusive');

      // when (amount is missing: `amount > 100` is null)
      const effects = run.start({});

      // then
      expect(ofType(effects, 'incidentRaised')[0].incident).toMatchObject({
        elementId: 'Amount',
        kind: 'expression',
        cause: 'conditionNotBoolean',
        message: "condition '=amount > 100' did not evaluate to a boolean (got null); variables: amount = null",
      });
    });
  });
});
