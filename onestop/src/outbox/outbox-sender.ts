/**
 * Sends what the outbox holds: claims due rows of one channel, hands each to the channel's
 * transport, marks it sent or schedules the next try with exponential back-off. Runs as a loop
 * (`start`) or on demand (`drain`, used by tests and the re-send route). See outbox-store.ts
 * for the delivery guarantee.
 */
import { randomUUID } from 'node:crypto';
import type { TransactionSql } from '../../../engine/src/index';
import type { OutboxChannel, OutboxRow, OutboxStore } from './outbox-store';

/** Delivers one row; throws when it was not delivered. */
export type OutboxTransport = (row: OutboxRow) => Promise<void>;

export interface OutboxSenderOptions {
  channel: OutboxChannel;
  outbox: OutboxStore;
  transaction: <T>(work: (sql: TransactionSql) => Promise<T>) => Promise<T>;
  /** Absent: nothing is sent; rows stay queued (and are listed) until a transport is configured. */
  transport?: OutboxTransport;
  now: () => number;
  /** How long a claim holds before another sender may take the row again (default 60 s). */
  leaseMs?: number;
  /** First retry delay; doubles per attempt up to `maxDelayMs` (defaults 5 s and 1 h). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many tries a row waits for a manual re-send (default 10). */
  maxAttempts?: number;
  batch?: number;
  warn?: (message: string, facts: Record<string, unknown>) => void;
}

/** The delay before try `attempts + 1`. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export class OutboxSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: OutboxSenderOptions) {}

  get channel(): OutboxChannel {
    return this.options.channel;
  }

  get configured(): boolean {
    return this.options.transport !== undefined;
  }

  /** Claims due rows (exposed so a test can simulate a crash between claim and send). */
  claim(limit = this.options.batch ?? 20): Promise<OutboxRow[]> {
    const o = this.options;
    return o.transaction((sql) =>
      o.outbox.claim(sql, o.channel, { at: o.now(), leaseMs: o.leaseMs ?? 60_000, limit, maxAttempts: o.maxAttempts ?? 10, token: randomUUID() }),
    );
  }

  /** Sends until nothing is due; returns how many rows were sent and how many failed. */
  async drain(): Promise<{ sent: number; failed: number }> {
    const o = this.options;
    const total = { sent: 0, failed: 0 };
    if (!o.transport) return total;
    for (;;) {
      const rows = await this.claim();
      if (rows.length === 0) return total;
      for (const row of rows) {
        try {
          await o.transport(row);
        } catch (error) {
          total.failed++;
          const message = (error as Error).message || String(error);
          const nextAt = o.now() + backoffMs(row.attempts, o.baseDelayMs ?? 5_000, o.maxDelayMs ?? 3_600_000);
          await o.transaction((sql) => o.outbox.markFailed(sql, row.id, row.claimToken!, message.slice(0, 2000), nextAt));
          o.warn?.(`an outbox ${o.channel} message was not sent`, { id: row.id, dossierId: row.dossierId, attempts: row.attempts, error: message });
          continue;
        }
        if (await o.transaction((sql) => o.outbox.markSent(sql, row.id, row.claimToken!, o.now()))) total.sent++;
      }
    }
  }

  /** Drains every `pollMs` until `stop()`. */
  start(pollMs: number): void {
    if (this.timer || !this.options.transport || pollMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.drain()
        .catch((error: Error) => this.options.warn?.(`the outbox ${this.options.channel} sender failed`, { error: error.message }))
        .finally(() => (this.running = undefined));
    }, pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
