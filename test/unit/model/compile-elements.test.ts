import { loadFixture, problem } from './load-fixture';

describe('model/compile', () => {

  describe('unsupported elements', () => {

    it('should report a complex gateway', async () => {
      // when
      const { problems, graphs } = await loadFixture('unsupported-complex-gateway.bpmn');

      // then
      expect(problems).toEqual([problem('Gateway_Complex', 'complex gateways are not supported')]);
      expect(graphs[0].nodes).not.toHaveProperty('Gateway_Complex');
      expect(graphs[0].flows).toEqual({});
    });

    it('should report a transaction', async () => {
      // when
      const { problems } = await loadFixture('unsupported-transaction.bpmn');

      // then
      expect(problems).toEqual([problem('Transaction_1', 'transactions (and their cancel/compensation semantics) are not supported')]);
    });

    it('should report an ad-hoc sub-process', async () => {
      // when
      const { problems } = await loadFixture('unsupported-ad-hoc-sub-process.bpmn');

      // then
      expect(problems).toEqual([problem('AdHoc_1', 'ad-hoc sub-processes are not supported')]);
    });

    it('should report conditional events', async () => {
      // when
      const { problems } = await loadFixture('unsupported-conditional-event.bpmn');

      // then
      expect(problems).toEqual([
        problem('Catch_Conditional', 'conditional events are not supported'),
        problem('Boundary_Conditional', 'conditional events are not supported'),
      ]);
    });

    it('should report compensation boundary, handler and throw events', async () => {
      // when
      const { problems } = await loadFixture('unsupported-compensation.bpmn');

      // then
      expect(problems).toEqual([
        problem('Boundary_Compensate', 'compensation events are not supported'),
        problem('Task_Cancel', 'compensation handler (isForCompensation): compensation is not supported'),
        problem('Throw_Compensate', 'compensation events are not supported'),
      ]);
    });

    it('should report a cancel end event', async () => {
      // when
      const { problems } = await loadFixture('unsupported-cancel-event.bpmn');

      // then
      expect(problems).toEqual([problem('End_Cancel', 'cancel events are not supported')]);
    });

    it('should report a multi-instance without input collection', async () => {
      // when
      const { problems } = await loadFixture('multi-instance-without-input-collection.bpmn');

      // then
      expect(problems).toEqual([
        problem('Task_Many', 'has no input collection (zeebe:loopCharacteristics inputCollection) (loopCardinality is not supported)'),
      ]);
    });

    it('should report a standard loop', async () => {
      // when
      const { problems } = await loadFixture('standard-loop.bpmn');

      // then
      expect(problems).toEqual([problem('Task_Loop', 'standard loop (bpmn:standardLoopCharacteristics), which is not supported')]);
    });

    it('should compile zeebe execution listeners into the node', async () => {
      // when
      const { problems, graphs } = await loadFixture('execution-listeners.bpmn');

      // then
      expect(problems).toEqual([]);
      expect(graphs[0].nodes.Task_1.executionListeners).toEqual({ start: [{ type: 'audit', retries: '3' }], end: [] });
    });

    it('should take execution listeners on the process and on a multi-instance activity, and report one without a job type', async () => {
      // when
      const { problems, graphs } = await loadFixture('execution-listeners-unsupported.bpmn');

      // then
      expect(problems.map((p) => p.elementId).sort()).toEqual(['Untyped']);
      expect(graphs[0].executionListeners).toEqual({ start: [{ type: 'audit', retries: '3' }], end: [] });
      expect(graphs[0].nodes.Many.executionListeners).toEqual({ start: [], end: [{ type: 'audit', retries: '3' }] });
      expect(problems.find((p) => p.elementId === 'Untyped')?.reason).toContain('start execution listener without a job type');
    });

    it('should take task listeners of a user task by event, and report a wrong event type, a missing job type and listeners elsewhere', async () => {
      // when
      const { problems, graphs } = await loadFixture('task-listeners.bpmn');

      // then
      expect(problems.map((p) => p.elementId).sort()).toEqual(['Broken', 'Broken', 'Service']);
      expect(problems.map((p) => p.reason).join('\n')).toMatch(/eventType 'timeout'[\s\S]*creating task listener without a job type|creating task listener without a job type[\s\S]*eventType 'timeout'/);
      expect(problems.find((p) => p.elementId === 'Service')?.reason).toContain('only a user task can have');
      expect((graphs[0].nodes.Review as { taskListeners?: unknown }).taskListeners).toEqual({
        assigning: [{ type: 'check-a', retries: '2' }, { type: 'check-b', retries: '3' }],
        completing: [{ type: 'audit', retries: '3' }],
      });
    });

    it('should ignore data objects, data stores, associations, annotations, groups and lanes', async () => {
      // when
      const { problems, graphs } = await loadFixture('data-and-artifacts.bpmn');

      // then
      expect(problems).toEqual([]);
      expect(Object.keys(graphs[0].nodes)).toEqual(['Start', 'Task_1', 'End']);
    });
  });

  describe('elements dropped by the parser', () => {

    it('should report unknown BPMN elements by id, or by line when they have none', async () => {
      // when
      const { problems } = await loadFixture('unknown-bpmn-element.bpmn');

      // then
      expect(problems).toEqual([
        problem('Task_Typo', '<bpmn:usrTask> at line 8, column 5 was dropped by the parser'),
        problem('line 10', '<bpmn:incomming> at line 10, column 7 was dropped by the parser'),
      ]);
    });

    it('should report unknown Zeebe extension elements', async () => {
      // when
      const { problems } = await loadFixture('unknown-zeebe-element.bpmn');

      // then
      expect(problems).toEqual([problem('line 11', '<zeebe:taskDefinitions> at line 11, column 9 was dropped')]);
    });

    it('should report duplicate ids', async () => {
      // when
      const { problems } = await loadFixture('duplicate-ids.bpmn');

      // then
      expect(problems).toEqual([
        problem('Task_1', "duplicate id 'Task_1': <bpmn:userTask> at line 9, column 5"),
        problem('Flow_1', "duplicate id 'Flow_1': <bpmn:sequenceFlow> at line 12, column 5"),
        // the second Flow_1 was dropped, so nothing leads to End any more
        problem('End', 'is unreachable'),
      ]);
    });

    it('should report an id that is not an XML name', async () => {
      // when
      const { problems } = await loadFixture('illegal-id.bpmn');

      // then
      expect(problems).toEqual([problem('1st task', "'1st task' is not a valid id")]);
    });
  });
});
