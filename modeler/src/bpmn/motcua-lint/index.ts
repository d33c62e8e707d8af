/**
 * The bpmnlint set-up of the modeler (the `{ config, resolver }` pair bpmn-js-bpmnlint
 * takes): our plugin `motcua/*` from onestop/src/procedures/lint, the very rules the
 * server's lint and the deploy apply (the engine's deploy problems among them), plus
 * bpmnlint's recommended rules, bundled here by hand for the browser. Findings of our
 * rules are shown in Vietnamese when the app is.
 */
import recommended from 'bpmnlint/config/recommended';
import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process';
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway';
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event';
import fakeJoin from 'bpmnlint/rules/fake-join';
import globalRule from 'bpmnlint/rules/global';
import labelRequired from 'bpmnlint/rules/label-required';
import linkEvent from 'bpmnlint/rules/link-event';
import noBpmndi from 'bpmnlint/rules/no-bpmndi';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start';
import noInclusiveGateway from 'bpmnlint/rules/no-inclusive-gateway';
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import superfluousLabel from 'bpmnlint/rules/superfluous-label';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination';
import { createLintResolver, type LintConfig, type LintReporter, type LintRuleFactory, lintConfig, PLUGIN_PACKAGE, type ProjectLintConfig } from '../../../../onestop/src/procedures/lint';
import { currentLocale } from '../../shared/i18n';
import { vietnameseFinding } from './vi-messages';

// bpmnlint's rules (CommonJS modules, bundled by esbuild), by name.
const BPMNLINT_RULES: Record<string, LintRuleFactory> = {
  'ad-hoc-sub-process': adHocSubProcess,
  'conditional-flows': conditionalFlows,
  'end-event-required': endEventRequired,
  'event-based-gateway': eventBasedGateway,
  'event-sub-process-typed-start-event': eventSubProcessTypedStartEvent,
  'fake-join': fakeJoin,
  global: globalRule,
  'label-required': labelRequired,
  'link-event': linkEvent,
  'no-bpmndi': noBpmndi,
  'no-complex-gateway': noComplexGateway,
  'no-disconnected': noDisconnected,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'no-gateway-join-fork': noGatewayJoinFork,
  'no-implicit-split': noImplicitSplit,
  'no-implicit-end': noImplicitEnd,
  'no-implicit-start': noImplicitStart,
  'no-inclusive-gateway': noInclusiveGateway,
  'no-overlapping-elements': noOverlappingElements,
  'single-blank-start-event': singleBlankStartEvent,
  'single-event-definition': singleEventDefinition,
  'start-event-required': startEventRequired,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'superfluous-gateway': superfluousGateway,
  'superfluous-label': superfluousLabel,
  'superfluous-termination': superfluousTermination,
};

const resolver = createLintResolver({
  rule: (name) => BPMNLINT_RULES[name],
  config: (name) => (name === 'recommended' ? (recommended as LintConfig) : undefined),
});

/** Our rule, its findings in the app's language (read when the finding is made, so a language switch applies at the next lint). */
function localized(factory: LintRuleFactory): LintRuleFactory {
  return (options) => {
    const rule = factory(options);
    return {
      check(node, reporter: LintReporter) {
        rule.check(node, { report: (id, message) => reporter.report(id, currentLocale() === 'vi' ? vietnameseFinding(message) : message) });
      },
    };
  };
}

/** The modeler's lint set-up for a project's severities (the defaults when none). */
export function modelerLint(project: ProjectLintConfig = {}) {
  return {
    config: lintConfig(project),
    resolver: {
      resolveRule(pkg: string, ruleName: string): LintRuleFactory {
        const rule = resolver.resolveRule(pkg, ruleName);
        return pkg === PLUGIN_PACKAGE ? localized(rule) : rule;
      },
      resolveConfig: resolver.resolveConfig,
    },
  };
}

/** The `linting.bpmnlint` option of the modeler: the default severities. */
export const bpmnlint = modelerLint();
