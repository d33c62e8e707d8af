/**
 * The service-quality indicators of Decision 766/QĐ-TTg and Decree 118/2025 art. 29–34
 * that our data can compute, as pure functions over per-dossier facts (the projections
 * the dossier listeners maintain). Each returns its numerator, denominator, value and
 * the formula in words, so a dashboard can show how a figure was reached.
 *
 * The caller picks the dossiers (received or processed in the period, of a procedure,
 * agency or official) and passes `asOf`, the moment the figures are taken at; nothing
 * here reads the clock. Durations are working time on the agency's calendar, through a
 * DossierClock.
 *
 * Two on-time measures are given side by side (DOMAIN.md):
 * - **Decision 766 (2.1)**: against the appointment printed on the receipt, with the
 *   supplement time (request → complete supplement) subtracted; more than one supplement
 *   request counts as late; a dossier waiting for a supplement ends at the request.
 * - **Legal**: against the legal appointment (restarted or paused after a supplement).
 * A re-dated appointment (Decree 118 art. 19(6)) leaves the dossier late in both.
 */
import type { Dossier, DossierChannel } from '../dossiers/dossier';
import type { DossierClock } from '../dossiers/dossier-clock';
import { timelinessOf } from '../dossiers/timeliness';

/** What the indicators need to know of one dossier. Times are epoch ms. */
export interface DossierFacts {
  id: string;
  receivedAt: number;
  /** The appointment printed on the receipt (Decision 766 measures against it). */
  receiptAppointmentAt: number;
  /** The legal appointment: after a supplement's restart or pause; before any re-dating. */
  appointmentAt: number;
  /** The appointment was re-dated after an apology: late in every statistic. */
  redated: boolean;
  /** When the dossier was finished (result ready, rejected, stopped); absent while in progress. */
  finishedAt?: number;
  /** The supplement request during processing, and when the complete supplement arrived. */
  supplement?: { requestedAt: number; completedAt?: number };
  supplementRequests: number;
  channel: DossierChannel;
  /** Whether the procedure issues a result document (most do). */
  resultRequired: boolean;
  /** The result was issued electronically, signed (Decree 118 art. 22). */
  eResult: boolean;
  /** The inputs were digitised and signed by the receiving official. */
  digitisedInputs: boolean;
  /** Fee in đồng; 0: none. */
  fee: number;
  paidOnline: boolean;
  complaints: number;
}

/** When and how the figures are taken. */
export interface IndicatorOptions {
  /** The moment of the figures: where dossiers in progress are measured. */
  asOf: number;
  clock: DossierClock;
  /** Zone of "early" (an earlier local day than the appointment); default 420 (Vietnam). */
  utcOffsetMinutes?: number;
}

/** One figure with how it was reached. */
export interface Indicator {
  /** The indicator's number in Decision 766, e.g. "2.1". */
  code: string;
  name: string;
  numerator: number;
  denominator: number;
  /** Percent (0–100), or working days for 2.2; null when the denominator is 0. */
  value: number | null;
  unit: 'percent' | 'workingDays';
  formula: string;
  /** The value at which Decision 766 gives full points, where it names one. */
  fullPointsAt?: number;
}

/** A dossier against an appointment. */
export type DossierTimeliness = 'early' | 'on-time' | 'late' | 'in-progress-on-time' | 'in-progress-overdue';

/** Counts of each timeliness. */
export type TimelinessCounts = Record<DossierTimeliness, number>;

function percent(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : (100 * numerator) / denominator;
}

/**
 * Where a dossier's measure ends: the supplement request while it waits for the supplement,
 * and for good when it finished (stopped, rejected) without the supplement ever coming: the
 * time after the request is the applicant's, not the agency's; else its finish, else `asOf`.
 */
function endOf(dossier: DossierFacts, asOf: number): { end: number; finished: boolean } {
  const waiting = dossier.supplement && dossier.supplement.completedAt === undefined ? dossier.supplement.requestedAt : undefined;
  if (dossier.finishedAt !== undefined) return { end: waiting !== undefined ? Math.min(waiting, dossier.finishedAt) : dossier.finishedAt, finished: true };
  if (waiting !== undefined) return { end: Math.min(waiting, asOf), finished: false };
  return { end: asOf, finished: false };
}

function classify(end: number, due: number, finished: boolean, forcedLate: boolean, offset: number): DossierTimeliness {
  if (!finished) return forcedLate || end > due ? 'in-progress-overdue' : 'in-progress-on-time';
  return forcedLate ? 'late' : timelinessOf(end, due, offset);
}

/** The supplement's working hours (request → complete supplement, when complete by `end`). */
function supplementHours(dossier: DossierFacts, end: number, clock: DossierClock): number {
  const s = dossier.supplement;
  if (!s || s.completedAt === undefined || s.completedAt > end) return 0;
  return Math.max(0, clock.between(s.requestedAt, s.completedAt, 'workingHours'));
}

/**
 * A dossier by Decision 766's measure: the end (finish, the supplement request while
 * waiting for it, or `asOf`) against the receipt's appointment moved later by the
 * supplement's working time; late when re-dated or with more than one supplement request.
 */
export function timeliness766(dossier: DossierFacts, options: IndicatorOptions): DossierTimeliness {
  const { end, finished } = endOf(dossier, options.asOf);
  const hours = supplementHours(dossier, end, options.clock);
  const due = hours > 0 ? options.clock.add(dossier.receiptAppointmentAt, hours, 'workingHours') : dossier.receiptAppointmentAt;
  return classify(end, due, finished, dossier.redated || dossier.supplementRequests > 1, options.utcOffsetMinutes ?? 420);
}

/** A dossier by the legal measure: the end against the legal appointment (restart or pause applied); late when re-dated. */
export function legalTimeliness(dossier: DossierFacts, options: IndicatorOptions): DossierTimeliness {
  const { end, finished } = endOf(dossier, options.asOf);
  return classify(end, dossier.appointmentAt, finished, dossier.redated, options.utcOffsetMinutes ?? 420);
}

function count(dossiers: readonly DossierFacts[], measure: (d: DossierFacts) => DossierTimeliness): TimelinessCounts {
  const counts: TimelinessCounts = { early: 0, 'on-time': 0, late: 0, 'in-progress-on-time': 0, 'in-progress-overdue': 0 };
  for (const dossier of dossiers) counts[measure(dossier)]++;
  return counts;
}

/** Early, on time, late and in progress (on time or overdue), by both measures. */
export function timelinessCounts(dossiers: readonly DossierFacts[], options: IndicatorOptions): { decision766: TimelinessCounts; legal: TimelinessCounts } {
  return { decision766: count(dossiers, (d) => timeliness766(d, options)), legal: count(dossiers, (d) => legalTimeliness(d, options)) };
}

function onTime(counts: TimelinessCounts): number {
  return counts.early + counts['on-time'] + counts['in-progress-on-time'];
}

/** 2.1: the on-time rate by Decision 766's measure, and beside it by the legal one. */
export function onTimeRate(dossiers: readonly DossierFacts[], options: IndicatorOptions): { decision766: Indicator; legal: Indicator } {
  const { decision766, legal } = timelinessCounts(dossiers, options);
  const n = dossiers.length;
  return {
    decision766: {
      code: '2.1',
      name: 'Tỷ lệ hồ sơ giải quyết đúng hạn (Quyết định 766)',
      numerator: onTime(decision766),
      denominator: n,
      value: percent(onTime(decision766), n),
      unit: 'percent',
      formula: 'dossiers finished or in progress with end ≤ the receipt’s appointment (supplement time, request → complete supplement, subtracted; a dossier waiting for a supplement ends at the request; more than one supplement request or a re-dated appointment: late) ÷ dossiers received or processed in the period × 100',
    },
    legal: {
      code: '2.1-legal',
      name: 'Tỷ lệ hồ sơ đúng hạn theo hẹn pháp lý',
      numerator: onTime(legal),
      denominator: n,
      value: percent(onTime(legal), n),
      unit: 'percent',
      formula: 'dossiers finished or in progress with end ≤ the legal appointment (restarted or paused after a supplement; a re-dated appointment: late, Decree 118/2025 art. 19(6)) ÷ dossiers received or processed in the period × 100',
    },
  };
}

/** The working days a finished dossier took, its supplement time subtracted (a supplement that never came: up to the request). */
export function processingWorkingDays(dossier: DossierFacts, clock: DossierClock): number | undefined {
  if (dossier.finishedAt === undefined) return undefined;
  const s = dossier.supplement;
  if (s && s.completedAt === undefined) return clock.between(dossier.receivedAt, Math.min(s.requestedAt, dossier.finishedAt), 'workingDays');
  const paused = s && s.completedAt !== undefined && s.completedAt <= dossier.finishedAt ? clock.between(s.requestedAt, s.completedAt, 'workingDays') : 0;
  return clock.between(dossier.receivedAt, dossier.finishedAt, 'workingDays') - paused;
}

/**
 * 2.2: average processing time of the finished dossiers in working days (supplement time
 * subtracted), and the 90th percentile (nearest rank: the ⌈0.9·n⌉-th smallest).
 */
export function processingTime(dossiers: readonly DossierFacts[], options: IndicatorOptions): { average: Indicator; p90: number | null } {
  const days = dossiers.map((d) => processingWorkingDays(d, options.clock)).filter((d): d is number => d !== undefined).sort((a, b) => a - b);
  const sum = days.reduce((a, b) => a + b, 0);
  return {
    average: {
      code: '2.2',
      name: 'Thời gian giải quyết trung bình',
      numerator: sum,
      denominator: days.length,
      value: days.length ? sum / days.length : null,
      unit: 'workingDays',
      formula: 'Σ working days from receipt to finish (supplement time subtracted) ÷ finished dossiers',
    },
    p90: days.length ? days[Math.ceil(0.9 * days.length) - 1] : null,
  };
}

/**
 * 3.3: share of dossiers by channel. An online dossier counts as online only with an
 * e-result where the procedure issues a result (one still in progress counts: its
 * result is not issued yet); Decision 766 gives full points at ≥ 50 % online.
 */
export function channelShare(dossiers: readonly DossierFacts[]): Record<DossierChannel, Indicator> {
  const n = dossiers.length;
  const online = dossiers.filter((d) => d.channel === 'online' && (!d.resultRequired || d.eResult || d.finishedAt === undefined)).length;
  const desk = dossiers.filter((d) => d.channel === 'desk').length;
  const post = dossiers.filter((d) => d.channel === 'post').length;
  return {
    online: { code: '3.3', name: 'Tỷ lệ hồ sơ trực tuyến', numerator: online, denominator: n, value: percent(online, n), unit: 'percent', fullPointsAt: 50, formula: 'online dossiers (with an e-result where a result is required) ÷ dossiers received × 100' },
    desk: { code: '3.3-desk', name: 'Tỷ lệ hồ sơ nộp trực tiếp', numerator: desk, denominator: n, value: percent(desk, n), unit: 'percent', formula: 'dossiers received at the desk ÷ dossiers received × 100' },
    post: { code: '3.3-post', name: 'Tỷ lệ hồ sơ nộp qua bưu chính', numerator: post, denominator: n, value: percent(post, n), unit: 'percent', formula: 'dossiers received by post ÷ dossiers received × 100' },
  };
}

/** 3.6: online payment rate among fee-bearing dossiers. */
export function onlinePaymentRate(dossiers: readonly DossierFacts[]): Indicator {
  const paying = dossiers.filter((d) => d.fee > 0);
  const online = paying.filter((d) => d.paidOnline).length;
  return { code: '3.6', name: 'Tỷ lệ thanh toán trực tuyến', numerator: online, denominator: paying.length, value: percent(online, paying.length), unit: 'percent', formula: 'fee-bearing dossiers paid online ÷ fee-bearing dossiers × 100' };
}

/** Finished dossiers whose procedure issues a result: the base of 4.1 and 4.2. */
function withResult(dossiers: readonly DossierFacts[]): DossierFacts[] {
  return dossiers.filter((d) => d.finishedAt !== undefined && d.resultRequired);
}

/** 4.1: e-result rate among finished dossiers whose procedure issues a result. */
export function eResultRate(dossiers: readonly DossierFacts[]): Indicator {
  const base = withResult(dossiers);
  const e = base.filter((d) => d.eResult).length;
  return { code: '4.1', name: 'Tỷ lệ cấp kết quả điện tử', numerator: e, denominator: base.length, value: percent(e, base.length), unit: 'percent', formula: 'finished dossiers with an e-result ÷ finished dossiers whose procedure issues a result × 100' };
}

/** 4.2: digitisation rate: digitised inputs and an e-result, among finished dossiers whose procedure issues a result; full points at ≥ 80 %. */
export function digitisationRate(dossiers: readonly DossierFacts[]): Indicator {
  const base = withResult(dossiers);
  const digitised = base.filter((d) => d.digitisedInputs && d.eResult).length;
  return { code: '4.2', name: 'Tỷ lệ số hóa hồ sơ, kết quả', numerator: digitised, denominator: base.length, value: percent(digitised, base.length), unit: 'percent', fullPointsAt: 80, formula: 'finished dossiers with digitised inputs and an e-result ÷ finished dossiers whose procedure issues a result × 100' };
}

/**
 * 5.4: satisfaction in handling = 100 % − (late rate + complaint rate), never below 0;
 * late by Decision 766's measure (overdue in progress included), complaints as dossiers
 * with at least one. Full points at ≥ 90 %.
 */
export function satisfaction(dossiers: readonly DossierFacts[], options: IndicatorOptions): Indicator {
  const n = dossiers.length;
  const counts = count(dossiers, (d) => timeliness766(d, options));
  const late = counts.late + counts['in-progress-overdue'];
  const complained = dossiers.filter((d) => d.complaints > 0).length;
  return {
    code: '5.4',
    name: 'Mức độ hài lòng trong tiếp nhận, giải quyết',
    numerator: late + complained,
    denominator: n,
    value: n === 0 ? null : Math.max(0, 100 - (100 * (late + complained)) / n),
    unit: 'percent',
    fullPointsAt: 90,
    formula: '100 % − (late dossiers ÷ dossiers × 100 + dossiers with complaints ÷ dossiers × 100); numerator = late + with complaints',
  };
}

/** What the lifecycle does not know of a dossier but the indicators need (from its result, payment and complaint rows). */
export type DossierOutcomeFacts = Pick<DossierFacts, 'resultRequired' | 'eResult' | 'digitisedInputs' | 'fee' | 'paidOnline' | 'complaints'>;

/**
 * The indicators' facts of a dossier's lifecycle state, or undefined before its receipt
 * (a dossier counts from full and valid receipt). The legal appointment is the one before
 * any re-dating; `finishedAt` is left out for a dossier refused at reception (never received).
 */
export function factsOfDossier(dossier: Dossier, outcome: DossierOutcomeFacts): DossierFacts | undefined {
  if (dossier.receivedAt === undefined || dossier.receiptAppointmentAt === undefined || dossier.appointmentAt === undefined) return undefined;
  const supplement = dossier.supplement?.stage === 'processing' ? { requestedAt: dossier.supplement.requestedAt, ...(dossier.supplement.completedAt !== undefined ? { completedAt: dossier.supplement.completedAt } : {}) } : undefined;
  return {
    id: dossier.id,
    receivedAt: dossier.receivedAt,
    receiptAppointmentAt: dossier.receiptAppointmentAt,
    appointmentAt: dossier.originalAppointmentAt ?? dossier.appointmentAt,
    redated: dossier.redates > 0,
    ...(dossier.finishedAt !== undefined ? { finishedAt: dossier.finishedAt } : {}),
    ...(supplement ? { supplement } : {}),
    supplementRequests: dossier.supplementRequests,
    channel: dossier.channel,
    ...outcome,
  };
}
