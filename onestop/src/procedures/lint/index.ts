/**
 * Our bpmnlint plugin (`bpmnlint-plugin-motcua`, rules `motcua/*`): the engine's deploy
 * rules and the one-stop-shop domain rules, pure (no I/O), so that the web modeler shows
 * live what the server's `lintBpmn` and the deploy will say.
 *
 * ## Rules
 * | rule | what |
 * |---|---|
 * | `motcua/engine-deploy` | every deploy problem of the engine, on its element (always an error) |
 * | `motcua/user-task-facts` | every user task has a role, an agency and a time share |
 * | `motcua/step-shares` | the shares fit within the statutory time (and match procedure.json's) |
 * | `motcua/lifecycle-paths` | the supplement, refusal and result paths exist (withdrawal on request) |
 * | `motcua/no-district-agency` | no district-level agency (two-tier local government) |
 * | `motcua/cutoff` | the 15:00 cut-off where the law requires it |
 *
 * ## Using it
 * bpmnlint's `Linter` takes `{ config, resolver }`: {@link lintConfig} gives the config
 * (defaults + a project's severities + per-document options), {@link createLintResolver}
 * the resolver, given bpmnlint's own rules by the caller (the browser bundles them
 * statically, Node requires them).
 */
import cutoff from './rules/cutoff';
import engineDeploy from './rules/engine-deploy';
import lifecyclePaths from './rules/lifecycle-paths';
import noDistrictAgency from './rules/no-district-agency';
import stepShares from './rules/step-shares';
import userTaskFacts from './rules/user-task-facts';
import type { LintConfig, LintRuleFactory } from './types';

export { DEFAULT_LINT_CONFIG, ENGINE_DEPLOY_RULE, lintConfig, procedureRuleOptions } from './config';
export type { ProcedureFacts, ProjectLintConfig } from './config';
export type { LintConfig, LintNode, LintReporter, LintRule, LintRuleFactory, LintRuleSetting, LintSeverity } from './types';

/** The package name bpmnlint gives the rules `motcua/*`. */
export const PLUGIN_PACKAGE = 'bpmnlint-plugin-motcua';

/** Our rules by name (without the `motcua/` prefix). */
export const MOTCUA_RULES: Readonly<Record<string, LintRuleFactory>> = Object.freeze({
  'engine-deploy': engineDeploy,
  'user-task-facts': userTaskFacts,
  'step-shares': stepShares,
  'lifecycle-paths': lifecyclePaths,
  'no-district-agency': noDistrictAgency,
  cutoff,
});

/** bpmnlint's own rules and configs, as the caller can load them. */
export interface BpmnlintBuiltins {
  rule(name: string): LintRuleFactory | undefined;
  config(name: string): LintConfig | undefined;
}

/** A bpmnlint resolver: our rules, then bpmnlint's from `builtins`; unknown names throw, naming the rule. */
export function createLintResolver(builtins: BpmnlintBuiltins) {
  return {
    resolveRule(pkg: string, ruleName: string): LintRuleFactory {
      const rule = pkg === PLUGIN_PACKAGE ? MOTCUA_RULES[ruleName] : pkg === 'bpmnlint' ? builtins.rule(ruleName) : undefined;
      if (!rule) throw new Error(`unknown lint rule ${pkg}/${ruleName}`);
      return rule;
    },
    resolveConfig(pkg: string, configName: string): LintConfig {
      const config = pkg === 'bpmnlint' ? builtins.config(configName) : undefined;
      if (!config) throw new Error(`unknown lint config ${pkg}:${configName}`);
      return config;
    },
  };
}
