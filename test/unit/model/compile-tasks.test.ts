import { loadFixture, problem } from './load-fixture';

describe('model/compile', () => {

  describe('job tasks', () => {

    it('should report service, send and business rule tasks without a job type', async () => {
      // when
      const { problems } = await loadFixture('job-without-type.bpmn');

      // then
      expect(problems).toEqual([
        problem('Task_Service', "service task 'Task_Service' has no job type (zeebe:taskDefinition type)"),
        problem('Task_Send', "send task 'Task_Send' has no job type"),
        problem('Task_Rule', "business rule task 'Task_Rule' has no job type"),
        problem('Throw_Message', 'has no job type'),
        problem('End_Message', 'has no job type'),
      ]);
    });
  });

  describe('businessRuleTask', () => {

    it('should report a called decision', async () => {
      // when
      const { problems } = await loadFixture('business-rule-task-called-decision.bpmn');

      // then
      expect(problems).toEqual([problem('Task_Decide', 'DMN decisions are not supported; use a job type')]);
    });
  });

  describe('scriptTask', () => {

    it('should report scripts other than zeebe:script with expression and result variable', async () => {
      // when
      const { problems } = await loadFixture('script-task-forms.bpmn');

      // then
      expect(problems).toEqual([
        problem('Task_Inline', 'needs a zeebe:script with a FEEL expression and a result variable (an inline <script> in javascript is not supported)'),
        problem('Task_Job', '(script tasks run as jobs are not supported)'),
        problem('Task_NoResult', 'has a zeebe:script without a result variable'),
      ]);
    });
  });

  describe('callActivity', () => {

    it('should report a call to a process neither in the document nor deployed', async () => {
      // when
      const { problems, graphs } = await loadFixture('call-activity-unknown-process.bpmn');

      // then
      expect(problems).toEqual([
        problem('Call_Elsewhere', "calls process 'registry-lookup', which is neither in this document nor deployed"),
      ]);
      expect(graphs[0].calledProcesses).toEqual(['Process_Child', 'registry-lookup']);
      expect(graphs[0].nodes.Call_Dynamic).toMatchObject({ calledElement: '=procedure.processId', bindingType: 'deployment' });
    });

    it('should accept a call to a process that knownProcessIds knows', async () => {
      // when
      const { problems, graphs } = await loadFixture('call-activity-unknown-process.bpmn', {
        knownProcessIds: (id) => id === 'registry-lookup',
      });

      // then
      expect(problems).toEqual([]);
      expect(graphs[0].nodes.Call_Elsewhere).toMatchObject({
        calledElement: 'registry-lookup',
        bindingType: 'latest',
        propagateAllChildVariables: false,
        propagateAllParentVariables: true,
      });
    });

    it('should report a call activity without called element, and a version tag binding without tag', async () => {
      // when
      const { problems } = await loadFixture('call-activity-without-called-element.bpmn');

      // then
      expect(problems).toEqual([
        problem('Call_Nothing', "has no called element (zeebe:calledElement processId) (the BPMN calledElement attribute 'Process_2' is not used)"),
        problem('Call_NoTag', 'binds by version tag but has no versionTag'),
      ]);
    });
  });
});
