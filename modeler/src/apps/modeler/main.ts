/**
 * The analysts' app: sign in, the procedures list, the editor. Pages are chosen by
 * the URL's hash (`#/procedures`, `#/edit/<definition id>`, `#/draft/<id>`, `#/new`, `#/file`,
 * `#/compare/<process id>?before=…&after=…`), so the server
 * serves one static page and a reload keeps the page.
 */
import { principal, signOut, token, whenUnauthorized } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { currentLocale, setLocale, t } from '../../shared/i18n';
import { renderCompare } from './compare-page';
import { renderEditor } from './editor-page';
import { renderLogin } from './login-page';
import { renderProcedures } from './procedures-page';

const root = document.getElementById('app')!;
let disposePage: (() => void) | undefined;

function header(): HTMLElement {
  const user = principal();
  const language = h(
    'select',
    { 'aria-label': t('app.language'), onchange: (e: Event) => (setLocale((e.target as HTMLSelectElement).value as 'vi' | 'en'), route()) },
    h('option', { value: 'vi', selected: currentLocale() === 'vi' }, 'Tiếng Việt'),
    h('option', { value: 'en', selected: currentLocale() === 'en' }, 'English'),
  );
  return h(
    'header',
    { class: 'app-header' },
    h('a', { class: 'app-title', href: '#/procedures' }, t('app.title')),
    h('div', { class: 'app-header-tools' }, language, user && h('span', { class: 'app-user' }, user.name ?? user.username ?? user.id), user && h('button', { type: 'button', class: 'link', onclick: () => (signOut(), go('#/login')) }, t('app.signOut'))),
  );
}

/** Navigates to a page of the app. */
export function go(hash: string): void {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function route(): void {
  disposePage?.();
  disposePage = undefined;
  document.documentElement.lang = currentLocale();
  document.title = t('app.title');
  const hash = location.hash || '#/procedures';
  const main = h('main', { id: 'main', class: 'app-main' });
  mount(root, header(), main);
  if (!token() || hash === '#/login') {
    renderLogin(main, () => go('#/procedures'));
    return;
  }
  const edit = /^#\/edit\/(.+)$/.exec(hash);
  const draft = /^#\/draft\/(.+)$/.exec(hash);
  const compared = /^#\/compare\/([^?]+)(?:\?(.*))?$/.exec(hash);
  if (edit) disposePage = renderEditor(main, { definitionId: decodeURIComponent(edit[1]) });
  else if (draft) disposePage = renderEditor(main, { draftId: decodeURIComponent(draft[1]) });
  else if (compared) {
    const query = new URLSearchParams(compared[2] ?? '');
    disposePage = renderCompare(main, { processId: decodeURIComponent(compared[1]), before: query.get('before') ?? undefined, after: query.get('after') ?? undefined });
  } else if (hash === '#/new') disposePage = renderEditor(main, { template: true });
  else if (hash === '#/file') disposePage = renderEditor(main, { fromFile: true });
  else renderProcedures(main);
}

whenUnauthorized(() => go('#/login'));
window.addEventListener('hashchange', route);
route();
