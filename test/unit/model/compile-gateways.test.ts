import { loadFixture, problem } from './load-fixture';

describe('model/compile', () => {

  describe('exclusiveGateway', () => {

    it('should report a flow without condition that is not the default flow', async () => {
      // when
      const { problems } = await loadFixture('exclusive-flow-without-condition.bpmn');

      // then
      expect(problems).toContainEqual(
        problem('Flow_3', "exclusive gateway flow 'Flow_3' has no condition and is not the default flow"),
      );
    });

    it('should report a default flow that is not an outgoing flow, and a default flow with a condition', async () => {
      // when
      const { problems } = await loadFixture('default-flow-not-outgoing.bpmn');

      // then
      expect(problems).toEqual([
        problem('Gateway_1', "default flow 'Flow_0' of exclusive gateway 'Gateway_1' is not one of its outgoing flows"),
        problem('Flow_Conditional', "default flow 'Flow_Conditional' of exclusive gateway 'Gateway_2' has a condition"),
      ]);
    });
  });

  describe('inclusiveGateway', () => {

    it('should report a flow without condition that is not the default flow', async () => {
      // when
      const { problems } = await loadFixture('exclusive-flow-without-condition.bpmn');

      // then
      expect(problems).toEqual([
        problem('Flow_3', 'exclusive gateway flow'),
        problem('Flow_5', "inclusive gateway flow 'Flow_5' has no condition and is not the default flow"),
      ]);
    });
  });

  describe('parallelGateway', () => {

    it('should report a condition on a flow leaving a parallel gateway', async () => {
      // when
      const { problems } = await loadFixture('parallel-flow-with-condition.bpmn');

      // then
      expect(problems).toEqual([problem('Flow_A', 'conditions on flows leaving a parallel gateway are not evaluated')]);
    });
  });

  describe('eventBasedGateway', () => {

    it('should report a task after an event-based gateway and a condition on its flow', async () => {
      // when
      const { problems } = await loadFixture('event-based-gateway-targets.bpmn');

      // then
      expect(problems).toEqual([
        problem('Flow_2', 'conditions on flows leaving an event-based gateway are not evaluated'),
        problem('Task_Wrong', "task 'Task_Wrong' follows event-based gateway 'Gateway_Events'"),
      ]);
    });
  });
});
