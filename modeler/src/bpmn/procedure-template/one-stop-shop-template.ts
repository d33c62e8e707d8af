/**
 * The template of a new one-stop-shop procedure: the dossier goes from the desk
 * (receipt) to the processing unit, to the head who signs, and back to the desk that
 * returns the result; one lane per actor, Zeebe candidate groups, and our facts (a
 * share of the statutory time per step, the dossier status each step represents).
 * It draws the paths of the dossier lifecycle the procedure lint asks for
 * (motcua/lifecycle-paths): refusal at the desk, a supplement request with its stop when
 * no supplement comes, the result returned or the refusal after examination, so a new
 * procedure lints clean.
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

type Lane = 'desk' | 'unit' | 'head';
type Kind = 'start' | 'task' | 'gateway' | 'eventGateway' | 'message' | 'timer' | 'end';

interface Node {
  id: string;
  kind: Kind;
  lane: Lane;
  /** Column and row of the grid the diagram is drawn on. */
  col: number;
  row: number;
  group?: string;
  /** The step's share of the statutory time, in working days. */
  share?: number;
  status?: string;
  default?: string;
}

interface Flow {
  id: string;
  from: string;
  to: string;
  name?: string;
  condition?: string;
}

const NODES: Node[] = [
  { id: 'received', kind: 'start', lane: 'desk', col: 0, row: 0 },
  { id: 'receive', kind: 'task', lane: 'desk', col: 1, row: 0, group: 'desk', share: 0.5, status: 'received' },
  { id: 'receiveDecision', kind: 'gateway', lane: 'desk', col: 2, row: 0, default: 'f-accept' },
  { id: 'refused', kind: 'end', lane: 'desk', col: 3, row: 1, status: 'refused' },
  { id: 'examineMerge', kind: 'gateway', lane: 'unit', col: 3, row: 0 },
  { id: 'process', kind: 'task', lane: 'unit', col: 4, row: 0, group: 'unit', share: 6, status: 'processing' },
  { id: 'examineOutcome', kind: 'gateway', lane: 'unit', col: 5, row: 0, default: 'f-sign' },
  { id: 'requestSupplement', kind: 'task', lane: 'unit', col: 5, row: 1, group: 'unit', share: 0.5, status: 'supplement-requested' },
  { id: 'awaitSupplement', kind: 'eventGateway', lane: 'unit', col: 6, row: 1 },
  { id: 'supplementReceived', kind: 'message', lane: 'unit', col: 7, row: 1, status: 'supplemented' },
  { id: 'supplementOverdue', kind: 'timer', lane: 'unit', col: 7, row: 2 },
  { id: 'stopped', kind: 'end', lane: 'unit', col: 8, row: 2, status: 'stopped' },
  { id: 'sign', kind: 'task', lane: 'head', col: 6, row: 0, group: 'head', share: 2, status: 'processing' },
  { id: 'decision', kind: 'gateway', lane: 'head', col: 7, row: 0, default: 'f-returnRefusal' },
  { id: 'returnResult', kind: 'task', lane: 'desk', col: 8, row: 0, group: 'desk', share: 0.5, status: 'result-ready' },
  { id: 'returned', kind: 'end', lane: 'desk', col: 9, row: 0, status: 'returned' },
  { id: 'returnRefusal', kind: 'task', lane: 'desk', col: 8, row: 1, group: 'desk', share: 0.5, status: 'rejected' },
  { id: 'rejected', kind: 'end', lane: 'desk', col: 9, row: 1, status: 'rejected' },
];

// The main path's flow first out of each gateway: the token walk takes the first by default.
const FLOWS: Flow[] = [
  { id: 'f-receive', from: 'received', to: 'receive' },
  { id: 'f-receiveDecision', from: 'receive', to: 'receiveDecision' },
  { id: 'f-accept', from: 'receiveDecision', to: 'examineMerge', name: 'yes' },
  { id: 'f-refuse', from: 'receiveDecision', to: 'refused', name: 'no', condition: '=decision = "refuse"' },
  { id: 'f-examine', from: 'examineMerge', to: 'process' },
  { id: 'f-examineOutcome', from: 'process', to: 'examineOutcome' },
  { id: 'f-sign', from: 'examineOutcome', to: 'sign', name: 'complete' },
  { id: 'f-await', from: 'requestSupplement', to: 'awaitSupplement' },
  { id: 'f-supplementReceived', from: 'awaitSupplement', to: 'supplementReceived' },
  { id: 'f-supplementOverdue', from: 'awaitSupplement', to: 'supplementOverdue' },
  { id: 'f-supplemented', from: 'supplementReceived', to: 'examineMerge' },
  { id: 'f-stopped', from: 'supplementOverdue', to: 'stopped' },
  { id: 'f-requestSupplement', from: 'examineOutcome', to: 'requestSupplement', name: 'supplement', condition: '=outcome = "supplement" and supplemented != true' },
  { id: 'f-decision', from: 'sign', to: 'decision' },
  { id: 'f-returnResult', from: 'decision', to: 'returnResult', name: 'approved', condition: '=approved = true' },
  { id: 'f-returnRefusal', from: 'decision', to: 'returnRefusal', name: 'refused' },
  { id: 'f-returned', from: 'returnResult', to: 'returned' },
  { id: 'f-rejected', from: 'returnRefusal', to: 'rejected' },
];

const LANES: Lane[] = ['desk', 'unit', 'head'];
const ROWS: Record<Lane, number> = { desk: 2, unit: 3, head: 1 };
const ROW_HEIGHT = 110;
const COL_WIDTH = 130;
const POOL_X = 160;
const LANE_X = 190;
const TOP = 80;
const FIRST_COL = 270;
const WIDTH = FIRST_COL + 9 * COL_WIDTH + 90 - POOL_X;

const SIZE: Record<Kind, [number, number]> = { start: [36, 36], end: [36, 36], message: [36, 36], timer: [36, 36], task: [100, 80], gateway: [50, 50], eventGateway: [50, 50] };

function laneTop(lane: Lane): number {
  let y = TOP;
  for (const l of LANES) {
    if (l === lane) return y;
    y += ROWS[l] * ROW_HEIGHT;
  }
  return y;
}

/** The node's bounds: centred in its grid cell. */
function bounds(node: Node): { x: number; y: number; w: number; h: number; cx: number; cy: number } {
  const [w, h] = SIZE[node.kind];
  const cx = FIRST_COL + node.col * COL_WIDTH;
  const cy = laneTop(node.lane) + node.row * ROW_HEIGHT + ROW_HEIGHT / 2;
  return { x: cx - w / 2, y: cy - h / 2, w, h, cx, cy };
}

/** The waypoints of a flow: straight, an elbow forwards, or along the bottom of the source's lane backwards. */
function waypoints(flow: Flow, byId: Map<string, Node>): Array<[number, number]> {
  const source = byId.get(flow.from)!;
  const target = byId.get(flow.to)!;
  const s = bounds(source);
  const d = bounds(target);
  if (target.col <= source.col) {
    const bottom = laneTop(source.lane) + ROWS[source.lane] * ROW_HEIGHT - 10;
    return [[s.cx, s.y + s.h], [s.cx, bottom], [d.cx, bottom], [d.cx, d.y + d.h]];
  }
  if (s.cy === d.cy) return [[s.x + s.w, s.cy], [d.x, d.cy]];
  const mid = Math.round((s.x + s.w + d.x) / 2);
  return [[s.x + s.w, s.cy], [mid, s.cy], [mid, d.cy], [d.x, d.cy]];
}

function nodeXml(node: Node, flows: Flow[]): string {
  const name = escape(t(`template.${node.id}` as never));
  const label = name ? ` name="${name}"` : '';
  const refs = [...flows.filter((f) => f.to === node.id).map((f) => `      <bpmn:incoming>${f.id}</bpmn:incoming>`), ...flows.filter((f) => f.from === node.id).map((f) => `      <bpmn:outgoing>${f.id}</bpmn:outgoing>`)].join('\n');
  const facts = node.share !== undefined ? `<motcua:facts statutoryTime="${node.share}" timeUnit="workingDays" dossierStatus="${node.status}" />` : node.status ? `<motcua:facts dossierStatus="${node.status}" />` : '';
  const extensions = (inner: string) => (inner ? `      <bpmn:extensionElements>\n        ${inner}\n      </bpmn:extensionElements>\n` : '');
  switch (node.kind) {
    case 'start':
      return `    <bpmn:startEvent id="${node.id}"${label}>\n${refs}\n    </bpmn:startEvent>`;
    case 'end':
      return `    <bpmn:endEvent id="${node.id}"${label}>\n${extensions(facts)}${refs}\n    </bpmn:endEvent>`;
    case 'task':
      return `    <bpmn:userTask id="${node.id}"${label}>\n${extensions(`<zeebe:assignmentDefinition candidateGroups="${node.group}" />\n        ${facts}`)}${refs}\n    </bpmn:userTask>`;
    case 'gateway':
      return `    <bpmn:exclusiveGateway id="${node.id}"${label}${node.default ? ` default="${node.default}"` : ''}>\n${refs}\n    </bpmn:exclusiveGateway>`;
    case 'eventGateway':
      return `    <bpmn:eventBasedGateway id="${node.id}"${label}>\n${refs}\n    </bpmn:eventBasedGateway>`;
    case 'message':
      return `    <bpmn:intermediateCatchEvent id="${node.id}"${label}>\n${extensions(`<zeebe:ioMapping><zeebe:output source="=true" target="supplemented" /></zeebe:ioMapping>\n        ${facts}`)}${refs}\n      <bpmn:messageEventDefinition messageRef="supplement-message" />\n    </bpmn:intermediateCatchEvent>`;
    case 'timer':
      return `    <bpmn:intermediateCatchEvent id="${node.id}"${label}>\n${refs}\n      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P15D</bpmn:timeDuration></bpmn:timerEventDefinition>\n    </bpmn:intermediateCatchEvent>`;
  }
}

/** The BPMN XML (with its diagram) of a new procedure. */
export function oneStopShopTemplate(options: TemplateOptions): string {
  const { processId } = options;
  const agency = options.agency ? ` agency="${escape(options.agency)}"` : '';
  const byId = new Map(NODES.map((n) => [n.id, n]));
  const lanes = LANES.map(
    (lane) => `      <bpmn:lane id="lane_${lane}" name="${escape(t(`template.${lane}`))}">${NODES.filter((n) => n.lane === lane)
      .map((n) => `<bpmn:flowNodeRef>${n.id}</bpmn:flowNodeRef>`)
      .join('')}</bpmn:lane>`,
  ).join('\n');
  const flows = FLOWS.map((f) => {
    const name = f.name ? ` name="${escape(t(`template.flow.${f.name}` as never))}"` : '';
    const open = `    <bpmn:sequenceFlow id="${f.id}"${name} sourceRef="${f.from}" targetRef="${f.to}"`;
    return f.condition ? `${open}>\n      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escape(f.condition)}</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>` : `${open} />`;
  }).join('\n');
  const shapes = NODES.map((n) => {
    const b = bounds(n);
    const marker = n.kind === 'gateway' ? ' isMarkerVisible="true"' : '';
    const label = n.kind === 'task' ? '' : `<bpmndi:BPMNLabel><dc:Bounds x="${b.cx - 45}" y="${b.y + b.h + 4}" width="90" height="27" /></bpmndi:BPMNLabel>`;
    return `      <bpmndi:BPMNShape id="${n.id}_di" bpmnElement="${n.id}"${marker}><dc:Bounds x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" />${label}</bpmndi:BPMNShape>`;
  }).join('\n');
  const laneShapes = LANES.map((lane) => `      <bpmndi:BPMNShape id="lane_${lane}_di" bpmnElement="lane_${lane}" isHorizontal="true"><dc:Bounds x="${LANE_X}" y="${laneTop(lane)}" width="${WIDTH - (LANE_X - POOL_X)}" height="${ROWS[lane] * ROW_HEIGHT}" /></bpmndi:BPMNShape>`).join('\n');
  const edges = FLOWS.map((f) => `      <bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}">${waypoints(f, byId).map(([x, y]) => `<di:waypoint x="${x}" y="${y}" />`).join('')}</bpmndi:BPMNEdge>`).join('\n');
  const height = LANES.reduce((sum, lane) => sum + ROWS[lane] * ROW_HEIGHT, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0"
  id="${processId}_definitions" targetNamespace="http://motcua.vn/bpmn">
  <bpmn:collaboration id="${processId}_collaboration">
    <bpmn:participant id="${processId}_participant" name="${escape(t('template.name'))}" processRef="${processId}" />
  </bpmn:collaboration>
  <bpmn:message id="supplement-message" name="dossier.supplemented">
    <bpmn:extensionElements>
      <zeebe:subscription correlationKey="=dossierCode" />
    </bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="${processId}" name="${escape(t('template.name'))}" isExecutable="true">
    <bpmn:extensionElements>
      <motcua:facts${agency} statutoryTime="10" timeUnit="workingDays" />
    </bpmn:extensionElements>
    <bpmn:laneSet id="${processId}_lanes">
${lanes}
    </bpmn:laneSet>
${NODES.map((n) => nodeXml(n, FLOWS)).join('\n')}
${flows}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="${processId}_diagram">
    <bpmndi:BPMNPlane id="${processId}_plane" bpmnElement="${processId}_collaboration">
      <bpmndi:BPMNShape id="${processId}_participant_di" bpmnElement="${processId}_participant" isHorizontal="true"><dc:Bounds x="${POOL_X}" y="${TOP}" width="${WIDTH}" height="${height}" /></bpmndi:BPMNShape>
${laneShapes}
${shapes}
${edges}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
