/**
 * Rule `motcua/lifecycle-paths`: an executable one-stop procedure has the paths of the
 * dossier lifecycle (Decree 118/2025, article numbers of its original text), each
 * reachable from the start and told by the `motcua:facts dossierStatus` of its nodes:
 *
 * | path | what the model needs | ground |
 * |---|---|---|
 * | supplement | a step with status `supplement-requested` and an end `stopped` (no supplement in time) | art. 16(3), 19(5) |
 * | refusal | an end `refused` (at reception, mẫu 03) or `rejected` (after examination) | art. 17, 19(3) |
 * | result | an end `returned` (the result handed over) | art. 22 |
 * | withdrawal | an end `withdrawn` | art. 21 |
 *
 * Withdrawal is checked only when the option `withdrawal` is `'model'`: by default
 * (`'dossier'`) the dossier layer withdraws a dossier at any open status
 * (onestop/src/dossiers/lifecycle.ts), so a model need not draw it. The option
 * `paths` lists the paths to check (all four by default).
 */
import { factsOf, isProcedure, processShapeId, reachableNodes } from '../moddle';
import type { LintNode, LintReporter, LintRule } from '../types';

/** The lifecycle paths the rule knows. */
export type LifecyclePath = 'supplement' | 'refusal' | 'result' | 'withdrawal';

/** Options of `motcua/lifecycle-paths`. */
export interface LifecyclePathsOptions {
  paths?: readonly LifecyclePath[];
  withdrawal?: 'dossier' | 'model';
}

interface Requirement {
  path: LifecyclePath;
  /** Each entry: one of these statuses must be on a reached node (of the given kind). */
  needs: Array<{ statuses: string[]; endOnly: boolean; what: string }>;
}

const REQUIREMENTS: Requirement[] = [
  {
    path: 'supplement',
    needs: [
      { statuses: ['supplement-requested'], endOnly: false, what: "step with dossier status 'supplement-requested' (mẫu 02, Decree 118/2025 art. 16(3), 19(5))" },
      { statuses: ['stopped'], endOnly: true, what: "end event with dossier status 'stopped' for a supplement not given in time (mẫu 05, art. 19(5))" },
    ],
  },
  {
    path: 'refusal',
    needs: [{ statuses: ['refused', 'rejected'], endOnly: true, what: "end event with dossier status 'refused' or 'rejected' (mẫu 03, Decree 118/2025 art. 17, 19(3))" }],
  },
  {
    path: 'result',
    needs: [{ statuses: ['returned'], endOnly: true, what: "end event with dossier status 'returned' (the result handed over, Decree 118/2025 art. 22)" }],
  },
  {
    path: 'withdrawal',
    needs: [{ statuses: ['withdrawn'], endOnly: true, what: "end event with dossier status 'withdrawn' (mẫu 05, Decree 118/2025 art. 21)" }],
  },
];

/** The rule factory. */
export default function lifecyclePaths(options: LifecyclePathsOptions = {}): LintRule {
  const wanted = new Set<LifecyclePath>(options.paths ?? ['supplement', 'refusal', 'result', 'withdrawal']);
  if (options.withdrawal !== 'model') wanted.delete('withdrawal');
  function check(node: LintNode, reporter: LintReporter) {
    if (node.$type !== 'bpmn:Process' || node.isExecutable !== true || !isProcedure(node)) return;
    const reached = [...reachableNodes(node)];
    const has = (statuses: string[], endOnly: boolean) =>
      reached.some((n) => (!endOnly || n.$type === 'bpmn:EndEvent') && statuses.includes(factsOf(n)?.dossierStatus));
    for (const requirement of REQUIREMENTS) {
      if (!wanted.has(requirement.path)) continue;
      for (const need of requirement.needs) {
        if (!has(need.statuses, need.endOnly)) {
          reporter.report(processShapeId(node), `Procedure has no ${requirement.path} path: no ${need.what} is reachable from the start`);
        }
      }
    }
  }
  return { check };
}
