/**
 * The indicators of one group of counts (the projection's grouped counts), each with its
 * formula, numerator, denominator and the drill-down that lists the dossiers counted; the
 * Decision 766 on-time status and the legal one side by side. Pure.
 */
import type { CountedDossier, DrillDown, StatisticsCounts } from './statistics-store';

/** One figure of a report. */
export interface ReportIndicator {
  code: string;
  name: string;
  formula: string;
  numerator: number;
  denominator: number;
  /** Percent, or working days (2.2, 2.2-p90); null when the denominator is 0. */
  value: number | null;
  unit: 'percent' | 'workingDays';
  fullPointsAt?: number;
  /** The drill-downs of the numerator and the denominator (GET /api/statistics/dossiers?indicator=…). */
  numeratorDossiers: DrillDown[];
  denominatorDossiers: DrillDown[];
}

const pct = (n: number, d: number): number | null => (d === 0 ? null : Math.round((10000 * n) / d) / 100);
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The dossiers the on-time rates count: received, not withdrawn. */
function measured(c: StatisticsCounts): number {
  return c.received - c.withdrawn;
}

export function indicatorsOf(c: StatisticsCounts): ReportIndicator[] {
  const base = measured(c);
  const onTime766 = c.finished766.early + c.finished766.onTime + c.inProgress766.onTime;
  const onTimeLegal = c.finishedLegal.early + c.finishedLegal.onTime + c.inProgressLegal.onTime;
  const late766 = c.finished766.late + c.inProgress766.overdue;
  const measuredDossiers: DrillDown[] = ['finished-early', 'finished-on-time', 'finished-late', 'in-progress-on-time', 'in-progress-overdue'];
  return [
    {
      code: '2.1',
      name: 'Tỷ lệ hồ sơ giải quyết đúng hạn (Quyết định 766)',
      formula: '(finished early + finished on time + in progress on time) ÷ dossiers received in the period, withdrawn ones left out × 100; end ≤ the receipt’s appointment with the supplement time (request → complete supplement) subtracted; a dossier waiting for a supplement ends at the request; more than one supplement request or a re-dated appointment: late',
      numerator: onTime766,
      denominator: base,
      value: pct(onTime766, base),
      unit: 'percent',
      numeratorDossiers: ['finished-early', 'finished-on-time', 'in-progress-on-time'],
      denominatorDossiers: measuredDossiers,
    },
    {
      code: '2.1-legal',
      name: 'Tỷ lệ hồ sơ đúng hạn theo hẹn pháp lý',
      formula: '(finished early + finished on time + in progress on time) ÷ dossiers received in the period, withdrawn ones left out × 100; end ≤ the legal appointment (restarted or paused after a supplement); a re-dated appointment: late (Decree 118/2025 art. 19(6))',
      numerator: onTimeLegal,
      denominator: base,
      value: pct(onTimeLegal, base),
      unit: 'percent',
      numeratorDossiers: ['legal-finished-early', 'legal-finished-on-time', 'legal-in-progress-on-time'],
      denominatorDossiers: ['legal-finished-early', 'legal-finished-on-time', 'legal-finished-late', 'legal-in-progress-on-time', 'legal-in-progress-overdue'],
    },
    {
      code: '2.2',
      name: 'Thời gian giải quyết trung bình',
      formula: 'Σ working days from receipt to finish (supplement time subtracted) ÷ finished dossiers (withdrawn ones left out)',
      numerator: round2(c.workingDaysSum),
      denominator: c.timed,
      value: c.timed ? round2(c.workingDaysSum / c.timed) : null,
      unit: 'workingDays',
      numeratorDossiers: ['timed'],
      denominatorDossiers: ['timed'],
    },
    {
      code: '2.2-p90',
      name: 'Thời gian giải quyết, phân vị 90',
      formula: 'the ⌈0.9·n⌉-th smallest working days from receipt to finish among the n finished dossiers (nearest rank)',
      numerator: c.workingDaysP90 ?? 0,
      denominator: c.timed,
      value: c.workingDaysP90,
      unit: 'workingDays',
      numeratorDossiers: ['timed'],
      denominatorDossiers: ['timed'],
    },
    {
      code: '3.3',
      name: 'Tỷ lệ hồ sơ trực tuyến',
      formula: 'online dossiers (with an e-result once the result is issued) ÷ dossiers received × 100',
      numerator: c.onlineWithEResult,
      denominator: c.received,
      value: pct(c.onlineWithEResult, c.received),
      unit: 'percent',
      fullPointsAt: 50,
      numeratorDossiers: ['online'],
      denominatorDossiers: ['received'],
    },
    { code: '3.3-desk', name: 'Tỷ lệ hồ sơ nộp trực tiếp', formula: 'dossiers received at the desk ÷ dossiers received × 100', numerator: c.desk, denominator: c.received, value: pct(c.desk, c.received), unit: 'percent', numeratorDossiers: ['desk'], denominatorDossiers: ['received'] },
    { code: '3.3-post', name: 'Tỷ lệ hồ sơ nộp qua bưu chính', formula: 'dossiers received by post ÷ dossiers received × 100', numerator: c.post, denominator: c.received, value: pct(c.post, c.received), unit: 'percent', numeratorDossiers: ['post'], denominatorDossiers: ['received'] },
    {
      code: '3.6',
      name: 'Tỷ lệ thanh toán trực tuyến',
      formula: 'fee-bearing dossiers paid online ÷ fee-bearing dossiers received × 100',
      numerator: c.feeBearingPaidOnline,
      denominator: c.feeBearing,
      value: pct(c.feeBearingPaidOnline, c.feeBearing),
      unit: 'percent',
      numeratorDossiers: ['paid-online'],
      denominatorDossiers: ['fee-bearing'],
    },
    { code: '4.1', name: 'Tỷ lệ cấp kết quả điện tử', formula: 'dossiers with an e-result ÷ dossiers with a result (result ready or returned) × 100', numerator: c.eResult, denominator: c.withResult, value: pct(c.eResult, c.withResult), unit: 'percent', numeratorDossiers: ['e-result'], denominatorDossiers: ['with-result'] },
    {
      code: '4.2',
      name: 'Tỷ lệ số hóa hồ sơ, kết quả',
      formula: 'dossiers with every input digitised and an e-result ÷ dossiers with a result × 100',
      numerator: c.digitised,
      denominator: c.withResult,
      value: pct(c.digitised, c.withResult),
      unit: 'percent',
      fullPointsAt: 80,
      numeratorDossiers: ['digitised'],
      denominatorDossiers: ['with-result'],
    },
    {
      code: '5.4',
      name: 'Mức độ hài lòng trong tiếp nhận, giải quyết',
      formula: '100 % − (late dossiers by Decision 766, finished late or in progress overdue, ÷ dossiers × 100 + dossiers with complaints ÷ dossiers × 100); numerator = late + with complaints (no complaint is recorded yet: 0)',
      numerator: late766,
      denominator: base,
      value: base === 0 ? null : Math.max(0, round2(100 - (100 * late766) / base)),
      unit: 'percent',
      fullPointsAt: 90,
      numeratorDossiers: ['finished-late', 'in-progress-overdue'],
      denominatorDossiers: measuredDossiers,
    },
  ];
}

/** The header and rows of a report's CSV: one row per group and indicator. */
export function reportCsv(groups: Array<{ key: string; counts: StatisticsCounts; indicators: ReportIndicator[] }>): string {
  const header = ['group', 'indicator', 'name', 'numerator', 'denominator', 'value', 'unit', 'formula'];
  const rows = [header];
  for (const g of groups) {
    const c = g.counts;
    const plain: Array<[string, number]> = [
      ['received', c.received], ['received-online', c.online], ['received-desk', c.desk], ['received-post', c.post],
      ['finished-early', c.finished766.early], ['finished-on-time', c.finished766.onTime], ['finished-late', c.finished766.late],
      ['in-progress-on-time', c.inProgress766.onTime], ['in-progress-overdue', c.inProgress766.overdue],
      ['legal-finished-early', c.finishedLegal.early], ['legal-finished-on-time', c.finishedLegal.onTime], ['legal-finished-late', c.finishedLegal.late],
      ['legal-in-progress-on-time', c.inProgressLegal.onTime], ['legal-in-progress-overdue', c.inProgressLegal.overdue],
      ['supplement-requests', c.supplementRequests], ['refused', c.refused], ['rejected', c.rejected], ['stopped', c.stopped], ['withdrawn', c.withdrawn],
    ];
    for (const [name, n] of plain) rows.push([g.key, name, '', String(n), '', String(n), 'dossiers', '']);
    for (const i of g.indicators) rows.push([g.key, i.code, i.name, String(i.numerator), String(i.denominator), i.value === null ? '' : String(i.value), i.unit, i.formula]);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The columns of a drill-down's CSV: the fields of a counted dossier, times in ISO 8601 (UTC), '' when absent. */
export const DOSSIER_CSV_COLUMNS = [
  'dossierId', 'code', 'agency', 'procedureCode', 'official', 'channel', 'status', 'countedAt', 'receivedAt', 'finishedAt', 'due766At', 'legalDueAt',
  'timeliness766', 'timelinessLegal', 'supplementRequests', 'workingDays',
] as const satisfies ReadonlyArray<keyof CountedDossier>;

const TIMES = new Set<string>(['countedAt', 'receivedAt', 'finishedAt', 'due766At', 'legalDueAt']);

function dossierCsvLine(d: CountedDossier): string {
  return DOSSIER_CSV_COLUMNS.map((column) => {
    const value = d[column];
    if (value === undefined) return '';
    return csvField(TIMES.has(column) ? new Date(value as number).toISOString() : String(value));
  }).join(',') + '\r\n';
}

/**
 * A drill-down as CSV, chunk by chunk as the pages come: the header with the first page (so a
 * failure to read it is still an error answer, not a truncated file), then one chunk per page.
 */
export async function* dossiersCsv(pages: AsyncIterable<CountedDossier[]>): AsyncGenerator<string> {
  let header = DOSSIER_CSV_COLUMNS.join(',') + '\r\n';
  for await (const page of pages) {
    yield header + page.map(dossierCsvLine).join('');
    header = '';
  }
  if (header) yield header;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
