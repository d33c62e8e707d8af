import type { InstanceRecord } from '../store/ports';

/**
 * The last committed row of recently used instances, for the optimistic path:
 * a command on a remembered instance is computed from it and written in one
 * guarded statement; a stale entry (another process moved the instance on)
 * fails the guard and the command takes the locking path. Bounded, least
 * recently used out first.
 */
export class InstanceCache {
  private readonly entries = new Map<string, InstanceRecord>();

  constructor(private readonly max: number) {}

  get(id: string): InstanceRecord | undefined {
    const record = this.entries.get(id);
    if (record) {
      this.entries.delete(id);
      this.entries.set(id, record);
    }
    return record;
  }

  remember(record: InstanceRecord): void {
    this.entries.delete(record.id);
    if (record.status !== 'active' || this.max === 0) return;
    this.entries.set(record.id, record);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  /** Removes and returns a record: the caller owns it (and may change its state) until it remembers a new one. */
  take(id: string): InstanceRecord | undefined {
    const record = this.entries.get(id);
    this.entries.delete(id);
    return record;
  }
}
