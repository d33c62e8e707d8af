/**
 * Receiving a dossier at the one-stop desk (`#/receive`, one procedure: `#/receive/<code>`), for
 * the officials of the competent agency: the agency's procedures of the catalogue; for one, the
 * channel (at the desk or by post), the applicant, each document checked (its form and number
 * of copies, Decree 118/2025 art. 19(2); those the national databases hold are not asked for)
 * and the fee collected. The server gives the dossier its code from the agency's daily sequence
 * and its appointment on the legal clock; the page then shows them with the tracking secret
 * (once) and prints the applicant's receipt (mẫu 01, with the secret in its QR code). Sent with
 * an Idempotency-Key: pressing again after a lost answer gives back the same dossier.
 */
import { catalogue, principal, request, requestBlob } from '../../shared/api';
import { applicantSchema } from '../../shared/applicant-form';
import { download, h, mount } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { t, type MessageKey } from '../../shared/i18n';
import { agencyName, feeText, procedureName, statutoryTimeText } from '../../shared/procedure-facts';
import { documentChecklist, dossierMade, showSubmissionError, submissionKey } from './receipt-parts';
import type { MyDossier, PortalProcedure } from '../../shared/portal-api';
import { renderSchemaForm } from '../../shared/schema-form';
import { formatVnTime } from '../../shared/time';

/** The procedures the signed-in official's agency receives. */
async function agencyProcedures(): Promise<PortalProcedure[]> {
  const agency = principal()?.agency;
  return (await catalogue()).filter((p) => p.document.competentAgency.agency === agency);
}

/** The list of the agency's procedures. Returns its disposer. */
export function renderDeskProcedures(main: HTMLElement): () => void {
  let disposed = false;
  const list = h('div', { class: 'procedure-cards', 'data-testid': 'desk-procedures' }, h('p', { class: 'muted' }, '…'));
  mount(main, h('section', { class: 'card portal', 'aria-labelledby': 'desk-heading' }, h('h1', { id: 'desk-heading' }, t('desk.heading')), h('p', { class: 'lead' }, t('desk.lead')), list));
  agencyProcedures().then(
    (procedures) => {
      if (disposed) return;
      if (procedures.length === 0) return mount(list, h('p', { class: 'muted' }, t('desk.noProcedures')));
      mount(
        list,
        ...procedures.map((p) =>
          h(
            'article',
            { class: 'procedure-card', 'data-procedure': p.code },
            h('h3', {}, procedureName(p)),
            h('dl', { class: 'facts' }, h('dt', {}, t('portal.time')), h('dd', {}, statutoryTimeText(p)), h('dt', {}, t('portal.fee')), h('dd', {}, feeText(p))),
            h('a', { class: 'button primary', href: `#/receive/${encodeURIComponent(p.code)}` }, t('desk.receive')),
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

/** The receipt of one procedure's dossier. Returns its disposer. */
export function renderDeskReceipt(main: HTMLElement, code: string): () => void {
  let disposed = false;
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  mount(main, h('p', {}, h('a', { href: '#/receive', class: 'link' }, `← ${t('desk.nav')}`)), h('section', { class: 'card portal', 'aria-labelledby': 'receive-heading' }, body));
  const key = submissionKey();

  agencyProcedures().then(
    (procedures) => {
      if (disposed) return;
      const procedure = procedures.find((p) => p.code === code);
      if (!procedure) return mount(body, h('h1', { id: 'receive-heading' }, t('desk.heading')), h('p', { role: 'alert' }, t('error.notFound')));
      const channel = h('div', { class: 'choices', role: 'radiogroup', 'aria-labelledby': 'channel-label' }, (['desk', 'post'] as const).map((c, i) => h('label', { class: 'choice', for: `channel-${c}` }, h('input', { type: 'radio', name: 'channel', id: `channel-${c}`, value: c, checked: i === 0 }), t(`desk.channel.${c}` as MessageKey))));
      const applicant = renderSchemaForm(applicantSchema({ withKind: true }), 'applicant');
      applicant.element.querySelector<HTMLInputElement>('input[type="radio"]')?.setAttribute('checked', '');
      const checklist = documentChecklist(procedure, { desk: true });
      const documents = checklist.documents;
      const fee = procedure.document.fee?.amount ?? 0;
      const feePaid = h('input', { type: 'checkbox', id: 'fee-paid' });
      const message = h('p', { class: 'form-error', role: 'alert' });
      const send = h('button', { type: 'submit', class: 'primary', 'data-testid': 'send' }, t('desk.send'));
      const formElement = h(
        'form',
        { novalidate: true, 'aria-labelledby': 'receive-heading' },
        h('fieldset', {}, h('legend', { id: 'channel-label' }, t('desk.channel')), channel),
        h('fieldset', {}, h('legend', {}, t('portal.applicant')), applicant.element),
        h('fieldset', {}, h('legend', {}, t('portal.documents')), checklist.list),
        fee > 0 ? h('p', {}, h('label', { class: 'choice', for: 'fee-paid' }, feePaid, t('desk.feePaid', { fee: feeText(procedure) }))) : null,
        message,
        h('div', { class: 'actions' }, send),
      );
      formElement.addEventListener('submit', async (event) => {
        event.preventDefault();
        message.textContent = '';
        const applicantOk = applicant.check();
        const missing = checklist.missing();
        const badCopies = documents.filter((d) => d.box.checked && !(Number.isInteger(d.copies!.valueAsNumber) && d.copies!.valueAsNumber >= 1 && d.copies!.valueAsNumber <= 100));
        if (missing.length > 0) message.textContent = t('portal.missingDocuments', { names: missing.join('; ') });
        else if (badCopies.length > 0) (message.textContent = t('field.tooSmall', { min: 1 })), badCopies[0].copies!.focus();
        else if (!applicantOk) message.textContent = t('portal.invalid');
        if (!applicantOk || missing.length > 0 || badCopies.length > 0) return;
        send.disabled = true;
        try {
          const dossier = await request<MyDossier>('POST', '/api/dossiers', {
            json: {
              procedureCode: procedure.code,
              channel: formElement.querySelector<HTMLInputElement>('input[name="channel"]:checked')?.value ?? 'desk',
              applicant: applicant.values(),
              documents: documents.filter((d) => d.box.checked).map((d) => ({ code: d.doc.code, form: d.form!.value, copies: d.copies!.valueAsNumber })),
              ...(fee > 0 ? { fee: { paid: feePaid.checked, paidOnline: false } } : {}),
            },
            headers: { 'idempotency-key': key },
          });
          if (!disposed) showReceived(dossier, procedure);
        } catch (error) {
          showSubmissionError(error, applicant, message);
          send.disabled = false;
        }
      });
      mount(
        body,
        h('h1', { id: 'receive-heading' }, procedureName(procedure)),
        h('dl', { class: 'facts' }, h('dt', {}, t('portal.agency')), h('dd', {}, agencyName(procedure)), h('dt', {}, t('portal.time')), h('dd', {}, statutoryTimeText(procedure)), h('dt', {}, t('portal.fee')), h('dd', {}, feeText(procedure))),
        formElement,
      );
    },
    (error) => !disposed && showError(body, error),
  );

  function showReceived(dossier: MyDossier, procedure: PortalProcedure): void {
    const printed = h('span', {});
    const print = async () => {
      try {
        download(`phieu-tiep-nhan-${dossier.code}.pdf`, await requestBlob(`/api/dossiers/${encodeURIComponent(dossier.id)}/receipt.pdf?secret=${encodeURIComponent(dossier.trackingSecret ?? '')}`), 'application/pdf');
      } catch (error) {
        showError(printed, error);
      }
    };
    mount(
      body,
      h('h1', { id: 'receive-heading', 'data-testid': 'received' }, t('desk.received')),
      h('p', { class: 'lead' }, t('desk.receivedLead')),
      dossierMade(dossier, procedure, [['desk.appointment', h('span', { 'data-testid': 'appointment' }, dossier.appointmentAt ? formatVnTime(dossier.appointmentAt) : '—')]]),
      h('p', { class: 'hint' }, t('portal.secretHint')),
      h('p', { class: 'actions' }, h('button', { type: 'button', class: 'primary', 'data-testid': 'print-receipt', onclick: () => void print() }, t('desk.printReceipt')), printed),
      h('p', {}, h('a', { href: '#/receive', class: 'button' }, t('desk.another')), ' ', h('a', { href: '#/inbox', class: 'button' }, t('inbox.nav'))),
    );
  }

  return () => {
    disposed = true;
  };
}
