/**
 * Comparing two models of a procedure (the as-is and the to-be, or two versions): the
 * figures of each (`model-metrics.ts`), the elements added, removed and changed
 * (`element-diff.ts`), and the report (`report.ts`). Pure: no file, no clock; the CLI
 * and the API read the documents and pass them in.
 *
 * @example
 * const comparison = await compareBpmn({ label: 'as-is', xml: asIs }, { label: 'to-be', xml: toBe });
 * console.log(formatTable(comparison, 'vi'));
 */
import { parseBpmn, type ParseOptions } from '../../../../engine/src/pure';
import { diffElements } from './element-diff';
import { readModelFacts } from './model-facts';
import { modelMetrics } from './model-metrics';
import { figureRows, type Comparison } from './report';

export { criticalPath, type CriticalPath, type PathGraph } from './critical-path';
export { diffElements, type ChangedElement, type DiffElement, type ElementDiff, type PropertyChange } from './element-diff';
export { readModelFacts, type EdgeFacts, type ModelFacts, type NodeFacts } from './model-facts';
export { METRIC_KEYS, modelMetrics, type MetricKey, type ModelMetrics } from './model-metrics';
export { CSV_COLUMNS, FIGURE_LABELS, formatCsv, formatNumber, formatPercent, formatTable, type ComparedModel, type Comparison, type FigureRow } from './report';

/** A document to compare and what to call it. */
export interface ComparedDocument {
  label: string;
  xml: string;
}

/** Compares two parsed documents (`bpmn:Definitions` moddle trees). */
export function compareDefinitions(before: { label: string; definitions: unknown }, after: { label: string; definitions: unknown }): Comparison {
  const a = readModelFacts(before.definitions);
  const b = readModelFacts(after.definitions);
  const elements = diffElements(before.definitions, after.definitions);
  const metricsBefore = modelMetrics(a);
  const metricsAfter = modelMetrics(b);
  return {
    before: { label: before.label, metrics: metricsBefore, warnings: a.warnings },
    after: { label: after.label, metrics: metricsAfter, warnings: b.warnings },
    figures: figureRows(metricsBefore, metricsAfter, elements),
    elements,
  };
}

/**
 * Parses and compares two BPMN documents. Throws the parser's `ModelParseError` (with
 * the side named in its message) when one cannot be read.
 */
export async function compareBpmn(before: ComparedDocument, after: ComparedDocument, options: ParseOptions = {}): Promise<Comparison> {
  const [a, b] = await Promise.all([parseSide(before, options), parseSide(after, options)]);
  return compareDefinitions({ label: before.label, definitions: a }, { label: after.label, definitions: b });
}

async function parseSide(side: ComparedDocument, options: ParseOptions): Promise<unknown> {
  try {
    return (await parseBpmn(side.xml, options)).definitions;
  } catch (error) {
    if (error instanceof Error) error.message = `${side.label}: ${error.message}`;
    throw error;
  }
}
