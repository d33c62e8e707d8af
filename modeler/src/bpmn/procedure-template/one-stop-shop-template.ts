/**
 * The template of a new one-stop-shop procedure: the dossier goes from the desk
 * (receipt) to the processing unit, to the head who signs, and back to the desk that
 * returns the result; one lane per actor, Zeebe candidate groups, and our facts (a
 * share of the statutory time per step, the dossier status each step represents).
 */
import { t } from '../../shared/i18n';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** Options of a new procedure. */
export interface TemplateOptions {
  /** The process id (a valid XML id). */
  processId: string;
  /** The procedure's agency, when the analyst belongs to one. */
  agency?: string;
}

interface Step {
  id: string;
  name: string;
  group: string;
  share: number;
  status: string;
  lane: 'desk' | 'unit' | 'head';
  x: number;
}

/** The BPMN XML (with its diagram) of a new procedure. */
export function oneStopShopTemplate(options: TemplateOptions): string {
  const { processId } = options;
  const agency = options.agency ? ` agency="${escape(options.agency)}"` : '';
  const laneY = { desk: 80, unit: 210, head: 340 } as const;
  const steps: Step[] = [
    { id: 'receive', name: t('template.receive'), group: 'desk', share: 0.5, status: 'received', lane: 'desk', x: 320 },
    { id: 'process', name: t('template.process'), group: 'unit', share: 7, status: 'processing', lane: 'unit', x: 470 },
    { id: 'sign', name: t('template.sign'), group: 'head', share: 2, status: 'awaitingSignature', lane: 'head', x: 620 },
    { id: 'return', name: t('template.return'), group: 'desk', share: 0.5, status: 'resultReady', lane: 'desk', x: 770 },
  ];
  const tasks = steps
    .map(
      (s) => `    <bpmn:userTask id="${s.id}" name="${escape(s.name)}">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="${s.group}" />
        <motcua:facts statutoryTime="${s.share}" dossierStatus="${s.status}" />
      </bpmn:extensionElements>
    </bpmn:userTask>`,
    )
    .join('\n');
  const lanes = (['desk', 'unit', 'head'] as const)
    .map((lane) => {
      const refs = [...(lane === 'desk' ? ['received'] : []), ...steps.filter((s) => s.lane === lane).map((s) => s.id), ...(lane === 'desk' ? ['done'] : [])];
      return `      <bpmn:lane id="lane_${lane}" name="${escape(t(`template.${lane}`))}">${refs.map((r) => `<bpmn:flowNodeRef>${r}</bpmn:flowNodeRef>`).join('')}</bpmn:lane>`;
    })
    .join('\n');
  const shapes = steps
    .map((s) => `      <bpmndi:BPMNShape id="${s.id}_di" bpmnElement="${s.id}"><dc:Bounds x="${s.x}" y="${laneY[s.lane] + 20}" width="100" height="80" /></bpmndi:BPMNShape>`)
    .join('\n');
  const laneShapes = (['desk', 'unit', 'head'] as const)
    .map((lane) => `      <bpmndi:BPMNShape id="lane_${lane}_di" bpmnElement="lane_${lane}" isHorizontal="true"><dc:Bounds x="190" y="${laneY[lane]}" width="830" height="130" /></bpmndi:BPMNShape>`)
    .join('\n');
  const edge = (id: string, points: Array<[number, number]>) =>
    `      <bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}">${points.map(([x, y]) => `<di:waypoint x="${x}" y="${y}" />`).join('')}</bpmndi:BPMNEdge>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0"
  id="${processId}_definitions" targetNamespace="http://motcua.vn/bpmn">
  <bpmn:collaboration id="${processId}_collaboration">
    <bpmn:participant id="${processId}_participant" name="${escape(t('template.name'))}" processRef="${processId}" />
  </bpmn:collaboration>
  <bpmn:process id="${processId}" name="${escape(t('template.name'))}" isExecutable="true">
    <bpmn:extensionElements>
      <motcua:facts${agency} statutoryTime="10" />
    </bpmn:extensionElements>
    <bpmn:laneSet id="${processId}_lanes">
${lanes}
    </bpmn:laneSet>
    <bpmn:startEvent id="received" name="${escape(t('template.received'))}" />
${tasks}
    <bpmn:endEvent id="done" name="${escape(t('template.done'))}" />
    <bpmn:sequenceFlow id="f1" sourceRef="received" targetRef="receive" />
    <bpmn:sequenceFlow id="f2" sourceRef="receive" targetRef="process" />
    <bpmn:sequenceFlow id="f3" sourceRef="process" targetRef="sign" />
    <bpmn:sequenceFlow id="f4" sourceRef="sign" targetRef="return" />
    <bpmn:sequenceFlow id="f5" sourceRef="return" targetRef="done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="${processId}_diagram">
    <bpmndi:BPMNPlane id="${processId}_plane" bpmnElement="${processId}_collaboration">
      <bpmndi:BPMNShape id="${processId}_participant_di" bpmnElement="${processId}_participant" isHorizontal="true"><dc:Bounds x="160" y="80" width="860" height="390" /></bpmndi:BPMNShape>
${laneShapes}
      <bpmndi:BPMNShape id="received_di" bpmnElement="received"><dc:Bounds x="252" y="122" width="36" height="36" /><bpmndi:BPMNLabel><dc:Bounds x="230" y="165" width="80" height="27" /></bpmndi:BPMNLabel></bpmndi:BPMNShape>
${shapes}
      <bpmndi:BPMNShape id="done_di" bpmnElement="done"><dc:Bounds x="932" y="122" width="36" height="36" /><bpmndi:BPMNLabel><dc:Bounds x="910" y="165" width="80" height="27" /></bpmndi:BPMNLabel></bpmndi:BPMNShape>
${edge('f1', [[288, 140], [320, 140]])}
${edge('f2', [[420, 140], [445, 140], [445, 270], [470, 270]])}
${edge('f3', [[570, 270], [595, 270], [595, 400], [620, 400]])}
${edge('f4', [[720, 400], [820, 400], [820, 180]])}
${edge('f5', [[870, 140], [932, 140]])}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
