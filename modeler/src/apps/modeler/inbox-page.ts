/**
 * The officials' inbox (`#/inbox`, `#/inbox/<view>`; one task: `#/inbox/task/<id>`): the
 * tasks this official may see, soonest due first, in four views (mine, to claim, overdue,
 * all), each with its due badge and the claim / give back / open actions. Live: the page
 * keeps a socket.io line open (inbox-live.ts) and reads its list again when a task event
 * arrives, so a new task appears and a task claimed elsewhere leaves without a reload; the
 * rows that came in live are marked "new" until the view changes.
 */
import { principal } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { t, type MessageKey } from '../../shared/i18n';
import { procedureNames } from '../../shared/procedure-names';
import { claimTask, inboxPage, unclaimTask, type InboxTask, type InboxView } from '../../shared/inbox-api';
import { dueBadge } from './due-badge';
import { openInboxLive, type LiveState } from './inbox-live';
import { formatVnTime as formatTime } from '../../shared/time';
import { FLASH_KEY, renderTaskPanel } from './task-panel';

export const INBOX_VIEWS: InboxView[] = ['all', 'mine', 'offered', 'overdue'];
const TAB_LABEL: Record<InboxView, MessageKey> = { mine: 'inbox.tab.mine', offered: 'inbox.tab.offered', overdue: 'inbox.tab.overdue', all: 'inbox.tab.all' };
const EMPTY: Record<InboxView, MessageKey> = { mine: 'inbox.empty.mine', offered: 'inbox.empty.offered', overdue: 'inbox.empty.overdue', all: 'inbox.empty.all' };
const LIVE_LABEL: Record<LiveState, MessageKey> = { connecting: 'inbox.live.connecting', on: 'inbox.live.on', off: 'inbox.live.off' };


/** The page; `route` says which view or task. Returns its disposer. */
export function renderInbox(main: HTMLElement, route: { view: InboxView } | { taskId: string }): () => void {
  const me = principal();
  const live = h('span', { class: 'live', 'data-testid': 'live', role: 'status' }, t(LIVE_LABEL.connecting));
  let onChange: (taskId?: string) => void = () => undefined;
  const closeLive = openInboxLive({
    changed: (taskId) => onChange(taskId),
    state: (state) => {
      live.dataset.state = state;
      live.textContent = t(LIVE_LABEL[state]);
    },
  });

  if ('taskId' in route) {
    const panel = renderTaskPanel(main, route.taskId, () => (location.hash = '#/inbox'));
    main.querySelector('.task-layout')?.before(h('div', { class: 'inbox-bar' }, live));
    onChange = (taskId) => (taskId === undefined || taskId === route.taskId) && panel.refresh();
    return () => (panel.dispose(), closeLive());
  }

  const view = route.view;
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const list = h('div', { class: 'table-wrap', 'data-testid': 'inbox-list' }, h('p', { class: 'muted' }, t('inbox.loading')));
  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': t('inbox.tabs') },
    INBOX_VIEWS.map((v) => h('a', { href: `#/inbox/${v}`, class: v === view ? 'tab active' : 'tab', 'aria-current': v === view ? 'page' : undefined, 'data-view': v }, t(TAB_LABEL[v]))),
  );
  mount(main, h('section', { class: 'card inbox', 'aria-labelledby': 'inbox-heading' }, h('div', { class: 'section-head' }, h('h1', { id: 'inbox-heading' }, t('inbox.heading')), live), tabs, status, list));

  let disposed = false;
  /** Ids shown so far in this view: rows that arrive later are marked new. */
  let seen: Set<string> | undefined;
  let shownPages = 1;
  let reading: Promise<void> | undefined;
  let again = false;

  const row = (task: InboxTask, names: Map<string, string>, fresh: boolean) => {
    const mine = task.assignee === me?.id;
    const name = task.name ?? task.elementId;
    const actions = [
      h('a', { class: 'button', href: `#/inbox/task/${encodeURIComponent(task.id)}`, 'data-testid': 'open' }, t('inbox.open')),
      task.assignee === undefined ? h('button', { type: 'button', class: 'primary', 'data-testid': 'claim', onclick: () => act(task, () => claimTask(task.id), 'inbox.claimed') }, t('inbox.claim')) : null,
      mine ? h('button', { type: 'button', 'data-testid': 'unclaim', onclick: () => act(task, () => unclaimTask(task.id), 'inbox.unclaimed') }, t('inbox.unclaim')) : null,
    ];
    return h(
      'tr',
      { 'data-task': task.id, class: fresh ? 'fresh' : undefined },
      h('th', { scope: 'row' }, h('a', { href: `#/inbox/task/${encodeURIComponent(task.id)}` }, name), fresh ? h('span', { class: 'badge new' }, t('inbox.new')) : null),
      h('td', { class: 'dossier-code' }, task.dossier ? task.dossier.code : h('span', { class: 'muted' }, '—')),
      h('td', {}, names.get(task.processId) ?? task.processId),
      h('td', {}, h('time', { datetime: task.createdAt }, formatTime(task.createdAt))),
      h('td', {}, dueBadge(task)),
      h('td', { 'data-testid': 'holder' }, mine ? h('strong', {}, t('inbox.me')) : task.assignee ? h('span', { title: task.assignee }, t('inbox.someoneElse')) : h('span', { class: 'muted' }, t('inbox.unassigned'))),
      h('td', { class: 'row-actions' }, actions),
    );
  };

  /** Reads the view again (as many pages as are shown); one read at a time, the last change read after it. */
  const read = (): Promise<void> => {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      try {
        const items: InboxTask[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < shownPages; page++) {
          const got = await inboxPage(view, cursor);
          items.push(...got.items);
          cursor = got.nextCursor;
          if (!cursor) break;
        }
        const names = await procedureNames();
        if (disposed) return;
        const before = seen;
        seen = new Set([...(before ?? []), ...items.map((task) => task.id)]);
        if (items.length === 0) {
          mount(list, h('p', { class: 'muted', 'data-testid': 'inbox-empty' }, t(EMPTY[view])));
          return;
        }
        const head = (['inbox.col.task', 'inbox.col.dossier', 'inbox.col.process', 'inbox.col.created', 'inbox.col.due', 'inbox.col.holder', 'inbox.col.actions'] as const).map((k) => h('th', { scope: 'col' }, t(k)));
        const more = cursor
          ? h('button', { type: 'button', class: 'link', 'data-testid': 'more', onclick: () => ((shownPages += 1), void read()) }, t('inbox.more'))
          : null;
        mount(list, h('table', { class: 'inbox-table' }, h('thead', {}, h('tr', {}, head)), h('tbody', {}, items.map((task) => row(task, names, before !== undefined && !before.has(task.id))))), ...(more ? [more] : []));
      } catch (error) {
        if (disposed) return;
        const message = h('p', { role: 'alert' });
        showError(message, error);
        if (error && (error as { problem?: { status?: number } }).problem?.status === 403) message.textContent = t('inbox.noInbox');
        mount(list, message);
      } finally {
        reading = undefined;
        if (again && !disposed) {
          again = false;
          void read();
        }
      }
    })();
    return reading;
  };

  const act = async (task: InboxTask, work: () => Promise<InboxTask>, done: MessageKey) => {
    try {
      await work();
      status.dataset.kind = 'ok';
      status.textContent = t(done, { name: task.name ?? task.elementId });
    } catch (error) {
      status.dataset.kind = 'error';
      showError(status, error);
    }
    await read();
  };

  const flash = sessionStorage.getItem(FLASH_KEY);
  if (flash) {
    sessionStorage.removeItem(FLASH_KEY);
    status.dataset.kind = 'ok';
    status.textContent = flash;
  }
  onChange = () => void read();
  void read();
  return () => {
    disposed = true;
    closeLive();
  };
}
