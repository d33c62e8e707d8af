import { h } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { t, type MessageKey } from '../../shared/i18n';
import { operateDossier, type DossierOperation, type InboxTask } from '../../shared/inbox-api';

/**
 * The desk's decision on an online dossier not yet received, taken on the task page before the
 * step's form opens: accept it, ask for a supplement (mẫu 02: every missing or wrong item at
 * once, each with its reason; only before a first supplement), or send it back with a reason.
 * `done` runs after the decision was taken (the page's message set).
 */
export function onlineReception(dossier: NonNullable<InboxTask['dossier']>, page: { status: HTMLElement; done: () => Promise<void> }): HTMLElement {
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
      page.status.dataset.kind = 'ok';
      page.status.textContent = t(done, { code: dossier.code });
      await page.done();
    } catch (error) {
      page.status.dataset.kind = 'error';
      showError(page.status, error);
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
}
