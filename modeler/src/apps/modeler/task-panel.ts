/**
 * One task of the inbox (`#/inbox/task/<task id>`): what it is and when it is due, who holds it,
 * claim / give back, its form and "complete" (task-form-fill.ts); beside it the dossier's card
 * (dossier-card.ts) and the task's notes (task-comments.ts), below the process with where the
 * dossier stands (process-position.ts). An online dossier not yet received is decided first
 * (online-reception.ts). Every refusal is shown in our words, with the server's text as a detail.
 */
import { ApiError, principal } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { t, type MessageKey } from '../../shared/i18n';
import { claimTask, completeTask, dossierWithHistory, inboxTask, unclaimTask, type InboxTask, type TaskForm } from '../../shared/inbox-api';
import { procedureNames } from '../../shared/procedure-names';
import { formatVnTime as formatTime } from '../../shared/time';
import { apologyFor, definition, dossierView } from './dossier-card';
import { dueBadge } from './due-badge';
import { onlineReception } from './online-reception';
import { taskCommentsBox } from './task-comments';
import { fillableForm, type FilledForm } from './task-form-fill';

/** A message for the next page (the inbox after a completion), read once. */
export const FLASH_KEY = 'motcua.flash';



/** Renders the task `id` into `main`; `back` returns to the list. Returns the page's disposer. */
export function renderTaskPanel(main: HTMLElement, id: string, back: () => void): { dispose: () => void; refresh: () => void } {
  const me = principal();
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'task-body' }, h('p', { class: 'muted' }, t('task.loading')));
  const dossierBox = h('section', { class: 'card dossier-card', 'aria-labelledby': 'dossier-heading' }, h('h2', { id: 'dossier-heading' }, t('dossier.heading')), h('p', { class: 'muted' }, '…'));
  let form: FilledForm | undefined;
  let disposed = false;
  let sending = false;
  /** What the page shows of the task: a live event re-draws it only when one of these moved (never under the official's typing otherwise). */
  let shown: string | undefined;
  let dossierAsked = false;
  /** The task as last read. */
  let current: InboxTask | undefined;

  const comments = taskCommentsBox(id, { status, isDisposed: () => disposed });
  const loadComments = comments.load;
  const positionHost = h('div', {}, h('p', { class: 'muted' }, '…'));
  const positionBox = h('section', { class: 'card position-card', 'aria-labelledby': 'position-heading' }, h('h2', { id: 'position-heading' }, t('position.heading')), positionHost);
  let freePosition: (() => void) | undefined;
  mount(
    main,
    h('p', {}, h('a', { href: '#/inbox', class: 'link', 'data-testid': 'back' }, t('task.back'))),
    h('div', { class: 'task-layout' }, h('section', { class: 'card task-card', 'aria-labelledby': 'task-heading' }, body, status), h('div', { class: 'task-side' }, dossierBox, comments.element), positionBox),
  );
  /** (Re)draws the process with where the dossier stands (a chunk loaded on first use). */
  const drawPosition = (task: InboxTask) =>
    import('./process-position')
      .then(async (m) => {
        if (disposed) return;
        freePosition?.();
        freePosition = await m.drawProcessPosition(positionHost, task);
        if (disposed) freePosition();
      })
      .catch((error: Error) => !disposed && mount(positionHost, h('p', { role: 'alert', class: 'form-error' }, t('position.failed', { detail: error.message }))));

  const load = async (keepStatus = false, onlyIfMoved = false) => {
    let task: InboxTask & { form?: TaskForm };
    try {
      task = await inboxTask(id);
    } catch (error) {
      if (disposed) return;
      form?.dispose();
      form = undefined;
      shown = undefined;
      if (error instanceof ApiError && error.problem.status === 404) mount(body, h('h1', { id: 'task-heading' }, t('task.heading')), h('p', { role: 'alert', 'data-testid': 'task-gone' }, t('task.gone')));
      else showError(body, error);
      return;
    }
    if (disposed) return;
    current = task;
    if (!dossierAsked) {
      dossierAsked = true;
      loadDossier(task);
      void drawPosition(task);
      void loadComments();
    }
    const state = JSON.stringify([task.state, task.assignee ?? null, task.dueAt ?? null, task.overdue]);
    if (onlyIfMoved && state === shown) return;
    // The task moved (claimed, given, completed elsewhere): the dossier's history moved with it.
    if (shown !== undefined && state !== shown) {
      loadDossier(task);
      void drawPosition(task);
    }
    shown = state;
    form?.dispose();
    form = undefined;
    if (!keepStatus) status.textContent = '';
    const mine = task.assignee === me?.id;
    const free = task.assignee === undefined;
    const open = task.state === 'open';
    const actions: HTMLElement[] = [];
    if (open && free) actions.push(h('button', { type: 'button', class: 'primary', 'data-testid': 'claim', onclick: () => act(() => claimTask(id), 'inbox.claimed') }, t('inbox.claim')));
    if (open && mine) actions.push(h('button', { type: 'button', 'data-testid': 'unclaim', onclick: () => act(() => unclaimTask(id), 'inbox.unclaimed') }, t('inbox.unclaim')));
    const name = task.name ?? task.elementId;
    const facts = h(
      'dl',
      { class: 'facts' },
      definition('task.process', (await procedureNames()).get(task.processId) ?? task.processId),
      definition('task.created', formatTime(task.createdAt)),
      definition('task.due', dueBadge(task)),
      task.candidateGroups.length ? definition('task.groups', task.candidateGroups.join(', ')) : [],
      definition('task.holder', mine ? t('inbox.me') : task.assignee ? h('span', { title: task.assignee }, t('inbox.someoneElse')) : t('inbox.unassigned')),
    );
    const formBox = h('div', { class: 'task-form' });
    mount(
      body,
      h('div', { class: 'section-head' }, h('h1', { id: 'task-heading' }, name), h('span', { class: `badge state-${task.state}` }, t(`task.state.${task.state}` as MessageKey))),
      facts,
      ...(actions.length ? [h('div', { class: 'actions' }, actions)] : []),
      formBox,
    );
    if (!open) return mount(formBox, h('p', { class: 'muted' }, t('task.closed', { state: t(`task.state.${task.state}` as MessageKey) })));
    if (!mine) return mount(formBox, h('p', { class: 'muted', 'data-testid': 'claim-first' }, t(free ? 'task.claimFirst' : 'task.notYours')));
    // An online dossier is accepted (or asked for a supplement, or sent back) first: completing the step before would move the
    // process past a dossier not received; while its applicant supplements it, the step waits.
    if (task.dossier && !task.dossier.received) {
      if (task.dossier.status === 'submitted' || task.dossier.status === 'supplemented') {
        return mount(formBox, onlineReception(task.dossier, { status, done: async () => (await load(true), current && loadDossier(current)) }));
      }
      if (task.dossier.status === 'supplement-requested') return mount(formBox, h('p', { class: 'online-acceptance', 'data-testid': 'awaiting-supplement' }, t('online.awaitingSupplement')));
    }
    try {
      form = task.form ? await fillableForm(task.form) : undefined;
    } catch (error) {
      showError(formBox, error);
      return;
    }
    if (disposed) return form?.dispose();
    const complete = h('button', { type: 'submit', class: 'primary', 'data-testid': 'complete' }, t('task.complete'));
    const element = h('form', { novalidate: true, 'aria-labelledby': 'form-heading' }, h('h2', { id: 'form-heading' }, t('task.form')), form ? form.element : h('p', { class: 'muted' }, t('task.noForm')), h('div', { class: 'actions' }, complete));
    element.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (sending) return;
      const variables = form ? await form.values() : {};
      if (!variables) {
        status.dataset.kind = 'error';
        status.textContent = t('task.formInvalid');
        return;
      }
      sending = true;
      complete.disabled = true;
      complete.textContent = t('task.completing');
      try {
        await completeTask(id, variables);
        status.dataset.kind = 'ok';
        status.textContent = t('task.completed', { name });
        mount(formBox, h('p', { 'data-testid': 'completed' }, t('task.completed', { name })));
        // The inbox says it again (the page the official is taken back to).
        sessionStorage.setItem(FLASH_KEY, t('task.completed', { name }));
        setTimeout(() => !disposed && back(), 1200);
      } catch (error) {
        const unplaced = error instanceof ApiError && error.problem.errors && form ? form.showServerErrors(error.problem.errors) : undefined;
        status.dataset.kind = 'error';
        if (unplaced && unplaced.length === 0) status.textContent = t('task.formInvalid');
        else showError(status, error);
        complete.disabled = false;
        complete.textContent = t('task.complete');
      } finally {
        sending = false;
      }
    });
    mount(formBox, element);
  };


  const act = async (work: () => Promise<InboxTask>, done: MessageKey) => {
    try {
      const task = await work();
      status.dataset.kind = 'ok';
      status.textContent = t(done, { name: task.name ?? task.elementId });
      await load(true);
    } catch (error) {
      status.dataset.kind = 'error';
      showError(status, error);
    }
  };


  const loadDossier = (task: InboxTask) =>
    Promise.all([task.dossier ? dossierWithHistory(task.dossier.id) : undefined, procedureNames()]).then(
      ([found, names]) => {
        if (disposed) return;
        const apology = found ? apologyFor(found.dossier, { status, done: () => loadDossier(task) }) : null;
        mount(dossierBox, h('h2', { id: 'dossier-heading' }, t('dossier.heading')), dossierView(found, found && names.get(task.processId)), ...(apology ? [apology] : []));
      },
      (error) => {
        if (disposed) return;
        const message = h('p', { role: 'alert' });
        showError(message, error);
        mount(dossierBox, h('h2', { id: 'dossier-heading' }, t('dossier.heading')), message);
      },
    );
  void load();

  return {
    dispose: () => {
      disposed = true;
      form?.dispose();
      freePosition?.();
    },
    // Something changed on the server (a live event about this task): read it again, unless the official is sending it.
    refresh: () => {
      if (!sending && !disposed && !main.querySelector('[data-testid="completed"]')) void load(true, true);
      if (!disposed) void loadComments();
    },
  };
}
