/**
 * A comparison as data (the JSON the API answers and the modeler's side-by-side view
 * draws) and as text: a table for the terminal and CSV for spreadsheets.
 */
import type { ElementDiff } from './element-diff';
import { METRIC_KEYS, type MetricKey, type ModelMetrics } from './model-metrics';

/** One figure before and after. */
export interface FigureRow {
  key: MetricKey | 'elementsAdded' | 'elementsRemoved' | 'elementsChanged';
  label: { vi: string; en: string };
  before: number;
  after: number;
  /** after − before. */
  change: number;
  /** The change in percent of `before`, one decimal; null when `before` is 0 and `after` is not. */
  changePercent: number | null;
}

/** One side of a comparison. */
export interface ComparedModel {
  /** What it is, for people: a file name, "birth-registration as-is", "v3". */
  label: string;
  metrics: ModelMetrics;
  /** What could not be read as meant (bad statutory times, duplicate ids). */
  warnings: string[];
}

/** A whole comparison. */
export interface Comparison {
  before: ComparedModel;
  after: ComparedModel;
  /** The figures in report order. */
  figures: FigureRow[];
  elements: ElementDiff;
}

/** The figures' names, Vietnamese first. */
export const FIGURE_LABELS: Record<FigureRow['key'], { vi: string; en: string }> = {
  steps: { vi: 'Số bước', en: 'Steps' },
  laneHandOffs: { vi: 'Chuyển giao giữa các bộ phận', en: 'Hand-offs between lanes' },
  agencyHandOffs: { vi: 'Chuyển giao giữa các cơ quan', en: 'Hand-offs between agencies' },
  agencies: { vi: 'Số cơ quan tham gia', en: 'Agencies involved' },
  criticalPathDays: { vi: 'Ngày làm việc theo luật trên đường găng', en: 'Statutory working days on the critical path' },
  documents: { vi: 'Giấy tờ yêu cầu người dân', en: 'Documents asked of the citizen' },
  deskVisits: { vi: 'Số lần đến nơi tiếp nhận', en: 'Visits to a desk' },
  manualSteps: { vi: 'Bước thủ công', en: 'Manual steps' },
  automatedSteps: { vi: 'Bước tự động', en: 'Automated steps' },
  elementsAdded: { vi: 'Phần tử thêm mới', en: 'Elements added' },
  elementsRemoved: { vi: 'Phần tử bỏ đi', en: 'Elements removed' },
  elementsChanged: { vi: 'Phần tử thay đổi', en: 'Elements changed' },
};

/** The figure rows of two models' metrics (the element counts are rows of their own, 0 → n). */
export function figureRows(before: ModelMetrics, after: ModelMetrics, elements: ElementDiff): FigureRow[] {
  const rows = METRIC_KEYS.map((key) => row(key, before[key], after[key]));
  rows.push(row('elementsAdded', 0, elements.added.length), row('elementsRemoved', 0, elements.removed.length), row('elementsChanged', 0, elements.changed.length));
  return rows;
}

function row(key: FigureRow['key'], before: number, after: number): FigureRow {
  const change = round(after - before, 2);
  const changePercent = before === 0 ? (after === 0 ? 0 : null) : round(((after - before) / before) * 100, 1);
  return { key, label: FIGURE_LABELS[key], before, after, change, changePercent };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** A number as a report shows it: up to 2 decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  return String(round(value, 2));
}

/** A change in percent as a report shows it: "-76.9%", "+100%", "0%", "new" when there was none before. */
export function formatPercent(value: number | null): string {
  if (value === null) return 'new';
  return `${value > 0 ? '+' : ''}${value}%`;
}

/** The rows that count elements: only their "after" is shown (a change in percent of nothing says nothing). */
const ELEMENT_ROWS = new Set<FigureRow['key']>(['elementsAdded', 'elementsRemoved', 'elementsChanged']);

/**
 * The comparison as a plain-text table for a terminal, labels in `language`.
 *
 * @example
 * console.log(formatTable(comparison, 'en'));
 */
export function formatTable(comparison: Comparison, language: 'vi' | 'en' = 'en'): string {
  const header = [language === 'vi' ? 'Chỉ số' : 'Figure', comparison.before.label, comparison.after.label, language === 'vi' ? 'Thay đổi' : 'Change', '%'];
  const body = comparison.figures.map((r) => [
    r.label[language],
    ELEMENT_ROWS.has(r.key) ? '' : formatNumber(r.before),
    formatNumber(r.after),
    ELEMENT_ROWS.has(r.key) ? '' : `${r.change > 0 ? '+' : ''}${formatNumber(r.change)}`,
    ELEMENT_ROWS.has(r.key) ? '' : formatPercent(r.changePercent),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((cells) => width(cells[i]))));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? pad(cell, widths[i]) : padStart(cell, widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const lines = [line(header), rule, ...body.map(line)];
  const warnings = [...comparison.before.warnings.map((w) => `${comparison.before.label}: ${w}`), ...comparison.after.warnings.map((w) => `${comparison.after.label}: ${w}`)];
  if (warnings.length > 0) lines.push('', ...warnings.map((w) => `! ${w}`));
  return lines.join('\n');
}

/** Columns of a terminal: characters without combining marks (Vietnamese diacritics written decomposed). */
function width(text: string): number {
  return [...text.normalize('NFC')].filter((c) => !/\p{M}/u.test(c)).length;
}
function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}
function padStart(text: string, to: number): string {
  return ' '.repeat(Math.max(0, to - width(text))) + text;
}

/** The CSV columns, in order. */
export const CSV_COLUMNS = ['figure', 'label_vi', 'label_en', 'before', 'after', 'change', 'change_percent'] as const;

/** The comparison's figures as CSV (RFC 4180, CRLF line ends, a header row); an empty cell is "no percent". */
export function formatCsv(comparison: Comparison): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of comparison.figures) {
    lines.push([r.key, r.label.vi, r.label.en, formatNumber(r.before), formatNumber(r.after), formatNumber(r.change), r.changePercent === null ? '' : String(r.changePercent)].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
