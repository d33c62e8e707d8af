/**
 * The agency's dossiers for its staff (`#/dossiers?status=…&code=…`; one: `#/dossiers/<id>`):
 * look a dossier up by its code (a citizen calling about it) or list them by status, newest
 * first (`/api/dossiers`, no personal data in the list); one dossier shows the same card as a
 * task page (its applicant, a logged read), its open steps with who holds them, and its process
 * drawn with where it stands.
 */
import { request } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { t, type MessageKey } from '../../shared/i18n';
import { dossierWithHistory, inboxPage, type InboxDossier } from '../../shared/inbox-api';
import { procedureNamesByCode } from '../../shared/procedure-names';
import { formatVnTime } from '../../shared/time';
import { dueBadge } from './due-badge';
import { dossierView, statusText } from './dossier-card';

const STATUSES = ['submitted', 'received', 'processing', 'supplement-requested', 'supplemented', 'result-ready', 'returned', 'refused', 'rejected', 'stopped', 'withdrawn'];

/** The list with its search. Returns its disposer. */
export function renderDossiers(main: HTMLElement, params: URLSearchParams): () => void {
  let disposed = false;
  const code = h('input', { id: 'dossier-code', value: params.get('code') ?? '', placeholder: '000.01.00.H29-261208-0001', maxlength: 200 });
  const status = h('select', { id: 'dossier-status' }, h('option', { value: '' }, t('dossiers.anyStatus')), STATUSES.map((s) => h('option', { value: s, selected: s === params.get('status') }, statusText(s))));
  const form = h(
    'form',
    { class: 'stats-filters' },
    h('div', { class: 'field' }, h('label', { for: 'dossier-code' }, t('dossier.code')), code),
    h('div', { class: 'field' }, h('label', { for: 'dossier-status' }, t('dossier.status')), status),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('dossiers.search'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (code.value.trim()) next.set('code', code.value.trim());
    if (status.value) next.set('status', status.value);
    location.hash = `#/dossiers?${next}`;
  });
  const list = h('div', { 'data-testid': 'dossier-list' }, h('p', { class: 'muted' }, '…'));
  mount(main, h('section', { class: 'card statistics', 'aria-labelledby': 'dossiers-heading' }, h('h1', { id: 'dossiers-heading' }, t('dossiers.heading')), form, list));

  const query = new URLSearchParams({ limit: '100' });
  for (const key of ['code', 'status']) if (params.get(key)) query.set(key, params.get(key)!);
  Promise.all([request<{ items: InboxDossier[] }>('GET', `/api/dossiers?${query}`), procedureNamesByCode()]).then(
    ([{ items }, names]) => {
      if (disposed) return;
      if (items.length === 0) return mount(list, h('p', { class: 'muted', 'data-testid': 'dossiers-none' }, t('dossiers.none')));
      const cols: MessageKey[] = ['dossier.code', 'dossier.procedure', 'dossier.status', 'dossier.received', 'dossier.appointment', 'dossier.channel'];
      mount(
        list,
        h(
          'table',
          { class: 'stats-table' },
          h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))),
          h(
            'tbody',
            {},
            items.map((d) =>
              h(
                'tr',
                { 'data-dossier': d.code },
                h('th', { scope: 'row', class: 'dossier-code' }, h('a', { href: `#/dossiers/${encodeURIComponent(d.id)}` }, d.code)),
                h('td', {}, names.get(d.procedureCode) ?? d.procedureCode),
                h('td', {}, h('span', { class: 'badge' }, statusText(d.status))),
                h('td', {}, d.receivedAt ? formatVnTime(d.receivedAt) : '—'),
                h('td', {}, d.appointmentAt ? formatVnTime(d.appointmentAt) : '—', d.late ? h('span', { class: 'badge due-overdue' }, ` ${t('due.overdue')}`) : null),
                h('td', {}, t(`dossier.channel.${d.channel}` as MessageKey)),
              ),
            ),
          ),
        ),
      );
    },
    (error) => !disposed && showError(list, error),
  );
  return () => {
    disposed = true;
  };
}

/** One dossier: its card, its open steps, its process. Returns its disposer. */
export function renderDossier(main: HTMLElement, id: string): () => void {
  let disposed = false;
  let freePosition: (() => void) | undefined;
  const card = h('section', { class: 'card dossier-card', 'aria-labelledby': 'dossier-heading' }, h('h1', { id: 'dossier-heading' }, t('dossier.heading')), h('p', { class: 'muted' }, '…'));
  const steps = h('section', { class: 'card', 'aria-labelledby': 'steps-heading' }, h('h2', { id: 'steps-heading' }, t('dossiers.openSteps')), h('p', { class: 'muted' }, '…'));
  const position = h('section', { class: 'card position-card', 'aria-labelledby': 'position-heading' }, h('h2', { id: 'position-heading' }, t('position.heading')));
  mount(main, h('p', {}, h('a', { href: '#/dossiers', class: 'link' }, `← ${t('dossiers.heading')}`)), h('div', { class: 'task-layout' }, card, steps, position));
  (async () => {
    try {
      const [found, names] = await Promise.all([dossierWithHistory(id), procedureNamesByCode()]);
      if (disposed) return;
      mount(card, h('h1', { id: 'dossier-heading' }, `${t('dossier.heading')} ${found.dossier.code}`), dossierView(found, names.get(found.dossier.procedureCode)));
      const instanceId = found.dossier.instanceId;
      if (!instanceId) return mount(steps, h('h2', { id: 'steps-heading' }, t('dossiers.openSteps')), h('p', { class: 'muted' }, t('dossiers.noSteps')));
      const [{ items }, instance] = await Promise.all([inboxPage('all', undefined, 50, instanceId), request<{ definitionId: string }>('GET', `/api/instances/${encodeURIComponent(instanceId)}`)]);
      if (disposed) return;
      // The steps this official may work on; where the dossier is otherwise (another group's or agency's step) is the dossier's current step.
      const current = found.dossier.currentStep?.name;
      mount(
        steps,
        h('h2', { id: 'steps-heading' }, t('dossiers.openSteps')),
        ...(current ? [h('p', { 'data-testid': 'current-step' }, t('dossiers.currentStep', { name: current }))] : []),
        items.length === 0
          ? h('p', { class: 'muted' }, t(current ? 'dossiers.noStepsOfMine' : 'dossiers.noSteps'))
          : h('ul', { class: 'open-steps', 'data-testid': 'open-steps' }, items.map((task) => h('li', {}, h('a', { href: `#/inbox/task/${encodeURIComponent(task.id)}` }, task.name ?? task.elementId), ' ', dueBadge(task)))),
      );
      const { drawProcessPosition } = await import('./process-position');
      if (disposed) return;
      const host = h('div', {});
      position.append(host);
      freePosition = await drawProcessPosition(host, { instanceId, definitionId: instance.definitionId });
      if (disposed) freePosition();
    } catch (error) {
      if (!disposed) showError(card, error);
    }
  })();
  return () => {
    disposed = true;
    freePosition?.();
  };
}
