/**
 * The dossier store: where dossiers, their status history, the daily code counter and the
 * log of personal-data reads are kept. A port in domain words; the only adapter with SQL is
 * onestop/src/store-sequelize/sequelize-dossier-store.ts.
 *
 * ## Contract
 * - Every write takes the transaction it belongs to (`TransactionSql`: the engine command's
 *   own, or one the dossier service opened), so a dossier change commits with its step or
 *   not at all; nothing here commits.
 * - `lock*` read a dossier and hold its row until the commit: changes of one dossier queue,
 *   changes of different dossiers never wait for each other.
 * - `nextSequence` increments the (agency, day) counter in the caller's transaction: a
 *   rolled-back receipt gives its number back (no gap), concurrent receipts queue on the
 *   counter row (no duplicate).
 * - Records are plain objects; times are epoch milliseconds.
 */
import type { TransactionSql } from '../../../engine/src/index';
import type { ProcedureRecord } from '../procedures/procedure';
import type { Dossier, DossierStatus } from './dossier';
import type { DossierEvent } from './dossier-events';

/** One document received with the dossier (Decree 118/2025 art. 19(2): what was received, in which form, how many). */
export interface ReceivedDocument {
  /** The document-type code of the procedure's catalogue entry. */
  code: string;
  name: string;
  /** original, certified copy, plain copy, or an electronic file. */
  form: 'original' | 'certified-copy' | 'copy' | 'electronic';
  copies: number;
  /** Scanned and signed by the receiving official (digitisation). */
  digitised?: boolean;
  note?: string;
}

/** The applicant (personal data, Law 91/2025): only what the procedure needs. */
export interface Applicant {
  name: string;
  kind: 'citizen' | 'organisation';
  idNumber?: string;
  phone?: string;
  email?: string;
  address?: string;
}

/** What a dossier row knows beyond the lifecycle state, none of it personal. */
export interface DossierDetails {
  documents: ReceivedDocument[];
  fee: { amount: number; currency: 'VND'; paid: boolean; paidOnline: boolean };
  /** The step the process is at: its agency and name (never an official's name). */
  currentStep?: { agency?: string; name: string; elementId: string };
  /** Who received it at the desk (an official's id), for desk and post receipts. */
  receivedBy?: string;
  province?: string;
  /** The deadlines officials were already warned of (deadline-warnings.ts). */
  warned?: Array<'online-acceptance' | 'late-apology'>;
}

/** A dossier as stored. */
export interface DossierRecord {
  dossier: Dossier & { code: string };
  /** The competent agency (its electronic identifier). */
  agency: string;
  /** Every agency that holds or held a step of it (the competent one first). */
  agencies: string[];
  procedureCode: string;
  /** The catalogue version in force at receipt (the dossier keeps it). */
  procedureVersion: number;
  definitionId?: string;
  instanceId?: string;
  /** Who submitted it: an official at the desk, or the citizen online. */
  submittedBy: string;
  /** The citizen account that owns it (online submissions). */
  applicantUser?: string;
  /** The tracking secret's hash (sha-256, hex); the secret itself is given once, at receipt. */
  trackingHash: string;
  details: DossierDetails;
  applicant: Applicant;
  revision: number;
}

/** One row of a dossier's status history. */
export interface DossierHistoryEntry {
  id: number;
  event: DossierEvent;
}

/**
 * What citizen tracking shows of one dossier, and the hash its secret is checked against: no
 * personal data, no official's name, the history without task-assignment events.
 */
export interface DossierTracking {
  trackingHash: string;
  dossier: Pick<Dossier & { code: string }, 'code' | 'status' | 'channel' | 'submittedAt' | 'receivedAt' | 'appointmentAt' | 'late'>;
  procedureCode: string;
  /** The catalogue's name of the procedure; absent when the catalogue has no such code. */
  procedureName?: { vi: string; en: string };
  currentStep?: DossierDetails['currentStep'];
  /** The public status history, oldest first. */
  history: Array<Pick<DossierEvent, 'at' | 'type' | 'from' | 'to'>>;
}

/** The head of a dossier's audit chain: its last entry's sequence and hash. */
export interface ChainHead {
  sequence: number;
  hash: string;
}

/** What a step's listener reads of its dossier in one round trip (see `lockForStep`). */
export interface DossierOfStep {
  record: DossierRecord;
  /** The dossier's last audit entry, read after the lock; null when it has none. */
  auditHead: ChainHead | null;
  /** The tasks the step completed, as they were before it (who held them). */
  tasks: Array<{ id: string; elementId: string; candidateGroups: string[]; assignee?: string }>;
}

/** What an official's dossier list filters on. */
export interface DossierQuery {
  /** The agency whose dossiers (as competent agency or holder of a step) are listed. */
  agency: string;
  status?: DossierStatus;
  procedureCode?: string;
  code?: string;
  limit: number;
  /** Dossiers submitted before this (the last one of the previous page). */
  before?: { submittedAt: number; id: string };
}

/** One read of personal data. */
export interface PersonalDataRead {
  dossierId: string;
  at: number;
  reader: string;
  readerAgency?: string;
  purpose: string;
}

/** What an inbox row shows of a task's dossier: no personal data. */
export interface DossierOfInstance {
  instanceId: string;
  id: string;
  code: string;
  status: DossierRecord['dossier']['status'];
  /** Received (at the desk, by post, or an online dossier accepted): an online one not yet received waits for the desk's decision. */
  received: boolean;
}

/** The dossier store (see the contract above). */
export interface DossierStore {
  /** The next number of the agency's daily sequence for the local day "YYYY-MM-DD". */
  nextSequence(tx: TransactionSql, agency: string, day: string): Promise<number>;
  /** `nextSequence`, and in the same statement the stored version of procedure `procedureCode` (undefined: no such entry). */
  receiptSequence(tx: TransactionSql, agency: string, day: string, procedureCode: string): Promise<{ sequence: number; procedureVersion: number | undefined }>;
  insert(tx: TransactionSql, record: DossierRecord, at: number): Promise<void>;
  /**
   * Writes the record with `revision` + 1, if the row still has `revision` (the caller holds
   * the row lock, or remembers the row: then a row that moved on fails the transaction with
   * a serialization failure, and the command runs again from the database).
   * `stateUnchanged`: the caller knows `record.dossier` is the row's state as it is (a step
   * that applied no event): the state column is kept, not written again.
   */
  update(tx: TransactionSql, record: DossierRecord, at: number, options?: { stateUnchanged?: boolean }): Promise<DossierRecord>;
  /** Locks the row if it still has `revision` (else fails the transaction as `update` does); queued, no round trip. */
  lockIfCurrent(tx: TransactionSql, id: string, revision: number): Promise<void>;
  lockById(tx: TransactionSql, id: string): Promise<DossierRecord | undefined>;
  lockByInstance(tx: TransactionSql, instanceId: string): Promise<DossierRecord | undefined>;
  /**
   * For a step of `instanceId`: locks its dossier and reads, in one round trip, the row, the
   * head of its audit chain (read after the lock is held) and the tasks `taskIds`; undefined
   * when the instance runs no dossier.
   */
  lockForStep(tx: TransactionSql, instanceId: string, taskIds: readonly string[]): Promise<DossierOfStep | undefined>;
  byId(tx: TransactionSql, id: string): Promise<DossierRecord | undefined>;
  byCode(tx: TransactionSql, code: string): Promise<DossierRecord | undefined>;
  /** The dossiers the instances run (code and status only: what an inbox row names), any order. */
  ofInstances(tx: TransactionSql, instanceIds: readonly string[]): Promise<DossierOfInstance[]>;
  /**
   * Citizen tracking's read of the dossier with this code: ONE statement run on its own (its
   * own transaction, no BEGIN/COMMIT: one round trip), prepared once per connection.
   * Undefined when no dossier has the code.
   */
  tracking(code: string): Promise<DossierTracking | undefined>;
  list(tx: TransactionSql, query: DossierQuery): Promise<DossierRecord[]>;
  /** The dossiers a citizen account submitted, newest first. */
  listOfApplicant(tx: TransactionSql, applicantUser: string, limit: number): Promise<DossierRecord[]>;
  /**
   * Locks (skipping rows another scanner holds) the dossiers a deadline warning may be due for:
   * online dossiers still submitted, dossiers waiting for a supplement, and open dossiers whose appointment is before `appointmentBefore`.
   */
  warningCandidates(tx: TransactionSql, options: { appointmentBefore: number; limit: number }): Promise<DossierRecord[]>;
  appendHistory(tx: TransactionSql, events: readonly DossierEvent[]): Promise<void>;
  history(tx: TransactionSql, dossierId: string): Promise<DossierHistoryEntry[]>;
  logPersonalDataRead(tx: TransactionSql, read: PersonalDataRead): Promise<void>;
  personalDataReads(tx: TransactionSql, dossierId: string): Promise<PersonalDataRead[]>;
  /** The procedure catalogue. */
  saveProcedure(tx: TransactionSql, procedure: ProcedureRecord): Promise<void>;
  procedure(tx: TransactionSql, code: string): Promise<ProcedureRecord | undefined>;
  procedures(tx: TransactionSql, filter?: { agency?: string }): Promise<ProcedureRecord[]>;
}
