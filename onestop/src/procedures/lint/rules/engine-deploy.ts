/**
 * Rule `motcua/engine-deploy`: the engine's own deploy problems, each on its element.
 *
 * The engine refuses a document whose compilation reports a problem; this rule runs
 * that very compilation (engine/src/model's pure `compileDefinitions`, not a copy of
 * its checks) over the tree being linted, so that every reason a deploy would give is
 * a lint finding first, in the modeler as the analyst draws. Keep it at `error`:
 * {@link lintConfig} refuses a lower severity.
 *
 * Options (`['error', { ... }]`):
 * - `warnings`: the parser's warnings of the document (`parseBpmn().warnings`), which
 *   the engine turns into problems too (dropped elements, duplicate ids). The node-side
 *   runner passes them; in the modeler bpmn-js has read the document already.
 * - `knownProcessIds`: process ids deployed already, for call activities that call a
 *   process outside the document (as the deploy's own `knownProcessIds`).
 * - `limits`: the model limits of the deploy (shortest timer cycle, deepest nesting).
 */
import { compileDefinitions, type CompileOptions } from '../../../../../engine/src/pure';
import type { LintNode, LintReporter, LintRule } from '../types';

/** Options of `motcua/engine-deploy`. */
export interface EngineDeployOptions {
  warnings?: readonly string[];
  knownProcessIds?: readonly string[] | ((id: string) => boolean);
  limits?: CompileOptions['limits'];
}

/** The rule factory. */
export default function engineDeploy(options: EngineDeployOptions = {}): LintRule {
  const known = options.knownProcessIds;
  const knownProcessIds = typeof known === 'function' ? known : known ? (id: string) => known.includes(id) : undefined;
  function check(node: LintNode, reporter: LintReporter) {
    if (node.$type !== 'bpmn:Definitions' || node.$parent) return;
    const { problems } = compileDefinitions(node, { warnings: options.warnings, knownProcessIds, limits: options.limits });
    for (const problem of problems) reporter.report(problem.elementId, problem.reason);
  }
  return { check };
}
