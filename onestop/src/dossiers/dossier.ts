/**
 * The dossier (hồ sơ) as the lifecycle sees it: plain JSON, no Dates, no closures, so it
 * can be stored as a row and replayed. Times are epoch milliseconds.
 */
import type { DayCounting, WorkingTimeUnit } from '../../../engine/src/pure';
import type { ClockAfterSupplement, LegalDuration } from './dossier-rules';

/** Where a dossier is in its legal lifecycle (Decree 118/2025 art. 16–22). */
export type DossierStatus =
  | 'submitted'
  | 'received'
  | 'processing'
  | 'supplement-requested'
  | 'supplemented'
  | 'result-ready'
  | 'returned'
  | 'refused'
  | 'rejected'
  | 'stopped'
  | 'withdrawn';

/** Every status, in lifecycle order. */
export const DOSSIER_STATUSES: readonly DossierStatus[] = ['submitted', 'received', 'processing', 'supplement-requested', 'supplemented', 'result-ready', 'returned', 'refused', 'rejected', 'stopped', 'withdrawn'];

/** The statuses a dossier never leaves. (`result-ready` is not one: the result is still to be returned.) */
export const FINAL_STATUSES: readonly DossierStatus[] = ['returned', 'refused', 'rejected', 'stopped', 'withdrawn'];

/** How the dossier came in: online on the portal, at the desk, or by post. */
export type DossierChannel = 'online' | 'desk' | 'post';

/** Where a supplement was asked for: by the desk at reception (mẫu 02 before receipt), or by the processing unit. */
export type SupplementStage = 'reception' | 'processing';

/** One missing or wrong item of the dossier, with its reason (mẫu 02 lists every one). */
export interface SupplementItem {
  name: string;
  reason: string;
}

/**
 * What the lifecycle needs of the dossier's procedure, copied onto the dossier at
 * submission so that a later change of the catalogue does not move a running dossier.
 */
export interface DossierProcedure {
  id: string;
  /** The statutory time of the whole procedure, e.g. 7 working days, or 1 `sameDay`. */
  statutoryTime: { amount: number; unit: WorkingTimeUnit };
  /** How working days are counted from receipt (default `elapsed`: the clock starts at receipt). */
  dayCounting?: DayCounting;
  /** "HH:MM": received after it, the clock starts the next working day (null: none; absent: the engine's default, 15:00 for sameDay only). */
  cutoff?: string | null;
  /** After a complete supplement during processing: `restart` from zero or `pause` (remaining time resumes); absent: the rules' default. */
  clockAfterSupplement?: ClockAfterSupplement;
  /** The applicant's time to supplement when the procedure sets its own (absent: the rules' default, 15 days). */
  supplementDeadline?: LegalDuration;
}

/** The supplement request of a dossier (there is one at most by default). */
export interface DossierSupplement {
  stage: SupplementStage;
  requestedAt: number;
  /** The end of the applicant's time to supplement (15 calendar days by default); after it the desk stops the dossier. */
  dueAt: number;
  items: SupplementItem[];
  /** `pause` only: the statutory time that was left when the request was made. */
  remaining?: LegalDuration;
  completedAt?: number;
}

/** The dossier's lifecycle state. */
export interface Dossier {
  id: string;
  /** The dossier code (Decree 118 art. 28), once given. */
  code?: string;
  status: DossierStatus;
  channel: DossierChannel;
  procedure: DossierProcedure;
  submittedAt: number;
  /** effectiveFrom of the dossier rules it was received under: it keeps them. */
  rulesFrom?: string;
  /** Full and valid receipt: the clock starts here (as printed on the receipt). */
  receivedAt?: number;
  /** The appointment printed on the receipt (mẫu 01): stored, never recomputed when calendar data changes. */
  receiptAppointmentAt?: number;
  /** Where the statutory time currently counts from (receipt, or the complete supplement under `restart`). */
  clockStartedAt?: number;
  /** The legal appointment now: the receipt's, moved by a supplement (restart or pause) or re-dated once after an apology. */
  appointmentAt?: number;
  /** The appointment before it was re-dated (mẫu 04 prints both). */
  originalAppointmentAt?: number;
  /** How many times the appointment was re-dated. */
  redates: number;
  /** Set once re-dated: the dossier counts as late in every statistic whatever happens next. */
  late: boolean;
  /** When the processing unit received the dossier (the start of its 3 working days to ask for a supplement). */
  processingReceivedAt?: number;
  /** Who holds the dossier now (unit or agency), after the last hand-off. */
  holder?: string;
  supplementRequests: number;
  supplement?: DossierSupplement;
  /** When the result was ready, or the dossier rejected, stopped, refused or withdrawn. */
  finishedAt?: number;
  returnedAt?: number;
  /** The time of the last change: a later operation may not be dated before it. */
  updatedAt: number;
}

/** A new dossier as submitted (online, at the desk or by post), before any decision. */
export function submittedDossier(fields: { id: string; channel: DossierChannel; procedure: DossierProcedure; submittedAt: number; code?: string }): Dossier {
  return { ...fields, status: 'submitted', redates: 0, late: false, supplementRequests: 0, updatedAt: fields.submittedAt };
}
