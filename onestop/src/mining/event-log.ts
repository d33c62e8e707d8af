/**
 * The event log that process mining reads: one case per dossier (process instance),
 * one step per element run (an element activated, then completed, terminated, or still
 * open), with the times a step was ready, started (claimed by an official) and completed.
 *
 * Plain JSON, epoch milliseconds, no applicant in clear: whoever builds a log gives the
 * applicant as a pseudonym only (see `MiningSource.cases[].applicant`). Officials are
 * resources and stay as their user ids.
 */

/** How a step ended, or that it has not. */
export type StepOutcome = 'completed' | 'terminated' | 'open';

/** One run of one BPMN element in a case. */
export interface MiningStep {
  /** The element instance key (unique within its case). */
  key: number;
  elementId: string;
  /** The element's name in its model, else its id. */
  name: string;
  /** BPMN element type (`userTask`, `exclusiveGateway`, …; `multiInstanceBody` for the body of a multi-instance activity). */
  elementType: string;
  /** When the element was entered (a user task: when it landed in the inbox). */
  readyAt: number;
  /** When an official first claimed it (user tasks only; absent when it was completed without a claim). */
  startedAt?: number;
  /** When it was completed or terminated; absent while open. */
  endedAt?: number;
  outcome: StepOutcome;
  /** The user task's id. */
  taskId?: string;
  /** The official who completed it, or who holds it while it is open. */
  resource?: string;
  /** The agency that works on it (the task's, else the case's). */
  agency?: string;
  /** The task's due time, when it has one. */
  dueAt?: number;
}

/** One dossier's history. */
export interface MiningCase {
  /** The process instance id. */
  id: string;
  processId: string;
  processVersion: number;
  definitionId: string;
  /** The procedure's name (the process's), if any. */
  procedureName?: string;
  /** The procedure's agency (the definition's). */
  agency?: string;
  /** The applicant as a keyed pseudonym (never the applicant's id), when a citizen started the dossier. */
  applicant?: string;
  /** The official who received the dossier at the desk, when staff started it. */
  receivedBy?: string;
  status: string;
  startedAt: number;
  endedAt?: number;
  /** Steps in the order their elements were entered. */
  steps: MiningStep[];
}

/** The log and the moment it was taken (open steps are measured up to `asOf`). */
export interface MiningLog {
  asOf: number;
  cases: MiningCase[];
}
