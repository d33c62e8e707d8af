/**
 * The lint configuration: bpmnlint's recommended rules plus ours, with the severities a
 * project may change (`{ rules: { 'motcua/step-shares': 'warn' } }`, bpmnlint's own
 * shape), and the options the procedure library gives the domain rules.
 */
import type { CutoffOptions } from './rules/cutoff';
import type { NoDistrictAgencyOptions } from './rules/no-district-agency';
import type { StepSharesOptions } from './rules/step-shares';
import type { LintConfig, LintRuleSetting, LintSeverity } from './types';

/** The rule that reports the engine's deploy problems: always an error, see {@link lintConfig}. */
export const ENGINE_DEPLOY_RULE = 'motcua/engine-deploy';

/**
 * The default configuration: bpmnlint's `recommended` (by `extends`, resolved by the
 * caller's resolver) with `label-required` lowered to a warning (the engine runs
 * unlabelled events and gateways), and every `motcua/*` rule as an error.
 */
export const DEFAULT_LINT_CONFIG: Readonly<LintConfig & { extends: string }> = Object.freeze({
  extends: 'bpmnlint:recommended',
  rules: Object.freeze(<Record<string, LintRuleSetting>>{
    'label-required': 'warn',
    [ENGINE_DEPLOY_RULE]: 'error',
    'motcua/user-task-facts': 'error',
    'motcua/step-shares': 'error',
    'motcua/lifecycle-paths': 'error',
    'motcua/no-district-agency': 'error',
    'motcua/cutoff': 'error',
  }),
});

/** A project's changes to the default configuration: severities, options, or both. */
export interface ProjectLintConfig {
  rules?: Record<string, LintRuleSetting>;
}

const SEVERITIES: readonly LintSeverity[] = ['off', 'warn', 'error', 'info'];

/**
 * The configuration to lint with: the defaults, then the project's settings, then the
 * options the caller adds per document (deploy warnings, the procedure's facts). A
 * setting `'warn'` keeps the options given elsewhere; `['warn', { ... }]` adds its own.
 *
 * `motcua/engine-deploy` stays an error whatever the project says: what it reports
 * would be refused at deploy, and a lint that passes must mean a deploy that passes.
 * Throws on an unknown severity, naming the rule.
 */
export function lintConfig(project: ProjectLintConfig = {}, ...options: Array<Record<string, Record<string, unknown>>>): LintConfig & { extends: string } {
  const rules: Record<string, [LintSeverity, Record<string, unknown>]> = {};
  const apply = (name: string, setting: LintRuleSetting) => {
    const [severity, ruleOptions] = Array.isArray(setting) ? setting : [setting, undefined];
    if (!SEVERITIES.includes(severity)) {
      throw new Error(`lint rule '${name}' has the severity ${JSON.stringify(severity)}; expected one of ${SEVERITIES.join(', ')}`);
    }
    const previous = rules[name]?.[1] ?? {};
    rules[name] = [severity, { ...previous, ...(ruleOptions ?? {}) }];
  };
  for (const [name, setting] of Object.entries(DEFAULT_LINT_CONFIG.rules)) apply(name, setting);
  for (const [name, setting] of Object.entries(project.rules ?? {})) apply(name, setting);
  for (const extra of options) {
    for (const [name, ruleOptions] of Object.entries(extra)) apply(name, [rules[name]?.[0] ?? 'error', ruleOptions]);
  }
  rules[ENGINE_DEPLOY_RULE] = ['error', rules[ENGINE_DEPLOY_RULE]?.[1] ?? {}];
  return { extends: DEFAULT_LINT_CONFIG.extends, rules };
}

/** The facts of procedure.json the domain rules read (processes/procedure.schema.json). */
export interface ProcedureFacts {
  statutoryTime?: { amount: number; unit: string; sameDay?: boolean; cutoff?: string; withVerification?: number };
  agencies?: ReadonlyArray<{ id: string; level?: string }>;
}

/** The rule options that a procedure of the library gives: its statutory time, cut-off and agency levels. */
export function procedureRuleOptions(procedure: ProcedureFacts): Record<string, Record<string, unknown>> {
  const time = procedure.statutoryTime;
  // A same-day procedure (procedure.json `sameDay`) is counted as the dossier counts it: 1 sameDay.
  const stepShares: StepSharesOptions = time ? { statutoryTime: time.sameDay ? { amount: 1, unit: 'sameDay' } : { amount: time.amount, unit: time.unit }, withVerification: time.withVerification } : {};
  const cutoff: CutoffOptions = time?.cutoff ? { cutoff: time.cutoff } : {};
  const agencyLevels: Record<string, string> = {};
  for (const agency of procedure.agencies ?? []) if (agency.level) agencyLevels[agency.id] = agency.level;
  const district: NoDistrictAgencyOptions = { agencyLevels };
  return {
    'motcua/step-shares': { ...stepShares },
    'motcua/cutoff': { ...cutoff },
    'motcua/no-district-agency': { ...district },
  };
}
