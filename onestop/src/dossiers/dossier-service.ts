/**
 * The dossier use cases over the engine and the dossier store: receipt (the dossier row and
 * its process instance in one transaction), the legal operations of officials and applicants,
 * the step listener that moves a dossier with its process, reads with the personal-data log,
 * citizen tracking, and the procedure catalogue. No HTTP and no authorization here: the API
 * decides who may call what, from the facts these return.
 *
 * ## Transactions
 * - Receipt: `engine.startInstance({ within })` decides the dossier (code from the daily
 *   counter, receipt decision) in the start's transaction; the start step's listener call then
 *   inserts its row, attached to the instance as that step leaves it, and writes the receipt's
 *   history and sinks (one write of the row). A failed start leaves no dossier and no used
 *   number. The catalogue entry is the one a receipt last read, checked against the stored
 *   version by the counter's statement (read again when it changed).
 * - A step: the listener (`stepListener()`) runs in the command's transaction, applies the
 *   step through `applyStepToDossier` (the same legal guards as an official's operation) and
 *   writes the row, the history and the sinks' rows with it. It computes from the row its
 *   instance's last committed step left (remembered after the commit, with the open tasks'
 *   holders) and writes it guarded by that revision, so the engine may send the whole step
 *   in one round trip (StepListener.optimistic); without a memory it reads the row, the
 *   audit head and the completed tasks in one round trip under the row's lock. A row another
 *   process moved on fails the guard and the command runs again from the database.
 * - The due dates of the open steps follow the dossier's appointment (step-due-dates.ts): an
 *   operation that may move it (acceptance, supplement, apology) runs inside the engine's
 *   `rescheduleTasks`, which locks the instance, then (here) its open tasks' rows, then the
 *   dossier's, and writes the new due dates and the process's `appointmentAt` as a step of the
 *   instance before the same commit; a step that moves it (a supplement the process received)
 *   answers the same as a `reschedule` its engine writes right after it (StepListenerOutcome).
 *   The process's `appointmentAt` is the dossier's: set at receipt, null for an online dossier
 *   until it is accepted (the engine then counts none from the submission).
 * - An operation: its own transaction locks the dossier row, decides, writes. Then, after the
 *   commit, the process is told: a dossier that ends (refused, rejected, withdrawn, stopped)
 *   cancels the instance, a supplement is correlated as the message `dossier.supplemented`
 *   (correlation key: the dossier code) to the process, which the operation's transaction
 *   checked waits for it. A step whose end event takes the dossier to a status the
 *   lifecycle refuses is refused; task forms and messages cannot set the dossier's variables.
 * - `events` emits `dossier.updated` ({@link DossierUpdated}) after each commit that changed a
 *   dossier.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type CalendarProvider, ConflictError, ROOT, type Effect, type Engine, type EngineStore, type InstanceRecord, InvalidInputError, type ListenedStep, MotcuaError, NotFoundError, type StepListener, type StepListenerOutcome, type StoreTransaction, type TaskSchedule, type TransactionSql } from '../../../engine/src/index';
import { dossierProcedureOf, inForce, type ProcedureDocument, type ProcedureRecord } from '../procedures/procedure';
import { ProcedureCatalogue } from '../procedures/procedure-catalogue';
import { controlSlipHandOffs, holderShares, type HolderShare } from './control-slip';
import { FINAL_STATUSES, submittedDossier, type Dossier, type DossierChannel } from './dossier';
import { dossierClockOf, type DossierClock } from './dossier-clock';
import { formatDossierCode } from './dossier-code';
import type { DossierEvent } from './dossier-events';
import { localDateOf, rulesForDossier, type DossierRules } from './dossier-rules';
import type { DossierChange, DossierHeld, DossierSink } from './dossier-sink';
import type { Applicant, DossierDetails, DossierHistoryEntry, DossierOfInstance, DossierQuery, DossierRecord, DossierStore, PersonalDataRead, ReceivedDocument } from './dossier-store';
import { dueWarnings } from './deadline-warnings';
import { decide, type DossierOperation, type Refusal } from './lifecycle';
import { applyStepToDossier, DOSSIER_VARIABLES, dossierEventsOfStep, dossierStatusOf, dossierVariableWritten, graphFacts, type TaskHolderFacts } from './step-events';
import { stepDueDates, type OpenStep, type StepDueDate } from './step-due-dates';

/** A legal guard refused an operation: `refusal` says which rule, with its article. */
export class DossierOperationRefusedError extends MotcuaError {
  readonly refusal: Refusal;
  constructor(refusal: Refusal) {
    super('DOSSIER_OPERATION_REFUSED', `${refusal.code}: ${refusal.reason}`, { refusal: refusal.code, article: refusal.article });
    this.refusal = refusal;
  }
}

/** What `dossier.updated` carries: enough to choose the rooms, never personal data. */
export interface DossierUpdated {
  dossierId: string;
  code: string;
  status: Dossier['status'];
  agency: string;
  agencies: string[];
  applicantUser?: string;
  revision: number;
  events: Array<{ type: DossierEvent['type']; at: number; from: string; to: string }>;
}

/** A receipt: what the desk, the post room or the citizen hands in. */
export interface ReceiptInput {
  procedureCode: string;
  channel: DossierChannel;
  applicant: Applicant;
  /** The documents received; a document without a name takes the name its type has in the procedure's catalogue entry. */
  documents: ReceivedDocumentInput[];
  fee?: { paid: boolean; paidOnline: boolean };
  /** Who submits: the receiving official, or the citizen online. */
  actor: string;
  /** The citizen account that owns an online dossier. */
  applicantUser?: string;
  /** Refuses (throws) a process definition the receiver may not start: checked in the start's transaction, before anything is written. */
  checkDefinition?: (definition: { processId: string; agency?: string }) => void;
}

/** A document as a receipt gives it: its name may be left to the procedure's catalogue entry. */
export type ReceivedDocumentInput = Omit<ReceivedDocument, 'name'> & { name?: string };

/** What the applicant takes home: the code and the tracking secret (shown once). */
export interface Receipt {
  record: DossierRecord;
  secret: string;
}

/** The public view of a dossier (tracking): no personal data, no official's name. */
export interface TrackingView {
  code: string;
  procedure: { code: string; name: { vi: string; en: string } };
  status: Dossier['status'];
  channel: DossierChannel;
  submittedAt: number;
  receivedAt?: number;
  appointmentAt?: number;
  late: boolean;
  currentStep?: { agency?: string; name: string };
  history: Array<{ at: number; type: DossierEvent['type']; from: string; to: string }>;
}

export interface DossierServiceOptions {
  engine: Engine;
  store: EngineStore;
  dossiers: DossierStore;
  rules: DossierRules;
  calendars: CalendarProvider;
  now: () => number;
  sinks?: DossierSink[];
  /** Where the listener's warnings go (a process that reached a status an official must decide). */
  warn?: (message: string, facts: Record<string, unknown>) => void;
}

/** A dossier as the last committed step of its instance left it, with the holders of its open tasks. */
interface RememberedDossier {
  record: DossierRecord;
  tasks: Map<string, { elementId: string; candidateGroups: string[] }>;
}

/** The unknown code's stand-in hash: tracking does the same work for a wrong secret and an unknown code. */
const DUMMY_HASH = createHash('sha256').update('motcua: no such dossier').digest('hex');

const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** The message a supplement is passed on as, correlated by the dossier's code. */
const SUPPLEMENT_MESSAGE = 'dossier.supplemented';

const WANTED: ReadonlySet<Effect['type']> = new Set(['instanceStarted', 'taskOpened', 'taskCompleted', 'instanceEnded', 'messageReceived']);

/** The operations that may move a dossier's appointment, and with it the due dates of its open steps. */
const MOVES_APPOINTMENT: ReadonlySet<DossierOperation['type']> = new Set(['receive', 'supplement', 'apologize']);

/** Whether two current steps (of a dossier's details) are the same step. */
function sameStep(a: DossierDetails['currentStep'], b: DossierDetails['currentStep']): boolean {
  return a === b || (a !== undefined && b !== undefined && a.agency === b.agency && a.name === b.name && a.elementId === b.elementId);
}

/** The process variable `appointmentAt` of a dossier: its appointment (ISO), or null while it has none (online, not yet accepted). */
function appointmentVariable(dossier: Dossier): string | null {
  return dossier.appointmentAt !== undefined ? new Date(dossier.appointmentAt).toISOString() : null;
}

export class DossierService {
  readonly events = new EventEmitter();
  private readonly sinks: DossierSink[];
  /** Changes written by the listener, published when their command has committed. */
  private readonly pending = new Map<string, DossierUpdated[]>();
  private readonly stopObserving: () => void;
  /** The procedure catalogue the receipts read. */
  readonly catalogue: ProcedureCatalogue;

  constructor(private readonly options: DossierServiceOptions) {
    this.sinks = [...(options.sinks ?? [])];
    this.catalogue = new ProcedureCatalogue({ store: options.store, dossiers: options.dossiers, now: options.now });
    const onCommitted = (event: { instanceId: string }) => {
      const changes = this.pending.get(event.instanceId);
      if (!changes) return;
      this.pending.delete(event.instanceId);
      for (const change of changes) this.events.emit('dossier.updated', change);
    };
    options.engine.events.on('committed', onCommitted);
    this.stopObserving = () => options.engine.events.off('committed', onCommitted);
  }

  /** Stops following the engine's commits. */
  close(): void {
    this.stopObserving();
  }

  /** Registers a sink (audit, statistics, outboxes) called in every dossier change's transaction. */
  addSink(sink: DossierSink): () => void {
    this.sinks.push(sink);
    return () => {
      const at = this.sinks.indexOf(sink);
      if (at >= 0) this.sinks.splice(at, 1);
    };
  }

  private clockOf(agency: string, at: number): DossierClock {
    return dossierClockOf(this.options.calendars(agency, at).calendar);
  }

  private read<T>(work: (sql: TransactionSql) => Promise<T>): Promise<T> {
    return this.options.store.transaction((tx) => work(tx.sql));
  }

  // ------------------------------------------------------------------ catalogue (procedure-catalogue.ts)

  procedures(filter: { agency?: string } = {}): Promise<ProcedureRecord[]> {
    return this.catalogue.procedures(filter);
  }

  procedure(code: string): Promise<ProcedureRecord> {
    return this.catalogue.procedure(code);
  }

  saveProcedure(...args: Parameters<ProcedureCatalogue['save']>): Promise<ProcedureRecord> {
    return this.catalogue.save(...args);
  }

  loadLibrary(documents: readonly ProcedureDocument[], actor?: string, warn?: (message: string) => void): Promise<ProcedureRecord[]> {
    return this.catalogue.loadLibrary(documents, actor, warn);
  }

  // ------------------------------------------------------------------ receipt

  /**
   * Receives a dossier: at the desk or by post (received at once: code, appointment on the
   * competent agency's calendar, mẫu 01), or online (submitted: the desk accepts or sends it
   * back within the online limit). Starts the procedure's process in the same transaction.
   */
  async receive(input: ReceiptInput): Promise<Receipt> {
    // The catalogue entry a receipt of this procedure last read: no transaction to read it again. The receipt's
    // transaction checks it is still the stored version; until that check passed, anything refused on it
    // (the entry changed, or a decision on it failed) is decided again on the stored entry.
    const remembered = this.catalogue.rememberedForReceipt(input.procedureCode);
    if (remembered) {
      const check = { current: false };
      try {
        return await this.receiveOn(remembered, input, check);
      } catch (error) {
        if (check.current) throw error;
      }
    }
    return this.receiveOn(await this.catalogue.procedureForReceipt(input.procedureCode), input, undefined);
  }

  /** A receipt on `procedure`; `check` (a remembered entry): its version is checked in the transaction, `current` says it passed. */
  private async receiveOn(procedure: ProcedureRecord, input: ReceiptInput, check: { current: boolean } | undefined): Promise<Receipt> {
    const now = this.options.now();
    const rules = rulesForDossier(this.options.rules, {}, now);
    const today = localDateOf(now, rules.utcOffsetMinutes);
    if (!inForce(procedure, today)) throw new ConflictError(`procedure '${procedure.code}' is not in force on ${today}`, { field: 'body.procedureCode' });
    checkReceipt(procedure, input);
    const agency = procedure.document.competentAgency.agency;
    const id = randomUUID();
    const secret = randomBytes(18).toString('base64url');
    let record: DossierRecord | undefined;
    let receiptEvents: DossierEvent[] = [];
    let receiptSql: TransactionSql | undefined;
    await this.options.engine.startInstance({
      processId: procedure.document.processId,
      businessKey: id,
      actor: input.actor,
      ...(input.checkDefinition ? { checkDefinition: input.checkDefinition } : {}),
      within: async (tx, definition) => {
        const { sequence, procedureVersion } = await this.options.dossiers.receiptSequence(tx.sql, agency, today, procedure.code);
        if (check) {
          check.current = procedureVersion === procedure.version;
          if (!check.current) throw new ConflictError(`procedure '${procedure.code}' changed since it was read (v${procedure.version}, now ${procedureVersion === undefined ? 'none' : `v${procedureVersion}`})`);
        }
        const code = formatDossierCode({ agency, receivedAt: now, sequence }, { pattern: rules.dossierCode.pattern, agencyIdentifier: rules.dossierCode.agencyIdentifier, utcOffsetMinutes: rules.utcOffsetMinutes });
        let dossier: Dossier = submittedDossier({ id, channel: input.channel, procedure: dossierProcedureOf(procedure), submittedAt: now, code });
        const events: DossierEvent[] = [{ dossierId: id, at: now, actor: input.actor, from: 'submitted', to: 'submitted', type: 'dossierSubmitted', code, channel: input.channel }];
        if (input.channel !== 'online') {
          const decision = decide(dossier, { type: 'receive', code }, { now, actor: input.actor, rules: this.options.rules, clock: this.clockOf(agency, now) });
          if (!decision.ok) throw new DossierOperationRefusedError(decision.refusal);
          dossier = decision.dossier;
          events.push(...decision.events);
        }
        const fee = procedure.document.fee;
        const details: DossierDetails = {
          documents: namedDocuments(procedure, input.documents),
          fee: { amount: input.channel === 'online' && fee.onlineAmount !== undefined ? fee.onlineAmount : fee.amount, currency: 'VND', paid: input.fee?.paid ?? false, paidOnline: input.fee?.paidOnline ?? false },
          ...(input.channel !== 'online' ? { receivedBy: input.actor } : {}),
        };
        record = {
          dossier: dossier as Dossier & { code: string },
          agency,
          agencies: [agency],
          procedureCode: procedure.code,
          procedureVersion: procedure.version,
          definitionId: definition.id,
          submittedBy: input.actor,
          ...(input.applicantUser ? { applicantUser: input.applicantUser } : {}),
          trackingHash: hashSecret(secret),
          details,
          applicant: input.applicant,
          revision: 1,
        };
        // A new row: its audit chain is empty. The start step's listener, in this transaction, inserts the row
        // (attached to its instance, as that step leaves it) and then writes the receipt's history and sinks.
        this.held(tx.sql, { dossierId: id, auditHead: null });
        this.received.set(tx.sql, { record, events });
        receiptSql = tx.sql;
        receiptEvents = events;
        // One appointment rules: the process counts from the dossier's (the catalogue's statutory time), not its own; an
        // online dossier has none until it is accepted (null: the engine must not count one from the submission).
        return { dossierId: id, dossierCode: code, appointmentAt: appointmentVariable(dossier) };
      },
    });
    // The start step inserted the row, attached to its instance: the row as it wrote it.
    const stored = receiptSql && this.received.get(receiptSql)?.written;
    if (!stored) throw new Error(`the start step of dossier ${record?.dossier.code ?? id} did not write it (is the dossier layer's step listener registered?)`);
    this.events.emit('dossier.updated', updatedOf(stored, receiptEvents));
    return { record: stored, secret };
  }

  // ------------------------------------------------------------------ operations

  /**
   * Applies an official's or the applicant's operation under its legal guards; a refusal
   * throws DossierOperationRefusedError naming the rule. `check` sees the dossier (locked)
   * first and may refuse (the API's authorization).
   */
  async operate(id: string, operation: DossierOperation, actor: string, check?: (record: DossierRecord) => void): Promise<DossierRecord> {
    const now = this.options.now();
    const work = async (tx: StoreTransaction) => {
      const current = await this.options.dossiers.lockById(tx.sql, id);
      if (!current) throw new NotFoundError(`dossier '${id}' does not exist`, { field: 'params.id' });
      check?.(current);
      const decision = decide(current.dossier, operation, { now, actor, rules: this.options.rules, clock: this.clockOf(current.agency, current.dossier.receivedAt ?? now) });
      if (!decision.ok) throw new DossierOperationRefusedError(decision.refusal);
      if (operation.type === 'supplement') await this.assertProcessWaitsForSupplement(tx, current);
      const next = await this.options.dossiers.update(tx.sql, { ...current, dossier: decision.dossier as Dossier & { code: string } }, now);
      await this.write(tx.sql, next, decision.events, undefined);
      return { record: next, events: decision.events, moved: next.dossier.appointmentAt !== current.dossier.appointmentAt };
    };
    // An operation that may move the appointment (acceptance, supplement, apology) runs with the instance locked
    // (the order a step takes: instance, then dossier), so that its open steps' due dates move in the same transaction.
    const instanceId = MOVES_APPOINTMENT.has(operation.type) ? (await this.read((sql) => this.options.dossiers.byId(sql, id)))?.instanceId : undefined;
    const { record, events } = instanceId
      ? await this.options.engine.rescheduleTasks(instanceId, {
          actor,
          within: async (tx, instance) => {
            // The open tasks' rows before the dossier's, the order of a step and of a claim (task-assignment-trail.ts): no deadlock.
            const tasks = instance?.status === 'active' ? await openStepsOf(tx, instance, true) : [];
            const done = await work(tx);
            if (!done.moved || !instance || instance.status !== 'active' || done.record.instanceId !== instance.id) return { result: done };
            return { result: done, ...(await this.scheduleOf(done.record.dossier, instance, tasks)) };
          },
        })
      : await this.options.store.transaction(work);
    // The row moved on: a step must not compute from what it remembered (its guard would only fail).
    if (record.instanceId) this.remembered.delete(record.instanceId);
    this.events.emit('dossier.updated', updatedOf(record, events));
    await this.tellProcess(record, operation, actor);
    return record;
  }

  /**
   * A supplement must reach a process whose model waits for one (a `dossier.supplemented`
   * message event): when the model has such an event but the instance does not wait at it
   * (it is elsewhere), the supplement is refused rather than recorded for a process that
   * would never see it. Read under the dossier's lock, in the operation's transaction.
   */
  private async assertProcessWaitsForSupplement(tx: StoreTransaction, record: DossierRecord): Promise<void> {
    // At reception the desk's own task is still open: the process waits for no message.
    if (!record.instanceId || !record.definitionId || record.dossier.supplement?.stage !== 'processing') return;
    const graph = await this.options.engine.graph(record.definitionId);
    const handles = Object.values(graph.nodes).some((node) => {
      const definition = (node as { eventDefinition?: { kind: string; messageName?: string } }).eventDefinition;
      return definition?.kind === 'message' && definition.messageName === SUPPLEMENT_MESSAGE;
    });
    if (!handles) return;
    const waiting = await tx.messageSubscriptions(SUPPLEMENT_MESSAGE, record.dossier.code);
    if (!waiting.some((s) => s.instanceId === record.instanceId)) {
      throw new ConflictError(`the process of dossier '${record.dossier.code}' does not wait for a supplement now (no instance waits for message '${SUPPLEMENT_MESSAGE}' with correlation key '${record.dossier.code}'): the supplement is not recorded`, { field: 'body.type', instanceId: record.instanceId });
    }
  }

  /** After an operation's commit: end the process of a dossier that ended, pass a supplement on. */
  private async tellProcess(record: DossierRecord, operation: DossierOperation, actor: string): Promise<void> {
    if (!record.instanceId) return;
    try {
      // A dossier that ends here (refused, rejected, withdrawn, stopped) is finished: its process ends with it, no task left in
      // any inbox, unless the model returns that status to the applicant through a task of its own (e.g. "return the refusal").
      if (FINAL_STATUSES.includes(record.dossier.status) && record.dossier.status !== 'returned' && !(await this.modelReturns(record))) {
        const instance = await this.options.store.instance(record.instanceId);
        if (instance?.status === 'active') await this.options.engine.cancelInstance(record.instanceId, { actor, reason: `dossier ${record.dossier.status}` });
      } else if (operation.type === 'supplement') {
        await this.options.engine.correlateMessage({ messageName: SUPPLEMENT_MESSAGE, correlationKey: record.dossier.code, actor });
      }
    } catch (error) {
      // The process does not wait for it (no such message, already ended): the dossier is what counts.
      this.options.warn?.('the process was not told of a dossier operation', { dossierId: record.dossier.id, operation: operation.type, error: (error as Error).message });
    }
  }

  /** Whether the dossier's model has a user task that takes the dossier to its (refused or rejected) status: the model's own way back to the applicant. */
  private async modelReturns(record: DossierRecord): Promise<boolean> {
    const status = record.dossier.status;
    if ((status !== 'refused' && status !== 'rejected') || !record.definitionId) return false;
    const graph = await this.options.engine.graph(record.definitionId);
    return Object.values(graph.nodes).some((node) => node.type === 'userTask' && node.facts?.dossierStatus !== undefined && dossierStatusOf(node.facts.dossierStatus) === status);
  }

  /**
   * What a change of a dossier's appointment moves in its process, in the change's transaction:
   * the process's `appointmentAt`, and the due dates of its open steps on the dossier's legal
   * clock (step-due-dates.ts), from their task rows.
   */
  private async scheduleOf(dossier: Dossier, instance: InstanceRecord, tasks: readonly OpenStep[]): Promise<Omit<TaskSchedule<never>, 'result'>> {
    const graph = await this.options.engine.graph(instance.definitionId);
    const rules = rulesForDossier(this.options.rules, dossier, dossier.receivedAt ?? dossier.submittedAt);
    return { tasks: stepDueDates({ dossier, rules, graph, calendars: this.options.calendars, tasks }), variables: { appointmentAt: appointmentVariable(dossier) } };
  }

  /**
   * The due dates of the open steps of the dossier an instance runs, counted again on the
   * calendar data now in force (a calendar change: holidays or made-up working days added or
   * removed, an agency's hours): on the dossier's legal clock (restart or pause after a
   * supplement, step-due-dates.ts), never after its appointment. The appointment does not move:
   * the one printed on the receipt (or given at a supplement, or by the apology) stays, and so
   * does the process's `appointmentAt`: calendar data never re-set it. For the engine's
   * `rescheduleTasks` of the change, `tasks` read from their rows under the instance's lock: the
   * dossier's row is locked after them (the order of a step). Undefined when the instance runs
   * no dossier.
   *
   * @example
   *   // within engine.rescheduleTasks(instanceId, …), the instance locked:
   *   const moved = await dossiers.stepDueDatesOnCalendar(tx, instance, await openStepsOf(tx, instance, true));
   */
  async stepDueDatesOnCalendar(tx: StoreTransaction, instance: InstanceRecord, tasks: readonly OpenStep[]): Promise<StepDueDate[] | undefined> {
    if (this.notDossiers.has(instance.id)) return undefined;
    const record = await this.options.dossiers.lockByInstance(tx.sql, instance.id);
    if (!record) return undefined;
    return (await this.scheduleOf(record.dossier, instance, tasks)).tasks ?? [];
  }

  /** Tells the sinks what this transaction holds of a dossier (see DossierSink.onDossierHeld). */
  private held(sql: TransactionSql, held: DossierHeld): void {
    for (const sink of this.sinks) sink.onDossierHeld?.(sql, held);
  }

  /** Writes the history and calls the sinks for a change already written to the row. */
  private async write(sql: TransactionSql, record: DossierRecord, events: readonly DossierEvent[], instanceId: string | undefined): Promise<void> {
    if (events.length === 0) return;
    await this.options.dossiers.appendHistory(sql, events);
    const change: DossierChange = {
      dossier: record.dossier,
      events,
      facts: {
        instanceId: record.instanceId ?? instanceId ?? '',
        agency: record.agency,
        procedureCode: record.procedureCode,
        paidOnline: record.details.fee.paidOnline,
        ...(record.details.province ? { province: record.details.province } : {}),
        // The row's applicant (never changed after receipt): the notices need no read.
        contact: { ...(record.applicant.name ? { name: record.applicant.name } : {}), ...(record.applicant.email ? { email: record.applicant.email } : {}) },
      },
    };
    for (const sink of this.sinks) await sink.onDossierChange(sql, change);
  }

  // ------------------------------------------------------------------ the process drives the dossier

  /**
   * Instances known to run no dossier: a dossier is attached to its instance in the instance's
   * very first step, so an instance without one never gets one (bounded, oldest out first).
   */
  private readonly notDossiers = new Set<string>();

  /**
   * The dossier of each recently stepped instance as its last committed step left it, with
   * its open tasks' holders: the next step computes from it without reading the row, and its
   * write is guarded by the remembered revision (DossierStore.update / lockIfCurrent).
   */
  private readonly remembered = new Map<string, RememberedDossier>();

  /**
   * The dossier a receipt decided in a transaction, with its events: its start step's listener
   * inserts the row (`written`) already attached to the instance, then writes the receipt's
   * history and sinks, so a receipt writes the row once (no insert, then an update that
   * attaches the instance and moves every index of the row).
   */
  private readonly received = new WeakMap<TransactionSql, { record: DossierRecord; events: readonly DossierEvent[]; written?: DossierRecord }>();

  private rememberNotDossier(instanceId: string): void {
    this.notDossiers.add(instanceId);
    if (this.notDossiers.size > 10_000) this.notDossiers.delete(this.notDossiers.values().next().value as string);
  }

  /** The listener to register on the engine (`engine.addStepListener`). */
  stepListener(): StepListener {
    return {
      // A receipt starts its instance with the dossier's id among the variables (see `receive`):
      // the steps of every other instance keep the engine's one-statement path.
      wantsInstance: (instance) => typeof instance.state.elements[ROOT]?.vars?.dossierId === 'string',
      wants: (effect) => WANTED.has(effect.type),
      onStep: (tx, step) => this.onStep(tx, step),
      // From memory, its writes are guarded by the dossier's revision; otherwise it reads, and the step takes the locking path.
      optimistic: true,
    };
  }

  /** The task holders a step's completions need, from memory; undefined when one is not remembered or its holder is its assignee (which changes outside steps). */
  private holdersFromMemory(remembered: RememberedDossier, completedIds: readonly string[], factsOf: ReturnType<typeof graphFacts>): Map<string, TaskHolderFacts> | undefined {
    const holders = new Map<string, TaskHolderFacts>();
    for (const id of completedIds) {
      const task = remembered.tasks.get(id);
      if (!task || (task.candidateGroups.length === 0 && !factsOf(task.elementId)?.agency)) return undefined;
      holders.set(id, task);
    }
    return holders;
  }

  private rememberDossier(instanceId: string, remembered: RememberedDossier): void {
    this.remembered.delete(instanceId);
    this.remembered.set(instanceId, remembered);
    if (this.remembered.size > 10_000) this.remembered.delete(this.remembered.keys().next().value as string);
  }

  private async onStep(tx: StoreTransaction, step: ListenedStep): Promise<void | StepListenerOutcome> {
    if (this.notDossiers.has(step.instance.id)) return;
    // The dossier's own variables come from its row, never from a form or a message: the step is refused.
    const overwritten = dossierVariableWritten(step.effects);
    if (overwritten) {
      throw new InvalidInputError(`variable '${overwritten.name}' belongs to the dossier (${DOSSIER_VARIABLES.join(', ')}): a task or a message cannot set it`, { field: overwritten.field, variable: overwritten.name });
    }
    const completedIds: string[] = [];
    for (const effect of step.effects) if (effect.type === 'taskCompleted') completedIds.push(effect.taskId);
    const started = step.effects.find((e): e is Extract<Effect, { type: 'instanceStarted' }> => e.type === 'instanceStarted');
    const graph = await this.options.engine.graph(step.instance.definitionId);
    const factsOf = graphFacts(graph);
    // The start step of a receipt: the row `within` wrote in this transaction, not yet attached.
    const receipt = started?.businessKey ? this.received.get(tx.sql) : undefined;
    // What the last committed step of this instance left (taken out: it goes back only with the next commit).
    const remembered = this.remembered.get(step.instance.id);
    this.remembered.delete(step.instance.id);
    let record: DossierRecord | undefined;
    let attached = false;
    /** The row was not read under its lock: its write is guarded by the remembered revision. */
    let fromMemory = false;
    let completed = remembered && this.holdersFromMemory(remembered, completedIds, factsOf);
    /** The receipt whose row this step inserts. */
    let toInsert: typeof receipt;
    if (receipt && receipt.record.dossier.id === started?.businessKey && !receipt.written) {
      record = { ...receipt.record, instanceId: step.instance.id };
      attached = true;
      toInsert = receipt;
      this.held(tx.sql, { dossierId: record.dossier.id, instanceId: step.instance.id });
    } else if (remembered && completed) {
      record = remembered.record;
      fromMemory = true;
      this.held(tx.sql, { dossierId: record.dossier.id, instanceId: step.instance.id });
    } else {
      // One round trip: the row (locked), its audit chain's head, and who held the tasks the step completed.
      const found = await this.options.dossiers.lockForStep(tx.sql, step.instance.id, completedIds);
      completed = new Map();
      if (found) {
        record = found.record;
        this.held(tx.sql, { dossierId: record.dossier.id, instanceId: step.instance.id, auditHead: found.auditHead });
        for (const task of found.tasks) completed.set(task.id, { elementId: task.elementId, candidateGroups: task.candidateGroups, ...(task.assignee ? { assignee: task.assignee } : {}) });
      } else {
        const pending = started?.businessKey ? await this.options.dossiers.lockById(tx.sql, started.businessKey) : undefined;
        if (!pending || pending.instanceId) {
          this.rememberNotDossier(step.instance.id);
          return;
        }
        record = { ...pending, instanceId: step.instance.id };
        attached = true;
        this.held(tx.sql, { dossierId: record.dossier.id, instanceId: step.instance.id });
      }
    }
    const holders = completed ?? new Map<string, TaskHolderFacts>();
    const outcome = dossierEventsOfStep({ effects: step.effects, instance: step.instance, now: step.now, ...(step.actor ? { actor: step.actor } : {}) }, { factsOf, taskOf: (id) => holders.get(id) });
    // An online dossier is accepted by an official (its 8 working hours), never by the process opening the desk's task.
    if (record.dossier.status === 'submitted') outcome.statuses = outcome.statuses.filter((s) => s.status !== 'received');
    const actor = step.actor ?? 'system';
    const applied = applyStepToDossier(record.dossier, outcome, { now: step.now, actor, rules: this.options.rules, clock: this.clockOf(record.agency, record.dossier.receivedAt ?? step.now) });
    // A process that ends must leave its dossier where its end event says: when the lifecycle
    // refuses that status from where the dossier is, the step is refused (no dossier left behind).
    const endRefused = step.instance.status === 'completed' ? applied.refusals[0] : undefined;
    if (endRefused) {
      const status = endRefused.operation.type === 'reach' ? endRefused.operation.status : endRefused.operation.type;
      throw new DossierOperationRefusedError({ ...endRefused.refusal, reason: `the process would end dossier '${record.dossier.code}' (${record.dossier.status}) as ${status}, which the lifecycle refuses: ${endRefused.refusal.reason}` });
    }

    const details = { ...record.details };
    const agencies = new Set(record.agencies);
    // The open tasks' holders, remembered for the next steps (assignees change outside steps: never trusted from memory).
    const tasks = new Map(remembered?.tasks);
    for (const effect of step.effects) {
      if (effect.type === 'taskOpened') {
        const facts = factsOf(effect.task.elementId);
        const agency = effect.task.facts?.agency ?? facts?.agency;
        if (agency) agencies.add(agency);
        details.currentStep = { ...(agency ? { agency } : {}), name: effect.task.name ?? effect.task.elementId, elementId: effect.task.elementId };
        tasks.set(effect.task.id, { elementId: effect.task.elementId, candidateGroups: [...(effect.task.candidateGroups ?? [])] });
      } else if (effect.type === 'taskCompleted' || effect.type === 'taskCancelled') {
        tasks.delete(effect.taskId);
      } else if (effect.type === 'instanceEnded') {
        delete details.currentStep;
      }
    }
    const ended = step.instance.status !== 'active';
    // `details` is the row's, with only its current step moved: that is all there is to compare.
    const changed = attached || applied.events.length > 0 || !sameStep(details.currentStep, record.details.currentStep) || agencies.size !== record.agencies.length;
    let next = record;
    if (changed) {
      const row = { ...record, dossier: applied.dossier as Dossier & { code: string }, details, agencies: [...agencies] };
      if (toInsert) {
        // The receipt's row, as its start step leaves it (the revision the insert and this step's update gave it);
        // then the receipt's history and sinks, as the receipt decided them, before this step's.
        next = { ...row, revision: row.revision + 1 };
        await this.options.dossiers.insert(tx.sql, next, step.now);
        toInsert.written = next;
        await this.write(tx.sql, toInsert.record, toInsert.events, undefined);
      } else {
        next = await this.options.dossiers.update(tx.sql, row, step.now, { stateUnchanged: applied.dossier === record.dossier });
      }
      await this.write(tx.sql, next, applied.events, step.instance.id);
    } else if (fromMemory) {
      // Nothing to write, but the audit trail appends under the dossier's lock, as remembered.
      await this.options.dossiers.lockIfCurrent(tx.sql, record.dossier.id, record.revision);
    }
    // The step moved the appointment (a supplement the process received): the open steps follow it, in this transaction.
    const reschedule = applied.dossier.appointmentAt !== record.dossier.appointmentAt && !ended ? await this.scheduleOf(applied.dossier, step.instance, await openStepsOf(tx, step.instance, false)) : undefined;
    const dossierId = record.dossier.id;
    const refusals = applied.refusals;
    const problems = outcome.problems;
    const afterCommit = () => {
      for (const { operation, refusal } of refusals) this.options.warn?.('the process reached a dossier status the lifecycle refused', { dossierId, operation: operation.type, refusal: refusal.code, reason: refusal.reason });
      for (const problem of problems) this.options.warn?.('a dossier status of the model cannot be read', { dossierId, ...problem });
      if (!ended) this.rememberDossier(step.instance.id, { record: next, tasks });
      if (applied.events.length > 0) {
        const list = this.pending.get(step.instance.id) ?? [];
        list.push(updatedOf(next, applied.events));
        this.pending.set(step.instance.id, list);
      }
    };
    return reschedule ? { afterCommit, reschedule: { tasks: reschedule.tasks ?? [], ...(reschedule.variables ? { variables: reschedule.variables } : {}) } } : { afterCommit };
  }

  // ------------------------------------------------------------------ deadline warnings

  /**
   * Warns officials, once per dossier and deadline, before an online dossier's time to be
   * accepted runs out and before the last moment of a late apology: a `deadlineWarned`
   * event in the history, pushed as `dossier.updated`. Stops a dossier whose time to
   * supplement is over (and cancels its process), as the desk must. Several processes may scan at once:
   * each locks the rows it works on, skipping the others'. Returns how many warnings were given.
   */
  async scanDeadlines(): Promise<number> {
    const now = this.options.now();
    const stopped: DossierRecord[] = [];
    const touched: string[] = [];
    const changes = await this.options.store.transaction(async (tx) => {
      const found: DossierUpdated[] = [];
      for (const record of await this.options.dossiers.warningCandidates(tx.sql, { appointmentBefore: now + 14 * 86_400_000, limit: 500 })) {
        if (record.dossier.status === 'supplement-requested') {
          // No supplement in time (Decree 118 art. 19(5)): the dossier is stopped, as the desk would.
          if (record.dossier.supplement && now > record.dossier.supplement.dueAt) {
            const decision = decide(record.dossier, { type: 'stop' }, { now, actor: 'system', rules: this.options.rules, clock: this.clockOf(record.agency, record.dossier.receivedAt ?? now) });
            if (decision.ok) {
              const next = await this.options.dossiers.update(tx.sql, { ...record, dossier: decision.dossier as Dossier & { code: string } }, now);
              await this.write(tx.sql, next, decision.events, undefined);
              found.push(updatedOf(next, decision.events));
              if (next.instanceId) touched.push(next.instanceId);
              stopped.push(next);
            }
          }
          continue;
        }
        const given = record.details.warned ?? [];
        const clock = this.clockOf(record.agency, record.dossier.receivedAt ?? record.dossier.submittedAt);
        const due = dueWarnings(record.dossier, this.options.rules, clock, now, given);
        if (due.length === 0) continue;
        const status = record.dossier.status;
        const events: DossierEvent[] = due.map((w) => ({ dossierId: record.dossier.id, at: now, actor: 'system', from: status, to: status, type: 'deadlineWarned', deadline: w.deadline, dueAt: w.dueAt }));
        const next = await this.options.dossiers.update(tx.sql, { ...record, details: { ...record.details, warned: [...given, ...due.map((w) => w.deadline)] } }, now);
        await this.write(tx.sql, next, events, undefined);
        found.push(updatedOf(next, events));
        if (next.instanceId) touched.push(next.instanceId);
      }
      return found;
    });
    for (const instanceId of touched) this.remembered.delete(instanceId);
    for (const change of changes) this.events.emit('dossier.updated', change);
    for (const record of stopped) await this.tellProcess(record, { type: 'stop' }, 'system');
    return changes.reduce((n, c) => n + c.events.length, 0);
  }

  // ------------------------------------------------------------------ reads

  /** The dossiers of these process instances, by instance id (code and status: what an inbox row names); instances that run none are absent. */
  async ofInstances(instanceIds: readonly string[]): Promise<Map<string, DossierOfInstance>> {
    const unique = [...new Set(instanceIds)];
    if (unique.length === 0) return new Map();
    const found = await this.read((sql) => this.options.dossiers.ofInstances(sql, unique));
    return new Map(found.map((d) => [d.instanceId, d]));
  }

  /** One dossier without personal data (who may see it is the caller's decision). */
  async get(id: string): Promise<DossierRecord> {
    const record = await this.read((sql) => this.options.dossiers.byId(sql, id));
    if (!record) throw new NotFoundError(`dossier '${id}' does not exist`, { field: 'params.id' });
    return record;
  }

  /** One dossier with its applicant: the read is logged (Law 91/2025) in the same transaction. */
  async readPersonalData(id: string, reader: { id: string; agency?: string }, check: (record: DossierRecord) => void): Promise<DossierRecord> {
    return this.options.store.transaction(async (tx) => {
      const record = await this.options.dossiers.byId(tx.sql, id);
      if (!record) throw new NotFoundError(`dossier '${id}' does not exist`, { field: 'params.id' });
      check(record);
      await this.options.dossiers.logPersonalDataRead(tx.sql, { dossierId: id, at: this.options.now(), reader: reader.id, ...(reader.agency ? { readerAgency: reader.agency } : {}), purpose: 'dossier.read' });
      return record;
    });
  }

  /** Who read a dossier's personal data, when. */
  personalDataReads(id: string): Promise<PersonalDataRead[]> {
    return this.read((sql) => this.options.dossiers.personalDataReads(sql, id));
  }

  list(query: DossierQuery): Promise<DossierRecord[]> {
    return this.read((sql) => this.options.dossiers.list(sql, query));
  }

  listOfApplicant(applicantUser: string, limit: number): Promise<DossierRecord[]> {
    return this.read((sql) => this.options.dossiers.listOfApplicant(sql, applicantUser, limit));
  }

  history(id: string): Promise<DossierHistoryEntry[]> {
    return this.read((sql) => this.options.dossiers.history(sql, id));
  }

  /** The hand-offs (mẫu 06 rows) and each holder's working time, on the competent agency's calendar. */
  async handOffs(record: DossierRecord): Promise<{ handOffs: ReturnType<typeof controlSlipHandOffs>; shares: Array<HolderShare & { allowedWorkingDays?: number }> }> {
    const events = (await this.history(record.dossier.id)).map((h) => h.event);
    const asOf = this.options.now();
    const clock = this.clockOf(record.agency, record.dossier.receivedAt ?? asOf);
    // Each holder's share of the statutory time: from each hand-off to it until the due date of its step.
    const allowed = new Map<string, number>();
    for (const event of events) {
      if (event.type === 'dossierHandedOff' && event.dueAt !== undefined) allowed.set(event.toHolder, (allowed.get(event.toHolder) ?? 0) + clock.between(event.at, event.dueAt, 'workingDays'));
    }
    const shares = holderShares(events, clock, asOf).map((share) => (allowed.has(share.holder) ? { ...share, allowedWorkingDays: allowed.get(share.holder)! } : share));
    return { handOffs: controlSlipHandOffs(events, { asOf }), shares };
  }

  /**
   * Citizen tracking by code and secret. A wrong secret and an unknown code give the same
   * answer (undefined) after the same work: one look-up by code (one statement, one round
   * trip, that also reads the history and the procedure's name) and one constant-time
   * comparison of hashes either way.
   */
  async track(code: string, secret: string): Promise<TrackingView | undefined> {
    const found = await this.options.dossiers.tracking(code);
    const given = Buffer.from(hashSecret(secret), 'hex');
    const expected = Buffer.from(found?.trackingHash ?? DUMMY_HASH, 'hex');
    const match = timingSafeEqual(given, expected);
    if (!found || !match) return undefined;
    const d = found.dossier;
    return {
      code: d.code,
      procedure: { code: found.procedureCode, name: found.procedureName ?? { vi: found.procedureCode, en: found.procedureCode } },
      status: d.status,
      channel: d.channel,
      submittedAt: d.submittedAt,
      ...(d.receivedAt !== undefined ? { receivedAt: d.receivedAt } : {}),
      ...(d.appointmentAt !== undefined ? { appointmentAt: d.appointmentAt } : {}),
      late: d.late,
      ...(found.currentStep ? { currentStep: { ...(found.currentStep.agency ? { agency: found.currentStep.agency } : {}), name: found.currentStep.name } } : {}),
      history: found.history.map((event) => ({ at: event.at, type: event.type, from: event.from, to: event.to })),
    };
  }
}

/** Bidirectional control characters (U+202A–U+202E, U+2066–U+2069): they can make a name read as another. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;

/** The open tasks of an instance, read from their rows (`lock`: and locked, after the instance). */
export async function openStepsOf(tx: StoreTransaction, instance: InstanceRecord, lock: boolean): Promise<OpenStep[]> {
  const tasks: OpenStep[] = [];
  for (const wait of Object.values(instance.state.waits)) {
    if (wait.kind !== 'task') continue;
    const row = lock ? (await tx.lockTask(wait.id)).task : await tx.task(wait.id);
    if (row?.state === 'open') tasks.push({ id: row.id, elementId: row.elementId, createdAt: row.createdAt, ...(row.dueAt !== undefined ? { dueAt: row.dueAt } : {}) });
  }
  return tasks;
}

/**
 * What a receipt must hold before anything is written (Decree 118/2025 art. 16–17): the
 * applicant's name, each document type of the procedure once, every required one except
 * those the national databases hold (never asked again), no paper original online, and a
 * fee paid online only when paid.
 */
function checkReceipt(procedure: ProcedureRecord, input: ReceiptInput): void {
  const name = input.applicant?.name;
  if (typeof name === 'string' && name.trim() === '') throw new InvalidInputError("the applicant's name is blank", { field: 'body.applicant.name' });
  if (typeof name === 'string' && BIDI_CONTROLS.test(name)) throw new InvalidInputError("the applicant's name holds a bidirectional control character (U+202A–U+202E, U+2066–U+2069)", { field: 'body.applicant.name' });
  const types = procedure.document.documents;
  const known = new Set(types.map((d) => d.code));
  const seen = new Map<string, number>();
  input.documents.forEach((document, i) => {
    if (!known.has(document.code)) throw new InvalidInputError(`document type '${document.code}' is not one of procedure '${procedure.code}' (${[...known].join(', ')})`, { field: `body.documents.${i}.code` });
    const first = seen.get(document.code);
    if (first !== undefined) throw new InvalidInputError(`document type '${document.code}' is given twice (body.documents.${first} and body.documents.${i}): give it once, with its number of copies`, { field: `body.documents.${i}.code` });
    seen.set(document.code, i);
    if (input.channel === 'online' && document.form === 'original') throw new InvalidInputError(`an online dossier carries no paper original: document '${document.code}' must be electronic or a copy`, { field: `body.documents.${i}.form` });
  });
  const missing = types.filter((d) => d.required && !d.fromDatabase && !seen.has(d.code)).map((d) => d.code);
  if (missing.length > 0) throw new InvalidInputError(`procedure '${procedure.code}' requires the documents ${missing.join(', ')}, missing from the receipt`, { field: 'body.documents', missing });
  if (input.fee && input.fee.paidOnline && !input.fee.paid) throw new InvalidInputError('a fee paid online is paid: paidOnline needs paid', { field: 'body.fee.paidOnline' });
}

/** The received documents, each named: as given, else as its type is named in the procedure (checkReceipt has checked every code is one of it). */
function namedDocuments(procedure: ProcedureRecord, documents: readonly ReceivedDocumentInput[]): ReceivedDocument[] {
  const names = new Map(procedure.document.documents.map((type) => [type.code, type.name]));
  return documents.map((document) => (document.name === undefined ? { ...document, name: names.get(document.code) ?? document.code } : (document as ReceivedDocument)));
}

function updatedOf(record: DossierRecord, events: readonly DossierEvent[]): DossierUpdated {
  return {
    dossierId: record.dossier.id,
    code: record.dossier.code,
    status: record.dossier.status,
    agency: record.agency,
    agencies: record.agencies,
    ...(record.applicantUser ? { applicantUser: record.applicantUser } : {}),
    revision: record.revision,
    events: events.map((e) => ({ type: e.type, at: e.at, from: e.from, to: e.to })),
  };
}
