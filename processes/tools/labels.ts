/**
 * Where the external labels of a diagram go (the names of events, gateways, sequence and
 * message flows, which BPMN draws outside their shape): written as `BPMNLabel` bounds, so
 * that bpmn-js and Camunda Modeler show them there instead of at their defaults (below the
 * shape, and the middle of a flow's middle segment, 15 px aside), which lie on the flows that
 * leave a gateway by its bottom, on a boundary event's flow, or far from a flow whose middle
 * segment is a long shared leg.
 *
 * Each label takes the first free place of a short list, in the order a modeller would try
 * them: an event's or a gateway's below it, then above, then beside the flows at its bottom;
 * a flow's along the part of its route that only it draws, nearest its source first (by a
 * gateway's exit). Free means inside one lane (or outside every pool), clear of every shape,
 * every flow and every label placed before.
 *
 * The size of a label is what bpmn-js will lay out (11 px Arial, lines of at most 90 px,
 * 13.2 px apart: see {@link labelSize}); bpmn-js keeps a label's horizontal centre and top and
 * measures the text again, so a small error of the estimate only shrinks or grows it about
 * that centre.
 */
import type { Bounds, Point } from './layout';

/** Advance widths of Arial (and its metric twin Liberation Sans) at 11 px, by character. */
const WIDTH_11PX: Record<string, number> = (() => {
  const table: Record<string, number> = { ' ': 3.06 };
  const groups: Array<[string, number]> = [
    ['ijl\'', 2.45],
    ['ft.,;:!/ I', 3.06],
    ['r()-', 3.67],
    ['"', 3.91],
    ['cksvxyzJ', 5.5],
    ['abdeghnopqu0123456789?–L', 6.12],
    ['+', 6.43],
    ['FTZ', 6.72],
    ['ABEKPSVXY&', 7.34],
    ['wCDHNRU', 7.95],
    ['GOQ', 8.56],
    ['mM', 9.17],
    ['%', 9.79],
    ['W', 10.39],
  ];
  for (const [chars, width] of groups) for (const c of chars) table[c] = width;
  return table;
})();

/** The width of one character at 11 px; a Vietnamese letter is its base letter's, a little more for its marks (ư, ơ, ế...). */
function charWidth(c: string): number {
  const known = WIDTH_11PX[c];
  if (known !== undefined) return known;
  const base = c.normalize('NFD')[0];
  const baseWidth = WIDTH_11PX[base === 'đ' ? 'd' : base === 'Đ' ? 'D' : base];
  if (baseWidth === undefined) return 7;
  return baseWidth + (base === base.toUpperCase() ? 1.6 : 0.9);
}

/** The width of a line of text at 11 px (or `fontSize`). */
export function textWidth(text: string, fontSize = 11): number {
  let width = 0;
  for (const c of text) width += charWidth(c);
  return (width * fontSize) / 11;
}

/** bpmn-js's external label box: lines of at most 90 px. */
const LABEL_LINE_MAX = 90;
/** 11 px × line height 1.2. */
const LABEL_LINE_HEIGHT = 13.2;

/**
 * The lines bpmn-js (diagram-js `Text`) makes of a label: while a line is 90 px or wider, it
 * keeps as many whole words (cut at spaces and hyphens) as the share of characters that
 * fits, or cuts the word; the rest starts the next line.
 */
export function labelLines(text: string, options: { fontSize?: number; maxWidth?: number } = {}): string[] {
  const fontSize = options.fontSize ?? 11;
  const maxWidth = options.maxWidth ?? LABEL_LINE_MAX;
  const lines: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    let line = rest;
    for (;;) {
      const width = textWidth(line, fontSize);
      if (width < maxWidth || line.length < 2) break;
      const keep = Math.max((line.length * maxWidth) / width, 1);
      let words = '';
      for (const part of line.split(/(\s|-)/)) {
        if (part.length + words.length >= keep) break;
        words += part;
      }
      line = words || line.slice(0, Math.max(Math.round(keep - 1), 1));
    }
    lines.push(line);
    rest = rest.slice(line.length).trim();
  }
  return lines;
}

/**
 * The height a task needs for its name, as bpmn-js writes it inside (12 px, lines of at most
 * 90 px in a 100 px wide task, 14.4 px apart), with room for the task's marker: at least 80.
 */
export function taskHeight(name: string | undefined): number {
  const lines = name ? labelLines(name, { fontSize: 12, maxWidth: 90 }).length : 0;
  return Math.max(80, Math.ceil((lines * 14.4 + 16) / 10) * 10);
}

/** The size of an external label as bpmn-js lays it out. */
export function labelSize(text: string): { width: number; height: number } {
  const lines = labelLines(text);
  return { width: Math.ceil(Math.max(...lines.map((line) => textWidth(line)))), height: Math.ceil(lines.length * LABEL_LINE_HEIGHT) };
}

/** What the placement needs of a diagram. */
export interface LabelScene {
  /** Every flow node's shape. */
  shapes: Map<string, Bounds>;
  /** Every sequence and message flow's route. */
  flows: Map<string, Point[]>;
  /** The lanes (a label stays inside one) and the pools (or outside all of them). */
  lanes: Bounds[];
  pools: Bounds[];
  /** The width of a lane's name band, on its left. */
  laneLabelWidth: number;
}

/** One label to place: of a shape (event, gateway) or of a flow. */
export type LabelRequest = { id: string; text: string; shape: string } | { id: string; text: string; flow: string };

const CLEARANCE = 3;

function overlap(a: Bounds, b: Bounds): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function inflate(b: Bounds, by: number): Bounds {
  return { x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by };
}

/** The segments of a route as thin rectangles. */
export function segmentsOf(points: Point[]): Bounds[] {
  return points.slice(1).map((p, i) => {
    const q = points[i];
    return { x: Math.min(p.x, q.x), y: Math.min(p.y, q.y), width: Math.abs(p.x - q.x), height: Math.abs(p.y - q.y) };
  });
}

/** Whether two axis-parallel segments lie on one line and share more than a point. */
function shared(a: Bounds, b: Bounds): boolean {
  if (a.height === 0 && b.height === 0 && a.y === b.y) return Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1;
  if (a.width === 0 && b.width === 0 && a.x === b.x) return Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1;
  return false;
}

/** Places every label; returns its bounds by request id. */
export function placeLabels(scene: LabelScene, requests: LabelRequest[]): Map<string, Bounds> {
  const placed = new Map<string, Bounds>();
  const shapes = [...scene.shapes.values()].map((b) => inflate(b, CLEARANCE));
  const lines = [...scene.flows.entries()].flatMap(([id, points]) => segmentsOf(points).map((s) => ({ id, box: inflate(s, CLEARANCE), segment: s })));
  const regions = scene.lanes.map((l) => ({ x: l.x + scene.laneLabelWidth + 2, y: l.y + 2, width: l.width - scene.laneLabelWidth - 4, height: l.height - 4 }));
  const inside = (box: Bounds, region: Bounds) => box.x >= region.x && box.y >= region.y && box.x + box.width <= region.x + region.width && box.y + box.height <= region.y + region.height;
  const width = Math.max(...scene.pools.map((p) => p.x + p.width));
  /** How badly a box sits: 0 when free; else the area it covers of what it must not. */
  const cost = (box: Bounds): number => {
    const contained = regions.some((r) => inside(box, r)) || (box.x >= 0 && box.x + box.width <= width && scene.pools.every((p) => overlap(box, p) === 0));
    let total = contained ? 0 : 1e6;
    for (const s of shapes) total += overlap(box, s);
    for (const l of lines) total += overlap(box, l.box) * 4;
    for (const other of placed.values()) total += overlap(box, inflate(other, 2)) * 2;
    return total;
  };
  const choose = (candidates: Bounds[]): Bounds => {
    let best = candidates[0];
    let bestCost = Infinity;
    for (const box of candidates) {
      const c = cost(box);
      if (c === 0) return box;
      if (c < bestCost) [best, bestCost] = [box, c];
    }
    return best;
  };

  for (const request of requests) {
    const { width: w, height: h } = labelSize(request.text);
    const at = (x: number, y: number): Bounds => ({ x: Math.round(x), y: Math.round(y), width: w, height: h });
    if ('shape' in request) {
      const b = scene.shapes.get(request.shape)!;
      const cx = b.x + b.width / 2;
      const cy = b.y + b.height / 2;
      const below = b.y + b.height + 4;
      const above = b.y - 4 - h;
      placed.set(
        request.id,
        choose([
          at(cx - w / 2, below),
          at(cx - w / 2, above),
          at(cx + 6, below),
          at(cx - 6 - w, below),
          at(cx + 6, above),
          at(cx - 6 - w, above),
          at(b.x + b.width + 4, cy + 4),
          at(b.x + b.width + 4, cy - 4 - h),
          at(b.x - 4 - w, cy + 4),
          at(b.x - 4 - w, cy - 4 - h),
        ]),
      );
      continue;
    }
    const points = scene.flows.get(request.flow)!;
    const own = segmentsOf(points);
    const others = lines.filter((l) => l.id !== request.flow).map((l) => l.segment);
    const unique = own.map((s) => !others.some((o) => shared(s, o)));
    const order = own.map((_, i) => i).filter((i) => unique[i] || !unique.some(Boolean));
    const candidates: Bounds[] = [];
    for (const i of order) {
      const from = points[i];
      const to = points[i + 1];
      const length = Math.abs(to.x - from.x) + Math.abs(to.y - from.y);
      for (let t = Math.min(8, length / 2); t <= length; t += 12) {
        if (from.y === to.y) {
          const d = Math.sign(to.x - from.x);
          const x = from.x + d * t;
          const left = d > 0 ? x : x - w;
          candidates.push(at(left, from.y - 3 - h), at(left, from.y + 3));
        } else {
          const d = Math.sign(to.y - from.y);
          const y = from.y + d * t;
          const top = d > 0 ? y : y - h;
          candidates.push(at(from.x + 4, top), at(from.x - 4 - w, top));
        }
      }
    }
    placed.set(request.id, choose(candidates));
  }
  return placed;
}
