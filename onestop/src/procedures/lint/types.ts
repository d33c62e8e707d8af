/**
 * The shapes bpmnlint gives and expects, typed for our rules: a rule is a factory
 * `(options) => { check(node, reporter) }`, called once per linter with the options
 * of its configuration entry (`['error', { ... }]`), and `check` sees every element
 * of the moddle tree, the `bpmn:Definitions` root first.
 */

/** A moddle element as the rules read it (bpmn-js's and the engine's trees alike). */
export interface LintNode {
  $type: string;
  $parent?: LintNode;
  id?: string;
  name?: string;
  $instanceOf?(type: string): boolean;
  [property: string]: any;
}

/** Where a rule reports a finding: the id of the element it is about, and why. */
export interface LintReporter {
  report(id: string, message: string): void;
}

/** What a rule factory returns. */
export interface LintRule {
  check(node: LintNode, reporter: LintReporter): void;
}

/** A rule factory in bpmnlint's shape. */
export type LintRuleFactory = (options?: any) => LintRule;

/** bpmnlint's severities; `off` turns a rule off. */
export type LintSeverity = 'off' | 'warn' | 'error' | 'info';

/** One rule's entry in a configuration: its severity, or its severity and options. */
export type LintRuleSetting = LintSeverity | [LintSeverity, Record<string, unknown>?];

/** A bpmnlint configuration (no `extends`: ours is complete in itself). */
export interface LintConfig {
  rules: Record<string, LintRuleSetting>;
}
