/**
 * motcua:facts statutory times compiled into the graph: every unit (the legacy
 * `days` as `calendarDays`), the cut-off, `beforeDue`, and clear problems.
 */
import { loadProcessModels } from '../../../engine/src/model';
import { problem } from './load-fixture';

function model(facts: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t1" />
    <bpmn:userTask id="t1"><bpmn:extensionElements>${facts}</bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="e" />
    <bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
}

function boundary(attachedTo: 'userTask' | 'serviceTask', timer: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t1" />
    <bpmn:${attachedTo} id="t1">${attachedTo === 'serviceTask' ? '<bpmn:extensionElements><zeebe:taskDefinition type="x" /></bpmn:extensionElements>' : ''}</bpmn:${attachedTo}>
    <bpmn:boundaryEvent id="b" attachedToRef="t1" cancelActivity="false">
      <bpmn:extensionElements><motcua:facts statutoryTime="1" timeUnit="workingDays" beforeDue="true" /></bpmn:extensionElements>
      <bpmn:timerEventDefinition>${timer}</bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="fb" sourceRef="b" targetRef="e2" />
    <bpmn:endEvent id="e2" />
    <bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="e" />
    <bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe('model/compile working time', () => {
  it('should compile beforeDue on a boundary timer of a user task', async () => {
    const { graphs, problems } = await loadProcessModels(boundary('userTask', '<bpmn:timeDuration>PT24H</bpmn:timeDuration>'));
    expect(problems).toEqual([]);
    expect(graphs[0].nodes.b.facts?.statutoryTime).toEqual({ amount: 1, unit: 'workingDays', beforeDue: true });
  });

  it('should refuse beforeDue on a boundary of a task without a due date', async () => {
    const { problems } = await loadProcessModels(boundary('serviceTask', '<bpmn:timeDuration>PT24H</bpmn:timeDuration>'));
    expect(problems).toEqual([problem('b', 'beforeDue, which only a boundary timer event attached to a user task can have')]);
  });

  it('should refuse a statutory time on a timer cycle', async () => {
    const { problems } = await loadProcessModels(boundary('userTask', '<bpmn:timeCycle>R3/PT1H</bpmn:timeCycle>'));
    expect(problems).toEqual([problem('b', 'a statutory time replaces a duration or a date, not a cycle')]);
  });

  it.each([
    ['<motcua:facts statutoryTime="2" timeUnit="workingDays" />', { amount: 2, unit: 'workingDays' }],
    ['<motcua:facts statutoryTime="2" />', { amount: 2, unit: 'workingDays' }],
    ['<motcua:facts statutoryTime="8" timeUnit="workingHours" />', { amount: 8, unit: 'workingHours' }],
    ['<motcua:facts statutoryTime="24" timeUnit="hours" />', { amount: 24, unit: 'hours' }],
    ['<motcua:facts statutoryTime="15" timeUnit="calendarDays" />', { amount: 15, unit: 'calendarDays' }],
    ['<motcua:facts statutoryTime="15" timeUnit="days" />', { amount: 15, unit: 'calendarDays' }],
    ['<motcua:facts statutoryTime="1" timeUnit="sameDay" />', { amount: 1, unit: 'sameDay' }],
    ['<motcua:facts statutoryTime="3" timeUnit="workingDays" cutoff="legal" />', { amount: 3, unit: 'workingDays', cutoff: 'legal' }],
    ['<motcua:facts statutoryTime="3" timeUnit="workingDays" cutoff="16:30" />', { amount: 3, unit: 'workingDays', cutoff: '16:30' }],
  ])('%s', async (facts, expected) => {
    const { graphs, problems } = await loadProcessModels(model(facts));
    expect(problems).toEqual([]);
    expect(graphs[0].nodes.t1.facts?.statutoryTime).toEqual(expected);
  });

  it.each([
    ['<motcua:facts statutoryTime="1.5" timeUnit="sameDay" />', 'sameDay takes a whole number ≥ 1'],
    ['<motcua:facts statutoryTime="0" timeUnit="sameDay" />', 'sameDay takes a whole number ≥ 1'],
    ['<motcua:facts statutoryTime="3" cutoff="3pm" />', "motcua:facts cutoff '3pm'; expected 'legal', 'none' or a time \"HH:MM\""],
    ['<motcua:facts statutoryTime="3" cutoff="24:00" />', "motcua:facts cutoff '24:00'"],
    ['<motcua:facts cutoff="legal" />', 'cutoff or beforeDue without a statutoryTime'],
    ['<motcua:facts statutoryTime="1" beforeDue="true" />', 'beforeDue, which only a boundary timer event attached to a user task can have'],
    ['<motcua:facts statutoryTime="3" timeUnit="weeks" />', "timeUnit 'weeks'; expected one of workingDays, workingHours, hours, calendarDays, sameDay, days"],
  ])('%s is a problem', async (facts, reason) => {
    const { problems } = await loadProcessModels(model(facts));
    expect(problems).toEqual([problem('t1', reason)]);
  });
});
