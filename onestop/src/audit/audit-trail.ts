/**
 * The audit trail of the dossier layer: a DossierSink that chains every dossier event, a
 * StepListener that chains the task events of a dossier's instance (opened, completed,
 * cancelled, its due dates moved, with who and when), the sealing job and verification, over the
 * {@link AuditStore} port (adapter: onestop/src/store-sequelize/sequelize-audit-store.ts).
 *
 * ## Concurrency
 * An entry is appended inside the transaction that changes its dossier, under the dossier's
 * row lock: the writer needs only that dossier's head (last sequence and hash), so commands
 * of different dossiers never wait for each other (no global lock, no global sequence). The
 * head comes from what the transaction holds (read by the dossier layer with the lock, or
 * moved on by its own appends), else from the head remembered after the last commit, else
 * from the log; the append applies only after that head (else the transaction fails with a
 * serialization failure and the command runs again from the database).
 * Sealing runs off the command path; the store lets one sealer at a time through (a
 * transaction-level advisory lock), the others skip. Each seal reads only the entries written
 * since the previous one stopped (its horizon), not the whole log.
 */
import { ROOT, type StepListener, type StoreTransaction, type TransactionSql, type Effect } from '../../../engine/src/index';
import type { DossierChange, DossierSink } from '../dossiers/dossier-sink';
import { chainEntry, LogVerifier, sealHeads, type AuditEntry, type ChainedEntry, type ChainHeadOf, type AuditEntryContent, type AuditSeal, type AuditVerification, type SealedHead, type SealLink } from './hash-chain';

/** Where the audit log is kept. Every method runs in the transaction handed in. */
export interface AuditStore {
  /** The dossier's last entry; the caller holds the dossier's row lock. */
  head(tx: TransactionSql, dossierId: string): Promise<AuditEntry | undefined>;
  /** Appends chained entries (in order), only after the head they chain to; else the transaction fails with a serialization failure. */
  append(tx: TransactionSql, entries: readonly ChainedEntry[]): Promise<void>;
  /** Locks the dossier run by an instance (its row lock) and returns its id and its last entry (one round trip), or undefined. */
  lockDossierOfInstance(tx: TransactionSql, instanceId: string): Promise<{ dossierId: string; head?: AuditEntry } | undefined>;
  /** Takes the sealer's lock for the transaction; false when another sealer holds it. */
  tryLockSealing(tx: TransactionSql): Promise<boolean>;
  /** The last seal's sequence and hash, what the next one chains to (not its heads, which can be many). */
  lastSeal(tx: TransactionSql): Promise<SealLink | undefined>;
  /**
   * The new head of every dossier changed since the last seal (its last entry, past its last
   * sealed sequence), read from where the last seal stopped up to a horizon.
   */
  unsealedHeads(tx: TransactionSql): Promise<UnsealedHeads>;
  /** Stores a seal with the horizon its heads were read up to, and records its heads as sealed. */
  insertSeal(tx: TransactionSql, seal: AuditSeal, horizon: string): Promise<void>;
  /**
   * The log for verification, in batches of rows, in the order {@link LogVerifier} takes them:
   * every seal by sequence (with whether it records a dossier of the scope), then dossier by
   * dossier in id order, each dossier's entries in stored order and then the heads the seals
   * read here recorded for it, in seal order. Of every dossier or, with a scope, of the
   * agency's dossiers only (those it is responsible for or took part in). The seals are read
   * first, so every head they record was committed before the entries are read; the reading
   * is one consistent picture of the log, however long it takes (the transaction handed in).
   */
  readLog(tx: TransactionSql, scope?: AuditLogScope): AsyncIterable<AuditLogRow[]>;
}

/** What {@link AuditStore.unsealedHeads} found. */
export interface UnsealedHeads {
  heads: SealedHead[];
  /**
   * Where the reading stopped, in the store's terms: every entry below it was considered, and
   * none can appear below it later. Kept with the seal; the next reading starts there.
   */
  horizon: string;
}

/** Which part of the log to read: the dossiers of one agency. */
export interface AuditLogScope {
  agency: string;
}

/** A row of what {@link AuditStore.readLog} reads: a seal (`counts`: it records a dossier of the scope), an entry, or a head a seal recorded. */
export type AuditLogRow = { kind: 'seal'; seal: AuditSeal; counts: boolean } | { kind: 'entry'; entry: AuditEntry } | { kind: 'head'; seal: number; head: SealedHead };

/** Runs work in one transaction (the engine store's `transaction`). */
export type RunTransaction = <T>(work: (tx: StoreTransaction) => Promise<T>) => Promise<T>;

const TASK_EFFECTS: ReadonlySet<Effect['type']> = new Set(['taskOpened', 'taskCompleted', 'taskCancelled', 'taskUpdated']);

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
    } else if (effect.type === 'taskUpdated') {
      // A due date moved with the dossier's appointment, or a task listener's corrections.
      contents.push({ dossierId, at, actor, type: 'taskUpdated', data: { taskId: effect.taskId, changes: effect.changes } });
    }
  }
  return contents;
}

export class AuditTrail {
  /**
   * What each transaction knows of the dossiers it holds: each dossier's head (null: no entry
   * yet) and the dossier of each instance. The dossier layer tells it what it read with the
   * dossier's row lock (DossierSink.onDossierHeld), and every append moves the head on, so
   * the sink and the task listener chain without asking the database again.
   */
  private readonly known = new WeakMap<TransactionSql, { heads: Map<string, ChainHeadOf | null>; dossierOf: Map<string, string> }>();

  /**
   * The committed head of recently chained dossiers (null: no entry), so that a step chains
   * without reading it. Taken out for a transaction and put back only after its commit; the
   * append checks it against the log (AuditStore.append), so a head another process moved on
   * fails the transaction and the command runs again from the database. Bounded, oldest out.
   */
  private readonly heads = new Map<string, ChainHeadOf | null>();

  constructor(private readonly options: { store: AuditStore; transaction: RunTransaction; now: () => number; rememberedHeads?: number }) {}

  private rememberHead(dossierId: string, head: ChainHeadOf | null): void {
    const max = this.options.rememberedHeads ?? 10_000;
    this.heads.delete(dossierId);
    if (max === 0) return;
    this.heads.set(dossierId, head);
    if (this.heads.size > max) this.heads.delete(this.heads.keys().next().value as string);
  }

  /** The head this transaction chains from: what it knows, else the remembered one (taken out), else undefined (read it). */
  private headIn(known: { heads: Map<string, ChainHeadOf | null> }, dossierId: string): ChainHeadOf | null | undefined {
    if (known.heads.has(dossierId)) return known.heads.get(dossierId) ?? null;
    if (!this.heads.has(dossierId)) return undefined;
    const head = this.heads.get(dossierId) ?? null;
    this.heads.delete(dossierId);
    known.heads.set(dossierId, head);
    return head;
  }

  private knownIn(tx: TransactionSql): { heads: Map<string, ChainHeadOf | null>; dossierOf: Map<string, string> } {
    let known = this.known.get(tx);
    if (!known) this.known.set(tx, (known = { heads: new Map(), dossierOf: new Map() }));
    return known;
  }

  /** Chains contents after the dossier's head; the caller holds the dossier's row lock. */
  async appendAll(tx: TransactionSql, dossierId: string, contents: ReadonlyArray<Omit<AuditEntryContent, 'sequence'>>, instanceId?: string): Promise<void> {
    if (contents.length === 0) return;
    const known = this.knownIn(tx);
    const held = this.headIn(known, dossierId);
    let head: ChainHeadOf | undefined = held === undefined ? await this.options.store.head(tx, dossierId) : (held ?? undefined);
    const entries: ChainedEntry[] = [];
    for (const content of contents) {
      const chained = chainEntry(head, content);
      entries.push(chained);
      head = chained.entry;
    }
    await this.options.store.append(tx, entries);
    known.heads.set(dossierId, head ?? null);
    if (instanceId) known.dossierOf.set(instanceId, dossierId);
  }

  /** The sink of the dossier events (register it on the DossierService). */
  sink(): DossierSink {
    return {
      name: 'audit',
      onDossierHeld: (tx, held) => {
        const known = this.knownIn(tx);
        // What this transaction appended since is newer than what was read.
        if (held.auditHead !== undefined && !known.heads.has(held.dossierId)) {
          known.heads.set(held.dossierId, held.auditHead && { dossierId: held.dossierId, ...held.auditHead });
          this.heads.delete(held.dossierId);
        }
        if (held.instanceId) known.dossierOf.set(held.instanceId, held.dossierId);
      },
      onDossierChange: (tx, change: DossierChange) =>
        this.appendAll(
          tx,
          change.dossier.id,
          change.events.map((event) => ({ dossierId: change.dossier.id, at: event.at, actor: event.actor, type: event.type, data: dataOf(event as unknown as Record<string, unknown>) })),
          change.facts.instanceId || undefined,
        ),
    };
  }

  /** The listener of the task events of a dossier's instance (register it after the dossier layer's). */
  stepListener(): StepListener {
    return {
      wantsInstance: (instance) => typeof instance.state.elements[ROOT]?.vars?.dossierId === 'string',
      wants: (effect) => TASK_EFFECTS.has(effect.type),
      // Its writes are appends checked against the head they chain to (AuditStore.append).
      optimistic: true,
      onStep: async (tx, step) => {
        const contents = (dossierId: string) => taskEntryContents(dossierId, step.effects, step.now, step.actor ?? 'system');
        // Held in this transaction already (the dossier layer's listener ran first, under the dossier's lock).
        let dossierId = this.known.get(tx.sql)?.dossierOf.get(step.instance.id);
        if (dossierId) {
          await this.appendAll(tx.sql, dossierId, contents(dossierId), step.instance.id);
        } else {
          const locked = await this.options.store.lockDossierOfInstance(tx.sql, step.instance.id);
          if (!locked) return;
          dossierId = locked.dossierId;
          this.knownIn(tx.sql).heads.set(locked.dossierId, locked.head ?? null);
          await this.appendAll(tx.sql, locked.dossierId, contents(locked.dossierId), step.instance.id);
        }
        const id = dossierId;
        const head = this.known.get(tx.sql)?.heads.get(id);
        // After the commit, the head this transaction leaves is the dossier's.
        return head === undefined ? undefined : () => this.rememberHead(id, head);
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
      const { heads, horizon } = await store.unsealedHeads(tx.sql);
      // Nothing new: no seal, and the next one reads from the same place.
      if (heads.length === 0) return undefined;
      const seal = sealHeads(await store.lastSeal(tx.sql), heads, this.options.now());
      await store.insertSeal(tx.sql, seal, horizon);
      return seal;
    });
  }

  /**
   * Verifies the whole log, or with a scope the chains of one agency's dossiers and their
   * sealed heads (and the seal chain); names the first bad row. A scoped answer counts and
   * names only that agency's dossiers. The log is checked as it is read, in one transaction,
   * in bounded memory (one dossier's rows and a batch at a time), and stops at the first problem.
   */
  async verify(scope?: AuditLogScope): Promise<AuditVerification> {
    return this.options.transaction(async (tx) => {
      const verifier = new LogVerifier();
      for await (const rows of this.options.store.readLog(tx.sql, scope)) {
        for (const row of rows) {
          const found = row.kind === 'seal' ? verifier.seal(row.seal, row.counts) : row.kind === 'entry' ? verifier.entry(row.entry) : verifier.head(row.seal, row.head);
          if (found) return found;
        }
      }
      return verifier.end();
    });
  }
}
