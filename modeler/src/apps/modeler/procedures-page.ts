/**
 * The procedures page: the latest deployed version of every process, each with its
 * versions on demand, and the ways to start editing (open one, a new procedure from
 * the one-stop-shop template, a .bpmn file from disk).
 */
import { catalogue, definitions, drafts, type CatalogueProcedure, type DefinitionSummary } from '../../shared/api';
import { showError } from '../../shared/errors';
import { h, mount } from '../../shared/dom';
import { currentLocale, t, type MessageKey } from '../../shared/i18n';

/** A date and time as people here read it. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
  return `${date} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function versionsRow(latest: DefinitionSummary): HTMLElement {
  const list = h('ul', { class: 'versions' });
  const details = h('details', {}, h('summary', {}, t('procedures.versions')), list);
  details.addEventListener('toggle', async () => {
    if (!details.open || list.childElementCount > 0) return;
    const all = await definitions({ processId: latest.processId, latest: false });
    mount(list, ...all.map((d) => h('li', {}, h('a', { href: `#/edit/${encodeURIComponent(d.id)}` }, `v${d.version}`), ' · ', formatTime(d.createdAt))));
  });
  return details;
}

/** Library processes that are not in the catalogue, named in our words (their BPMN names are English). */
const LIBRARY_NAMES: Record<string, MessageKey> = { reference: 'procedures.referenceName' };

/** The name to show: the catalogue's in the current language, ours for a known library process, else the model's. */
export function procedureName(d: DefinitionSummary, entry?: CatalogueProcedure): string {
  const names = entry?.document.name;
  const fromCatalogue = names && (currentLocale() === 'en' ? names.en ?? names.vi : names.vi ?? names.en);
  if (fromCatalogue) return fromCatalogue;
  if (LIBRARY_NAMES[d.processId]) return t(LIBRARY_NAMES[d.processId]);
  return d.name || d.processId;
}

/** Renders the list (loading it from `GET /api/definitions`). */
export function renderProcedures(main: HTMLElement): void {
  const status = h('p', { role: 'status' });
  const table = h('div', { class: 'table-wrap' });
  const draftList = h('div', {});
  mount(
    main,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'procedures-heading' },
      h(
        'div',
        { class: 'section-head' },
        h('h1', { id: 'procedures-heading' }, t('procedures.heading')),
        h('div', { class: 'actions' }, h('a', { class: 'button primary', href: '#/new' }, t('procedures.new')), h('a', { class: 'button', href: '#/file' }, t('procedures.openFile'))),
      ),
      status,
      table,
    ),
    h('section', { class: 'card', 'aria-labelledby': 'drafts-heading' }, h('h2', { id: 'drafts-heading' }, t('procedures.drafts')), draftList),
  );
  drafts().then(
    (items) => {
      if (items.length === 0) return mount(draftList, h('p', { class: 'hint' }, t('procedures.noDrafts')));
      mount(
        draftList,
        h(
          'ul',
          { class: 'drafts', 'data-testid': 'drafts' },
          items.map((d) => h('li', { 'data-draft-id': d.id }, h('a', { href: `#/draft/${encodeURIComponent(d.id)}` }, d.name || d.id), ' · ', h('code', {}, d.id), ` · ${t('procedures.savedAt')} ${formatTime(d.updatedAt)}`)),
        ),
      );
    },
    (error: unknown) => {
      const message = h('p', { role: 'alert' });
      showError(message, error);
      mount(draftList, message);
    },
  );
  Promise.all([definitions(), catalogue().catch(() => [] as CatalogueProcedure[])]).then(
    ([items, procedures]) => {
      const byProcess = new Map(procedures.filter((p) => p.document.processId).map((p) => [p.document.processId!, p]));
      if (items.length === 0) {
        status.textContent = t('procedures.empty');
        return;
      }
      mount(
        table,
        h(
          'table',
          { class: 'procedures' },
          h('thead', {}, h('tr', {}, ...['procedures.name', 'procedures.processId', 'procedures.version', 'procedures.deployedAt', 'procedures.versions', 'procedures.compare'].map((k) => h('th', { scope: 'col' }, t(k as any))))),
          h(
            'tbody',
            {},
            items.map((d) =>
              h(
                'tr',
                { 'data-process-id': d.processId },
                h('td', {}, h('a', { href: `#/edit/${encodeURIComponent(d.id)}` }, procedureName(d, byProcess.get(d.processId)))),
                h('td', {}, h('code', {}, d.processId)),
                h('td', {}, `v${d.version}`),
                h('td', {}, formatTime(d.createdAt)),
                h('td', {}, versionsRow(d)),
                // Something to compare: the library's as-is (a catalogue procedure) or an earlier version.
                h('td', {}, byProcess.has(d.processId) || d.version >= 2 ? h('a', { href: `#/compare/${encodeURIComponent(d.processId)}`, title: t('procedures.compareWith', { name: procedureName(d, byProcess.get(d.processId)) }) }, t('procedures.compare')) : h('span', { class: 'muted', title: t('procedures.nothingToCompare') }, '—')),
              ),
            ),
          ),
        ),
      );
    },
    (error: unknown) => showError(status, error),
  );
}
