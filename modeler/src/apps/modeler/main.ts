/**
 * The staff app: sign in; for analysts the procedures list, the editor and the compare
 * page; for officials the inbox. Pages are chosen by the URL's hash (`#/procedures`,
 * `#/edit/<definition id>`, `#/draft/<id>`, `#/new`, `#/file`,
 * `#/compare/<process id>?before=…&after=…`, `#/inbox`, `#/inbox/<view>`,
 * `#/inbox/task/<task id>`, `#/receive`, `#/receive/<procedure code>`, `#/dossiers?code=…&status=…`,
 * `#/dossiers/<id>`,
 * `#/statistics?from=…&to=…&groupBy=…`, `#/portal`, `#/public?agency=…` (no sign-in),
 * `#/portal/submit/<procedure code>`), so the server serves one static page and a reload keeps the
 * page. Without a hash, an official (or agency admin) lands on the inbox, a citizen on the
 * portal, anyone else on the procedures.
 *
 * The editor and the compare page are chunks of their own (bpmn-js, the properties panel,
 * lint), loaded by dynamic import() when first shown: signing in and the procedures list
 * load only this module and what it imports. The procedures list fetches the editor's chunk
 * when the browser is idle, so opening a procedure does not wait for it.
 */
import { principal, signOut, token, whenUnauthorized } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { currentLocale, setLocale, t } from '../../shared/i18n';
import { renderLogin } from './login-page';
import { renderProcedures } from './procedures-page';

const root = document.getElementById('app')!;
let disposePage: (() => void) | undefined;
/** Counts the routes taken, so a page whose chunk arrives after the user moved on is not shown. */
let routes = 0;

const editorPage = () => import('./editor-page');
const comparePage = () => import('./compare-page');
const inboxPage = () => import('./inbox-page');
const statisticsPage = () => import('./statistics-page');
const portalPage = () => import('./portal-page');
const deskReceiptPage = () => import('./desk-receipt-page');
const publicPage = () => import('./public-page');
const dossiersPage = () => import('./dossiers-page');

/** Who works an inbox (the API's policy decides what it holds). */
const hasInbox = (roles: readonly string[] = []) => roles.includes('official') || roles.includes('agency-admin');
/** Who reads the agency's statistics. */
const readsStatistics = (roles: readonly string[] = []) => hasInbox(roles) || roles.includes('analyst');
/** Who draws procedures. */
const models = (roles: readonly string[] = []) => roles.includes('analyst') || roles.includes('agency-admin');
/** Who uses the citizens' portal. */
const citizen = (roles: readonly string[] = []) => roles.includes('citizen');
/** Where a signed-in user starts. */
const home = () => {
  const roles = principal()?.roles ?? [];
  if (citizen(roles) && !hasInbox(roles) && !models(roles)) return '#/portal';
  return hasInbox(roles) && !roles.includes('analyst') ? '#/inbox' : '#/procedures';
};

/**
 * Fetches a page's chunks all at once: modeler/build.mjs lists them in index.html
 * (`<meta name="motcua:chunks:<page>">`), else the browser finds each import only after the last.
 */
function preloadChunks(page: string): void {
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="motcua:chunks:${page}"]`);
  if (!meta || meta.dataset.preloaded) return;
  meta.dataset.preloaded = 'true';
  for (const href of meta.content.split(' ').filter(Boolean)) document.head.append(h('link', { rel: 'modulepreload', href }));
}

/** Shows a page from a lazily loaded chunk, unless another route was taken meanwhile. */
function lazyPage<M>(page: string, load: () => Promise<M>, show: (module: M) => () => void): void {
  const mine = routes;
  preloadChunks(page);
  load().then(
    (module) => {
      if (mine === routes) disposePage = show(module);
    },
    (error: Error) => {
      if (mine === routes) mount(document.getElementById('main')!, h('p', { class: 'status', role: 'alert', 'data-kind': 'error' }, t('app.loadFailed', { detail: error.message })));
    },
  );
}

type Section = 'inbox' | 'receive' | 'dossiers' | 'statistics' | 'procedures' | 'portal' | 'public';
/** Who receives dossiers at the desk (an official of the competent agency: the API checks which procedures). */
const receives = (roles: readonly string[] = []) => roles.includes('official');

function header(section: Section): HTMLElement {
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
    h('a', { class: 'app-title', href: user ? home() : '#/login' }, t(!user ? 'app.staffTitle' : section === 'procedures' ? 'app.title' : section === 'portal' ? 'portal.title' : 'app.staffTitle')),
    user &&
      h(
        'nav',
        { class: 'app-nav', 'aria-label': t('app.title') },
        citizen(user.roles) && h('a', { href: '#/portal', 'aria-current': section === 'portal' ? 'page' : undefined }, t('portal.nav')),
        hasInbox(user.roles) && h('a', { href: '#/inbox', 'aria-current': section === 'inbox' ? 'page' : undefined }, t('inbox.nav')),
        receives(user.roles) && h('a', { href: '#/receive', 'aria-current': section === 'receive' ? 'page' : undefined }, t('desk.nav')),
        hasInbox(user.roles) && h('a', { href: '#/dossiers', 'aria-current': section === 'dossiers' ? 'page' : undefined }, t('dossiers.nav')),
        readsStatistics(user.roles) && h('a', { href: '#/statistics', 'aria-current': section === 'statistics' ? 'page' : undefined }, t('nav.statistics')),
        models(user.roles) && h('a', { href: '#/procedures', 'aria-current': section === 'procedures' ? 'page' : undefined }, t('nav.procedures')),
      ),
    h('div', { class: 'app-header-tools' }, language, !user && section === 'public' && h('a', { href: '#/login', class: 'link' }, t('public.signIn')), user && h('span', { class: 'app-user' }, user.name ?? user.username ?? user.id), user && h('button', { type: 'button', class: 'link', onclick: () => (signOut(), go('#/login')) }, t('app.signOut'))),
  );
}

/** Navigates to a page of the app. */
export function go(hash: string): void {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function route(): void {
  routes += 1;
  // The editor's "open → ready to edit" timing starts here, before its chunk is fetched.
  const startedAt = performance.now();
  disposePage?.();
  disposePage = undefined;
  document.documentElement.lang = currentLocale();
  const hash = location.hash || (token() ? home() : '#/login');
  const inbox = /^#\/inbox(\/|$)/.test(hash) && !!token();
  const statistics = /^#\/statistics(\?|$)/.test(hash) && !!token();
  const portal = /^#\/portal(\/|$)/.test(hash) && !!token();
  const receive = /^#\/receive(\/|$)/.test(hash) && !!token();
  const dossiers = /^#\/dossiers(\/|\?|$)/.test(hash) && !!token();
  document.title = t(inbox ? 'inbox.title' : receive ? 'desk.heading' : statistics ? 'stats.title' : portal ? 'portal.title' : token() ? 'app.title' : 'app.staffTitle');
  const main = h('main', { id: 'main', class: 'app-main' });
  const publicResults = /^#\/public(\?|$)/.test(hash);
  mount(root, header(publicResults ? 'public' : inbox ? 'inbox' : receive ? 'receive' : dossiers ? 'dossiers' : statistics ? 'statistics' : portal ? 'portal' : 'procedures'), main);
  // The public results need no sign-in.
  if (publicResults) {
    document.title = t('public.title');
    lazyPage('public-page', publicPage, (m) => m.renderPublic(main, new URLSearchParams(hash.split('?')[1] ?? '')));
    return;
  }
  if (!token() || hash === '#/login') {
    renderLogin(main, () => go(home()));
    return;
  }
  if (dossiers) {
    const one = /^#\/dossiers\/([^?]+)$/.exec(hash);
    lazyPage('dossiers-page', dossiersPage, (m) => (one ? m.renderDossier(main, decodeURIComponent(one[1])) : m.renderDossiers(main, new URLSearchParams(hash.split('?')[1] ?? ''))));
    return;
  }
  if (receive) {
    const one = /^#\/receive\/(.+)$/.exec(hash);
    lazyPage('desk-receipt-page', deskReceiptPage, (m) => (one ? m.renderDeskReceipt(main, decodeURIComponent(one[1])) : m.renderDeskProcedures(main)));
    return;
  }
  if (portal) {
    const submit = /^#\/portal\/submit\/(.+)$/.exec(hash);
    lazyPage('portal-page', portalPage, (m) => (submit ? m.renderSubmission(main, decodeURIComponent(submit[1])) : m.renderPortal(main)));
    return;
  }
  if (statistics) {
    lazyPage('statistics-page', statisticsPage, (m) => m.renderStatistics(main, new URLSearchParams(hash.split('?')[1] ?? '')));
    return;
  }
  if (inbox) {
    const task = /^#\/inbox\/task\/(.+)$/.exec(hash);
    const view = /^#\/inbox\/(mine|offered|overdue|all)$/.exec(hash)?.[1] as 'mine' | 'offered' | 'overdue' | 'all' | undefined;
    lazyPage('inbox-page', inboxPage, (m) => m.renderInbox(main, task ? { taskId: decodeURIComponent(task[1]) } : { view: view ?? 'all' }));
    return;
  }
  const edit = /^#\/edit\/(.+)$/.exec(hash);
  const draft = /^#\/draft\/(.+)$/.exec(hash);
  const compared = /^#\/compare\/([^?]+)(?:\?(.*))?$/.exec(hash);
  const editor = (source: import('./editor-page').EditorSource) => lazyPage('editor-page', editorPage, (m) => m.renderEditor(main, source, startedAt));
  if (edit) editor({ definitionId: decodeURIComponent(edit[1]) });
  else if (draft) editor({ draftId: decodeURIComponent(draft[1]) });
  else if (compared) {
    const query = new URLSearchParams(compared[2] ?? '');
    lazyPage('compare-page', comparePage, (m) => m.renderCompare(main, { processId: decodeURIComponent(compared[1]), before: query.get('before') ?? undefined, after: query.get('after') ?? undefined }));
  } else if (hash === '#/new') editor({ template: true });
  else if (hash === '#/file') editor({ fromFile: true });
  else {
    renderProcedures(main);
    // The editor is what an analyst opens next: fetch its chunk while the browser is idle.
    const prefetch = () => (preloadChunks('editor-page'), void editorPage().catch(() => undefined));
    if ('requestIdleCallback' in window) requestIdleCallback(prefetch, { timeout: 2000 });
    else setTimeout(prefetch, 500);
  }
}

whenUnauthorized(() => go('#/login'));
window.addEventListener('hashchange', route);
route();
