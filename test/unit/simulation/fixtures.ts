/** Models and calendars shared by the simulation tests. */
import type { CalendarDefinition } from '../../../engine/src/calendar';
import { loadProcessModels, type ProcessGraph } from '../../../engine/src/model';
import { agencyCalendarDefinition, bundledLegalSettings, bundledYears, settingsInForce } from '../../../onestop/src/clocks';

/** Every hour of every day is working time: working time equals elapsed time (queueing theory's clock). */
export const ROUND_THE_CLOCK: CalendarDefinition = {
  timeZone: 'UTC',
  utcOffsetMinutes: 0,
  from: '2026-01-01',
  to: '2035-12-31',
  week: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]),
  exceptions: [],
};

/** The Vietnamese public-sector calendar 2025–2027 (bundled years, legal hours 07:30–11:30, 13:00–17:00). */
export function vietnameseCalendar(): CalendarDefinition {
  return agencyCalendarDefinition(bundledYears(), settingsInForce(bundledLegalSettings(), '2026-01-01'), { agency: 'test' });
}

/** Compiles a document with one process; fails the test on any problem. */
export async function graphOf(xml: string): Promise<ProcessGraph> {
  const { graphs, problems } = await loadProcessModels(xml, { includeNotExecutable: true }); // as-is models are for analysis, not marked executable
  if (problems.length > 0) throw new Error(JSON.stringify(problems));
  return graphs[0];
}

/** A process document around `body`, with the process's facts. */
export function processXml(body: string, facts = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="d" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="p" isExecutable="true">
    ${facts ? `<bpmn:extensionElements><motcua:facts ${facts} /></bpmn:extensionElements>` : ''}
    ${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** A user task served by `role` at the process's agency. */
export function userTask(id: string, role: string): string {
  return `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="${role}" /></bpmn:extensionElements></bpmn:userTask>`;
}

export function flow(id: string, source: string, target: string): string {
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}" />`;
}

/** start → work (one user task of `role`) → end. */
export function singleStepXml(facts = 'agency="A"'): string {
  return processXml(`<bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}${userTask('work', 'clerk')}${flow('f2', 'work', 'end')}<bpmn:endEvent id="end" />`, facts);
}

/** start → split → (a, b) → join → end. */
export function parallelStepsXml(): string {
  return processXml(
    `<bpmn:startEvent id="start" />${flow('f1', 'start', 'split')}<bpmn:parallelGateway id="split" />` +
      `${flow('f2', 'split', 'a')}${flow('f3', 'split', 'b')}${userTask('a', 'clerk')}${userTask('b', 'expert')}` +
      `${flow('f4', 'a', 'join')}${flow('f5', 'b', 'join')}<bpmn:parallelGateway id="join" />${flow('f6', 'join', 'end')}<bpmn:endEvent id="end" />`,
    'agency="A"',
  );
}
