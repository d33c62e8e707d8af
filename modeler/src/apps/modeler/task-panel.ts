/**
 * One task of the inbox (`#/inbox/<task id>`): what it is and when it is due, who holds it,
 * claim / give back, its form and "complete"; beside it the dossier it belongs to (code,
 * procedure, status, appointment, applicant, documents, history). A JSON Schema form is drawn
 * by shared/schema-form.ts; a Camunda form by form-js's viewer (a chunk loaded when needed).
 * Every refusal is shown in our words, with the server's text as a detail.
 */
import { ApiError, principal, requestBlob } from '../../shared/api';
import { download, h, mount } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { isMessageKey, t, type MessageKey } from '../../shared/i18n';
import { addTaskComment, claimTask, completeTask, dossierWithHistory, inboxTask, operateDossier, taskComments, type DossierOperation, unclaimTask, type InboxDossier, type InboxTask, type DossierHistoryItem, type TaskForm } from '../../shared/inbox-api';
import { procedureNames } from '../../shared/procedure-names';
import { renderSchemaForm } from '../../shared/schema-form';
import { loadStyle } from '../../shared/styles';
import { dueBadge } from './due-badge';
import { formatVnTime as formatTime } from '../../shared/time';

/** A message for the next page (the inbox after a completion), read once. */
export const FLASH_KEY = 'motcua.flash';

/** A form the official fills in: its values, and whether it is fit to send (marking what is not). */
interface FilledForm {
  element: HTMLElement;
  values(): Promise<Record<string, unknown> | undefined>;
  showServerErrors(errors: Array<{ field: string; message: string }>): Array<{ field: string; message: string }>;
  dispose(): void;
}

function jsonSchemaForm(form: TaskForm): FilledForm {
  const rendered = renderSchemaForm(form.schema, 'task-field');
  return {
    element: rendered.element,
    values: async () => (rendered.check() ? rendered.values() : undefined),
    showServerErrors: rendered.showServerErrors,
    dispose: () => undefined,
  };
}

async function camundaForm(form: TaskForm): Promise<FilledForm> {
  const [{ Form }] = await Promise.all([import('@bpmn-io/form-js-viewer'), loadStyle('forms')]);
  const host = h('div', { class: 'camunda-form' });
  const viewer = new Form({ container: host } as any);
  await viewer.importSchema(form.schema as any, {});
  return {
    element: host,
    values: async () => {
      const { data, errors } = viewer.submit() as { data: Record<string, unknown>; errors: Record<string, unknown> };
      return Object.keys(errors).length > 0 ? undefined : data;
    },
    showServerErrors: (errors) => errors,
    dispose: () => viewer.destroy(),
  };
}

const definition = (term: MessageKey, ...value: Array<Node | string | null>) => [h('dt', {}, t(term)), h('dd', {}, ...value.filter((v): v is Node | string => v !== null))];

export function statusText(status: string): string {
  const key = `dossier.status.${status}`;
  return isMessageKey(key) ? t(key) : status;
}

function eventText(type: string): string {
  const key = `dossier.event.${type}`;
  return isMessageKey(key) ? t(key) : type;
}

/** A moment as a datetime-local field's value in Vietnam's time ("2026-12-16T17:00"). */
function vnLocalInput(iso: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** Downloads the receipt and appointment (mẫu 01) as the server prints it. */
async function printReceipt(dossier: InboxDossier, button: HTMLElement): Promise<void> {
  try {
    download(`phieu-tiep-nhan-${dossier.code}.pdf`, await requestBlob(`/api/dossiers/${encodeURIComponent(dossier.id)}/receipt.pdf`), 'application/pdf');
  } catch (error) {
    const message = h('span', { role: 'alert' });
    showError(message, error);
    button.after(' ', message);
  }
}

export function dossierView(found: { dossier: InboxDossier; history: DossierHistoryItem[] } | undefined, procedureName: string | undefined): HTMLElement {
  if (!found) return h('p', { class: 'muted', 'data-testid': 'no-dossier' }, t('dossier.none'));
  const { dossier, history } = found;
  return h(
    'div',
    { 'data-testid': 'dossier' },
    h(
      'dl',
      { class: 'facts' },
      definition('dossier.code', h('strong', { class: 'dossier-code', 'data-testid': 'dossier-code' }, dossier.code)),
      definition('dossier.procedure', procedureName ?? dossier.procedureCode),
      definition('dossier.status', h('span', { class: `badge status-${dossier.status}`, 'data-testid': 'dossier-status' }, statusText(dossier.status))),
      dossier.receivedAt ? definition('dossier.received', formatTime(dossier.receivedAt)) : [],
      dossier.appointmentAt ? definition('dossier.appointment', formatTime(dossier.appointmentAt), dossier.late ? h('span', { class: 'badge due-overdue' }, t('due.overdue')) : null) : [],
      definition('dossier.channel', t(`dossier.channel.${dossier.channel}` as MessageKey)),
      dossier.applicant ? definition('dossier.applicant', dossier.applicant.name) : [],
    ),
    dossier.status !== 'submitted' && dossier.status !== 'refused'
      ? h('p', {}, h('button', { type: 'button', class: 'link', 'data-testid': 'receipt-pdf', onclick: (e: Event) => void printReceipt(dossier, e.currentTarget as HTMLElement) }, t('dossier.receiptPdf')))
      : null,
    dossier.documents.length > 0
      ? h('section', {}, h('h3', {}, t('dossier.documents')), h('ul', { class: 'documents' }, dossier.documents.map((d) => h('li', {}, d.name, h('span', { class: 'muted' }, ` · ${t('dossier.copies', { copies: d.copies })}`)))))
      : null,
    history.length > 0
      ? h(
          'section',
          {},
          h('h3', {}, t('dossier.history')),
          h('ol', { class: 'timeline', 'data-testid': 'dossier-history' }, history.map((e) => h('li', {}, h('time', { datetime: e.at }, formatTime(e.at)), ' ', eventText(e.type), e.from !== e.to ? h('span', { class: 'muted' }, ` → ${statusText(e.to)}`) : null))),
        )
      : null,
  );
}

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

  // Notes officials leave on the task (a hand-off's context): listed, and one added at a time.
  const commentList = h('ol', { class: 'comments', 'data-testid': 'comments' });
  const commentText = h('textarea', { id: 'comment-text', rows: 2, maxlength: 4000 });
  const commentForm = h(
    'form',
    { class: 'comment-form' },
    h('label', { for: 'comment-text', class: 'field-label' }, t('comments.add')),
    commentText,
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'comment-send' }, t('comments.send'))),
  );
  const commentsBox = h('section', { class: 'card comments-card', 'aria-labelledby': 'comments-heading' }, h('h2', { id: 'comments-heading' }, t('comments.heading')), commentList, commentForm);
  const loadComments = async () => {
    try {
      const items = await taskComments(id);
      if (disposed) return;
      mount(commentList, ...(items.length ? items.map((c) => h('li', {}, h('time', { datetime: c.createdAt }, formatTime(c.createdAt)), ' ', h('span', { class: 'muted' }, c.author === me?.id ? t('inbox.me') : t('inbox.someoneElse')), h('p', {}, c.text))) : [h('li', { class: 'muted' }, t('comments.none'))]));
    } catch (error) {
      if (!disposed) showError(commentList, error);
    }
  };
  commentForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = commentText.value.trim();
    if (!text) return commentText.focus();
    try {
      await addTaskComment(id, text);
      commentText.value = '';
      await loadComments();
    } catch (error) {
      status.dataset.kind = 'error';
      showError(status, error);
    }
  });
  const positionHost = h('div', {}, h('p', { class: 'muted' }, '…'));
  const positionBox = h('section', { class: 'card position-card', 'aria-labelledby': 'position-heading' }, h('h2', { id: 'position-heading' }, t('position.heading')), positionHost);
  let freePosition: (() => void) | undefined;
  mount(
    main,
    h('p', {}, h('a', { href: '#/inbox', class: 'link', 'data-testid': 'back' }, t('task.back'))),
    h('div', { class: 'task-layout' }, h('section', { class: 'card task-card', 'aria-labelledby': 'task-heading' }, body, status), h('div', { class: 'task-side' }, dossierBox, commentsBox), positionBox),
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
      if (task.dossier.status === 'submitted' || task.dossier.status === 'supplemented') return mount(formBox, onlineAcceptance(task.dossier));
      if (task.dossier.status === 'supplement-requested') return mount(formBox, h('p', { class: 'online-acceptance', 'data-testid': 'awaiting-supplement' }, t('online.awaitingSupplement')));
    }
    try {
      form = task.form ? (task.form.kind === 'camunda-form' ? await camundaForm(task.form) : jsonSchemaForm(task.form)) : undefined;
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

  /** Accept or send back an online dossier waiting for reception. */
  const onlineAcceptance = (dossier: NonNullable<InboxTask['dossier']>): HTMLElement => {
    const reason = h('textarea', { id: 'refuse-reason', rows: 2, maxlength: 1000 });
    const refuseForm = h(
      'form',
      { class: 'refuse-form', hidden: true },
      h('label', { for: 'refuse-reason', class: 'field-label' }, t('online.refuseReason')),
      reason,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger', 'data-testid': 'refuse-confirm' }, t('online.refuseConfirm'))),
    );
    const decide = async (operation: DossierOperation, done: MessageKey) => {
      try {
        await operateDossier(dossier.id, operation);
        status.dataset.kind = 'ok';
        status.textContent = t(done, { code: dossier.code });
        await load(true);
        if (current) loadDossier(current);
      } catch (error) {
        status.dataset.kind = 'error';
        showError(status, error);
      }
    };
    // The supplement request (mẫu 02): every missing or wrong item at once, each with its reason.
    const itemRows = h('div', { class: 'supplement-items' });
    const addItem = () => {
      const n = itemRows.childElementCount;
      itemRows.append(
        h(
          'div',
          { class: 'supplement-item' },
          h('input', { 'aria-label': `${t('online.itemName')} ${n + 1}`, placeholder: t('online.itemName'), maxlength: 300, class: 'item-name' }),
          h('input', { 'aria-label': `${t('online.itemReason')} ${n + 1}`, placeholder: t('online.itemReason'), maxlength: 1000, class: 'item-reason' }),
        ),
      );
    };
    addItem();
    const supplementMessage = h('p', { class: 'form-error', role: 'alert' });
    const supplementForm = h(
      'form',
      { class: 'refuse-form', hidden: true, 'data-testid': 'supplement-form' },
      h('p', { class: 'field-label' }, t('online.itemsHeading')),
      itemRows,
      h('button', { type: 'button', class: 'link', onclick: () => addItem() }, t('online.addItem')),
      supplementMessage,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', 'data-testid': 'supplement-confirm' }, t('online.requestSupplementConfirm'))),
    );
    supplementForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const items = [...itemRows.children].map((row) => ({ name: (row.querySelector('.item-name') as HTMLInputElement).value.trim(), reason: (row.querySelector('.item-reason') as HTMLInputElement).value.trim() })).filter((item) => item.name || item.reason);
      if (items.length === 0 || items.some((item) => !item.name || !item.reason)) {
        supplementMessage.textContent = t('online.itemsIncomplete');
        return;
      }
      void decide({ type: 'request-supplement', items }, 'online.supplementRequested');
    });
    refuseForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!reason.value.trim()) return reason.focus();
      void decide({ type: 'refuse', reasons: [reason.value.trim()] }, 'online.refused');
    });
    return h(
      'div',
      { class: 'online-acceptance', 'data-testid': 'online-acceptance' },
      h('p', {}, t('online.pending')),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'primary', 'data-testid': 'accept', onclick: () => void decide({ type: 'accept' }, 'online.accepted') }, t('online.accept')),
        dossier.status === 'submitted' && h('button', { type: 'button', 'data-testid': 'request-supplement', onclick: () => ((supplementForm.hidden = false), (refuseForm.hidden = true), itemRows.querySelector('input')?.focus()) }, t('online.requestSupplement')),
        h('button', { type: 'button', 'data-testid': 'refuse', onclick: () => ((refuseForm.hidden = false), (supplementForm.hidden = true), reason.focus()) }, t('online.refuse')),
      ),
      supplementForm,
      refuseForm,
    );
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

  /** The apology with a new appointment (Decree 118 art. 19(6)), for a dossier in processing not re-dated yet. */
  const apologyFor = (dossier: InboxDossier, task: InboxTask): HTMLElement | null => {
    if (dossier.originalAppointmentAt) return h('p', { class: 'muted', 'data-testid': 'redated' }, t('apology.redated', { at: formatTime(dossier.originalAppointmentAt) }));
    if (!['received', 'processing', 'supplemented'].includes(dossier.status) || !dossier.appointmentAt) return null;
    const when = h('input', { type: 'datetime-local', id: 'apology-at', required: true, value: vnLocalInput(dossier.appointmentAt) });
    const reason = h('textarea', { id: 'apology-reason', rows: 2, maxlength: 1000, required: true });
    const message = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'apology-message' });
    const form = h(
      'form',
      { class: 'apology-form', novalidate: true },
      h('p', { class: 'hint' }, t('apology.lead')),
      h('label', { for: 'apology-at', class: 'field-label' }, t('apology.newAppointment')),
      when,
      h('label', { for: 'apology-reason', class: 'field-label' }, t('apology.reason')),
      reason,
      message,
      h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'apology-send' }, t('apology.send'))),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      message.textContent = '';
      if (!when.value) return when.focus();
      if (!reason.value.trim()) return (message.textContent = t('refusal.REASONS_REQUIRED')), reason.focus();
      try {
        const after = await operateDossier(dossier.id, { type: 'apologize', reason: reason.value.trim(), newAppointmentAt: `${when.value}:00+07:00` });
        status.dataset.kind = 'ok';
        status.textContent = t('apology.sent', { code: dossier.code, at: after.appointmentAt ? formatTime(after.appointmentAt) : '' });
        loadDossier(task);
      } catch (error) {
        showError(message, error);
      }
    });
    return h('details', { class: 'apology', 'data-testid': 'apology' }, h('summary', {}, t('apology.open')), form);
  };

  const loadDossier = (task: InboxTask) =>
    Promise.all([task.dossier ? dossierWithHistory(task.dossier.id) : undefined, procedureNames()]).then(
      ([found, names]) => {
        if (disposed) return;
        const apology = found ? apologyFor(found.dossier, task) : null;
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
