/**
 * The outbox port: messages a dossier change must send (notices, portal records), written in
 * the change's transaction and sent afterwards by the {@link OutboxSender}.
 *
 * ## Delivery
 * A row is claimed (row lock with SKIP LOCKED, then a lease `claimedUntil` and a fresh claim
 * token, committed), sent outside any transaction, then marked sent under that token. A process
 * that dies between claim and mark leaves the row claimed until the lease ends; another sender
 * then claims it again and sends it again. Exactly-once delivery to SMTP or HTTP is impossible;
 * delivery is at most once per claim, and every try of a row carries the same message id
 * (`Message-ID` of a mail, `X-Motcua-Message-Id` of a portal request) so a receiver can
 * recognise a repeat. Rows of one dossier and channel leave in order (a row waits for the
 * earlier unsent ones).
 */
import type { TransactionSql } from '../../../engine/src/index';

export type OutboxChannel = 'notice' | 'portal';

/** A message to write with a dossier change. */
export interface OutboxMessage {
  channel: OutboxChannel;
  dossierId: string;
  agency: string;
  /** The notice kind or the dossier event type. */
  kind: string;
  payload: Record<string, unknown>;
}

/** A stored message. */
export interface OutboxRow extends OutboxMessage {
  id: string;
  createdAt: number;
  attempts: number;
  nextAt: number;
  claimedUntil?: number;
  claimToken?: string;
  sentAt?: number;
  lastError?: string;
}

/** The unsent messages of one dossier on one channel. */
export interface UnsentDossier {
  dossierId: string;
  agency: string;
  pending: number;
  attempts: number;
  firstCreatedAt: number;
  /** When the first of them (the one the others wait behind) is tried next. */
  nextAt: number;
  lastError?: string;
}

export interface OutboxStore {
  /** Writes messages inside a dossier change's transaction. */
  enqueue(tx: TransactionSql, messages: readonly OutboxMessage[], at: number): Promise<void>;
  /** Claims up to `limit` due rows of a channel: attempts + 1, a lease until `at + leaseMs`, a new token. */
  claim(tx: TransactionSql, channel: OutboxChannel, options: { at: number; leaseMs: number; limit: number; maxAttempts: number; token: string }): Promise<OutboxRow[]>;
  /** Marks a row sent if the claim is still this token's; false when it is not (the lease ran out and another claimed it). */
  markSent(tx: TransactionSql, id: string, token: string, at: number): Promise<boolean>;
  /** Records a failed try and when to try again; releases the claim. */
  markFailed(tx: TransactionSql, id: string, token: string, error: string, nextAt: number): Promise<void>;
  /** Dossiers with unsent rows on a channel (optionally of some agencies), oldest first. */
  unsent(tx: TransactionSql, channel: OutboxChannel, options: { agencies?: readonly string[]; limit: number }): Promise<UnsentDossier[]>;
  /** Makes every unsent row of a dossier due now with its attempts reset; returns how many. */
  resend(tx: TransactionSql, channel: OutboxChannel, dossierId: string, at: number): Promise<number>;
  /** The rows of one dossier on a channel (sent or not), in order. */
  rows(tx: TransactionSql, channel: OutboxChannel, dossierId: string): Promise<OutboxRow[]>;
  /** The applicant's name and email of a dossier, for the notices (personal data: read only to address them). */
  applicantContact(tx: TransactionSql, dossierId: string): Promise<{ name?: string; email?: string } | undefined>;
  /** A stored settings document (e.g. the portal status mapping). */
  setting(tx: TransactionSql, name: string): Promise<{ document: unknown; version: number; updatedAt: number; updatedBy?: string } | undefined>;
  saveSetting(tx: TransactionSql, name: string, document: unknown, at: number, by: string): Promise<number>;
}
