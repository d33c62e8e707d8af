/**
 * The overdue scan of the officials' inboxes: open user tasks past their due date, and those
 * whose follow-up date (the warning before due) has come, are each reported once as a history
 * event (`taskOverdue`, `taskFollowUp`), so the push feed sends `task.overdue` and
 * `task.followUp` to everyone concerned like any other event, live and on replay. Overdue work
 * is visible to everyone concerned: the official holding it, the agency's group, its heads.
 *
 * The store records each date exactly once across any number of processes
 * (`EngineStore.recordPassedDates`), each event made by the engine's history producer
 * (`passedDateEvent`: the task, its element, its assignee then); this class runs the passes
 * on a timer.
 */
import type { EngineStore } from '../../../engine/src/index';

/** Options of {@link OverdueScanner}. */
export interface OverdueScannerOptions {
  /** Where passed dates are recorded (the engine's store). */
  store: Pick<EngineStore, 'recordPassedDates'>;
  /** The clock (epoch ms). */
  now: () => number;
  /** Scan interval in ms; 0 or less: no timer (call `scan()` yourself). */
  intervalMs: number;
  /** Tasks marked per statement (default 500). */
  batchSize?: number;
  /** Called after a scan that reported tasks (to wake the feed). */
  onReported: (count: number) => void;
  onError: (error: unknown) => void;
}

/** Reports overdue tasks on a timer; `scan()` runs one pass now. */
export class OverdueScanner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private closed = false;

  constructor(private readonly options: OverdueScannerOptions) {}

  /** Starts the timer (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.scan().catch((error) => this.options.onError(error));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Reports every task overdue now, then every follow-up date come (in batches); resolves with how many. A pass in progress is joined. */
  scan(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the timer and waits for a pass in progress. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    const batchSize = this.options.batchSize ?? 500;
    let total = 0;
    for (const kind of ['overdue', 'followUp'] as const) {
      while (!this.closed) {
        const reported = await this.options.store.recordPassedDates(kind, this.options.now(), batchSize);
        total += reported;
        if (reported > 0) this.options.onReported(reported);
        if (reported < batchSize) break;
      }
    }
    return total;
  }
}
