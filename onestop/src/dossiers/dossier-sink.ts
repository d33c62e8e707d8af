/**
 * Where a dossier's events go inside the transaction that changes the dossier: the audit
 * chain, the statistics projections, the tracking view, the notice and portal outboxes.
 * The dossier store calls every registered sink after it wrote the dossier row and before
 * the commit, with the dossier as it now is and the events of the change, in order.
 *
 * ## Contract
 * - A sink writes only its own rows, through `tx` (its adapter's SQL), and never commits.
 * - If it throws, the whole change rolls back (the engine step with it, when the change
 *   came from a step) and the caller gets the error.
 * - Sinks of one change run one after another in registration order; changes of different
 *   dossiers may run concurrently, so a sink never takes a lock wider than its dossier.
 */
import type { TransactionSql } from '../../../engine/src/index';
import type { Dossier } from './dossier';
import type { DossierEvent } from './dossier-events';
import type { ChainHead } from './dossier-store';

/** One change of one dossier, as its sinks see it. */
export interface DossierChange {
  /** The dossier after the change. */
  dossier: Dossier;
  /** What happened, in order (at least one event). */
  events: readonly DossierEvent[];
  /** The facts of the dossier that sinks need and the lifecycle does not keep. */
  facts: DossierChangeFacts;
}

/** What the dossier row knows beyond the lifecycle state. */
export interface DossierChangeFacts {
  /** The process instance the dossier runs. */
  instanceId: string;
  /** The competent agency (its code) that received the dossier. */
  agency: string;
  /** The province (its code) the agency belongs to, for the public statistics. */
  province?: string;
  /** The national procedure code. */
  procedureCode: string;
  /** Whether the fee was paid online (indicator 5.4). */
  paidOnline?: boolean;
  /** How to reach the applicant (for the notices), as the row holds it; absent: read it. */
  contact?: { name?: string; email?: string };
}

/**
 * What the dossier layer already knows of a dossier in a transaction that holds it (its row
 * lock, or a row it just inserted), so that sinks and listeners of the same transaction need
 * not read it again.
 */
export interface DossierHeld {
  dossierId: string;
  /** The process instance the dossier runs, when attached. */
  instanceId?: string;
  /** The head of the dossier's audit chain: null when it has no entry, absent when not read. */
  auditHead?: ChainHead | null;
}

/** Code that commits with every dossier change (see the contract above). */
export interface DossierSink {
  /** A short name, for logs and errors. */
  readonly name: string;
  onDossierChange(tx: TransactionSql, change: DossierChange): Promise<void>;
  /** Told, before any change of the transaction, what the dossier layer holds (optional). */
  onDossierHeld?(tx: TransactionSql, held: DossierHeld): void;
}
