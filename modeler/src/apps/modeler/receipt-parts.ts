/**
 * What the desk's receipt (desk-receipt-page.ts) and the citizen's online submission
 * (portal-page.ts) share: a key that makes a repeated POST the same submission, the documents'
 * checklist (required ones marked, those the national databases hold not asked for; at the desk
 * each with its form and copies), how a refusal is shown on the applicant's fields, and the
 * summary of the dossier made (code, tracking secret shown once).
 */
import { ApiError } from '../../shared/api';
import { h } from '../../shared/dom';
import { showError } from '../../shared/errors';
import { t, type MessageKey } from '../../shared/i18n';
import type { MyDossier, PortalProcedure } from '../../shared/portal-api';
import { documentName, procedureName } from '../../shared/procedure-facts';
import type { SchemaForm } from '../../shared/schema-form';

/** An Idempotency-Key for one submission (getRandomValues: randomUUID needs a secure context, and a desk may use http). */
export function submissionKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const FORMS = ['original', 'certified-copy', 'copy', 'electronic'] as const;

/** One document of the checklist. */
export interface CheckedDocument {
  doc: PortalProcedure['document']['documents'][number];
  box: HTMLInputElement;
  row: HTMLElement;
  /** At the desk: its form and number of copies. */
  form?: HTMLSelectElement;
  copies?: HTMLInputElement;
}

/** The procedure's documents as a checklist; `desk`: each with its form and copies. */
export function documentChecklist(procedure: PortalProcedure, options: { desk: boolean }): { list: HTMLElement; documents: CheckedDocument[]; missing(): string[] } {
  const documents = procedure.document.documents.map((d, i): CheckedDocument => {
    const box = h('input', { type: 'checkbox', id: `doc-${i}`, disabled: !!d.fromDatabase });
    const note = d.fromDatabase ? t('portal.fromDatabase') : d.required ? t('portal.required') : '';
    const label = h('label', { class: 'choice', for: `doc-${i}` }, box, documentName(d), note ? h('span', { class: 'muted' }, ` (${note})`) : null);
    if (!options.desk) return { doc: d, box, row: h('li', {}, label) };
    const form = h('select', { id: `doc-${i}-form`, 'aria-label': `${t('desk.documentForm')}: ${documentName(d)}`, disabled: !!d.fromDatabase }, FORMS.map((f) => h('option', { value: f }, t(`desk.form.${f}` as MessageKey))));
    const copies = h('input', { type: 'number', id: `doc-${i}-copies`, min: 1, max: 100, value: '1', 'aria-label': `${t('desk.copies')}: ${documentName(d)}`, disabled: !!d.fromDatabase, class: 'copies' });
    return { doc: d, box, form, copies, row: h('li', { class: 'document-row' }, label, form, copies) };
  });
  return {
    list: h('ul', { class: 'document-list' }, documents.map((d) => d.row)),
    documents,
    missing: () => documents.filter((d) => d.doc.required && !d.doc.fromDatabase && !d.box.checked).map((d) => documentName(d.doc)),
  };
}

/** A refused submission: the applicant's fields marked when the server names them, else our sentence for the refusal. */
export function showSubmissionError(error: unknown, applicant: SchemaForm, message: HTMLElement): void {
  const unplaced = error instanceof ApiError && error.problem.errors ? applicant.showServerErrors(error.problem.errors, 'body.applicant.') : undefined;
  if (unplaced && unplaced.length === 0) message.textContent = t('portal.invalid');
  else showError(message, error);
}

/** The dossier made: procedure, code, `extra` facts, the tracking secret (shown this once). */
export function dossierMade(dossier: MyDossier, procedure: PortalProcedure, extra: Array<[MessageKey, Node | string]>): HTMLElement {
  return h(
    'dl',
    { class: 'facts receipt' },
    h('dt', {}, t('portal.col.procedure')),
    h('dd', {}, procedureName(procedure)),
    h('dt', {}, t('portal.code')),
    h('dd', {}, h('strong', { class: 'dossier-code', 'data-testid': 'code' }, dossier.code)),
    extra.flatMap(([term, value]) => [h('dt', {}, t(term)), h('dd', {}, value)]),
    h('dt', {}, t('portal.secret')),
    h('dd', {}, h('code', { 'data-testid': 'secret' }, dossier.trackingSecret ?? '')),
  );
}
