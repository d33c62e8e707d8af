/**
 * Writes a {@link DocumentSpec} as BPMN 2.0 XML with Zeebe extensions, our
 * `motcua:facts`, and a BPMNDI diagram from {@link layoutDocument}.
 *
 * Why: the committed .bpmn files of processes/ open in bpmn-js and Camunda Modeler
 * with a readable diagram and deploy on the engine unchanged.
 */
import { layoutDocument, type Bounds, type DocumentLayout, type Point } from './layout';
import type { DocumentSpec, FactsSpec, FlowSpec, NodeSpec, ProcessSpec } from './spec';

/** Escapes text for an XML attribute or element. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attrs(values: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

function factsXml(facts: FactsSpec | undefined, indent: string): string[] {
  if (!facts) return [];
  const head = `${indent}<motcua:facts${attrs({ agency: facts.agency, statutoryTime: facts.statutoryTime, timeUnit: facts.statutoryTime !== undefined ? (facts.timeUnit ?? 'workingDays') : facts.timeUnit, cutoff: facts.cutoff, dossierStatus: facts.dossierStatus })}`;
  if (!facts.documents?.length) return [`${head} />`];
  return [`${head}>`, ...facts.documents.map((name) => `${indent}  <motcua:document${attrs({ name })} />`), `${indent}</motcua:facts>`];
}

function extensions(lines: string[], indent: string): string[] {
  return lines.length === 0 ? [] : [`${indent}<bpmn:extensionElements>`, ...lines, `${indent}</bpmn:extensionElements>`];
}

const TAG: Record<NodeSpec['kind'], string> = {
  startEvent: 'bpmn:startEvent',
  endEvent: 'bpmn:endEvent',
  userTask: 'bpmn:userTask',
  task: 'bpmn:task',
  manualTask: 'bpmn:manualTask',
  exclusiveGateway: 'bpmn:exclusiveGateway',
  parallelGateway: 'bpmn:parallelGateway',
  eventBasedGateway: 'bpmn:eventBasedGateway',
  messageCatch: 'bpmn:intermediateCatchEvent',
  timerCatch: 'bpmn:intermediateCatchEvent',
  boundaryTimer: 'bpmn:boundaryEvent',
};

function nodeXml(node: NodeSpec, process: ProcessSpec): string[] {
  const i = '    ';
  const defaultFlow = process.flows.find((f) => f.from === node.id && f.isDefault);
  const tag = TAG[node.kind];
  const head = `${i}<${tag}${attrs({
    id: node.id,
    name: node.name,
    default: defaultFlow?.id,
    attachedToRef: node.attachedTo,
    cancelActivity: node.kind === 'boundaryTimer' ? String(node.interrupting ?? true) : undefined,
  })}`;
  const ext: string[] = [];
  const e = `${i}    `;
  if (node.groups) ext.push(`${e}<zeebe:assignmentDefinition${attrs({ candidateGroups: node.groups })} />`);
  if (node.formKey) ext.push(`${e}<zeebe:formDefinition${attrs({ formKey: node.formKey })} />`);
  if (node.outputs?.length) {
    ext.push(`${e}<zeebe:ioMapping>`, ...node.outputs.map((o) => `${e}  <zeebe:output${attrs(o)} />`), `${e}</zeebe:ioMapping>`);
  }
  ext.push(...factsXml(node.facts, e));
  const body = [...extensions(ext, `${i}  `)];
  const incoming = process.flows.filter((f) => f.to === node.id).map((f) => `${i}  <bpmn:incoming>${f.id}</bpmn:incoming>`);
  const outgoing = process.flows.filter((f) => f.from === node.id).map((f) => `${i}  <bpmn:outgoing>${f.id}</bpmn:outgoing>`);
  body.push(...incoming, ...outgoing);
  if (node.kind === 'messageCatch') body.push(`${i}  <bpmn:messageEventDefinition${attrs({ messageRef: node.message })} />`);
  if (node.kind === 'timerCatch' || node.kind === 'boundaryTimer') {
    body.push(`${i}  <bpmn:timerEventDefinition>`, `${i}    <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${xmlEscape(node.timer ?? '')}</bpmn:timeDuration>`, `${i}  </bpmn:timerEventDefinition>`);
  }
  const comment = node.comment ? [`${i}<!-- ${node.comment.replace(/--/g, '–')} -->`] : [];
  return body.length === 0 ? [...comment, `${head} />`] : [...comment, `${head}>`, ...body, `${i}</${tag}>`];
}

function flowXml(flow: FlowSpec): string[] {
  const i = '    ';
  const head = `${i}<bpmn:sequenceFlow${attrs({ id: flow.id, name: flow.name, sourceRef: flow.from, targetRef: flow.to })}`;
  if (!flow.condition) return [`${head} />`];
  return [`${head}>`, `${i}  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${xmlEscape(flow.condition)}</bpmn:conditionExpression>`, `${i}</bpmn:sequenceFlow>`];
}

function processXml(process: ProcessSpec): string[] {
  const lines = [`  <bpmn:process${attrs({ id: process.id, name: process.name, isExecutable: process.executable })}>`];
  lines.push(...extensions(factsXml(process.facts, '      '), '    '));
  lines.push(`    <bpmn:laneSet${attrs({ id: `${process.id}-lanes` })}>`);
  for (const lane of process.lanes) {
    lines.push(`      <bpmn:lane${attrs({ id: lane.id, name: lane.name })}>`);
    for (const node of process.nodes) {
      const laneOf = node.attachedTo ? process.nodes.find((n) => n.id === node.attachedTo)!.lane : node.lane;
      if (laneOf === lane.id) lines.push(`        <bpmn:flowNodeRef>${node.id}</bpmn:flowNodeRef>`);
    }
    lines.push('      </bpmn:lane>');
  }
  lines.push('    </bpmn:laneSet>');
  for (const node of process.nodes) lines.push(...nodeXml(node, process));
  for (const flow of process.flows) lines.push(...flowXml(flow));
  lines.push('  </bpmn:process>');
  return lines;
}

function boundsXml(b: Bounds): string {
  return `<dc:Bounds${attrs({ x: Math.round(b.x), y: Math.round(b.y), width: b.width, height: b.height })} />`;
}

function waypointsXml(points: Point[], indent: string): string[] {
  return points.map((p) => `${indent}<di:waypoint${attrs({ x: Math.round(p.x), y: Math.round(p.y) })} />`);
}

/** A `BPMNLabel` with its bounds (none when the element has no external label). */
function labelXml(bounds: Bounds | undefined, indent: string): string[] {
  return bounds ? [`${indent}<bpmndi:BPMNLabel>`, `${indent}  ${boundsXml(bounds)}`, `${indent}</bpmndi:BPMNLabel>`] : [];
}

function edgeXml(id: string, layout: DocumentLayout, indent: string): string[] {
  return [`${indent}<bpmndi:BPMNEdge${attrs({ id: `${id}-di`, bpmnElement: id })}>`, ...waypointsXml(layout.flows.get(id)!, `${indent}  `), ...labelXml(layout.labels.get(id), `${indent}  `), `${indent}</bpmndi:BPMNEdge>`];
}

/** The whole document as XML text. */
export function writeBpmn(document: DocumentSpec): string {
  const layout = layoutDocument(document);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Generated by processes/tools/build.ts from processes/tools/models/: edit the model there and regenerate. -->',
  ];
  if (document.comment) lines.push(`<!-- ${document.comment.replace(/--/g, '–')} -->`);
  lines.push(
    `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"` +
      ` xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"` +
      ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"` +
      ` xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0"` +
      `${attrs({ id: `${document.id}-definitions`, targetNamespace: 'http://motcua.vn/bpmn/processes', exporter: 'motcua processes/tools', exporterVersion: '1', 'modeler:executionPlatform': 'Camunda Cloud', 'modeler:executionPlatformVersion': '8.6.0' })}>`,
  );
  lines.push(`  <bpmn:collaboration${attrs({ id: `${document.id}-collaboration` })}>`);
  for (const process of document.processes) {
    lines.push(`    <bpmn:participant${attrs({ id: `${process.id}-pool`, name: process.participantName, processRef: process.id })} />`);
  }
  for (const flow of document.messageFlows ?? []) {
    lines.push(`    <bpmn:messageFlow${attrs({ id: flow.id, name: flow.name, sourceRef: flow.from, targetRef: flow.to })} />`);
  }
  lines.push('  </bpmn:collaboration>');
  for (const message of document.messages ?? []) {
    if (!message.correlationKey) {
      lines.push(`  <bpmn:message${attrs({ id: message.id, name: message.name })} />`);
      continue;
    }
    lines.push(
      `  <bpmn:message${attrs({ id: message.id, name: message.name })}>`,
      '    <bpmn:extensionElements>',
      `      <zeebe:subscription${attrs({ correlationKey: message.correlationKey })} />`,
      '    </bpmn:extensionElements>',
      '  </bpmn:message>',
    );
  }
  for (const process of document.processes) lines.push(...processXml(process));
  lines.push(`  <bpmndi:BPMNDiagram${attrs({ id: `${document.id}-diagram` })}>`);
  lines.push(`    <bpmndi:BPMNPlane${attrs({ id: `${document.id}-plane`, bpmnElement: `${document.id}-collaboration` })}>`);
  const s = '      ';
  for (const process of document.processes) {
    lines.push(`${s}<bpmndi:BPMNShape${attrs({ id: `${process.id}-pool-di`, bpmnElement: `${process.id}-pool`, isHorizontal: true })}>`, `${s}  ${boundsXml(layout.pools.get(process.id)!)}`, `${s}</bpmndi:BPMNShape>`);
    for (const lane of process.lanes) {
      lines.push(`${s}<bpmndi:BPMNShape${attrs({ id: `${lane.id}-di`, bpmnElement: lane.id, isHorizontal: true })}>`, `${s}  ${boundsXml(layout.lanes.get(lane.id)!)}`, `${s}</bpmndi:BPMNShape>`);
    }
    for (const node of process.nodes) {
      const marker = node.kind === 'exclusiveGateway' ? { isMarkerVisible: true } : {};
      lines.push(`${s}<bpmndi:BPMNShape${attrs({ id: `${node.id}-di`, bpmnElement: node.id, ...marker })}>`, `${s}  ${boundsXml(layout.nodes.get(node.id)!)}`, ...labelXml(layout.labels.get(node.id), `${s}  `), `${s}</bpmndi:BPMNShape>`);
    }
    for (const flow of process.flows) lines.push(...edgeXml(flow.id, layout, s));
  }
  for (const flow of document.messageFlows ?? []) lines.push(...edgeXml(flow.id, layout, s));
  lines.push('    </bpmndi:BPMNPlane>', '  </bpmndi:BPMNDiagram>', '</bpmn:definitions>', '');
  return lines.join('\n');
}
