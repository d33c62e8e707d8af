/**
 * The report's plots as small, self-contained SVG documents (no charting package is
 * installed; these three charts need a few dozen lines each): the cycle-time
 * histogram and cumulative distribution of one or two models, and the staff
 * utilisation per pool. Text is escaped; sizes are fixed so the documents diff well.
 */

/** One model's series on a plot. */
export interface PlotSeries {
  label: string;
  values: ArrayLike<number>;
}

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 24, top: 40, bottom: 56 };
const COLOURS = ['#1f77b4', '#d62728'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `count` ticks over `span`. */
export function niceStep(span: number, count = 5): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

function frame(title: string, xLabel: string, yLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${MARGIN.left + (WIDTH - MARGIN.left - MARGIN.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + (HEIGHT - MARGIN.top - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

interface Scale {
  x(v: number): number;
  y(v: number): number;
}

function axes(xMax: number, yMax: number, yFormat: (v: number) => string, xMin = 0, xTicks = true): { scale: Scale; lines: string[] } {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const scale: Scale = {
    x: (v) => MARGIN.left + ((v - xMin) / (xMax - xMin || 1)) * plotW,
    y: (v) => MARGIN.top + plotH - (v / (yMax || 1)) * plotH,
  };
  const lines: string[] = [];
  const x0 = MARGIN.left;
  const y0 = MARGIN.top + plotH;
  lines.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + plotW}" y2="${y0}" stroke="#333"/>`, `<line x1="${x0}" y1="${MARGIN.top}" x2="${x0}" y2="${y0}" stroke="#333"/>`);
  const xs = niceStep(xMax - xMin, 8);
  for (let v = Math.ceil(xMin / xs) * xs; xTicks && v <= xMax + 1e-9; v += xs) {
    const x = scale.x(v);
    lines.push(`<line x1="${num(x)}" y1="${y0}" x2="${num(x)}" y2="${y0 + 5}" stroke="#333"/>`, `<text x="${num(x)}" y="${y0 + 18}" text-anchor="middle">${num(v)}</text>`);
  }
  const ys = niceStep(yMax, 5);
  for (let v = 0; v <= yMax + 1e-9; v += ys) {
    const y = scale.y(v);
    lines.push(`<line x1="${x0 - 5}" y1="${num(y)}" x2="${x0 + plotW}" y2="${num(y)}" stroke="#e5e5e5"/>`, `<text x="${x0 - 8}" y="${num(y + 4)}" text-anchor="end">${escapeXml(yFormat(v))}</text>`);
  }
  return { scale, lines };
}

function legend(labels: readonly string[]): string[] {
  return labels.map((label, i) => {
    const x = WIDTH - MARGIN.right - 180;
    const y = MARGIN.top + 6 + i * 18;
    return `<rect x="${x}" y="${y}" width="12" height="12" fill="${COLOURS[i]}" fill-opacity="0.75"/><text x="${x + 18}" y="${y + 10}">${escapeXml(label)}</text>`;
  });
}

/** Histogram of cycle times: shares of dossiers per bin, the series side by side in each bin. */
export function histogramSvg(title: string, edges: readonly number[], series: ReadonlyArray<{ label: string; shares: readonly number[] }>): string {
  const yMax = Math.max(0.01, ...series.flatMap((s) => s.shares)) * 1.1;
  const { scale, lines } = axes(edges[edges.length - 1], yMax, (v) => `${num(v * 100)} %`, edges[0]);
  const bars: string[] = [];
  series.forEach((s, k) => {
    s.shares.forEach((share, i) => {
      if (share <= 0) return;
      const left = scale.x(edges[i]);
      const width = (scale.x(edges[i + 1]) - left) / series.length;
      const top = scale.y(share);
      bars.push(`<rect x="${num(left + k * width)}" y="${num(top)}" width="${num(Math.max(0.5, width - 0.5))}" height="${num(scale.y(0) - top)}" fill="${COLOURS[k]}" fill-opacity="0.75"/>`);
    });
  });
  return frame(title, 'cycle time (working days)', 'share of dossiers', [...lines, ...bars, ...legend(series.map((s) => s.label))]);
}

/** Cumulative distribution of cycle times from each series' sorted values, with the statutory time as a vertical line. */
export function cdfSvg(title: string, series: readonly PlotSeries[], statutoryDays?: number): string {
  const xMax = Math.max(statutoryDays ?? 0, ...series.map((s) => (s.values.length > 0 ? s.values[s.values.length - 1] : 0))) * 1.05 || 1;
  const { scale, lines } = axes(xMax, 1, (v) => `${num(v * 100)} %`);
  const paths = series.map((s, k) => {
    const n = s.values.length;
    // At most ~400 points: every step of a large sample would only repeat pixels.
    const stride = Math.max(1, Math.floor(n / 400));
    const points: string[] = [`${num(scale.x(0))},${num(scale.y(0))}`];
    for (let i = 0; i < n; i += stride) points.push(`${num(scale.x(s.values[i]))},${num(scale.y((i + 1) / n))}`);
    if (n > 0) points.push(`${num(scale.x(s.values[n - 1]))},${num(scale.y(1))}`);
    return `<polyline fill="none" stroke="${COLOURS[k]}" stroke-width="2" points="${points.join(' ')}"/>`;
  });
  const marks: string[] = [];
  if (statutoryDays !== undefined) {
    const x = scale.x(statutoryDays);
    marks.push(`<line x1="${num(x)}" y1="${MARGIN.top}" x2="${num(x)}" y2="${scale.y(0)}" stroke="#555" stroke-dasharray="4 3"/>`, `<text x="${num(x + 4)}" y="${MARGIN.top + 12}">statutory time</text>`);
  }
  return frame(title, 'cycle time (working days)', 'dossiers finished', [...lines, ...paths, ...marks, ...legend(series.map((s) => s.label))]);
}

/** Utilisation per pool: one group of bars per pool, one bar per model. */
export function utilisationSvg(title: string, pools: readonly string[], series: ReadonlyArray<{ label: string; utilisation: ReadonlyArray<number | undefined> }>): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  // The x axis is categorical: one group per pool, no numeric ticks.
  const { scale, lines } = axes(Math.max(1, pools.length), 1, (v) => `${num(v * 100)} %`, 0, false);
  const group = plotW / Math.max(1, pools.length);
  const bars: string[] = [];
  pools.forEach((pool, i) => {
    const left = MARGIN.left + i * group + group * 0.15;
    const width = (group * 0.7) / Math.max(1, series.length);
    series.forEach((s, k) => {
      const u = s.utilisation[i];
      if (u === undefined) return;
      const top = scale.y(Math.min(1, u));
      bars.push(`<rect x="${num(left + k * width)}" y="${num(top)}" width="${num(width - 1)}" height="${num(scale.y(0) - top)}" fill="${COLOURS[k]}" fill-opacity="0.75"><title>${escapeXml(`${s.label} ${pool}: ${num(u * 100)} %`)}</title></rect>`);
    });
    bars.push(`<text x="${num(MARGIN.left + i * group + group / 2)}" y="${scale.y(0) + 18}" text-anchor="middle">${escapeXml(pool)}</text>`);
  });
  return frame(title, 'staff pool (agency/role)', 'utilisation', [...lines, ...bars, ...legend(series.map((s) => s.label))]);
}
