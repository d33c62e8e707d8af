/**
 * The diagram layout of a {@link DocumentSpec}: pools stacked vertically, lanes as
 * horizontal bands inside them, nodes left to right by topological rank (longest path
 * from the start, back edges of loops ignored), flows as orthogonal waypoints.
 *
 * Why our own: the library has a handful of procedures whose shape is always the same
 * (reception, examination, branches per agency, decision, return), so a layered layout
 * in ~200 lines reads well, and nothing needs a layout package at run time.
 */
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
  return TASK;
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
  const layout: DocumentLayout = { pools: new Map(), lanes: new Map(), nodes: new Map(), flows: new Map() };
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
  return layout;
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
  for (const flow of process.flows) {
    layout.flows.set(flow.id, route(layout.nodes.get(flow.from)!, layout.nodes.get(flow.to)!, byId.get(flow.from)!, byId.get(flow.to)!, back.has(flow.id)));
  }
  return y;
}

/** Orthogonal waypoints from one shape to another. */
function route(source: Bounds, target: Bounds, from: NodeSpec, to: NodeSpec, isBack: boolean): Point[] {
  const scx = source.x + source.width / 2;
  const scy = source.y + source.height / 2;
  const tcx = target.x + target.width / 2;
  const tcy = target.y + target.height / 2;
  const sRight = source.x + source.width;
  const tLeft = target.x;
  if (isBack || tcx <= scx) {
    // a loop back: through the gap above (or below) the target, into its top (or bottom)
    if (tcy > scy + 1) {
      const above = target.y - 20;
      return [{ x: scx, y: source.y + source.height }, { x: scx, y: above }, { x: tcx, y: above }, { x: tcx, y: target.y }];
    }
    if (tcy < scy - 1) {
      const under = target.y + target.height + 20;
      return [{ x: scx, y: source.y }, { x: scx, y: under }, { x: tcx, y: under }, { x: tcx, y: target.y + target.height }];
    }
    const below = Math.max(source.y + source.height, target.y + target.height) + 25;
    return [
      { x: scx, y: source.y + source.height },
      { x: scx, y: below },
      { x: tcx, y: below },
      { x: tcx, y: target.y + target.height },
    ];
  }
  if (from.kind === 'boundaryTimer') {
    const bottom = source.y + source.height;
    if (tcy > bottom) return [{ x: scx, y: bottom }, { x: scx, y: tcy }, { x: tLeft, y: tcy }];
  }
  if (scy === tcy) return [{ x: sRight, y: scy }, { x: tLeft, y: tcy }];
  // a gateway leaves by its top or bottom (and a join is entered so) within one lane only:
  // across lanes the vertical leg runs in the gap between columns, clear of other shapes
  if (from.kind.endsWith('Gateway') && from.lane === to.lane) {
    const edge = tcy > scy ? source.y + source.height : source.y;
    return [{ x: scx, y: edge }, { x: scx, y: tcy }, { x: tLeft, y: tcy }];
  }
  if (to.kind.endsWith('Gateway') && from.lane === to.lane) {
    const edge = scy > tcy ? target.y + target.height : target.y;
    return [{ x: sRight, y: scy }, { x: tcx, y: scy }, { x: tcx, y: edge }];
  }
  const mid = Math.round((sRight + tLeft) / 2);
  return [{ x: sRight, y: scy }, { x: mid, y: scy }, { x: mid, y: tcy }, { x: tLeft, y: tcy }];
}
