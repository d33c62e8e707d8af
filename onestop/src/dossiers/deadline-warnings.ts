/**
 * The warnings before two legal deadlines an official must not miss: accepting or sending
 * back an online dossier (Decree 118/2025 art. 17(2): 8 working hours; warned
 * `onlineAcceptance.warningBefore` earlier), and the apology with its new appointment
 * (art. 19(6): at the latest 1 day before the due date; warned `lateApology.warningBefore`
 * earlier). Pure: the dossier service's scanner records each warning once, as a
 * `deadlineWarned` event.
 */
import type { Dossier } from './dossier';
import type { DossierClock } from './dossier-clock';
import type { DossierEvent } from './dossier-events';
import { rulesForDossier, type DossierRules, type DossierRulesVersion } from './dossier-rules';
import { onlineAcceptanceDeadline } from './lifecycle';

/** Which deadline a warning is about. */
export type WarnedDeadline = Extract<DossierEvent, { type: 'deadlineWarned' }>['deadline'];

const OPEN: ReadonlySet<Dossier['status']> = new Set(['received', 'processing', 'supplemented']);

/**
 * The last moment of the apology before `appointmentAt`: in calendar days the notice counts
 * dates (the start of the local day `amount - 1` days before the appointment's date); in hours,
 * `amount` hours before; in working units, the appointment itself (the guard in `decide` counts them).
 */
export function apologyDeadline(appointmentAt: number, rules: DossierRulesVersion): number {
  const { amount, unit } = rules.lateApology.noticeBefore;
  const offset = rules.utcOffsetMinutes * 60_000;
  if (unit === 'calendarDays') {
    const startOfDay = Math.floor((appointmentAt + offset) / 86_400_000) * 86_400_000 - offset;
    return startOfDay - Math.max(0, amount - 1) * 86_400_000;
  }
  if (unit === 'hours') return appointmentAt - amount * 3_600_000;
  return appointmentAt;
}

/**
 * The warnings due at `now` and not yet given (`given`: the deadlines already warned of).
 * A re-dated dossier gets no second apology warning (it may be re-dated once only).
 */
export function dueWarnings(dossier: Dossier, rules: DossierRules, clock: DossierClock, now: number, given: readonly WarnedDeadline[]): Array<{ deadline: WarnedDeadline; dueAt: number }> {
  const version = rulesForDossier(rules, dossier, dossier.receivedAt ?? dossier.submittedAt);
  const due: Array<{ deadline: WarnedDeadline; dueAt: number }> = [];
  if (dossier.status === 'submitted' && !given.includes('online-acceptance')) {
    const online = onlineAcceptanceDeadline(dossier, version, clock);
    if (online && now >= online.warnAt) due.push({ deadline: 'online-acceptance', dueAt: online.dueAt });
  }
  const warning = version.lateApology.warningBefore;
  if (OPEN.has(dossier.status) && warning && dossier.redates === 0 && dossier.appointmentAt !== undefined && !given.includes('late-apology')) {
    const dueAt = apologyDeadline(dossier.appointmentAt, version);
    if (now < dueAt && clock.between(now, dueAt, warning.unit) <= warning.amount) due.push({ deadline: 'late-apology', dueAt });
  }
  return due;
}
