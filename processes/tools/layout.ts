/**
 * The diagram layout of a {@link DocumentSpec}: pools stacked vertically, lanes as
 * horizontal bands inside them, nodes left to right by topological rank (longest path
 * from the start, back edges of loops ignored), flows as orthogonal waypoints.
 *
 * Why our own: the library has a handful of procedures whose shape is always the same
 * (reception, examination, branches per agency, decision, return), so a layered layout
 * in ~200 lines reads well, and nothing needs a layout package at run time.
 */
import { placeLabels, segmentsOf, taskHeight, type LabelRequest } from './labels';
import type { DocumentSpec, FlowSpec, NodeSpec, ProcessSpec } from './spec';

/** A rectangle in diagram coordinates. */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A point of a flow's route. */
export interface Point {
  x: number;
  y: number;
}

/** Where everything of a document is drawn. */
export interface DocumentLayout {
  pools: Map<string, Bounds>;
  lanes: Map<string, Bounds>;
  nodes: Map<string, Bounds>;
  flows: Map<string, Point[]>;
  /** The bounds of the external labels (named events, gateways and flows), by element id. */
  labels: Map<string, Bounds>;
}

const POOL_LABEL = 30;
const LANE_LABEL = 30;
const MARGIN_LEFT = 40;
const COLUMN = 160;
const ROW = 120;
const LANE_PAD = 20;
const POOL_GAP = 60;
const TASK = { width: 100, height: 80 };
const EVENT = { width: 36, height: 36 };
const GATEWAY = { width: 50, height: 50 };

function sizeOf(node: NodeSpec): { width: number; height: number } {
  if (node.kind.endsWith('Gateway')) return GATEWAY;
  if (node.kind.endsWith('Event') || node.kind === 'messageCatch' || node.kind === 'timerCatch' || node.kind === 'boundaryTimer') return EVENT;
  // a long name makes a task taller (within its row), never cut
  return { width: TASK.width, height: taskHeight(node.name) };
}

/** Flows that close a loop, found by a depth-first walk from the start events in document order. */
export function backEdges(process: ProcessSpec): Set<string> {
  const outgoing = outgoingOf(process);
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<string>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    const next = [...(outgoing.get(id) ?? [])];
    // a boundary event leaves its host: walk it right after the host
    for (const boundary of process.nodes.filter((n) => n.attachedTo === id)) next.push({ id: `~${boundary.id}`, from: id, to: boundary.id });
    for (const flow of next) {
      const seen = state.get(flow.to);
      if (seen === 'open') back.add(flow.id);
      else if (seen === undefined) visit(flow.to);
    }
    state.set(id, 'done');
  };
  for (const start of process.nodes.filter((n) => n.kind === 'startEvent')) visit(start.id);
  for (const node of process.nodes) if (!state.has(node.id)) visit(node.id);
  return back;
}

function outgoingOf(process: ProcessSpec): Map<string, FlowSpec[]> {
  const outgoing = new Map<string, FlowSpec[]>();
  for (const flow of process.flows) outgoing.set(flow.from, [...(outgoing.get(flow.from) ?? []), flow]);
  return outgoing;
}

/** The column of every node: the longest path from a start over forward flows; a boundary event shares its host's. */
export function ranks(process: ProcessSpec): Map<string, number> {
  const back = backEdges(process);
  const forward = process.flows.filter((f) => !back.has(f.id));
  const byId = new Map(process.nodes.map((n) => [n.id, n]));
  const rank = new Map<string, number>();
  const incoming = new Map<string, FlowSpec[]>();
  for (const flow of forward) incoming.set(flow.to, [...(incoming.get(flow.to) ?? []), flow]);
  const rankOf = (id: string, trail: Set<string>): number => {
    const known = rank.get(id);
    if (known !== undefined) return known;
    if (trail.has(id)) throw new Error(`layout: a cycle through '${id}' that the back-edge walk missed`);
    trail.add(id);
    const node = byId.get(id);
    let value = 0;
    if (node?.attachedTo) value = rankOf(node.attachedTo, trail);
    for (const flow of incoming.get(id) ?? []) value = Math.max(value, rankOf(flow.from, trail) + 1);
    trail.delete(id);
    rank.set(id, value);
    return value;
  };
  for (const node of process.nodes) rankOf(node.id, new Set());
  return rank;
}

/** Lays out every pool of the document, one under the other. */
export function layoutDocument(document: DocumentSpec): DocumentLayout {
  const layout: DocumentLayout = { pools: new Map(), lanes: new Map(), nodes: new Map(), flows: new Map(), labels: new Map() };
  const columns = Math.max(...document.processes.map((p) => Math.max(...ranks(p).values()) + 1));
  const width = POOL_LABEL + LANE_LABEL + MARGIN_LEFT + columns * COLUMN;
  let top = 0;
  for (const process of document.processes) {
    top = layoutProcess(process, layout, top, width) + POOL_GAP;
  }
  for (const flow of document.messageFlows ?? []) {
    const source = layout.nodes.get(flow.from)!;
    const target = layout.nodes.get(flow.to)!;
    const down = target.y > source.y;
    const sx = source.x + source.width / 2;
    const tx = target.x + target.width / 2;
    const sy = down ? source.y + source.height : source.y;
    const ty = down ? target.y : target.y + target.height;
    const pool = [...layout.pools.values()].find((p) => source.y >= p.y && source.y <= p.y + p.height)!;
    const gapY = down ? pool.y + pool.height + POOL_GAP / 2 : pool.y - POOL_GAP / 2;
    layout.flows.set(flow.id, sx === tx ? [{ x: sx, y: sy }, { x: tx, y: ty }] : [{ x: sx, y: sy }, { x: sx, y: gapY }, { x: tx, y: gapY }, { x: tx, y: ty }]);
  }
  layout.labels = placeLabels(
    { shapes: layout.nodes, flows: layout.flows, lanes: [...layout.lanes.values()], pools: [...layout.pools.values()], laneLabelWidth: LANE_LABEL },
    labelRequests(document),
  );
  return layout;
}

/** The kinds of node whose name BPMN draws outside the shape. */
function hasExternalLabel(node: NodeSpec): boolean {
  return !(node.kind === 'userTask' || node.kind === 'task' || node.kind === 'manualTask');
}

/** The labels to place, in order: events and gateways first (their place is the conventional one), then the flows. */
function labelRequests(document: DocumentSpec): LabelRequest[] {
  const named = <T extends { name?: string }>(items: T[]) => items.filter((item) => item.name !== undefined && item.name.trim() !== '');
  const nodes = document.processes.flatMap((p) => named(p.nodes.filter(hasExternalLabel)));
  const flows = [...document.processes.flatMap((p) => named(p.flows)), ...named(document.messageFlows ?? [])];
  return [...nodes.map((n) => ({ id: n.id, text: n.name!, shape: n.id })), ...flows.map((f) => ({ id: f.id, text: f.name!, flow: f.id }))];
}

/** Lays out one pool from `top`; returns its bottom. */
function layoutProcess(process: ProcessSpec, layout: DocumentLayout, top: number, width: number): number {
  const rank = ranks(process);
  const back = backEdges(process);
  // rows inside a lane: the main line first (nodes without a row hint, in the order listed),
  // then the side paths from their preferred row; each takes the first free row of its column
  const row = new Map<string, number>();
  const rowsOfLane = new Map<string, number>();
  const taken = new Set<string>();
  const placed = process.nodes.filter((n) => !n.attachedTo);
  for (const node of [...placed.filter((n) => n.row === undefined), ...placed.filter((n) => n.row !== undefined)]) {
    let index = node.row ?? 0;
    while (taken.has(`${node.lane}#${rank.get(node.id)}#${index}`)) index++;
    taken.add(`${node.lane}#${rank.get(node.id)}#${index}`);
    row.set(node.id, index);
    rowsOfLane.set(node.lane, Math.max(rowsOfLane.get(node.lane) ?? 1, index + 1));
  }
  let y = top;
  const laneTop = new Map<string, number>();
  for (const lane of process.lanes) {
    const height = (rowsOfLane.get(lane.id) ?? 1) * ROW + LANE_PAD;
    layout.lanes.set(lane.id, { x: POOL_LABEL, y, width: width - POOL_LABEL, height });
    laneTop.set(lane.id, y);
    y += height;
  }
  layout.pools.set(process.id, { x: 0, y: top, width, height: y - top });
  for (const node of process.nodes) {
    if (node.attachedTo) continue;
    const size = sizeOf(node);
    const laneY = laneTop.get(node.lane);
    if (laneY === undefined) throw new Error(`layout: node '${node.id}' is in lane '${node.lane}', which '${process.id}' does not have`);
    const cx = POOL_LABEL + LANE_LABEL + MARGIN_LEFT + rank.get(node.id)! * COLUMN + TASK.width / 2;
    const cy = laneY + LANE_PAD / 2 + row.get(node.id)! * ROW + ROW / 2;
    layout.nodes.set(node.id, { x: cx - size.width / 2, y: cy - size.height / 2, ...size });
  }
  for (const node of process.nodes) {
    if (!node.attachedTo) continue;
    const host = layout.nodes.get(node.attachedTo)!;
    layout.nodes.set(node.id, { x: host.x + host.width - 28, y: host.y + host.height - EVENT.height / 2, ...EVENT });
  }
  const byId = new Map(process.nodes.map((n) => [n.id, n]));
  const shapes = process.nodes.map((n) => ({ id: n.id, bounds: layout.nodes.get(n.id)! }));
  for (const flow of process.flows) {
    const from = byId.get(flow.from)!;
    const to = byId.get(flow.to)!;
    // its ends, and the host a boundary event sits on
    const ends = new Set([from.id, to.id, ...(from.attachedTo ? [from.attachedTo] : []), ...(to.attachedTo ? [to.attachedTo] : [])]);
    const clear = (points: Point[]) => !segmentsOf(points).some((s) => shapes.some(({ id, bounds }) => !ends.has(id) && crosses(s, bounds)));
    const options = routes(layout.nodes.get(flow.from)!, layout.nodes.get(flow.to)!, from, to, back.has(flow.id));
    layout.flows.set(flow.id, options.find(clear) ?? options[0]);
  }
  separateLegs(process, layout.flows);
  return y;
}

/** Whether a segment passes through a shape (touching its edge is not). */
function crosses(segment: Bounds, shape: Bounds): boolean {
  return segment.x < shape.x + shape.width - 1 && segment.x + segment.width > shape.x + 1 && segment.y < shape.y + shape.height - 1 && segment.y + segment.height > shape.y + 1;
}

/**
 * Flows that leave one source the same way and climb (or descend) in the same gap between
 * columns would draw one leg over the other, and no one could tell them apart (nor whose
 * label is whose): each gets its own leg, 12 px apart, the one going farthest nearest the
 * source, so that no flow's last segment crosses another's leg.
 */
function separateLegs(process: ProcessSpec, flows: Map<string, Point[]>): void {
  const groups = new Map<string, Array<{ id: string; points: Point[] }>>();
  for (const flow of process.flows) {
    const points = flows.get(flow.id)!;
    if (points.length !== 4 || points[0].y !== points[1].y || points[1].x !== points[2].x || points[2].y !== points[3].y) continue;
    const key = `${flow.from}|${points[0].x},${points[0].y}|${Math.sign(points[2].y - points[1].y)}`;
    groups.set(key, [...(groups.get(key) ?? []), { id: flow.id, points }]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => Math.abs(b.points[2].y - b.points[1].y) - Math.abs(a.points[2].y - a.points[1].y));
    const direction = Math.sign(group[0].points[3].x - group[0].points[0].x) || 1;
    // around the leg nearest the source (targets of different widths have their gaps' middles apart)
    const nearest = direction > 0 ? Math.min(...group.map((g) => g.points[1].x)) : Math.max(...group.map((g) => g.points[1].x));
    group.forEach(({ id, points }, i) => {
      const x = nearest + direction * (i - (group.length - 1) / 2) * 12;
      flows.set(id, [points[0], { x, y: points[1].y }, { x, y: points[2].y }, points[3]]);
    });
  }
}

/**
 * Orthogonal waypoints from one shape to another, in order of preference: the layout takes
 * the first that passes through no other shape (a loop back dropping through the node under
 * its source, a straight line over a task between two gateways of one row).
 */
function routes(source: Bounds, target: Bounds, from: NodeSpec, to: NodeSpec, isBack: boolean): Point[][] {
  const scx = source.x + source.width / 2;
  const scy = source.y + source.height / 2;
  const tcx = target.x + target.width / 2;
  const tcy = target.y + target.height / 2;
  const sRight = source.x + source.width;
  const tLeft = target.x;
  // the vertical gap right of the source's column, between it and the next one
  const gapX = scx + COLUMN / 2;
  if (isBack || tcx <= scx) {
    // a loop back: through the gap above (or below) the target, into its top (or bottom);
    // out of the source's bottom (top), else out of its right side into the gap
    // the horizontal leg runs at the top (bottom) of the target's row, clear of the labels above (below) its nodes
    if (tcy > scy + 1) {
      const above = Math.min(target.y - 20, tcy - ROW / 2 + 4);
      return [
        [{ x: scx, y: source.y + source.height }, { x: scx, y: above }, { x: tcx, y: above }, { x: tcx, y: target.y }],
        [{ x: sRight, y: scy }, { x: gapX, y: scy }, { x: gapX, y: above }, { x: tcx, y: above }, { x: tcx, y: target.y }],
      ];
    }
    if (tcy < scy - 1) {
      const under = Math.max(target.y + target.height + 20, tcy + ROW / 2 - 4);
      return [
        [{ x: scx, y: source.y }, { x: scx, y: under }, { x: tcx, y: under }, { x: tcx, y: target.y + target.height }],
        [{ x: sRight, y: scy }, { x: gapX, y: scy }, { x: gapX, y: under }, { x: tcx, y: under }, { x: tcx, y: target.y + target.height }],
      ];
    }
    const below = Math.max(source.y + source.height, target.y + target.height) + 25;
    return [
      [
        { x: scx, y: source.y + source.height },
        { x: scx, y: below },
        { x: tcx, y: below },
        { x: tcx, y: target.y + target.height },
      ],
    ];
  }
  const mid = Math.round((sRight + tLeft) / 2);
  const legAt = (x: number): Point[] => [{ x: sRight, y: scy }, { x, y: scy }, { x, y: tcy }, { x: tLeft, y: tcy }];
  const inGap = legAt(mid);
  // when columns lie between them, the middle may be a shape's column: then the gap before the target, or after the source
  const inOtherGaps = [legAt(tcx - COLUMN / 2), legAt(gapX)];
  if (from.kind === 'boundaryTimer') {
    const bottom = source.y + source.height;
    if (tcy > bottom) return [[{ x: scx, y: bottom }, { x: scx, y: tcy }, { x: tLeft, y: tcy }], inGap, ...inOtherGaps];
  }
  if (scy === tcy) {
    // straight on; when a shape stands between, around it through the space between rows
    const around = (dy: number): Point[] => [
      ...(from.kind.endsWith('Gateway') ? [{ x: scx, y: dy > scy ? source.y + source.height : source.y }] : [{ x: sRight, y: scy }, { x: sRight + 15, y: scy }]),
      ...(from.kind.endsWith('Gateway') ? [{ x: scx, y: dy }] : [{ x: sRight + 15, y: dy }]),
      ...(to.kind.endsWith('Gateway') ? [{ x: tcx, y: dy }, { x: tcx, y: dy > tcy ? target.y + target.height : target.y }] : [{ x: tLeft - 15, y: dy }, { x: tLeft - 15, y: tcy }, { x: tLeft, y: tcy }]),
    ];
    return [[{ x: sRight, y: scy }, { x: tLeft, y: tcy }], around(scy + ROW / 2), around(scy - ROW / 2)];
  }
  // a gateway leaves by its top or bottom (and a join is entered so) within one lane only:
  // across lanes the vertical leg runs in the gap between columns, clear of other shapes
  if (from.kind.endsWith('Gateway') && from.lane === to.lane) {
    const edge = tcy > scy ? source.y + source.height : source.y;
    return [[{ x: scx, y: edge }, { x: scx, y: tcy }, { x: tLeft, y: tcy }], inGap, ...inOtherGaps];
  }
  if (to.kind.endsWith('Gateway') && from.lane === to.lane) {
    const edge = scy > tcy ? target.y + target.height : target.y;
    return [[{ x: sRight, y: scy }, { x: tcx, y: scy }, { x: tcx, y: edge }], inGap, ...inOtherGaps];
  }
  return [inGap, ...inOtherGaps];
}
