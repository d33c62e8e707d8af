/**
 * The dossier lifecycle of Decree 118/2025 as one pure decision function:
 * `decide(dossier, operation, context)` returns the changes and the events to record, or
 * a refusal with a stable code and the article that forbids it. Nothing here reads the
 * clock or a database: `now` and the calendar arithmetic come in through the context.
 *
 * ```
 * submitted ─► received ─► processing ─► result-ready ─► returned
 *   │  │  │        │  ▲        │ ▲  │
 *   │  │  │        │  └ hand-off┘ │  ├─► rejected (art. 19(3))
 *   │  │  │        ▼              │  └─► apology + one new appointment (art. 19(6))
 *   │  │  │   supplement-requested ─► supplemented ─► (processing) (art. 19(5))
 *   │  │  │        └─► stopped (no supplement in 15 days)
 *   │  │  └─► supplement-requested at reception (mẫu 02) ─► supplemented ─► received | refused
 *   │  └─► refused at reception (mẫu 03)
 *   └─► withdrawn (art. 21: any time before the result is issued)
 * ```
 */
import type { WorkingTimeUnit } from '../../../engine/src/pure';
import type { Dossier, DossierStatus, SupplementItem } from './dossier';
import type { DossierClock } from './dossier-clock';
import type { DossierEvent, OnlineAcceptance } from './dossier-events';
import { rulesForDossier, type ClockAfterSupplement, type DossierRules, type DossierRulesVersion, type DurationUnit, type LegalDuration } from './dossier-rules';
import { timelinessOf } from './timeliness';

/** What an official, the applicant or the process asks of a dossier. */
export type DossierOperation =
  | { type: 'receive'; code?: string }
  | { type: 'refuse'; reasons: string[] }
  | { type: 'requestSupplement'; items: SupplementItem[] }
  | { type: 'supplement' }
  | { type: 'stop' }
  | { type: 'withdraw'; reason?: string }
  /** `from`: the holder handing over when it is not the dossier's last holder (agencies working in parallel). */
  | { type: 'handOff'; to: string; from?: string; dueAt?: number; note?: string }
  | { type: 'apologize'; newAppointmentAt: number; reason: string }
  | { type: 'reject'; reasons: string[] }
  | { type: 'resultReady'; eResult?: boolean }
  | { type: 'return'; method: 'desk' | 'post' | 'online' };

/** The name of an operation. */
export type DossierOperationType = DossierOperation['type'];

/** What a decision is taken with: who, when, under which rules, on which calendar. */
export interface DecisionContext {
  /** Epoch ms of the decision (the command's time): never read from a global clock. */
  now: number;
  actor: string;
  /** Every version of the dossier rules; the dossier's own version is picked (the one in force at its receipt). */
  rules: DossierRules;
  /** The agency's working-time arithmetic. */
  clock: DossierClock;
}

/** The stable codes of a refused operation. */
export type RefusalCode =
  | 'NOT_ALLOWED_IN_STATUS'
  | 'TIME_BEFORE_LAST_CHANGE'
  | 'REASONS_REQUIRED'
  | 'ITEMS_REQUIRED'
  | 'SUPPLEMENT_ALREADY_REQUESTED'
  | 'SUPPLEMENT_WINDOW_PASSED'
  | 'SUPPLEMENT_DEADLINE_PASSED'
  | 'SUPPLEMENT_TIME_NOT_OVER'
  | 'APPOINTMENT_ALREADY_REDATED'
  | 'APOLOGY_TOO_LATE'
  | 'NEW_APPOINTMENT_NOT_LATER'
  | 'INVALID_OPERATION';

/** Why an operation was refused: a stable code, a sentence, and the legal ground. */
export interface Refusal {
  code: RefusalCode;
  /** One sentence for the official, ending with the article, e.g. "… (Decree 118/2025 art. 11(2)(c), 16(3): one supplement request per dossier)". */
  reason: string;
  /** The article alone. */
  article: string;
}

/** The outcome of `decide`. */
export type Decision = { ok: true; dossier: Dossier; changes: Partial<Dossier>; events: DossierEvent[] } | { ok: false; refusal: Refusal };

const D118 = 'Decree 118/2025/NĐ-CP';

/** Where each operation may start, and the article that says so. */
const ALLOWED: Record<DossierOperationType, { from: readonly DossierStatus[]; article: string }> = {
  receive: { from: ['submitted', 'supplemented'], article: `${D118} art. 16–17` },
  refuse: { from: ['submitted', 'supplemented'], article: `${D118} art. 16` },
  requestSupplement: { from: ['submitted', 'received', 'processing', 'supplemented'], article: `${D118} art. 16(3), 19(5)` },
  supplement: { from: ['supplement-requested'], article: `${D118} art. 16(3), 19(5)` },
  stop: { from: ['supplement-requested'], article: `${D118} art. 19(5)` },
  withdraw: { from: ['submitted', 'received', 'processing', 'supplement-requested', 'supplemented'], article: `${D118} art. 21` },
  handOff: { from: ['received', 'processing', 'supplemented'], article: `${D118} art. 18, 20` },
  apologize: { from: ['received', 'processing', 'supplemented'], article: `${D118} art. 19(6)` },
  reject: { from: ['received', 'processing', 'supplemented'], article: `${D118} art. 19(3)` },
  resultReady: { from: ['received', 'processing', 'supplemented'], article: `${D118} art. 19, 22` },
  return: { from: ['result-ready'], article: `${D118} art. 22` },
};

/** A supplemented dossier is at reception (to be received or refused) or in processing (to be handled), by the stage of its request. */
const RECEPTION_ONLY: ReadonlySet<DossierOperationType> = new Set(['receive', 'refuse']);

/** "2026-11-05 10:00 (UTC+07:00)": a moment as the official reads it, in the zone of the rules (Vietnam's by default). */
function localTime(at: number, utcOffsetMinutes = 420): string {
  const text = new Date(at + utcOffsetMinutes * 60_000).toISOString();
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(utcOffsetMinutes);
  return `${text.slice(0, 10)} ${text.slice(11, 16)} (UTC${sign}${String(Math.floor(offset / 60)).padStart(2, '0')}:${String(offset % 60).padStart(2, '0')})`;
}

const UNIT_WORDS: Record<DurationUnit, [string, string]> = { calendarDays: ['day', 'days'], workingDays: ['working day', 'working days'], workingHours: ['working hour', 'working hours'], hours: ['hour', 'hours'] };

/** "3 working days", "1 day": a legal duration in words. */
function inWords(amount: number, unit: DurationUnit): string {
  return `${amount} ${UNIT_WORDS[unit][amount === 1 ? 0 : 1]}`;
}

/**
 * How much notice an apology at `now` gives before the appointment. In calendar days it
 * counts dates ("at the latest 1 day before the due date": any time on the day before),
 * in the zone of the rules; in the other units, the time between.
 */
function noticeLeft(now: number, appointmentAt: number, unit: DurationUnit, utcOffsetMinutes: number, clock: DossierClock): number {
  if (unit !== 'calendarDays') return clock.between(now, appointmentAt, unit);
  const day = (t: number) => Math.floor((t + utcOffsetMinutes * 60_000) / 86_400_000);
  return day(appointmentAt) - day(now);
}

function refuse(code: RefusalCode, reason: string, article: string): Decision {
  return { ok: false, refusal: { code, reason: `${reason} (${article})`, article } };
}

function nonEmpty(list: unknown): list is string[] {
  return Array.isArray(list) && list.length > 0 && list.every((r) => typeof r === 'string' && r.trim().length > 0);
}

/** The unit a remaining statutory time is kept in: `sameDay` counts as working hours. */
export function durationUnit(unit: WorkingTimeUnit): DurationUnit {
  return unit === 'sameDay' ? 'workingHours' : unit;
}

/** The statutory appointment from `start` (receipt, or the complete supplement under `restart`). */
function appointmentFrom(dossier: Dossier, start: number, clock: DossierClock): number {
  const { statutoryTime, dayCounting, cutoff } = dossier.procedure;
  return clock.add(start, statutoryTime.amount, statutoryTime.unit, { ...(dayCounting ? { dayCounting } : {}), ...(cutoff !== undefined ? { cutoff } : {}) });
}

/**
 * What the statutory time of a dossier supplemented during processing did when the supplement
 * came: `restart` from zero (Decree 118/2025 art. 19(5), the default) or `pause` (it resumed
 * where it stopped: a procedure's setting). Pause needs the time left at the request; a request
 * made without it (imported data) restarts, the legal default. Undefined for a dossier with no
 * supplement asked during processing.
 */
export function clockAfterSupplementOf(dossier: Dossier, rules: DossierRulesVersion): ClockAfterSupplement | undefined {
  const supplement = dossier.supplement;
  if (supplement?.stage !== 'processing') return undefined;
  return (dossier.procedure.clockAfterSupplement ?? rules.clockAfterSupplement.default) === 'pause' && supplement.remaining ? 'pause' : 'restart';
}

/**
 * The time an online dossier must be accepted or sent back by (Decree 118 art. 17(2): 8
 * working hours from its submission on the portal), and when officials are warned
 * (`warningBefore` earlier). Undefined for a dossier not submitted online.
 */
export function onlineAcceptanceDeadline(dossier: Dossier, rules: DossierRulesVersion, clock: DossierClock): { dueAt: number; warnAt: number } | undefined {
  if (dossier.channel !== 'online') return undefined;
  const { amount, unit, warningBefore } = rules.onlineAcceptance;
  const dueAt = clock.add(dossier.submittedAt, amount, unit);
  const before = clock.between(dossier.submittedAt, dueAt, warningBefore.unit) - warningBefore.amount;
  return { dueAt, warnAt: before > 0 ? clock.add(dossier.submittedAt, before, warningBefore.unit) : dossier.submittedAt };
}

/** The last moment the processing unit may ask for a supplement (Decree 118 art. 19(5): 3 working days from its receipt of the dossier). */
export function processingSupplementDeadline(dossier: Dossier, rules: DossierRulesVersion, clock: DossierClock): number | undefined {
  const start = dossier.processingReceivedAt ?? dossier.receivedAt;
  if (start === undefined) return undefined;
  const { amount, unit } = rules.processingSupplementWindow;
  return clock.add(start, amount, unit);
}

/**
 * When a paper dossier must reach the processing unit (Decree 118 art. 18(2)): the close
 * of the working day of receipt, or of the next working day when received after the
 * cut-off; electronic data (online dossiers) at once.
 */
export function transferDeadline(dossier: Dossier, rules: DossierRulesVersion, clock: DossierClock): number | undefined {
  if (dossier.receivedAt === undefined) return undefined;
  if (dossier.channel === 'online') return dossier.receivedAt;
  return clock.add(dossier.receivedAt, 1, 'sameDay', { cutoff: rules.transferCutoff.time });
}

function acceptance(dossier: Dossier, rules: DossierRulesVersion, context: DecisionContext): { online?: OnlineAcceptance } {
  const deadline = onlineAcceptanceDeadline(dossier, rules, context.clock);
  return deadline ? { online: { dueAt: deadline.dueAt, withinTime: context.now <= deadline.dueAt } } : {};
}

/**
 * Decides an operation on a dossier. Returns the dossier after it, the changed fields and
 * the events to record (in order), or a refusal naming the rule. Never throws on a
 * refused operation; throws only when the clock does (a date outside the loaded calendar).
 *
 * @example
 * const decision = decide(dossier, { type: 'requestSupplement', items }, { now, actor: 'lan', rules, clock });
 * if (!decision.ok) return problem(409, decision.refusal.code, decision.refusal.reason);
 */
export function decide(dossier: Dossier, operation: DossierOperation, context: DecisionContext): Decision {
  const allowed = ALLOWED[operation?.type as DossierOperationType];
  if (!allowed) return refuse('INVALID_OPERATION', `unknown operation ${JSON.stringify((operation as { type?: unknown })?.type)}`, 'the dossier lifecycle');
  const { now, actor } = context;
  if (!Number.isFinite(now)) return refuse('INVALID_OPERATION', `now must be epoch milliseconds, got ${JSON.stringify(now)}`, 'the dossier lifecycle');
  if (!allowed.from.includes(dossier.status) || (dossier.status === 'supplemented' && RECEPTION_ONLY.has(operation.type) !== (dossier.supplement?.stage === 'reception'))) {
    return refuse('NOT_ALLOWED_IN_STATUS', `cannot ${operation.type} a dossier that is ${dossier.status}${dossier.status === 'supplemented' ? ` at ${dossier.supplement?.stage}` : ''}`, allowed.article);
  }
  if (now < dossier.updatedAt) {
    return refuse('TIME_BEFORE_LAST_CHANGE', `the operation is dated ${localTime(now)}, before the dossier's last change at ${localTime(dossier.updatedAt)}`, 'the dossier lifecycle');
  }
  // The rules of the receipt, or (before it) the ones in force now.
  const rules = rulesForDossier(context.rules, dossier, dossier.receivedAt ?? now);
  const base = { dossierId: dossier.id, at: now, actor, from: dossier.status };
  const done = (changes: Partial<Dossier>, events: DossierEvent[]): Decision => {
    const all = { ...changes, updatedAt: now };
    return { ok: true, dossier: { ...dossier, ...all }, changes: all, events };
  };

  switch (operation.type) {
    case 'receive': {
      const appointmentAt = appointmentFrom(dossier, now, context.clock);
      const code = operation.code ?? dossier.code;
      return done(
        { status: 'received', receivedAt: now, clockStartedAt: now, appointmentAt, receiptAppointmentAt: appointmentAt, rulesFrom: rules.effectiveFrom, ...(code !== undefined ? { code } : {}) },
        [{ ...base, to: 'received', type: 'dossierReceived', ...(code !== undefined ? { code } : {}), channel: dossier.channel, appointmentAt, rulesFrom: rules.effectiveFrom, ...(dossier.status === 'submitted' ? acceptance(dossier, rules, context) : {}) }],
      );
    }
    case 'refuse': {
      if (!nonEmpty(operation.reasons)) return refuse('REASONS_REQUIRED', 'a refusal at reception states its reasons (mẫu 03)', `${D118} art. 16`);
      return done({ status: 'refused', finishedAt: now }, [{ ...base, to: 'refused', type: 'dossierRefused', reasons: operation.reasons, ...(dossier.status === 'submitted' ? acceptance(dossier, rules, context) : {}) }]);
    }
    case 'requestSupplement': {
      const { max, ground } = rules.supplementRequests;
      if (dossier.supplementRequests >= max) {
        return refuse('SUPPLEMENT_ALREADY_REQUESTED', `the dossier already had ${dossier.supplementRequests} supplement request${dossier.supplementRequests === 1 ? '' : 's'}; every missing item is asked for at once`, `${D118} art. 11(2)(c), 16(3): ${max === 1 ? 'one supplement request per dossier' : `at most ${max} supplement requests per dossier`}`);
      }
      if (!Array.isArray(operation.items) || operation.items.length === 0 || !operation.items.every((item) => item && nonEmpty([item.name]) && nonEmpty([item.reason]))) {
        return refuse('ITEMS_REQUIRED', 'a supplement request lists every missing or wrong item, each with its reason (mẫu 02)', ground);
      }
      const stage = dossier.status === 'submitted' ? 'reception' : 'processing';
      let remaining: LegalDuration | undefined;
      if (stage === 'processing') {
        const windowEnd = processingSupplementDeadline(dossier, rules, context.clock)!;
        if (now > windowEnd) {
          return refuse('SUPPLEMENT_WINDOW_PASSED', `the processing unit may ask for a supplement until ${localTime(windowEnd, rules.utcOffsetMinutes)}, ${inWords(rules.processingSupplementWindow.amount, rules.processingSupplementWindow.unit)} after it received the dossier`, `${D118} art. 19(5)`);
        }
        if ((dossier.procedure.clockAfterSupplement ?? rules.clockAfterSupplement.default) === 'pause') {
          const unit = durationUnit(dossier.procedure.statutoryTime.unit);
          remaining = { amount: Math.max(0, context.clock.between(now, dossier.appointmentAt!, unit)), unit };
        }
      }
      // The procedure's own time to supplement (7 working days for the Decree 301/2026 groups), else the rules' 15 days.
      const deadline = dossier.procedure.supplementDeadline ?? rules.supplementDeadline;
      const dueAt = context.clock.add(now, deadline.amount, deadline.unit);
      return done(
        { status: 'supplement-requested', supplementRequests: dossier.supplementRequests + 1, supplement: { stage, requestedAt: now, dueAt, items: operation.items, ...(remaining ? { remaining } : {}) } },
        [{ ...base, to: 'supplement-requested', type: 'supplementRequested', stage, items: operation.items, dueAt, ...(stage === 'reception' ? acceptance(dossier, rules, context) : {}) }],
      );
    }
    case 'supplement': {
      const supplement = dossier.supplement!;
      if (now > supplement.dueAt) {
        return refuse('SUPPLEMENT_DEADLINE_PASSED', `the time to supplement ended at ${localTime(supplement.dueAt, rules.utcOffsetMinutes)}; the dossier is to be stopped`, `${D118} art. 19(5)`);
      }
      const changes: Partial<Dossier> = { status: 'supplemented', supplement: { ...supplement, completedAt: now } };
      if (supplement.stage === 'reception') {
        return done(changes, [{ ...base, to: 'supplemented', type: 'dossierSupplemented', stage: 'reception' }]);
      }
      const clock = clockAfterSupplementOf(dossier, rules)!;
      const appointmentAt = clock === 'restart' ? appointmentFrom(dossier, now, context.clock) : context.clock.add(now, supplement.remaining!.amount, supplement.remaining!.unit);
      return done({ ...changes, appointmentAt, ...(clock === 'restart' ? { clockStartedAt: now } : {}) }, [{ ...base, to: 'supplemented', type: 'dossierSupplemented', stage: 'processing', clock, appointmentAt }]);
    }
    case 'stop': {
      const supplement = dossier.supplement!;
      if (now <= supplement.dueAt) {
        return refuse('SUPPLEMENT_TIME_NOT_OVER', `the applicant may still supplement until ${localTime(supplement.dueAt, rules.utcOffsetMinutes)}`, `${D118} art. 19(5)`);
      }
      return done({ status: 'stopped', finishedAt: now }, [{ ...base, to: 'stopped', type: 'dossierStopped', cause: 'no-supplement', requestedAt: supplement.requestedAt, supplementDueAt: supplement.dueAt }]);
    }
    case 'withdraw':
      return done({ status: 'withdrawn', finishedAt: now }, [{ ...base, to: 'withdrawn', type: 'dossierWithdrawn', ...(operation.reason ? { reason: operation.reason } : {}) }]);
    case 'handOff': {
      if (typeof operation.to !== 'string' || operation.to.length === 0) return refuse('INVALID_OPERATION', 'a hand-off names the unit or agency that receives the dossier', `${D118} art. 18, 20`);
      if (operation.dueAt !== undefined && !Number.isFinite(operation.dueAt)) return refuse('INVALID_OPERATION', `a hand-off's due date must be epoch milliseconds, got ${JSON.stringify(operation.dueAt)}`, `${D118} art. 20`);
      const events: DossierEvent[] = [];
      const changes: Partial<Dossier> = { status: 'processing', holder: operation.to };
      if (dossier.status === 'received') {
        const transferDueAt = transferDeadline(dossier, rules, context.clock)!;
        changes.processingReceivedAt = now;
        events.push({ ...base, to: 'processing', type: 'processingStarted', unit: operation.to, transferDueAt, transferOnTime: now <= transferDueAt });
      }
      events.push({
        ...base,
        from: events.length ? 'processing' : dossier.status,
        to: 'processing',
        type: 'dossierHandedOff',
        ...((operation.from ?? dossier.holder) ? { fromHolder: operation.from ?? dossier.holder } : {}),
        toHolder: operation.to,
        ...(operation.dueAt !== undefined ? { dueAt: operation.dueAt } : {}),
        ...(operation.note ? { note: operation.note } : {}),
      });
      return done(changes, events);
    }
    case 'apologize': {
      const { maxRedates, noticeBefore } = rules.lateApology;
      const article = `${D118} art. 19(6)`;
      if (dossier.redates >= maxRedates) return refuse('APPOINTMENT_ALREADY_REDATED', `the appointment was already re-dated ${dossier.redates} time${dossier.redates === 1 ? '' : 's'}; it is re-set once only`, `${article}: one new appointment`);
      if (!nonEmpty([operation.reason])) return refuse('REASONS_REQUIRED', 'the apology (mẫu 04) states the reason of the delay', article);
      const appointmentAt = dossier.appointmentAt!;
      if (!(operation.newAppointmentAt > appointmentAt)) return refuse('NEW_APPOINTMENT_NOT_LATER', `the new appointment must be after the current one (${localTime(appointmentAt, rules.utcOffsetMinutes)})`, article);
      if (noticeLeft(now, appointmentAt, noticeBefore.unit, rules.utcOffsetMinutes, context.clock) < noticeBefore.amount) {
        return refuse('APOLOGY_TOO_LATE', `the apology is due at the latest ${inWords(noticeBefore.amount, noticeBefore.unit)} before the appointment (${localTime(appointmentAt, rules.utcOffsetMinutes)})${noticeBefore.unit === 'calendarDays' ? ', counted in dates' : ''}`, `${article}: at the latest 1 day before the due date`);
      }
      return done(
        { appointmentAt: operation.newAppointmentAt, originalAppointmentAt: dossier.originalAppointmentAt ?? appointmentAt, redates: dossier.redates + 1, late: true },
        [{ ...base, to: dossier.status, type: 'appointmentRedated', originalAppointmentAt: appointmentAt, newAppointmentAt: operation.newAppointmentAt, reason: operation.reason }],
      );
    }
    case 'reject': {
      if (!nonEmpty(operation.reasons)) return refuse('REASONS_REQUIRED', 'a rejection after examination states its reasons', `${D118} art. 19(3)`);
      return done({ status: 'rejected', finishedAt: now }, [{ ...base, to: 'rejected', type: 'dossierRejected', reasons: operation.reasons, withinTime: now <= dossier.appointmentAt! }]);
    }
    case 'resultReady': {
      const timeliness = dossier.late ? 'late' : timelinessOf(now, dossier.appointmentAt!, rules.utcOffsetMinutes);
      return done({ status: 'result-ready', finishedAt: now }, [{ ...base, to: 'result-ready', type: 'resultReady', timeliness, eResult: operation.eResult === true }]);
    }
    case 'return':
      if (!['desk', 'post', 'online'].includes(operation.method)) return refuse('INVALID_OPERATION', `a result is returned at the desk, by post or online, not ${JSON.stringify(operation.method)}`, `${D118} art. 22`);
      return done({ status: 'returned', returnedAt: now }, [{ ...base, to: 'returned', type: 'resultReturned', method: operation.method }]);
  }
}
