/**
 * The library's diagrams as a modeler shows them (QA walkthrough, s7): the name of every
 * event, gateway, sequence and message flow sits where bpmn-js draws it (its `BPMNLabel`
 * bounds, else bpmn-js's default: under the shape, or 15 px off the middle of a flow's middle
 * segment) without covering a shape, a flow or another label, inside one lane (or between the
 * pools), and a flow's name next to its flow; no flow passes through a shape it does not join.
 * The text's size is bpmn-js's layout of it (processes/tools/labels.ts, checked against
 * bpmn-js in Chromium when the generator changed).
 */
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { procedureFiles } from '../../../processes/tools/build';
import { labelSize, segmentsOf } from '../../../processes/tools/labels';
import type { Bounds, Point } from '../../../processes/tools/layout';
import { LIBRARY } from '../../../processes/tools/library';

interface Diagram {
  shapes: Array<{ id: string; bounds: Bounds; element: ModdleElement; label?: Bounds }>;
  lanes: Bounds[];
  pools: Bounds[];
  edges: Array<{ id: string; points: Point[]; element: ModdleElement; label?: Bounds }>;
}

async function diagramOf(xml: string): Promise<Diagram> {
  const { rootElement } = await new BpmnModdle().fromXML(xml, 'bpmn:Definitions');
  const plane = (rootElement.diagrams as Array<{ plane: { planeElement: ModdleElement[] } }>)[0].plane;
  const diagram: Diagram = { shapes: [], lanes: [], pools: [], edges: [] };
  const box = (b: unknown): Bounds => {
    const { x, y, width, height } = b as Bounds;
    return { x, y, width, height };
  };
  for (const di of plane.planeElement) {
    const element = di.bpmnElement as ModdleElement;
    const label = (di.label as { bounds?: unknown } | undefined)?.bounds;
    if (di.$type === 'bpmndi:BPMNEdge') {
      diagram.edges.push({ id: element.id!, element, points: (di.waypoint as Point[]).map((p) => ({ x: p.x, y: p.y })), ...(label ? { label: box(label) } : {}) });
    } else if (element.$type === 'bpmn:Lane') diagram.lanes.push(box(di.bounds));
    else if (element.$type === 'bpmn:Participant') diagram.pools.push(box(di.bounds));
    else diagram.shapes.push({ id: element.id!, element, bounds: box(di.bounds), ...(label ? { label: box(label) } : {}) });
  }
  return diagram;
}

/** Where bpmn-js puts a flow's label without DI bounds: 15 px off the middle of the middle segment. */
function defaultFlowLabelMid(points: Point[]): Point {
  const mid = points.length / 2 - 1;
  const first = points[Math.floor(mid)];
  const second = points[Math.ceil(mid + 0.01)];
  const x = first.x + (second.x - first.x) / 2;
  const y = first.y + (second.y - first.y) / 2;
  return Math.abs(Math.atan((second.y - first.y) / (second.x - first.x))) < Math.PI / 2 ? { x, y: y - 15 } : { x: x + 15, y };
}

/** The box bpmn-js draws a name in: the DI label's horizontal centre and top, else its default; the text's own size. */
function labelBox(name: string, di: Bounds | undefined, fallback: { centreX: number; top: number }): Bounds {
  const { width, height } = labelSize(name);
  const centreX = di ? di.x + di.width / 2 : fallback.centreX;
  const top = di ? di.y : fallback.top;
  return { x: centreX - width / 2, y: top, width, height };
}

const area = (a: Bounds, b: Bounds): number =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
const grow = (b: Bounds, by: number): Bounds => ({ x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by });
const within = (a: Bounds, r: Bounds): boolean => a.x >= r.x && a.y >= r.y && a.x + a.width <= r.x + r.width && a.y + a.height <= r.y + r.height;
const externallyLabelled = (e: ModdleElement): boolean => /Event$|Gateway$/.test(e.$type);

/** Everything wrong with the labels (and the flows) of one diagram, in words. */
function problemsOf(d: Diagram): string[] {
  const labels: Array<{ owner: string; name: string; box: Bounds; flow?: Point[] }> = [];
  for (const s of d.shapes) {
    const name = s.element.name as string | undefined;
    if (!name || !externallyLabelled(s.element)) continue;
    labels.push({ owner: s.id, name, box: labelBox(name, s.label, { centreX: s.bounds.x + s.bounds.width / 2, top: s.bounds.y + s.bounds.height }) });
  }
  for (const e of d.edges) {
    const name = e.element.name as string | undefined;
    if (!name) continue;
    const mid = defaultFlowLabelMid(e.points);
    labels.push({ owner: e.id, name, box: labelBox(name, e.label, { centreX: mid.x, top: mid.y - 10 }), flow: e.points });
  }
  const problems: string[] = [];
  const lanes = d.lanes.map((l) => ({ ...l, x: l.x + 30, width: l.width - 30 }));
  for (const label of labels) {
    const says = `'${label.name}' (${label.owner})`;
    for (const s of d.shapes) if (area(label.box, s.bounds) > 0) problems.push(`${says} covers the shape ${s.id}`);
    for (const e of d.edges) if (segmentsOf(e.points).some((seg) => area(label.box, grow(seg, 1)) > 0)) problems.push(`${says} covers the flow ${e.id}`);
    for (const other of labels) if (other !== label && other.owner < label.owner && area(label.box, other.box) > 0) problems.push(`${says} covers the label '${other.name}' (${other.owner})`);
    const placed = lanes.some((l) => within(label.box, l)) || d.pools.every((p) => area(label.box, p) === 0);
    if (!placed) problems.push(`${says} crosses a lane or pool border`);
    if (label.flow) {
      const distance = Math.min(
        ...segmentsOf(label.flow).map((seg) => Math.hypot(Math.max(0, seg.x - (label.box.x + label.box.width), label.box.x - (seg.x + seg.width)), Math.max(0, seg.y - (label.box.y + label.box.height), label.box.y - (seg.y + seg.height)))),
      );
      if (distance > 10) problems.push(`${says} is ${Math.round(distance)} px from its flow`);
    }
  }
  for (const e of d.edges) {
    const ends = new Set([(e.element.sourceRef as ModdleElement).id, (e.element.targetRef as ModdleElement).id]);
    for (const s of d.shapes) {
      if (ends.has(s.id) || ends.has(((s.element.attachedToRef as ModdleElement | undefined)?.id) ?? '')) continue;
      if (segmentsOf(e.points).some((seg) => area(grow(seg, 0.5), grow(s.bounds, -1)) > 0)) problems.push(`the flow ${e.id} passes through the shape ${s.id}`);
    }
  }
  return problems;
}

describe('processes/tools (the library generator): the diagrams in a modeler', () => {
  const files = LIBRARY.flatMap((procedure) => ['as-is.bpmn', 'to-be.bpmn'].map((file) => ({ name: `${procedure.code}/${file}`, xml: procedureFiles(procedure).get(file)! })));

  it.each(files)('$name: every name clear of shapes, flows and other names, a flow name by its flow', async ({ xml }) => {
    // given
    const diagram = await diagramOf(xml);

    // when
    const problems = problemsOf(diagram);

    // then
    expect(problems).toEqual([]);
  });

  it('should catch a name put on a shape (the check itself)', async () => {
    // given the first to-be with its receive decision's label moved onto the receive task
    const xml = procedureFiles(LIBRARY[0]).get('to-be.bpmn')!;
    const diagram = await diagramOf(xml);
    const gateway = diagram.shapes.find((s) => s.id === 'receiveDecision')!;
    const task = diagram.shapes.find((s) => s.id === 'receive')!;
    gateway.label = { x: task.bounds.x, y: task.bounds.y + 10, width: task.bounds.width, height: 14 };

    // when
    const problems = problemsOf(diagram);

    // then
    expect(problems).toContain("'Hồ sơ đủ điều kiện tiếp nhận?' (receiveDecision) covers the shape receive");
  });
});
