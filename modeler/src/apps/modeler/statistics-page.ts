/**
 * The statistics page (`#/statistics`, for officials, agency admins and analysts): a period's
 * Decision 766 / Decree 118 figures of the agency, read from `/api/statistics` (the server's
 * projection, never computed here):
 *   - the indicators as cards: value, numerator / denominator, the formula on demand;
 *   - a chart of the dossiers received per month by how they stand (statistics-chart.ts,
 *     vega-lite in a chunk of its own);
 *   - a table per procedure, month or channel (analysts: per agency too);
 *   - the dossiers overdue now (the drill-down `in-progress-overdue`), so late work is seen;
 *   - the report as CSV.
 * The query is in the address (`#/statistics?from=…&to=…&groupBy=…`), so a view can be shared.
 */
import { principal } from '../../shared/api';
import { download, h, mount } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { isMessageKey, t, type MessageKey } from '../../shared/i18n';
import { procedureNamesByCode } from '../../shared/procedure-names';
import { countedDossiers, report, reportCsv, type CountedDossier, type GroupBy, type Indicator, type Report, type ReportQuery } from '../../shared/statistics-api';
import { formatVnDate, formatVnTime, vnToday } from '../../shared/time';
import type { ChartRow } from './statistics-chart';

export const CARDS = ['2.1', '2.1-legal', '2.2', '2.2-p90', '3.3', '3.6', '4.1', '4.2', '5.4'];
const GROUPS: GroupBy[] = ['procedure', 'month', 'channel'];
const SERIES: Array<{ key: MessageKey; colour: string; of: (c: Report['groups'][number]['counts']) => number }> = [
  { key: 'stats.series.early', colour: '#1b7a3d', of: (c) => c.finished766.early },
  { key: 'stats.series.onTime', colour: '#6abf69', of: (c) => c.finished766.onTime },
  { key: 'stats.series.late', colour: '#b3261e', of: (c) => c.finished766.late },
  { key: 'stats.series.progressOnTime', colour: '#0b5cad', of: (c) => c.inProgress766.onTime },
  { key: 'stats.series.progressOverdue', colour: '#f0a000', of: (c) => c.inProgress766.overdue },
];

/** Indicators whose numerator counts against them (5.4: satisfaction = 100 % − late dossiers). */
const PENALTY_NUMERATOR = new Set(['5.4']);

const number = (value: number, digits = 1) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(value);

export function indicatorCard(indicator: Indicator): HTMLElement {
  const value =
    indicator.value === null ? t('stats.noValue') : indicator.unit === 'percent' ? `${number(indicator.value)} %` : t('stats.days', { value: number(indicator.value, 2) });
  return h(
    'article',
    { class: 'indicator', 'data-code': indicator.code },
    h('p', { class: 'indicator-code' }, indicator.code),
    h('h3', {}, indicator.name),
    h('p', { class: 'indicator-value' }, value),
    h('p', { class: 'muted' }, t(indicator.unit !== 'percent' ? 'stats.ofDays' : PENALTY_NUMERATOR.has(indicator.code) ? 'stats.ofLate' : 'stats.of', { numerator: number(indicator.numerator, 0), denominator: number(indicator.denominator, 0) })),
    h('details', { class: 'formula' }, h('summary', {}, t('stats.formula')), h('p', { lang: 'en' }, indicator.formula)),
  );
}

function groupLabel(groupBy: GroupBy, key: string, names: Map<string, string>): string {
  if (groupBy === 'procedure') return names.get(key) ?? key;
  if (groupBy === 'channel') {
    const k = `stats.channel.${key}`;
    return isMessageKey(k) ? t(k) : key;
  }
  if (groupBy === 'month') return formatVnDate(key);
  return key;
}

function groupTable(groupBy: GroupBy, data: Report, names: Map<string, string>): HTMLElement {
  if (data.groups.length === 0) return h('p', { class: 'muted', 'data-testid': 'stats-empty' }, t('stats.empty'));
  const cols: MessageKey[] = ['stats.col.group', 'stats.col.received', 'stats.col.channels', 'stats.col.finishedOnTime', 'stats.col.finishedLate', 'stats.col.inProgress', 'stats.col.overdue', 'stats.col.avgDays', 'stats.col.onTimeRate'];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'stats-table', 'data-testid': 'stats-table' },
      h('thead', {}, h('tr', {}, cols.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : undefined }, t(c))))),
      h(
        'tbody',
        {},
        data.groups.map((g) => {
          const c = g.counts;
          const rate = g.indicators.find((i) => i.code === '2.1')?.value;
          return h(
            'tr',
            { 'data-group': g.key },
            h('th', { scope: 'row' }, groupLabel(groupBy, g.key, names)),
            h('td', { class: 'num' }, number(c.received, 0)),
            h('td', { class: 'num' }, `${c.desk} / ${c.online} / ${c.post}`),
            h('td', { class: 'num' }, number(c.finished766.early + c.finished766.onTime, 0)),
            h('td', { class: c.finished766.late > 0 ? 'num bad' : 'num' }, number(c.finished766.late, 0)),
            h('td', { class: 'num' }, number(c.inProgress766.onTime + c.inProgress766.overdue, 0)),
            h('td', { class: c.inProgress766.overdue > 0 ? 'num bad' : 'num' }, number(c.inProgress766.overdue, 0)),
            h('td', { class: 'num' }, c.timed > 0 ? number(c.workingDaysSum / c.timed, 2) : '—'),
            h('td', { class: 'num' }, rate === null || rate === undefined ? '—' : `${number(rate)} %`),
          );
        }),
      ),
    ),
  );
}

function overdueTable(page: { items: CountedDossier[]; nextCursor?: string }, names: Map<string, string>): HTMLElement {
  if (page.items.length === 0) return h('p', { class: 'muted', 'data-testid': 'overdue-none' }, t('stats.overdueNone'));
  const cols: MessageKey[] = ['stats.col.code', 'stats.col.procedure', 'stats.col.receivedAt', 'stats.col.dueAt', 'stats.col.status'];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'stats-table', 'data-testid': 'overdue-table' },
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))),
      h(
        'tbody',
        {},
        page.items.map((d) => {
          const status = `dossier.status.${d.status}`;
          return h(
            'tr',
            {},
            h('th', { scope: 'row', class: 'dossier-code' }, d.code),
            h('td', {}, names.get(d.procedureCode) ?? d.procedureCode),
            h('td', {}, d.receivedAt ? formatVnTime(d.receivedAt) : '—'),
            h('td', { class: 'bad' }, d.due766At ? formatVnTime(d.due766At) : '—'),
            h('td', {}, isMessageKey(status) ? t(status) : d.status),
          );
        }),
      ),
    ),
    page.nextCursor ? h('p', { class: 'hint' }, t('stats.overdueMore')) : null,
  );
}

/** The page; `params` is the query part of the address. Returns its disposer. */
export function renderStatistics(main: HTMLElement, params: URLSearchParams): () => void {
  const me = principal();
  const analyst = me?.roles.includes('analyst') && !me.agency;
  const today = vnToday();
  const groupBy = (GROUPS.includes(params.get('groupBy') as GroupBy) || (analyst && params.get('groupBy') === 'agency') ? params.get('groupBy') : 'procedure') as GroupBy;
  const query: ReportQuery = { from: params.get('from') ?? `${today.slice(0, 4)}-01-01`, to: params.get('to') ?? today, ...(analyst && params.get('agency') ? { agency: params.get('agency')! } : {}) };

  const from = h('input', { type: 'date', id: 'stats-from', value: query.from, required: true });
  const to = h('input', { type: 'date', id: 'stats-to', value: query.to, required: true });
  const agency = analyst ? h('input', { id: 'stats-agency', value: query.agency ?? '', placeholder: '000.01.00.H29', 'aria-describedby': 'stats-agency-hint' }) : undefined;
  const group = h('select', { id: 'stats-group' }, [...GROUPS, ...(analyst ? (['agency'] as GroupBy[]) : [])].map((g) => h('option', { value: g, selected: g === groupBy }, t(`stats.group.${g}` as MessageKey))));
  const message = h('p', { class: 'form-error', role: 'alert' });
  const csv = h('button', { type: 'button', 'data-testid': 'stats-csv' }, t('stats.csv'));
  const filters = h(
    'form',
    { class: 'stats-filters' },
    h('div', { class: 'field' }, h('label', { for: 'stats-from' }, t('stats.from')), from),
    h('div', { class: 'field' }, h('label', { for: 'stats-to' }, t('stats.to')), to),
    agency ? h('div', { class: 'field' }, h('label', { for: 'stats-agency' }, t('stats.agency')), agency, h('span', { class: 'hint', id: 'stats-agency-hint' }, t('stats.agencyHint'))) : null,
    h('div', { class: 'field' }, h('label', { for: 'stats-group' }, t('stats.groupBy')), group),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('stats.show')), csv),
  );
  const period = h('p', { class: 'muted', 'data-testid': 'stats-period' }, t('stats.loading'));
  const cards = h('div', { class: 'indicators', 'data-testid': 'indicators' });
  const chart = h('div', { class: 'chart', 'data-testid': 'stats-chart' });
  const table = h('div', {});
  const overdue = h('div', {});
  mount(
    main,
    h(
      'section',
      { class: 'card statistics', 'aria-labelledby': 'stats-heading' },
      h('h1', { id: 'stats-heading' }, t('stats.heading')),
      h('p', { class: 'lead' }, t('stats.lead')),
      filters,
      message,
      period,
      h('h2', {}, t('stats.indicators')),
      cards,
      h('h2', {}, t('stats.chart')),
      chart,
      h('h2', {}, t('stats.table')),
      table,
      h('h2', {}, t('stats.overdue')),
      overdue,
    ),
  );

  let disposed = false;
  let freeChart: (() => void) | undefined;
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    if (from.value && to.value && from.value > to.value) {
      message.textContent = t('stats.badDates');
      return;
    }
    const next = new URLSearchParams({ from: from.value, to: to.value, groupBy: group.value });
    if (agency?.value.trim()) next.set('agency', agency.value.trim());
    location.hash = `#/statistics?${next}`;
  });
  csv.addEventListener('click', async () => {
    try {
      download(`thong-ke-${query.from}-${query.to}-${groupBy}.csv`, await reportCsv(query, groupBy), 'text/csv');
    } catch (error) {
      showError(message, error);
    }
  });

  (async () => {
    try {
      const [total, months, grouped, late, names] = await Promise.all([
        report(query, 'none'),
        report(query, 'month'),
        groupBy === 'month' ? undefined : report(query, groupBy),
        countedDossiers(query, 'in-progress-overdue', 50),
        procedureNamesByCode(),
      ]);
      if (disposed) return;
      period.textContent = t('stats.asOf', { from: formatVnDate(query.from!), to: formatVnDate(query.to!), asOf: formatVnTime(total.asOf) });
      const indicators = total.groups[0]?.indicators ?? [];
      const shown = CARDS.map((code) => indicators.find((i) => i.code === code)).filter((i): i is Indicator => !!i);
      mount(cards, ...(shown.length > 0 ? shown.map(indicatorCard) : [h('p', { class: 'muted' }, t('stats.empty'))]));
      mount(table, groupTable(groupBy, grouped ?? months, names));
      mount(overdue, overdueTable(late, names));
      const rows: ChartRow[] = months.groups.flatMap((g) => SERIES.map((s, order) => ({ month: groupLabel('month', g.key, names), series: t(s.key), order, count: s.of(g.counts) })));
      if (months.groups.length === 0) return mount(chart, h('p', { class: 'muted' }, t('stats.empty')));
      try {
        const { drawMonthlyChart } = await import('./statistics-chart');
        if (disposed) return;
        freeChart = await drawMonthlyChart(chart, rows, { title: t('stats.chart'), month: t('stats.chartMonth'), dossiers: t('stats.chartDossiers'), series: SERIES.map((s) => ({ label: t(s.key), colour: s.colour })) });
      } catch (error) {
        if (!disposed) mount(chart, h('p', { role: 'alert', class: 'form-error' }, t('stats.chartFailed', { detail: (error as Error).message })));
      }
    } catch (error) {
      if (disposed) return;
      period.textContent = '';
      showError(message, error);
    }
  })();

  return () => {
    disposed = true;
    freeChart?.();
  };
}
