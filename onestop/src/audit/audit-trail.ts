/**
 * The audit trail of the dossier layer: a DossierSink that chains every dossier event, a
 * StepListener that chains the task events of a dossier's instance (opened, completed,
 * cancelled, with who and when), the sealing job and verification, over the
 * {@link AuditStore} port (adapter: onestop/src/store-sequelize/sequelize-audit-store.ts).
 *
 * ## Concurrency
 * An entry is appended inside the transaction that changes its dossier, under the dossier's
 * row lock: the writer reads only that dossier's head (last sequence and hash), so commands
 * of different dossiers never wait for each other (no global lock, no global sequence).
 * Sealing runs off the command path; the store lets one sealer at a time through (a
 * transaction-level advisory lock), the others skip.
 */
import { ROOT, type StepListener, type StoreTransaction, type TransactionSql, type Effect } from '../../../engine/src/index';
import type { DossierChange, DossierSink } from '../dossiers/dossier-sink';
import { appendEntry, sealHeads, verify, type AuditEntry, type AuditEntryContent, type AuditSeal, type AuditVerification, type SealedHead } from './hash-chain';

/** Where the audit log is kept. Every method runs in the transaction handed in. */
export interface AuditStore {
  /** The dossier's last entry; the caller holds the dossier's row lock. */
  head(tx: TransactionSql, dossierId: string): Promise<AuditEntry | undefined>;
  /** Appends chained entries (in order). */
  append(tx: TransactionSql, entries: readonly AuditEntry[]): Promise<void>;
  /** Locks the dossier run by an instance (its row lock) and returns its id and its last entry (one round trip), or undefined. */
  lockDossierOfInstance(tx: TransactionSql, instanceId: string): Promise<{ dossierId: string; head?: AuditEntry } | undefined>;
  /** Takes the sealer's lock for the transaction; false when another sealer holds it. */
  tryLockSealing(tx: TransactionSql): Promise<boolean>;
  lastSeal(tx: TransactionSql): Promise<AuditSeal | undefined>;
  /** The head of every dossier whose last entry is past its last sealed sequence. */
  unsealedHeads(tx: TransactionSql): Promise<SealedHead[]>;
  /** Stores a seal and records its heads as sealed. */
  insertSeal(tx: TransactionSql, seal: AuditSeal): Promise<void>;
  /** The whole log: entries in stored order, seals by sequence. */
  readLog(tx: TransactionSql): Promise<{ entries: AuditEntry[]; seals: AuditSeal[] }>;
}

/** Runs work in one transaction (the engine store's `transaction`). */
export type RunTransaction = <T>(work: (tx: StoreTransaction) => Promise<T>) => Promise<T>;

const TASK_EFFECTS: ReadonlySet<Effect['type']> = new Set(['taskOpened', 'taskCompleted', 'taskCancelled']);

/** What a dossier event says beyond the fields every entry has. */
function dataOf(event: Record<string, unknown>): Record<string, unknown> {
  const { dossierId: _d, at: _a, actor: _w, type: _t, ...data } = event;
  return data;
}

/** The audit entry contents of a step's task effects (who and when from the step). */
export function taskEntryContents(dossierId: string, effects: readonly Effect[], at: number, actor: string): Array<Omit<AuditEntryContent, 'sequence'>> {
  const contents: Array<Omit<AuditEntryContent, 'sequence'>> = [];
  for (const effect of effects) {
    if (effect.type === 'taskOpened') {
      const { id, elementId, name, assignee, candidateGroups, candidateUsers } = effect.task;
      contents.push({ dossierId, at, actor, type: 'taskOpened', data: { taskId: id, elementId, name, assignee, candidateGroups, candidateUsers } });
    } else if (effect.type === 'taskCompleted') {
      contents.push({ dossierId, at, actor, type: 'taskCompleted', data: { taskId: effect.taskId } });
    } else if (effect.type === 'taskCancelled') {
      contents.push({ dossierId, at, actor, type: 'taskCancelled', data: { taskId: effect.taskId } });
    }
  }
  return contents;
}

export class AuditTrail {
  /**
   * What this transaction already appended, by instance: the dossier's id and new head. The
   * dossier layer's listener runs first and holds the dossier's row lock; the task listener
   * then chains after that head without asking the database again.
   */
  private readonly appended = new WeakMap<TransactionSql, Map<string, { dossierId: string; head: AuditEntry }>>();

  constructor(private readonly options: { store: AuditStore; transaction: RunTransaction; now: () => number }) {}

  /** Chains contents after the dossier's head; the caller holds the dossier's row lock. */
  async appendAll(tx: TransactionSql, dossierId: string, contents: ReadonlyArray<Omit<AuditEntryContent, 'sequence'>>, known?: { head?: AuditEntry }, instanceId?: string): Promise<void> {
    if (contents.length === 0) return;
    let head = known ? known.head : await this.options.store.head(tx, dossierId);
    const entries: AuditEntry[] = [];
    for (const content of contents) {
      head = appendEntry(head, content);
      entries.push(head);
    }
    await this.options.store.append(tx, entries);
    if (instanceId && head) {
      let map = this.appended.get(tx);
      if (!map) this.appended.set(tx, (map = new Map()));
      map.set(instanceId, { dossierId, head });
    }
  }

  /** The sink of the dossier events (register it on the DossierService). */
  sink(): DossierSink {
    return {
      name: 'audit',
      onDossierChange: (tx, change: DossierChange) =>
        this.appendAll(
          tx,
          change.dossier.id,
          change.events.map((event) => ({ dossierId: change.dossier.id, at: event.at, actor: event.actor, type: event.type, data: dataOf(event as unknown as Record<string, unknown>) })),
          undefined,
          change.facts.instanceId || undefined,
        ),
    };
  }

  /** The listener of the task events of a dossier's instance (register it after the dossier layer's). */
  stepListener(): StepListener {
    return {
      wantsInstance: (instance) => typeof instance.state.elements[ROOT]?.vars?.dossierId === 'string',
      wants: (effect) => TASK_EFFECTS.has(effect.type),
      onStep: async (tx, step) => {
        const contents = (dossierId: string) => taskEntryContents(dossierId, step.effects, step.now, step.actor ?? 'system');
        // Chained in this transaction already (under the dossier's lock): go on from that head.
        const earlier = this.appended.get(tx.sql)?.get(step.instance.id);
        if (earlier) return this.appendAll(tx.sql, earlier.dossierId, contents(earlier.dossierId), earlier, step.instance.id);
        const locked = await this.options.store.lockDossierOfInstance(tx.sql, step.instance.id);
        if (!locked) return;
        await this.appendAll(tx.sql, locked.dossierId, contents(locked.dossierId), locked, step.instance.id);
      },
    };
  }

  /**
   * Seals the new heads of every dossier that changed since the last seal, chained to it.
   * Returns the seal, or undefined when nothing changed or another process is sealing.
   */
  async seal(): Promise<AuditSeal | undefined> {
    const { store } = this.options;
    return this.options.transaction(async (tx) => {
      if (!(await store.tryLockSealing(tx.sql))) return undefined;
      const heads = await store.unsealedHeads(tx.sql);
      if (heads.length === 0) return undefined;
      const seal = sealHeads(await store.lastSeal(tx.sql), heads, this.options.now());
      await store.insertSeal(tx.sql, seal);
      return seal;
    });
  }

  /** Verifies the whole log; names the first bad row. */
  async verify(): Promise<AuditVerification> {
    const { entries, seals } = await this.options.transaction((tx) => this.options.store.readLog(tx.sql));
    return verify(entries, seals);
  }
}
