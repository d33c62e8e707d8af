/**
 * The notice and portal outboxes of the dossier layer: their sinks (rows written in the
 * transaction of every dossier change), their senders, the portal status mapping (bundled,
 * replaced by an admin) and the unsynchronised list with its re-send.
 */
import type { TransactionSql } from '../../../engine/src/index';
import type { DossierSink } from '../dossiers/dossier-sink';
import { NOTICE_EVENTS, noticesOf } from '../notices/notices';
import { bundledStatusMapping, parseStatusMapping, portalMessagesOf, type StatusMapping } from '../portal/portal-sync';
import { OutboxSender, type OutboxSenderOptions, type OutboxTransport } from './outbox-sender';
import type { OutboxChannel, OutboxRow, OutboxStore, UnsentDossier } from './outbox-store';

const MAPPING = 'status-mapping';

export interface OutboxesOptions {
  outbox: OutboxStore;
  transaction: <T>(work: (sql: TransactionSql) => Promise<T>) => Promise<T>;
  now: () => number;
  /** Absent: notices stay queued. */
  noticeTransport?: OutboxTransport;
  /** Builds the portal transport given how to read the mapping in force; absent: portal rows stay queued. */
  portalTransport?: (mapping: () => Promise<StatusMapping>) => OutboxTransport;
  sender?: Partial<Pick<OutboxSenderOptions, 'leaseMs' | 'baseDelayMs' | 'maxDelayMs' | 'maxAttempts' | 'batch'>>;
  warn?: (message: string, facts: Record<string, unknown>) => void;
}

export class Outboxes {
  readonly notices: OutboxSender;
  readonly portal: OutboxSender;
  readonly sinks: DossierSink[];

  constructor(private readonly options: OutboxesOptions) {
    const { outbox, transaction, now, warn } = options;
    const common = { outbox, transaction, now, ...options.sender, ...(warn ? { warn } : {}) };
    this.notices = new OutboxSender({ ...common, channel: 'notice', ...(options.noticeTransport ? { transport: options.noticeTransport } : {}) });
    this.portal = new OutboxSender({ ...common, channel: 'portal', ...(options.portalTransport ? { transport: options.portalTransport(() => this.statusMapping().then((m) => m.mapping)) } : {}) });
    this.sinks = [
      {
        name: 'notice-outbox',
        async onDossierChange(tx, change) {
          if (!change.events.some((e) => NOTICE_EVENTS.has(e.type))) return;
          const notices = noticesOf(change, change.facts.contact ?? (await outbox.applicantContact(tx, change.dossier.id)));
          const at = change.events[change.events.length - 1].at;
          await outbox.enqueue(
            tx,
            notices.map((n) => ({ channel: 'notice', dossierId: change.dossier.id, agency: change.facts.agency, kind: n.kind, payload: { ...n } })),
            at,
          );
        },
      },
      {
        name: 'portal-outbox',
        async onDossierChange(tx, change) {
          const messages = portalMessagesOf(change);
          if (messages.length > 0) await outbox.enqueue(tx, messages, change.events[change.events.length - 1].at);
        },
      },
    ];
  }

  /** The mapping in force: the stored one, else the bundled one. */
  async statusMapping(): Promise<{ mapping: StatusMapping; version: number; updatedAt?: number; updatedBy?: string }> {
    const stored = await this.options.transaction((sql) => this.options.outbox.setting(sql, MAPPING));
    if (!stored) return { mapping: bundledStatusMapping(), version: 0 };
    return { mapping: parseStatusMapping(stored.document), version: stored.version, updatedAt: stored.updatedAt, ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}) };
  }

  /** Replaces the mapping (validated; throws StatusMappingError naming every wrong place); returns its version. */
  async replaceStatusMapping(document: unknown, by: string): Promise<number> {
    const mapping = parseStatusMapping(document);
    return this.options.transaction((sql) => this.options.outbox.saveSetting(sql, MAPPING, mapping, this.options.now(), by));
  }

  /** Dossiers whose records have not all reached the portal (or whose notices wait), oldest first. */
  unsent(channel: OutboxChannel, options: { agencies?: readonly string[]; limit?: number } = {}): Promise<UnsentDossier[]> {
    return this.options.transaction((sql) => this.options.outbox.unsent(sql, channel, { limit: options.limit ?? 100, ...(options.agencies ? { agencies: options.agencies } : {}) }));
  }

  /** Makes a dossier's unsent rows due now (attempts reset) and sends what is due; returns how many rows were made due. */
  async resend(channel: OutboxChannel, dossierId: string): Promise<{ requeued: number; sent: number; failed: number }> {
    const requeued = await this.options.transaction((sql) => this.options.outbox.resend(sql, channel, dossierId, this.options.now()));
    const result = requeued > 0 ? await (channel === 'portal' ? this.portal : this.notices).drain() : { sent: 0, failed: 0 };
    return { requeued, ...result };
  }

  rows(channel: OutboxChannel, dossierId: string): Promise<OutboxRow[]> {
    return this.options.transaction((sql) => this.options.outbox.rows(sql, channel, dossierId));
  }

  start(pollMs: number): void {
    this.notices.start(pollMs);
    this.portal.start(pollMs);
  }

  async stop(): Promise<void> {
    await Promise.all([this.notices.stop(), this.portal.stop()]);
  }
}
