import type { InstanceRecord } from '../store/ports';
import type { LoggedCommand } from './command-log';
import type { CommittedEvent } from './options';

/** What one transaction did: events to publish and instance rows to remember, once it has committed. */
export class TransactionOutcome {
  readonly events: CommittedEvent[] = [];
  readonly records = new Map<string, InstanceRecord>();
  /** Set when jobs were written outside a step's effects (deferred child starts): wake the executor. */
  jobsWritten = false;
  /** What listeners asked to run once the transaction has committed. */
  readonly afterCommit: Array<() => void> = [];
  /** Child starts queued in this transaction and not yet written (they count against the chunk). */
  pendingStarts = 0;
  /** The last command stepped in this transaction and its instance, for the log lines about it. */
  command?: { command: LoggedCommand; instanceId: string };

  add(record: InstanceRecord, event: CommittedEvent): void {
    this.events.push(event);
    this.records.set(record.id, record);
  }
}
