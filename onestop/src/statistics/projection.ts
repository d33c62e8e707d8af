/**
 * The statistics projection: one row per dossier with the facts the Decision 766 / Decree
 * 118 indicators need, rewritten by the statistics sink in the transaction of every change
 * of the dossier, so that the figures are a grouped count over rows, never a scan of history.
 *
 * What can be decided when the dossier changes is decided then (a finished dossier's
 * timeliness by both measures and its working days, on the agency's calendar); what
 * depends on the moment the figures are taken (a dossier in progress, on time or overdue)
 * is left as a due time the query compares with its `asOf`:
 *   in progress overdue ⇔ forced late, or (the supplement request, while waiting for it, else asOf) > due.
 * Pure: no I/O, no clock.
 */
import type { DossierChange } from '../dossiers/dossier-sink';
import type { DossierClock } from '../dossiers/dossier-clock';
import { factsOfDossier, legalTimeliness, processingWorkingDays, timeliness766, type DossierFacts } from './indicators';

/** The timeliness of a finished dossier. */
export type FinishedTimeliness = 'early' | 'on-time' | 'late';

/** One row of `dossier_statistics` (epoch ms). */
export interface StatisticsRow {
  dossierId: string;
  code: string;
  agency: string;
  province: string;
  procedureCode: string;
  /** The official who received the dossier (desk, post, or the acceptance of an online one); kept once known. */
  official?: string;
  channel: DossierChange['dossier']['channel'];
  status: DossierChange['dossier']['status'];
  submittedAt: number;
  receivedAt?: number;
  finishedAt?: number;
  /** Decision 766's due time: the receipt's appointment moved later by the complete supplement's working time. */
  due766At?: number;
  /** The legal appointment (restart or pause applied; before any re-dating). */
  legalDueAt?: number;
  /** While waiting for a supplement, the measure ends at the request. */
  measureEndAt?: number;
  /** Late whatever the dates (Decision 766: re-dated, or more than one supplement request). */
  forcedLate766: boolean;
  /** Re-dated after an apology: late by the legal measure too. */
  redated: boolean;
  supplementRequests: number;
  /** Finished dossiers: their timeliness by each measure. */
  timeliness766?: FinishedTimeliness;
  timelinessLegal?: FinishedTimeliness;
  /** Finished dossiers: receipt → finish in working days, the supplement time subtracted. */
  workingDays?: number;
  paidOnline: boolean;
  /** The result was issued electronically (from `resultReady`, the process variable `eResult`; or returned online); kept once known. */
  eResult?: boolean;
}

/** The province of an agency: the facts' one, else the last part of a national identifier (000.02.00.H29 → H29). */
export function provinceOf(agency: string, province?: string): string {
  if (province) return province;
  const parts = agency.split('.');
  return parts.length > 1 ? parts[parts.length - 1] : agency;
}

/** The row of a dossier after a change, on the agency's calendar. */
export function statisticsRowOf(change: DossierChange, clock: DossierClock): StatisticsRow {
  const { dossier, events, facts } = change;
  const received = events.find((e) => e.type === 'dossierReceived');
  const ready = events.find((e): e is Extract<typeof e, { type: 'resultReady' }> => e.type === 'resultReady');
  // A result returned online is an electronic one, whatever was said when it was ready.
  const returnedOnline = events.some((e) => e.type === 'resultReturned' && e.method === 'online');
  const row: StatisticsRow = {
    dossierId: dossier.id,
    code: dossier.code ?? '',
    agency: facts.agency,
    province: provinceOf(facts.agency, facts.province),
    procedureCode: facts.procedureCode,
    ...(received ? { official: received.actor } : {}),
    channel: dossier.channel,
    status: dossier.status,
    submittedAt: dossier.submittedAt,
    forcedLate766: dossier.redates > 0 || dossier.supplementRequests > 1,
    redated: dossier.redates > 0,
    supplementRequests: dossier.supplementRequests,
    paidOnline: facts.paidOnline ?? false,
    ...(returnedOnline ? { eResult: true } : ready ? { eResult: ready.eResult } : {}),
  };
  const f = factsOfDossier(dossier, { resultRequired: true, eResult: false, digitisedInputs: false, fee: 0, paidOnline: row.paidOnline, complaints: 0 });
  if (!f) {
    // Never received (submitted online and waiting, refused at reception, withdrawn before receipt).
    return dossier.finishedAt !== undefined ? { ...row, finishedAt: dossier.finishedAt } : row;
  }
  const asOf = f.finishedAt ?? f.receivedAt;
  const options = { asOf, clock };
  row.receivedAt = f.receivedAt;
  row.legalDueAt = f.appointmentAt;
  row.due766At = due766(f, clock);
  if (f.supplement && f.supplement.completedAt === undefined && f.finishedAt === undefined) row.measureEndAt = f.supplement.requestedAt;
  if (f.finishedAt !== undefined) {
    row.finishedAt = f.finishedAt;
    // A withdrawal is the applicant's end, not the agency's finish: no timeliness, no working days.
    if (dossier.status === 'withdrawn') return row;
    row.timeliness766 = timeliness766(f, options) as FinishedTimeliness;
    row.timelinessLegal = legalTimeliness(f, options) as FinishedTimeliness;
    row.workingDays = processingWorkingDays(f, clock);
  }
  return row;
}

/** The receipt's appointment moved later by the complete supplement's working hours (as timeliness766 measures). */
function due766(f: DossierFacts, clock: DossierClock): number {
  const s = f.supplement;
  if (!s || s.completedAt === undefined || (f.finishedAt !== undefined && s.completedAt > f.finishedAt)) return f.receiptAppointmentAt;
  const hours = Math.max(0, clock.between(s.requestedAt, s.completedAt, 'workingHours'));
  return hours > 0 ? clock.add(f.receiptAppointmentAt, hours, 'workingHours') : f.receiptAppointmentAt;
}
