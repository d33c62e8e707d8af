import { compileDefinitions, parseBpmn, type ProcessGraph } from '../../../engine/src/model';
import { fixture, loadFixture, problem } from './load-fixture';

describe('model/compile', () => {

  describe('happy path', () => {

    let graphs: ProcessGraph[];
    let happy: ProcessGraph;

    beforeAll(async () => {
      const result = await loadFixture('happy-path.bpmn');
      expect(result.problems).toEqual([]);
      expect(result.warnings).toEqual([]);
      graphs = result.graphs;
      happy = graphs.find((graph) => graph.processId === 'happy')!;
    });

    it('should compile every executable process', () => {
      expect(graphs.map((graph) => graph.processId)).toEqual(['happy', 'child']);
    });

    it('should compile the process attributes', () => {
      expect(happy).toMatchObject({
        processId: 'happy',
        name: 'Happy path',
        versionTag: 'v2',
        facts: {
          agency: 'UBND-Q1',
          dossierStatus: 'received',
          statutoryTime: { amount: 15, unit: 'workingDays' },
          documents: ['Đơn đề nghị', 'CCCD'],
        },
        startEvents: ['StartEvent_None', 'StartEvent_Message', 'StartEvent_Timer', 'StartEvent_Signal'],
        calledProcesses: ['child'],
      });
    });

    it('should compile every supported element type', () => {
      const types = new Set(Object.values(happy.nodes).map((node) => node.type));
      expect([...types].sort()).toEqual([
        'boundaryEvent', 'businessRuleTask', 'callActivity', 'endEvent', 'eventBasedGateway', 'exclusiveGateway',
        'inclusiveGateway', 'intermediateCatchEvent', 'intermediateThrowEvent', 'manualTask', 'parallelGateway',
        'receiveTask', 'scriptTask', 'sendTask', 'serviceTask', 'startEvent', 'subProcess', 'task', 'userTask',
      ]);
    });

    it('should compile start events', () => {
      expect(happy.nodes.StartEvent_None).toEqual({
        id: 'StartEvent_None', name: 'Start', type: 'startEvent', scope: 'happy', interrupting: true,
        incoming: [], outgoing: ['Flow_1'], boundaryEvents: [], inputs: [], outputs: [],
      });
      expect(happy.nodes.StartEvent_Message).toMatchObject({ eventDefinition: { kind: 'message', messageName: 'dossier-submitted' } });
      expect(happy.nodes.StartEvent_Message).not.toHaveProperty('eventDefinition.correlationKey');
      expect(happy.nodes.StartEvent_Timer).toMatchObject({ eventDefinition: { kind: 'timer', timerType: 'cycle', expression: 'R/PT24H' } });
      expect(happy.nodes.StartEvent_Signal).toMatchObject({ eventDefinition: { kind: 'signal', signalName: 'holiday' } });
    });

    it('should compile a user task with assignment, schedule, form and mappings', () => {
      expect(happy.nodes.UserTask_Review).toEqual({
        id: 'UserTask_Review', name: 'Review', type: 'userTask', scope: 'happy',
        incoming: ['Flow_5'], outgoing: ['Flow_6'], boundaryEvents: ['Boundary_Timeout', 'Boundary_Reminder'],
        inputs: [{ source: '=dossier.code', target: 'code' }],
        outputs: [{ source: '=approved', target: 'approved' }],
        assignee: '=reviewer',
        candidateGroups: 'officials',
        candidateUsers: '=["an", "binh"]',
        dueDate: '=now() + duration("P2D")',
        followUpDate: '2026-12-01T08:00:00+07:00',
        formKey: 'review-form',
      });
    });

    it('should compile boundary events', () => {
      expect(happy.nodes.Boundary_Timeout).toMatchObject({
        type: 'boundaryEvent', attachedTo: 'UserTask_Review', cancelActivity: true,
        eventDefinition: { kind: 'timer', timerType: 'duration', expression: 'PT2H' },
      });
      expect(happy.nodes.Boundary_Reminder).toMatchObject({
        attachedTo: 'UserTask_Review', cancelActivity: false,
        eventDefinition: { kind: 'message', messageName: 'reminder', correlationKey: '=dossierId' },
      });
      expect(happy.nodes.Boundary_FeeError).toMatchObject({ eventDefinition: { kind: 'error' } });
      expect(happy.nodes.Boundary_FeeError).not.toHaveProperty('eventDefinition.errorCode');
      expect(happy.nodes.Boundary_DocsMissing).toMatchObject({ eventDefinition: { kind: 'error', errorCode: 'DOCS_MISSING' } });
      expect(happy.nodes.Boundary_Late).toMatchObject({ cancelActivity: false, eventDefinition: { kind: 'escalation', escalationCode: 'LATE' } });
    });

    it('should compile gateways with their default flows and conditions', () => {
      expect(happy.nodes.Gateway_Decision).toMatchObject({ type: 'exclusiveGateway', defaultFlow: 'Flow_Reject', outgoing: ['Flow_Approve', 'Flow_Reject'] });
      expect(happy.flows.Flow_Approve).toEqual({ id: 'Flow_Approve', name: 'approved', source: 'Gateway_Decision', target: 'Gateway_Fork', condition: '=approved' });
      expect(happy.flows.Flow_Reject).toEqual({ id: 'Flow_Reject', source: 'Gateway_Decision', target: 'EndEvent_Rejected' });
      expect(happy.nodes.Gateway_Options).toMatchObject({ type: 'inclusiveGateway', defaultFlow: 'Flow_C' });
      expect(happy.nodes.Gateway_Fork).toMatchObject({ type: 'parallelGateway', outgoing: ['Flow_7', 'Flow_8'] });
      expect(happy.nodes.Gateway_Fork).not.toHaveProperty('defaultFlow');
      expect(happy.nodes.Gateway_Wait).toMatchObject({ type: 'eventBasedGateway', outgoing: ['Flow_18', 'Flow_19', 'Flow_20'] });
    });

    it('should compile job tasks with type, retries and headers', () => {
      expect(happy.nodes.ServiceTask_Fee).toMatchObject({
        type: 'serviceTask',
        job: { type: 'collect-fee', retries: '5', headers: { channel: 'online' } },
      });
      expect(happy.nodes.SendTask_Notify).toMatchObject({ type: 'sendTask', job: { type: '="notify-" + channel', retries: '3', headers: {} } });
      expect(happy.nodes.BusinessRuleTask_Check).toMatchObject({ type: 'businessRuleTask', job: { type: 'check-rules' } });
    });

    it('should compile a multi-instance', () => {
      expect(happy.nodes.ServiceTask_Fee.multiInstance).toEqual({
        sequential: false,
        inputCollection: '=fees',
        inputElement: 'fee',
        outputCollection: 'receipts',
        outputElement: '=receipt',
        completionCondition: '=numberOfCompletedInstances >= 2',
      });
    });

    it('should compile receive and script tasks', () => {
      expect(happy.nodes.ReceiveTask_Docs).toMatchObject({
        type: 'receiveTask', scope: 'SubProcess_Docs',
        message: { kind: 'message', messageName: '="docs-" + kind', correlationKey: '=dossierId' },
      });
      expect(happy.nodes.ScriptTask_Compute).toMatchObject({ type: 'scriptTask', expression: '=sum(fees)', resultVariable: 'total' });
    });

    it('should compile a call activity', () => {
      expect(happy.nodes.CallActivity_Child).toMatchObject({
        type: 'callActivity',
        calledElement: 'child',
        bindingType: 'versionTag',
        versionTag: 'v1',
        propagateAllChildVariables: false,
        propagateAllParentVariables: true,
        inputs: [{ source: '=code', target: 'code' }],
      });
    });

    it('should compile throw and end events, with a job for message throws', () => {
      expect(happy.nodes.Throw_Message).toMatchObject({
        type: 'intermediateThrowEvent', eventDefinition: { kind: 'message' }, job: { type: 'send-letter', retries: '3' },
      });
      expect(happy.nodes.EndEvent_Message).toMatchObject({
        type: 'endEvent', eventDefinition: { kind: 'message' }, job: { type: 'publish-result', retries: '=retries' },
      });
      expect(happy.nodes.Throw_None).not.toHaveProperty('eventDefinition');
      expect(happy.nodes.Throw_Signal).toMatchObject({ eventDefinition: { kind: 'signal', signalName: 'holiday' } });
      expect(happy.nodes.Throw_Escalation).toMatchObject({ eventDefinition: { kind: 'escalation', escalationCode: 'LATE' } });
      expect(happy.nodes.EndEvent_Terminate).toMatchObject({ eventDefinition: { kind: 'terminate' } });
      expect(happy.nodes.EndEvent_DocsMissing).toMatchObject({ eventDefinition: { kind: 'error', errorCode: 'DOCS_MISSING' } });
      expect(happy.nodes.EndEvent_Rejected).toMatchObject({ eventDefinition: { kind: 'signal', signalName: 'holiday' } });
    });

    it('should compile intermediate catch events', () => {
      expect(happy.nodes.Catch_Message).toMatchObject({
        eventDefinition: { kind: 'message', messageName: 'reminder', correlationKey: '=dossierId' },
        outputs: [{ source: '=answer', target: 'answer' }],
      });
      expect(happy.nodes.Catch_Timer).toMatchObject({ eventDefinition: { kind: 'timer', timerType: 'date', expression: '2026-12-24T17:00:00+07:00' } });
      expect(happy.nodes.Catch_Signal).toMatchObject({ eventDefinition: { kind: 'signal', signalName: 'holiday' } });
      expect(happy.nodes.Catch_Link).toMatchObject({ eventDefinition: { kind: 'link', linkName: 'toEnd' } });
    });

    it('should describe every scope', () => {
      expect(Object.keys(happy.scopes)).toEqual(['happy', 'SubProcess_Docs', 'EventSubProcess_Withdraw', 'EventSubProcess_Fatal']);
      expect(happy.scopes.happy).toMatchObject({
        noneStart: 'StartEvent_None',
        eventSubProcesses: ['EventSubProcess_Withdraw', 'EventSubProcess_Fatal'],
        linkTargets: { toEnd: 'Catch_Link' },
      });
      expect(happy.scopes.happy.children).toHaveLength(45);
      expect(happy.scopes.SubProcess_Docs).toEqual({
        id: 'SubProcess_Docs',
        noneStart: 'StartEvent_Docs',
        children: ['StartEvent_Docs', 'ReceiveTask_Docs', 'Gateway_DocsOk', 'EndEvent_DocsOk', 'EndEvent_DocsMissing'],
        eventSubProcesses: [],
        linkTargets: {},
      });
      expect(happy.scopes.EventSubProcess_Withdraw).not.toHaveProperty('noneStart');
    });

    it('should compile sub-processes and event sub-process start events', () => {
      expect(happy.nodes.SubProcess_Docs).toMatchObject({ type: 'subProcess', triggeredByEvent: false, boundaryEvents: ['Boundary_DocsMissing', 'Boundary_Late'] });
      expect(happy.nodes.EventSubProcess_Withdraw).toMatchObject({ type: 'subProcess', triggeredByEvent: true, incoming: [], outgoing: [] });
      expect(happy.nodes.StartEvent_Withdraw).toMatchObject({
        scope: 'EventSubProcess_Withdraw', interrupting: false,
        eventDefinition: { kind: 'message', messageName: 'withdraw', correlationKey: '=dossierId' },
      });
      expect(happy.nodes.StartEvent_Fatal).toMatchObject({ interrupting: true, eventDefinition: { kind: 'error', errorCode: 'FATAL' } });
    });

    it('should carry the one-stop-shop facts of a step', () => {
      expect(happy.nodes.Task_Receive.facts).toEqual({
        agency: 'BPTN',
        dossierStatus: 'received',
        statutoryTime: { amount: 4, unit: 'workingHours' },
        documents: ['Giấy tờ'],
      });
      expect(happy.nodes.Task_Default).not.toHaveProperty('facts');
    });

    it('should list the sources of an inclusive join', () => {
      expect(happy.inclusiveJoinSources).toEqual({
        Gateway_Merge: [
          'StartEvent_None', 'StartEvent_Message', 'StartEvent_Timer', 'StartEvent_Signal', 'Task_Receive',
          'UserTask_Review', 'Gateway_Decision', 'Gateway_Fork', 'ServiceTask_Fee', 'SendTask_Notify', 'Gateway_Join',
          'Gateway_Options', 'BusinessRuleTask_Check', 'ScriptTask_Compute', 'Task_Default',
        ],
      });
    });

    it('should produce plain JSON data', () => {
      expect(JSON.parse(JSON.stringify(happy))).toEqual(happy);
    });
  });

  describe('inclusiveGateway', () => {

    it('should list join sources through boundary events and loops, and not other paths', async () => {
      // when
      const { graphs, problems } = await loadFixture('inclusive-join-sources.bpmn');

      // then
      expect(problems).toEqual([]);
      expect(graphs[0].inclusiveJoinSources).toEqual({
        // the split has two incoming flows too (the loop), so it is a join as well
        Split: ['Start', 'Task_A', 'Task_B', 'Boundary_B', 'Join', 'Task_After', 'Gateway_Loop'],
        Join: ['Start', 'Split', 'Task_A', 'Task_B', 'Boundary_B', 'Task_After', 'Gateway_Loop'],
      });
    });
  });

  describe('process selection', () => {

    it('should compile only the processes marked executable when there are any', async () => {
      // when
      const { graphs, problems } = await loadFixture('process-selection-executable.bpmn');

      // then
      expect(problems).toEqual([]);
      expect(graphs.map((graph) => graph.processId)).toEqual(['Process_Agency']);
    });

    it('should compile every process with content when none is marked executable, except those marked isExecutable="false"', async () => {
      // when
      const { graphs, problems } = await loadFixture('process-selection-unmarked.bpmn');

      // then
      expect(problems).toEqual([]);
      expect(graphs.map((graph) => graph.processId)).toEqual(['Process_A', 'Process_B']);
    });

    it('should refuse a document whose only process is marked isExecutable="false", saying so', async () => {
      // when
      const { graphs, problems } = await loadFixture('process-selection-not-executable.bpmn');

      // then
      expect(graphs).toEqual([]);
      expect(problems).toEqual([problem('Process_AsIs', 'no executable process: process \'Process_AsIs\' is marked isExecutable="false"')]);
    });
  });

  describe('motcua:facts', () => {

    it('should report a bad statutory time and a bad time unit', async () => {
      // when
      const { problems } = await loadFixture('one-stop-shop-facts.bpmn');

      // then
      expect(problems).toEqual([
        problem('Process_1', 'motcua:facts statutoryTime that is not a non-negative number'),
        problem('Task_1', "motcua:facts timeUnit 'weeks'; expected one of workingDays, workingHours, hours, calendarDays, sameDay, days"),
      ]);
    });
  });

  describe('compileDefinitions', () => {

    it('should report something that is not a definitions element instead of throwing', () => {
      // when
      const { graphs, problems } = compileDefinitions({ $type: 'bpmn:Process' });

      // then
      expect(graphs).toEqual([]);
      expect(problems).toEqual([problem('definitions', 'not a bpmn:Definitions')]);
    });

    it('should turn the warnings it is given into problems', async () => {
      // given
      const { definitions, warnings } = await parseBpmn(fixture('unknown-bpmn-element.bpmn'));

      // when
      const withWarnings = compileDefinitions(definitions, { warnings });
      const without = compileDefinitions(definitions);

      // then
      expect(withWarnings.problems).toHaveLength(2);
      expect(without.problems).toEqual([]);
    });
  });
});
