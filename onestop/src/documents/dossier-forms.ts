/**
 * The data of each form of a dossier, from what the dossier layer keeps (pure): the dossier
 * record, its procedure, the event the form answers and the dossier's history. The notices
 * attach these forms (mẫu 01–06) to the mails they send; the receipt route builds mẫu 01 the
 * same way.
 *
 * Names: an official appears by the name `names` gives (the users' directory); without one,
 * by the id the event recorded. An agency appears by the name its procedure gives it.
 */
import type { DossierEvent } from '../dossiers/dossier-events';
import type { DossierRecord } from '../dossiers/dossier-store';
import { controlSlipHandOffs } from '../dossiers/control-slip';
import { agencyProperName, type ProcedureRecord } from '../procedures/procedure';
import type { DossierDocumentKind, DossierDocuments, DossierItem, DossierOnDocument, IssuingAgency } from './index';

const DAY_MS = 86_400_000;

const UNITS: Record<string, string> = { workingDays: 'ngày làm việc', workingHours: 'giờ làm việc', hours: 'giờ', days: 'ngày', calendarDays: 'ngày' };

/** What every form of one dossier is filled from. */
export interface DossierFormSource {
  record: DossierRecord;
  procedure: ProcedureRecord;
  /** The dossier's events so far (its status history), oldest first. */
  history: readonly DossierEvent[];
  /** The tracking page of the dossier (the QR code's address). */
  trackingUrl: string;
  /** An official's display name by id (absent or unknown: the id). */
  names?: ReadonlyMap<string, string>;
}

type Of<T extends DossierEvent['type']> = Extract<DossierEvent, { type: T }>;

function agencyName(source: DossierFormSource): string {
  return agencyProperName(source.procedure.document, source.record.agency);
}

function issuerOf(source: DossierFormSource): IssuingAgency {
  const name = agencyName(source);
  return { name: 'Bộ phận Một cửa', parentName: name, place: name };
}

function nameOf(source: DossierFormSource, id: string | undefined): string {
  if (!id) return '';
  return source.names?.get(id) ?? id;
}

/** A holder ("<agency id> / <groups>") with each agency the procedure names by its name. */
function holderName(source: DossierFormSource, holder: string): string {
  return holder
    .split(' / ')
    .map((part) => source.procedure.document.agencies.find((a) => a.id === part)?.name ?? part)
    .join(' / ');
}

function dossierOf(source: DossierFormSource): DossierOnDocument {
  const { applicant } = source.record;
  return {
    code: source.record.dossier.code,
    procedureName: source.procedure.document.name.vi,
    applicant: { name: applicant.name, ...(applicant.address ? { address: applicant.address } : {}), ...(applicant.phone ? { phone: applicant.phone } : {}), ...(applicant.email ? { email: applicant.email } : {}) },
    trackingUrl: source.trackingUrl,
  };
}

/** When the dossier was received: the dossier's, else its receipt event's, else `fallback`. */
function receivedAtOf(source: DossierFormSource, fallback: number): number {
  return source.record.dossier.receivedAt ?? source.history.find((e) => e.type === 'dossierReceived')?.at ?? fallback;
}

/** A received document in the column of its form: original, copy (certified or plain) or electronic. */
export function receivedItemOf(doc: DossierRecord['details']['documents'][number]): DossierItem {
  if (doc.form === 'original') return { name: doc.name, originals: doc.copies };
  if (doc.form === 'electronic') return { name: doc.name, electronic: doc.copies };
  return { name: doc.name, copies: doc.copies };
}

/** Mẫu 01: the receipt and appointment (the appointment printed at receipt), from the receipt event (or its facts: when, the appointment, who). */
export function receiptDataOf(source: DossierFormSource, event: Pick<Of<'dossierReceived'>, 'at' | 'appointmentAt' | 'actor'>): DossierDocuments['receipt'] {
  const { record } = source;
  const d = record.dossier;
  const time = source.procedure.document.statutoryTime;
  const agency = agencyName(source);
  return {
    ...dossierOf(source),
    issuer: issuerOf(source),
    receivedAt: event.at,
    receivedBy: d.channel === 'online' ? 'Cổng Dịch vụ công' : nameOf(source, record.details.receivedBy ?? event.actor),
    documents: record.details.documents.map(receivedItemOf),
    statutoryTime: time.sameDay ? 'trong ngày' : `${String(time.amount).padStart(2, '0')} ${UNITS[time.unit] ?? time.unit}`,
    appointmentAt: d.receiptAppointmentAt ?? event.appointmentAt,
    returnPlace: d.channel === 'post' ? 'Qua dịch vụ bưu chính' : `Bộ phận Một cửa, ${agency}`,
    ...(record.details.fee.amount > 0 ? { fee: record.details.fee.amount } : {}),
  };
}

/** Mẫu 02: every item asked for, with its reason and the days to supplement. */
export function supplementRequestDataOf(source: DossierFormSource, event: Of<'supplementRequested'>): DossierDocuments['supplement-request'] {
  return {
    ...dossierOf(source),
    issuer: issuerOf(source),
    requestedAt: event.at,
    requestedBy: nameOf(source, event.actor),
    receivedAt: receivedAtOf(source, event.at),
    items: event.items.map((item) => ({ name: item.name, reason: item.reason })),
    supplementDays: Math.max(1, Math.round((event.dueAt - event.at) / DAY_MS)),
  };
}

/** Mẫu 03: a refusal at reception or a rejection after examination, with its reasons. */
export function refusalDataOf(source: DossierFormSource, event: Of<'dossierRefused'> | Of<'dossierRejected'>): DossierDocuments['refusal'] {
  return { ...dossierOf(source), issuer: issuerOf(source), refusedAt: event.at, refusedBy: nameOf(source, event.actor), reasons: event.reasons };
}

/** Mẫu 04: the apology with the one new appointment. */
export function apologyDataOf(source: DossierFormSource, event: Of<'appointmentRedated'>): DossierDocuments['apology'] {
  return {
    ...dossierOf(source),
    issuer: issuerOf(source),
    issuedAt: event.at,
    receivedAt: receivedAtOf(source, event.at),
    originalAppointmentAt: event.originalAppointmentAt,
    newAppointmentAt: event.newAppointmentAt,
    reason: event.reason,
    signer: { title: 'THỦ TRƯỞNG CƠ QUAN', name: nameOf(source, event.actor) },
  };
}

/** Mẫu 05: the stop notice (no supplement in time, or withdrawn by the applicant). */
export function stopNoticeDataOf(source: DossierFormSource, event: Of<'dossierStopped'> | Of<'dossierWithdrawn'>): DossierDocuments['stop-notice'] {
  const cause: DossierDocuments['stop-notice']['cause'] =
    event.type === 'dossierStopped'
      ? { kind: 'no-supplement', requestedAt: event.requestedAt, supplementDays: Math.max(1, Math.round((event.supplementDueAt - event.requestedAt) / DAY_MS)) }
      : { kind: 'withdrawn', requestedAt: event.at };
  return {
    ...dossierOf(source),
    issuer: issuerOf(source),
    stoppedAt: event.at,
    receivedAt: receivedAtOf(source, event.at),
    cause,
    // Withdrawn: the actor is the applicant, not the head who signs (who then signs by hand).
    signer: { title: 'THỦ TRƯỞNG CƠ QUAN', name: event.type === 'dossierWithdrawn' ? '' : nameOf(source, event.actor) },
  };
}

/** Mẫu 06: the control slip, every hand-off until `asOf`. */
export function controlSlipDataOf(source: DossierFormSource, asOf: number): DossierDocuments['control-slip'] {
  const d = source.record.dossier;
  return {
    ...dossierOf(source),
    issuer: issuerOf(source),
    issuedAt: asOf,
    receivedAt: receivedAtOf(source, asOf),
    appointmentAt: d.appointmentAt ?? d.receiptAppointmentAt ?? asOf,
    handOffs: controlSlipHandOffs(source.history, { asOf }, { holder: (h) => holderName(source, h), official: (id) => nameOf(source, id) }),
  };
}
