/**
 * Printable documents of a dossier: forms 01–06 of Circular 03/2025/TT-VPCP (Annex I)
 * as PDFs in Vietnamese, each with a QR code to the dossier's tracking page.
 *
 * Shape: a form is a pure function from the dossier's facts to a {@link DocumentLayout}
 * (forms/), one renderer draws every layout (pdf-renderer.ts), and `renderDossierDocument`
 * joins the two by the form's name. The dossier layer supplies the data; nothing here reads
 * a database or the clock.
 */
import type { ApologyData, ControlSlipData, ReceiptData, RefusalData, StopNoticeData, SupplementRequestData } from './document-data';
import { apologyLayout } from './forms/apology-04';
import { controlSlipLayout } from './forms/control-slip-06';
import { receiptLayout } from './forms/receipt-01';
import { refusalLayout } from './forms/refusal-03';
import { stopNoticeLayout } from './forms/stop-notice-05';
import { supplementRequestLayout } from './forms/supplement-request-02';
import type { DocumentLayout } from './layout';
import { renderPdf } from './pdf-renderer';

export type * from './document-data';
export type { DocumentLayout } from './layout';
export { renderPdf } from './pdf-renderer';

/** Each form by its name, with the data it takes. */
export interface DossierDocuments {
  receipt: ReceiptData;
  'supplement-request': SupplementRequestData;
  refusal: RefusalData;
  apology: ApologyData;
  'stop-notice': StopNoticeData;
  'control-slip': ControlSlipData;
}

/** The name of a form, as URLs and the API use it. */
export type DossierDocumentKind = keyof DossierDocuments;

const LAYOUTS: { [K in DossierDocumentKind]: (data: DossierDocuments[K]) => DocumentLayout } = {
  receipt: receiptLayout,
  'supplement-request': supplementRequestLayout,
  refusal: refusalLayout,
  apology: apologyLayout,
  'stop-notice': stopNoticeLayout,
  'control-slip': controlSlipLayout,
};

/** The forms, in the order of the circular (mẫu 01 … 06). */
export const DOSSIER_DOCUMENT_KINDS = Object.keys(LAYOUTS) as DossierDocumentKind[];

/** The number of each form in the circular. */
export const DOSSIER_FORM_NUMBERS = { receipt: '01', 'supplement-request': '02', refusal: '03', apology: '04', 'stop-notice': '05', 'control-slip': '06' } as const satisfies Record<DossierDocumentKind, string>;

/** A form's number in the circular: `01` … `06`. */
export type DossierFormNumber = (typeof DOSSIER_FORM_NUMBERS)[DossierDocumentKind];

/** The layout of a form (for previews and tests). */
export function dossierDocumentLayout<K extends DossierDocumentKind>(kind: K, data: DossierDocuments[K]): DocumentLayout {
  return LAYOUTS[kind](data);
}

/**
 * Renders one of the dossier's forms to PDF bytes.
 *
 * @example
 *   const pdf = await renderDossierDocument('receipt', receiptData);
 *   res.type('application/pdf').send(pdf);
 */
export async function renderDossierDocument<K extends DossierDocumentKind>(kind: K, data: DossierDocuments[K]): Promise<Buffer> {
  return renderPdf(dossierDocumentLayout(kind, data));
}
