/**
 * Rule `motcua/cutoff`: the 15:00 cut-off is set where the law requires it. A dossier
 * received after the cut-off counts from the next working day: civil-status matters
 * (Law on Civil Status 2014 art. 5(3)), the Decree 63/2024 + 301/2026 groups and the
 * paper transfer of Decree 118/2025 art. 18(2). Which procedures need it is the
 * procedure library's knowledge (procedure.json `statutoryTime.cutoff`), given to the
 * rule as the option `cutoff` ("15:00"): the process's `motcua:facts` must then carry
 * `cutoff="legal"` (the cut-off in force, a setting) or that very time. A `sameDay`
 * time takes the legal cut-off by itself.
 *
 * Without the option the rule still refuses to switch the cut-off off (`cutoff="none"`)
 * on a `sameDay` time: a same-day matter after 15:00 is returned the next working day.
 */
import { factsOf, isProcedure, processShapeId } from '../moddle';
import type { LintNode, LintReporter, LintRule } from '../types';

/** Options of `motcua/cutoff`. */
export interface CutoffOptions {
  /** The procedure's cut-off ("HH:MM") when the law requires one. */
  cutoff?: string;
}

/** The rule factory. */
export default function cutoff(options: CutoffOptions = {}): LintRule {
  function check(node: LintNode, reporter: LintReporter) {
    if (node.$type !== 'bpmn:Process' || !isProcedure(node)) return;
    const facts = factsOf(node)!;
    if (facts.statutoryTime === undefined) return;
    const unit = facts.timeUnit ?? 'workingDays';
    const set: unknown = facts.cutoff;
    const where = processShapeId(node);
    if (unit === 'sameDay' && set === 'none') {
      reporter.report(where, 'Same-day procedure has its cut-off switched off (cutoff="none"); after the cut-off a dossier is handled the next working day (Law on Civil Status 2014 art. 5(3))');
      return;
    }
    const required = options.cutoff;
    if (!required) return;
    const ok = set === 'legal' || set === required || (unit === 'sameDay' && set === undefined);
    if (!ok) {
      const now = set === undefined ? 'no cut-off' : `cutoff="${String(set)}"`;
      reporter.report(where, `Procedure requires the ${required} cut-off (a dossier received later counts from the next working day) but the process has ${now}; set motcua:facts cutoff="legal"`);
    }
  }
  return { check };
}
