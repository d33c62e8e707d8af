/**
 * The statistics page's chart: dossiers received per month, stacked by how they stand under
 * Decision 766 (finished early, on time, late; in progress on time, overdue), drawn by
 * vega-lite. The page's policy (`script-src 'self'`) forbids the code vega generates for its
 * expressions by default, so the view evaluates them with vega-interpreter (parse with
 * `ast: true`), as vega documents for such pages. A chunk of its own: the figures and the
 * table show before it loads.
 */
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One bar segment: a month, a series (already in words), how many dossiers. */
export interface ChartRow {
  month: string;
  series: string;
  order: number;
  count: number;
}

/** Draws the chart into `host` (SVG); returns what frees it. */
export async function drawMonthlyChart(host: HTMLElement, rows: ChartRow[], texts: { title: string; month: string; dossiers: string; series: Array<{ label: string; colour: string }> }): Promise<() => void> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: texts.title,
    // A band per month (a year fits at 1366 px); one month is one bar, not the whole width.
    width: { step: Math.max(36, Math.min(80, Math.floor((host.clientWidth - 120) / Math.max(1, new Set(rows.map((r) => r.month)).size)))) },
    height: 260,
    data: { values: rows },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: texts.month, axis: { labelAngle: 0 } },
      y: { field: 'count', type: 'quantitative', title: texts.dossiers, stack: 'zero', axis: { tickMinStep: 1, format: 'd' } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: texts.series.map((s) => s.label), range: texts.series.map((s) => s.colour) },
        legend: { orient: 'bottom', direction: 'horizontal', columns: 3, labelLimit: 260 },
      },
      order: { field: 'order', type: 'quantitative' },
    },
    config: { font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif', axis: { labelFontSize: 12, titleFontSize: 12 }, legend: { labelFontSize: 12 }, view: { stroke: null } },
  };
  const view = new View(parse(compile(spec).spec, undefined, { ast: true }), { expr: expressionInterpreter, renderer: 'svg', container: host, hover: true });
  await view.runAsync();
  host.querySelector('svg')?.setAttribute('role', 'img');
  host.querySelector('svg')?.setAttribute('aria-label', texts.title);
  return () => view.finalize();
}
