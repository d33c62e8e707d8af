import { loadFixture, problem } from './load-fixture';

describe('model/compile', () => {

  describe('sequenceFlow', () => {

    it('should report a flow whose source does not exist', async () => {
      // when
      const { problems, graphs } = await loadFixture('flow-missing-source.bpmn');

      // then
      expect(problems).toEqual([problem('Flow_Dangling', "sequence flow 'Flow_Dangling' has no source (sourceRef 'Task_Gone' does not exist)")]);
      expect(Object.keys(graphs[0].flows)).toEqual(['Flow_1']);
    });

    it('should report a flow that crosses a scope boundary', async () => {
      // when
      const { problems } = await loadFixture('flow-crossing-scope.bpmn');

      // then
      expect(problems).toEqual([
        problem('Flow_Out', "sequence flow 'Flow_Out' in 'SubProcess_1' crosses a scope boundary: its target 'End' is in 'Process_1'"),
      ]);
    });
  });
});
