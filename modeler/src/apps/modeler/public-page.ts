/**
 * The public results page (`#/public?agency=…&from=…&to=…`), open without signing in: an
 * agency's Decision 766 indicators over a period, and its procedures with whether they are
 * online and how many dossiers each received (`/api/public/agencies`, `/api/public/statistics`:
 * aggregates only, never personal data nor an official; rate limited by the server).
 */
import { request } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { t, type MessageKey } from '../../shared/i18n';
import { localized as inLanguage } from '../../shared/procedure-facts';
import type { Indicator } from '../../shared/statistics-api';
import { vnToday } from '../../shared/time';
import { CARDS, indicatorCard } from './statistics-page';

interface PublicAgency {
  id: string;
  name: { vi: string; en?: string };
  procedures: number;
  online: number;
}

interface PublicFigures {
  agency: string;
  received: number;
  indicators: Indicator[];
  procedures: Array<{ code: string; name: { vi: string; en?: string }; onlineLevel?: string; received: number }>;
}

/** The page; `params` is the query part of the address. Returns its disposer. */
export function renderPublic(main: HTMLElement, params: URLSearchParams): () => void {
  let disposed = false;
  const today = vnToday();
  const from = h('input', { type: 'date', id: 'public-from', value: params.get('from') ?? `${today.slice(0, 4)}-01-01` });
  const to = h('input', { type: 'date', id: 'public-to', value: params.get('to') ?? today });
  const agency = h('select', { id: 'public-agency' });
  const figures = h('div', { 'data-testid': 'public-figures' });
  const form = h(
    'form',
    { class: 'stats-filters' },
    h('div', { class: 'field' }, h('label', { for: 'public-agency' }, t('public.agency')), agency),
    h('div', { class: 'field' }, h('label', { for: 'public-from' }, t('stats.from')), from),
    h('div', { class: 'field' }, h('label', { for: 'public-to' }, t('stats.to')), to),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('stats.show'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/public?${new URLSearchParams({ agency: agency.value, from: from.value, to: to.value })}`;
  });
  mount(main, h('section', { class: 'card statistics', 'aria-labelledby': 'public-heading' }, h('h1', { id: 'public-heading' }, t('public.title')), h('p', { class: 'lead' }, t('public.lead')), form, figures));

  (async () => {
    try {
      const { items } = await request<{ items: PublicAgency[] }>('GET', '/api/public/agencies');
      if (disposed) return;
      if (items.length === 0) return mount(figures, h('p', { class: 'muted' }, t('public.noAgencies')));
      const chosen = items.find((a) => a.id === params.get('agency')) ?? items[0];
      mount(agency, ...items.map((a) => h('option', { value: a.id, selected: a.id === chosen.id }, inLanguage(a.name))));
      const query = new URLSearchParams({ agency: chosen.id, from: from.value, to: to.value });
      const data = await request<PublicFigures>('GET', `/api/public/statistics?${query}`);
      if (disposed) return;
      const cards = CARDS.map((code) => data.indicators.find((i) => i.code === code)).filter((i): i is Indicator => !!i);
      mount(
        figures,
        h('h2', {}, inLanguage(chosen.name)),
        h('p', { 'data-testid': 'public-received' }, t('public.received', { count: data.received })),
        h('div', { class: 'indicators' }, ...(cards.length ? cards.map(indicatorCard) : [h('p', { class: 'muted' }, t('stats.empty'))])),
        h('h2', {}, t('public.procedures')),
        h(
          'table',
          { class: 'stats-table', 'data-testid': 'public-procedures' },
          h('thead', {}, h('tr', {}, (['public.col.procedure', 'public.col.online', 'public.col.received'] as const).map((k, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : undefined }, t(k))))),
          h(
            'tbody',
            {},
            data.procedures.map((p) =>
              h('tr', { 'data-procedure': p.code }, h('th', { scope: 'row' }, inLanguage(p.name)), h('td', {}, p.onlineLevel === 'full' || p.onlineLevel === 'partial' ? t(`portal.online.${p.onlineLevel}` as MessageKey) : '—'), h('td', { class: 'num' }, String(p.received))),
            ),
          ),
        ),
      );
    } catch (error) {
      if (!disposed) showError(figures, error);
    }
  })();
  return () => {
    disposed = true;
  };
}
