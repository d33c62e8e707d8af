/** Shared set-up of the dossier tests: the bundled calendar and rules, a dossier factory, and `decide` that must succeed. */
import { agencyWorkingCalendar, bundledLegalSettings, bundledYears, settingsInForce } from '../../../onestop/src/clocks';
import { submittedDossier, type Dossier, type DossierChannel, type DossierProcedure } from '../../../onestop/src/dossiers/dossier';
import { dossierClockOf, type DossierClock } from '../../../onestop/src/dossiers/dossier-clock';
import { bundledDossierRules } from '../../../onestop/src/dossiers/dossier-rules';
import { decide, type DecisionContext, type DossierOperation } from '../../../onestop/src/dossiers/lifecycle';
import { at } from '../../support/local-time';

export const rules = bundledDossierRules();
export const years = bundledYears();
export const calendar = agencyWorkingCalendar(years, settingsInForce(bundledLegalSettings(), '2026-11-30'), { agency: 'test' });
export const clock: DossierClock = dossierClockOf(calendar);

/** 7 working days, elapsed counting: the construction permit's statutory time. */
export const sevenDays: DossierProcedure = { id: 'construction-permit', statutoryTime: { amount: 7, unit: 'workingDays' } };

export function newDossier(submitted: string, options: { channel?: DossierChannel; procedure?: DossierProcedure } = {}): Dossier {
  return submittedDossier({ id: 'd-1', channel: options.channel ?? 'desk', procedure: options.procedure ?? sevenDays, submittedAt: at(submitted) });
}

export function context(now: string, extra: Partial<DecisionContext> = {}): DecisionContext {
  return { now: at(now), actor: 'lan', rules, clock, ...extra };
}

/** Applies operations in turn, each at its local time; fails the test on a refusal. */
export function run(dossier: Dossier, ...steps: Array<[now: string, operation: DossierOperation]>): Dossier {
  let current = dossier;
  for (const [now, operation] of steps) {
    const decision = decide(current, operation, context(now));
    if (!decision.ok) throw new Error(`${operation.type} at ${now} refused: ${decision.refusal.reason}`);
    current = decision.dossier;
  }
  return current;
}
