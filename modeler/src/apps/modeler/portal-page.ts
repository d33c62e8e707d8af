/**
 * The citizens' portal (`#/portal`; submitting: `#/portal/submit/<procedure code>`): the
 * citizen's own dossiers with their status and appointment (and the withdrawal of one not yet
 * decided, Decree 118/2025), the procedures of the catalogue that take dossiers online, and the
 * online submission of one: the applicant (the account's name filled in) and the documents sent,
 * checked before sending, then the dossier's code and tracking secret, shown once, with the
 * public tracking page's address. A submission carries an Idempotency-Key, so pressing "send"
 * again after a lost answer gives back the same dossier, never a second one.
 */
import { principal } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { t, type MessageKey } from '../../shared/i18n';
import { myDossiers, onlineProcedures, submitOnline, supplement, withdraw, type MyDossier, type PortalProcedure } from '../../shared/portal-api';
import { agencyName, feeText, procedureName, statutoryTimeText } from '../../shared/procedure-facts';
import { statusText } from './dossier-card';
import { documentChecklist, dossierMade, showSubmissionError, submissionKey } from './receipt-parts';
import { applicantSchema } from '../../shared/applicant-form';
import { renderSchemaForm } from '../../shared/schema-form';
import { formatVnTime } from '../../shared/time';

/** Statuses from which the applicant may still withdraw (until the result is issued). */
const WITHDRAWABLE = new Set(['submitted', 'received', 'processing', 'supplement-requested', 'supplemented']);

/** The portal's home: my dossiers, then the procedures. Returns its disposer. */
export function renderPortal(main: HTMLElement): () => void {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const mine = h('div', { 'data-testid': 'my-dossiers' }, h('p', { class: 'muted' }, '…'));
  const procedures = h('div', { class: 'procedure-cards', 'data-testid': 'online-procedures' }, h('p', { class: 'muted' }, '…'));
  mount(
    main,
    h('section', { class: 'card portal', 'aria-labelledby': 'mine-heading' }, h('h1', { id: 'mine-heading' }, t('portal.mine')), status, mine),
    h('section', { class: 'card portal', 'aria-labelledby': 'procedures-heading' }, h('h2', { id: 'procedures-heading' }, t('portal.procedures')), h('p', { class: 'lead' }, t('portal.proceduresLead')), procedures),
  );
  let disposed = false;

  const load = async () => {
    try {
      const [dossiers, online] = await Promise.all([myDossiers(), onlineProcedures()]);
      if (disposed) return;
      const names = new Map(online.map((p) => [p.code, procedureName(p)]));
      mount(mine, dossiers.length === 0 ? h('p', { class: 'muted' }, t('portal.mineEmpty')) : dossierTable(dossiers, names));
      mount(
        procedures,
        ...(online.length === 0
          ? [h('p', { class: 'muted' }, t('portal.noProcedures'))]
          : online.map((p) =>
              h(
                'article',
                { class: 'procedure-card', 'data-procedure': p.code },
                h('h3', {}, procedureName(p)),
                h(
                  'dl',
                  { class: 'facts' },
                  h('dt', {}, t('portal.agency')),
                  h('dd', {}, agencyName(p)),
                  h('dt', {}, t('portal.time')),
                  h('dd', {}, statutoryTimeText(p)),
                  h('dt', {}, t('portal.fee')),
                  h('dd', {}, feeText(p, true)),
                ),
                h('p', { class: 'badge' }, t(`portal.online.${p.document.onlineLevel}` as MessageKey)),
                h('a', { class: 'button primary', href: `#/portal/submit/${encodeURIComponent(p.code)}` }, t('portal.submit')),
              ),
            )),
      );
    } catch (error) {
      if (!disposed) showError(mine, error);
    }
  };

  function dossierTable(dossiers: MyDossier[], names: Map<string, string>): HTMLElement {
    const cols: MessageKey[] = ['portal.col.code', 'portal.col.procedure', 'portal.col.submitted', 'portal.col.status', 'portal.col.appointment'];
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'stats-table', 'data-testid': 'my-dossier-table' },
        h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('inbox.col.actions'))))),
        h(
          'tbody',
          {},
          dossiers.map((d) => {
            const actions = h('td', { class: 'row-actions' });
            if (d.status === 'supplement-requested' && d.supplement) actions.append(h('button', { type: 'button', class: 'primary', 'data-testid': 'supplement', onclick: () => askSupplement(d, actions) }, t('portal.supplement')));
            if (WITHDRAWABLE.has(d.status)) actions.append(h('button', { type: 'button', 'data-testid': 'withdraw', onclick: () => askWithdrawal(d, actions) }, t('portal.withdraw')));
            return h(
              'tr',
              { 'data-dossier': d.code },
              h('th', { scope: 'row', class: 'dossier-code' }, d.code),
              h('td', { 'data-label': t('portal.col.procedure') }, names.get(d.procedureCode) ?? d.procedureCode),
              h('td', { 'data-label': t('portal.col.submitted') }, formatVnTime(d.submittedAt)),
              h('td', { 'data-label': t('portal.col.status') }, h('span', { class: `badge status-${d.status}`, 'data-testid': 'status' }, statusText(d.status))),
              h('td', { 'data-label': t('portal.col.appointment') }, d.appointmentAt ? formatVnTime(d.appointmentAt) : '—'),
              actions,
            );
          }),
        ),
      ),
    );
  }

  /** What the agency asked for, and the applicant's word that it is supplemented. */
  function askSupplement(d: MyDossier, cell: HTMLElement): void {
    const asked = d.supplement!;
    const done = h('input', { type: 'checkbox', id: `supplied-${d.id}` });
    const form = h(
      'form',
      { class: 'supplement-answer', 'data-testid': 'supplement-answer' },
      h('p', {}, t('portal.supplementAsked', { dueAt: formatVnTime(asked.dueAt) })),
      h('ul', {}, asked.items.map((item) => h('li', {}, h('strong', {}, item.name), ` — ${item.reason}`))),
      h('label', { class: 'choice', for: `supplied-${d.id}` }, done, t('portal.supplementDone')),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', 'data-testid': 'supplement-confirm' }, t('portal.supplementSend')), h('button', { type: 'button', onclick: () => void load() }, t('portal.cancel'))),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!done.checked) return done.focus();
      try {
        await supplement(d.id);
        await load();
        status.dataset.kind = 'ok';
        status.textContent = t('portal.supplemented', { code: d.code });
      } catch (error) {
        status.dataset.kind = 'error';
        showError(status, error);
      }
    });
    mount(cell, form);
  }

  function askWithdrawal(d: MyDossier, cell: HTMLElement): void {
    const reason = h('input', { id: `reason-${d.id}`, maxlength: 1000, required: true });
    const form = h(
      'form',
      { class: 'inline-form' },
      h('label', { for: `reason-${d.id}` }, t('portal.withdrawReason')),
      reason,
      h('button', { type: 'submit', class: 'primary' }, t('portal.withdrawConfirm')),
      h('button', { type: 'button', onclick: () => void load() }, t('portal.cancel')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!reason.value.trim()) return reason.focus();
      try {
        await withdraw(d.id, reason.value.trim());
        await load();
        status.dataset.kind = 'ok';
        status.textContent = t('portal.withdrawn', { code: d.code });
      } catch (error) {
        status.dataset.kind = 'error';
        showError(status, error);
      }
    });
    mount(cell, form);
    reason.focus();
  }

  void load();
  return () => {
    disposed = true;
  };
}

/** The account's name without a note in brackets ("Đỗ Thị Mai (công dân)" → "Đỗ Thị Mai"). */
const accountName = () => principal()?.name?.replace(/\s*\([^)]*\)\s*$/, '') ?? '';

/** The submission of a procedure's dossier. Returns its disposer. */
export function renderSubmission(main: HTMLElement, code: string): () => void {
  let disposed = false;
  const body = h('div', {}, h('p', { class: 'muted' }, '…'));
  mount(main, h('p', {}, h('a', { href: '#/portal', class: 'link' }, t('portal.back'))), h('section', { class: 'card portal', 'aria-labelledby': 'submit-heading' }, body));
  // One key per page: sending again (a lost answer, a double click) is the same submission.
  const key = submissionKey();

  onlineProcedures().then(
    (online) => {
      if (disposed) return;
      const procedure = online.find((p) => p.code === code);
      if (!procedure) return mount(body, h('h1', { id: 'submit-heading' }, t('portal.procedures')), h('p', { role: 'alert' }, t('error.notFound')));
      const applicant = renderSchemaForm(applicantSchema({ name: accountName(), withKind: false }), 'applicant');
      const checklist = documentChecklist(procedure, { desk: false });
      const message = h('p', { class: 'form-error', role: 'alert' });
      const send = h('button', { type: 'submit', class: 'primary', 'data-testid': 'send' }, t('portal.send'));
      const form = h(
        'form',
        { novalidate: true, 'aria-labelledby': 'submit-heading' },
        h('fieldset', {}, h('legend', {}, t('portal.applicant')), applicant.element),
        h('fieldset', {}, h('legend', {}, t('portal.documents')), h('p', { class: 'hint' }, t('portal.documentsLead')), checklist.list),
        message,
        h('div', { class: 'actions' }, send),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        message.textContent = '';
        const applicantOk = applicant.check();
        const missing = checklist.missing();
        if (missing.length > 0) message.textContent = t('portal.missingDocuments', { names: missing.join('; ') });
        else if (!applicantOk) message.textContent = t('portal.invalid');
        if (!applicantOk || missing.length > 0) return;
        send.disabled = true;
        send.textContent = t('portal.sending');
        try {
          const dossier = await submitOnline(
            { procedureCode: procedure.code, applicant: { ...(applicant.values() as { name: string }), kind: 'citizen' }, documents: checklist.documents.filter((d) => d.box.checked).map((d) => ({ code: d.doc.code, form: 'electronic', copies: 1 })) },
            key,
          );
          if (!disposed) showReceipt(dossier, procedure);
        } catch (error) {
          showSubmissionError(error, applicant, message);
          send.disabled = false;
          send.textContent = t('portal.send');
        }
      });
      mount(
        body,
        h('h1', { id: 'submit-heading' }, procedureName(procedure)),
        h('dl', { class: 'facts' }, h('dt', {}, t('portal.agency')), h('dd', {}, agencyName(procedure)), h('dt', {}, t('portal.time')), h('dd', {}, statutoryTimeText(procedure)), h('dt', {}, t('portal.fee')), h('dd', {}, feeText(procedure, true))),
        form,
      );
    },
    (error) => !disposed && showError(body, error),
  );

  function showReceipt(dossier: MyDossier, procedure: PortalProcedure): void {
    const address = `${location.origin}/tracking/${encodeURIComponent(dossier.code)}#${encodeURIComponent(dossier.trackingSecret ?? '')}`;
    mount(
      body,
      h('h1', { id: 'submit-heading', 'data-testid': 'sent' }, t('portal.sent')),
      h('p', { class: 'lead' }, t('portal.sentLead')),
      dossierMade(dossier, procedure, [['portal.col.status', statusText(dossier.status)]]),
      h('p', { class: 'hint' }, t('portal.secretHint')),
      h('p', {}, h('a', { href: address, 'data-testid': 'track-link' }, t('portal.trackLink'))),
      h('p', {}, h('a', { href: '#/portal', class: 'button' }, t('portal.back'))),
    );
  }

  return () => {
    disposed = true;
  };
}
