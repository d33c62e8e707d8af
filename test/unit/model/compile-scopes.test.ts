import { loadFixture, problem } from './load-fixture';

describe('model/compile', () => {

  describe('process', () => {

    it('should report a process without start event', async () => {
      // when
      const { problems } = await loadFixture('no-start-event.bpmn');

      // then
      expect(problems).toEqual([problem('Process_1', "process 'Process_1' has no start event")]);
    });

    it('should report more than one none start event', async () => {
      // when
      const { problems } = await loadFixture('two-none-start-events.bpmn');

      // then
      expect(problems).toEqual([problem('Process_1', "process 'Process_1' has 2 none start events (Start_A, Start_B); at most one is allowed")]);
    });
  });

  describe('subProcess', () => {

    it('should report sub-processes without exactly one fitting start event', async () => {
      // when
      const { problems } = await loadFixture('sub-process-start-events.bpmn');

      // then
      expect(problems).toEqual([
        problem('Start_None', 'an event definition is required on the start event of an event sub-process'),
        problem('SubProcess_NoStart', "sub-process 'SubProcess_NoStart' has no start event; it needs a none start event"),
        problem('SubProcess_TwoStarts', "sub-process 'SubProcess_TwoStarts' has 2 start events (Start_A, Start_B); it needs exactly one none start event"),
      ]);
    });
  });

  describe('reachability', () => {

    it('should report elements no path leads to, counting boundary events and event sub-processes as entries', async () => {
      // when
      const { problems } = await loadFixture('unreachable.bpmn');

      // then
      expect(problems).toEqual([
        problem('Task_Orphan', "task 'Task_Orphan' is unreachable"),
        problem('Task_AfterOrphan', "task 'Task_AfterOrphan' is unreachable"),
      ]);
    });
  });

  describe('link events', () => {

    it('should report a link throw without a catch in its scope', async () => {
      // when
      const { problems } = await loadFixture('link-throw-without-catch.bpmn');

      // then
      expect(problems).toEqual([
        problem('Throw_Link', "link throw event 'Throw_Link' has no link catch event named 'next' in process 'Process_1'"),
        // the catch of that name is in the sub-process, where no throw leads to it
        problem('Catch_Link', "'Catch_Link' is unreachable"),
      ]);
    });

    it('should report two link catch events with the same name', async () => {
      // when
      const { problems, graphs } = await loadFixture('duplicate-link-catch.bpmn');

      // then
      expect(problems).toEqual([
        problem('Catch_Link_2', "link catch event 'Catch_Link_2' has the link name 'next' of link catch event 'Catch_Link_1'"),
      ]);
      expect(graphs[0].scopes.Process_1.linkTargets).toEqual({ next: 'Catch_Link_1' });
    });
  });
});
