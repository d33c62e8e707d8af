/**
 * The dossier events: past-tense facts the lifecycle produces, recorded in the audit chain
 * and read by the projections (tracking, statistics, the control slip). One discriminated
 * union on `type`; each says who (`actor`), when (`at`) and, where the law asks for it, why.
 */
import type { DossierChannel, DossierStatus, SupplementItem, SupplementStage } from './dossier';
import type { ClockAfterSupplement } from './dossier-rules';
import type { Timeliness } from './timeliness';

/** What every dossier event carries. */
export interface DossierEventBase {
  dossierId: string;
  /** Epoch ms. */
  at: number;
  /** Who did it (an official's user name, the applicant, or `system`). */
  actor: string;
  /** The status before and after. */
  from: DossierStatus;
  to: DossierStatus;
}

/** An online dossier's reception deadline (Decree 118 art. 17(2)): was it met? */
export interface OnlineAcceptance {
  dueAt: number;
  withinTime: boolean;
}

/** Every dossier event. */
export type DossierEvent = DossierEventBase &
  (
    | { type: 'dossierSubmitted'; code: string; channel: DossierChannel }
    | { type: 'deadlineWarned'; deadline: 'online-acceptance' | 'late-apology'; dueAt: number }
    | { type: 'dossierReceived'; code?: string; channel: DossierChannel; appointmentAt: number; rulesFrom: string; online?: OnlineAcceptance }
    | { type: 'dossierRefused'; reasons: string[]; online?: OnlineAcceptance }
    | { type: 'supplementRequested'; stage: SupplementStage; items: SupplementItem[]; dueAt: number; online?: OnlineAcceptance }
    | { type: 'dossierSupplemented'; stage: SupplementStage; clock?: ClockAfterSupplement; appointmentAt?: number }
    | { type: 'dossierStopped'; cause: 'no-supplement'; requestedAt: number; supplementDueAt: number }
    | { type: 'dossierWithdrawn'; reason?: string }
    | { type: 'processingStarted'; unit: string; transferDueAt: number; transferOnTime: boolean }
    | { type: 'dossierHandedOff'; fromHolder?: string; toHolder: string; dueAt?: number; note?: string }
    | { type: 'appointmentRedated'; originalAppointmentAt: number; newAppointmentAt: number; reason: string }
    | { type: 'dossierRejected'; reasons: string[]; withinTime: boolean }
    | { type: 'resultReady'; timeliness: Timeliness; eResult: boolean }
    | { type: 'resultReturned'; method: 'desk' | 'post' | 'online' }
    /** Who works on a step changed (claim, unclaim, assign): the status stays; staff see it, the public never. */
    | { type: TaskAssignmentEventType; taskId: string; elementId: string; stepName?: string; assignee?: string; previousAssignee?: string }
  );

/** The name of a dossier event. */
export type DossierEventType = DossierEvent['type'];

/** The events of who works on a dossier's step (task claims and assignments), kept in its history and audit chain. */
export type TaskAssignmentEventType = 'taskClaimed' | 'taskUnclaimed' | 'taskAssigned';

/** The {@link TaskAssignmentEventType}s: history rows the public tracking page never shows. */
export const TASK_ASSIGNMENT_EVENTS: ReadonlySet<DossierEventType> = new Set<DossierEventType>(['taskClaimed', 'taskUnclaimed', 'taskAssigned']);

/**
 * The history rows the applicant's tracking never shows: who works on a step, and the warnings
 * officials get before their own deadlines (accepting an online dossier, the late apology), which
 * say nothing about the dossier's status and read to an applicant as if the dossier were late
 * (the portal synchronisation leaves the warnings out too).
 */
export const NOT_TRACKED_EVENTS: ReadonlySet<DossierEventType> = new Set<DossierEventType>([...TASK_ASSIGNMENT_EVENTS, 'deadlineWarned']);
