/**
 * The dossier's card beside a task (and on the dossier's own page): code, procedure, status,
 * receipt and appointment, channel, applicant (the server logs the read), the receipt PDF,
 * documents, the history in words; and the late apology with a new appointment.
 */
import { requestBlob } from '../../shared/api';
import { download, h } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { isMessageKey, t, type MessageKey } from '../../shared/i18n';
import { operateDossier, type DossierHistoryItem, type InboxDossier } from '../../shared/inbox-api';
import { formatVnTime as formatTime, vnLocalInput } from '../../shared/time';

/** A term and its value in a facts list. */
export const definition = (term: MessageKey, ...value: Array<Node | string | null>) => [h('dt', {}, t(term)), h('dd', {}, ...value.filter((v): v is Node | string => v !== null))];

export function statusText(status: string): string {
  const key = `dossier.status.${status}`;
  return isMessageKey(key) ? t(key) : status;
}

export function eventText(type: string): string {
  const key = `dossier.event.${type}`;
  return isMessageKey(key) ? t(key) : type;
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

/**
 * The apology with a new appointment (Decree 118 art. 19(6)), for a dossier in processing not
 * re-dated yet; once re-dated, the card says so. `done` runs after it was taken (the page's
 * message set, the card to be read again).
 */
export function apologyFor(dossier: InboxDossier, page: { status: HTMLElement; done: () => void }): HTMLElement | null {
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
      page.status.dataset.kind = 'ok';
      page.status.textContent = t('apology.sent', { code: dossier.code, at: after.appointmentAt ? formatTime(after.appointmentAt) : '' });
      page.done();
    } catch (error) {
      showError(message, error);
    }
  });
  return h('details', { class: 'apology', 'data-testid': 'apology' }, h('summary', {}, t('apology.open')), form);
}
