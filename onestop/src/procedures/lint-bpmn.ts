/**
 * Linting a BPMN document on the server, in the CLI and in tests: the document is read
 * as the engine's deploy reads it (engine/src/model's `parseBpmn`, whose warnings go to
 * `motcua/engine-deploy`), then bpmnlint's `Linter` runs our plugin (./lint) and
 * bpmnlint's rules, resolved from the installed package by name: no `.bpmnlintrc` is
 * looked up. A document that cannot be read at all is one `motcua/engine-deploy` error
 * (the deploy would refuse it for that reason), never a throw.
 */
import { DeploymentRejectedError, ModelParseError, parseBpmn } from '../../../engine/src/pure';
import { type ProcedureFacts, type ProjectLintConfig, createLintResolver, ENGINE_DEPLOY_RULE, type LintConfig, type LintNode, type LintRuleFactory, lintConfig, procedureRuleOptions } from './lint';
import type { EngineDeployOptions } from './lint/rules/engine-deploy';

/** Options of {@link lintBpmn}. */
export interface LintBpmnOptions {
  /** The project's severities and rule options (bpmnlint's `{ rules }` shape). */
  config?: ProjectLintConfig;
  /** The procedure.json facts of the document's procedure, for the domain rules. */
  procedure?: ProcedureFacts;
  /** As the deploy's: process ids deployed already, for call activities outside the document. */
  knownProcessIds?: EngineDeployOptions['knownProcessIds'];
  /** As the deploy's: model limits and the largest document, in bytes. */
  limits?: EngineDeployOptions['limits'] & { maxNestingDepth?: number };
  maxBytes?: number;
}

/** One finding: which rule, on which element, how severe, and why. */
export interface LintFinding {
  rule: string;
  elementId: string;
  severity: 'error' | 'warn' | 'info';
  message: string;
}

/** What {@link lintBpmn} found, errors first. */
export interface LintResult {
  findings: LintFinding[];
  errors: number;
  warnings: number;
}

type Report = { id?: string; message: string; category: string };
interface BpmnlintLinter {
  lint(root: unknown): Promise<Record<string, Report[]>>;
}
// bpmnlint ships no type declarations for its entry points.
const { Linter } = require('bpmnlint') as { Linter: new (options: { config: LintConfig; resolver: unknown }) => BpmnlintLinter };

const RULE_NAME = /^[a-z][a-z0-9-]*$/;

/** bpmnlint's own rules and configs, required from the installed package. */
const NODE_BUILTINS = {
  rule(name: string): LintRuleFactory | undefined {
    if (!RULE_NAME.test(name)) return undefined;
    try {
      return require(`bpmnlint/rules/${name}`) as LintRuleFactory;
    } catch {
      return undefined;
    }
  },
  config(name: string): LintConfig | undefined {
    if (!RULE_NAME.test(name)) return undefined;
    try {
      return require(`bpmnlint/config/${name}`) as LintConfig;
    } catch {
      return undefined;
    }
  },
};

const RANK = { error: 0, warn: 1, info: 2 } as const;

/**
 * Lints one BPMN document with the default rules, the project's severities and the
 * procedure's facts. Every problem the engine's deploy would report is an error here
 * on the same element; a document with no error deploys.
 *
 * @example
 * const { findings, errors } = await lintBpmn(xml, { procedure: JSON.parse(procedureJson), config: { rules: { 'motcua/step-shares': 'warn' } } });
 */
export async function lintBpmn(xml: string, options: LintBpmnOptions = {}): Promise<LintResult> {
  let parsed;
  try {
    parsed = await parseBpmn(xml, { maxBytes: options.maxBytes, maxNestingDepth: options.limits?.maxNestingDepth });
  } catch (error) {
    if (error instanceof DeploymentRejectedError) return summary(error.problems.map((p) => deployFinding(p.elementId, p.reason)));
    if (error instanceof ModelParseError) return summary([deployFinding('definitions', error.message)]);
    throw error;
  }
  const deploy: EngineDeployOptions = { warnings: parsed.warnings, knownProcessIds: options.knownProcessIds, limits: options.limits };
  const config = lintConfig(options.config, options.procedure ? procedureRuleOptions(options.procedure) : {}, { [ENGINE_DEPLOY_RULE]: { ...deploy } });
  const linter = new Linter({ config, resolver: createLintResolver(NODE_BUILTINS) });
  linkFlows(parsed.definitions as LintNode);
  const results = await linter.lint(parsed.definitions);
  const findings: LintFinding[] = [];
  for (const [rule, reports] of Object.entries(results)) {
    for (const report of reports) {
      // A rule that throws is bpmnlint's 'rule-error': an error, so a broken rule never passes a model.
      const severity = report.category === 'warn' || report.category === 'info' ? report.category : 'error';
      findings.push({ rule, elementId: report.id ?? 'definitions', severity, message: report.message });
    }
  }
  return summary(findings);
}

/**
 * Fills the `incoming` and `outgoing` of flow nodes from the sequence flows, as bpmn-js
 * does on import: a document may leave them out (only `sourceRef` and `targetRef` are
 * required), and bpmnlint's rules read them.
 */
function linkFlows(definitions: LintNode): void {
  const visit = (container: LintNode) => {
    for (const element of (container.flowElements as LintNode[] | undefined) ?? []) {
      if (element.$type === 'bpmn:SequenceFlow') {
        add(element.sourceRef, 'outgoing', element);
        add(element.targetRef, 'incoming', element);
      }
      if (element.flowElements) visit(element);
    }
  };
  for (const root of (definitions.rootElements as LintNode[] | undefined) ?? []) visit(root);
}

function add(node: LintNode | undefined, collection: 'incoming' | 'outgoing', flow: LintNode): void {
  if (!node) return;
  const list: LintNode[] = typeof node.get === 'function' ? node.get(collection) : (node[collection] ??= []);
  if (!list.includes(flow)) list.push(flow);
}

function deployFinding(elementId: string, message: string): LintFinding {
  return { rule: ENGINE_DEPLOY_RULE, elementId, severity: 'error', message };
}

function summary(findings: LintFinding[]): LintResult {
  findings.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return {
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warn').length,
  };
}
