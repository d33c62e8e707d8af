/**
 * The bpmnlint set-up of the modeler, packed by hand for the browser (the
 * `{ config, resolver }` pair bpmn-js-bpmnlint takes): bpmnlint's recommended rules
 * plus our own `motcua/*` rules. `label-required` is a warning here: the engine runs
 * unlabelled events and gateways, and the reference procedures have them.
 */
import recommended from 'bpmnlint/config/recommended';
import userTaskFacts from './user-task-facts';

type RuleFactory = (config?: unknown) => { check: (node: unknown, reporter: unknown) => void };

// bpmnlint's rules are CommonJS modules; esbuild bundles them from this map.
const bpmnlintRules: Record<string, RuleFactory> = {
  'ad-hoc-sub-process': require('bpmnlint/rules/ad-hoc-sub-process'),
  'conditional-flows': require('bpmnlint/rules/conditional-flows'),
  'end-event-required': require('bpmnlint/rules/end-event-required'),
  'event-based-gateway': require('bpmnlint/rules/event-based-gateway'),
  'event-sub-process-typed-start-event': require('bpmnlint/rules/event-sub-process-typed-start-event'),
  'fake-join': require('bpmnlint/rules/fake-join'),
  global: require('bpmnlint/rules/global'),
  'label-required': require('bpmnlint/rules/label-required'),
  'link-event': require('bpmnlint/rules/link-event'),
  'no-bpmndi': require('bpmnlint/rules/no-bpmndi'),
  'no-complex-gateway': require('bpmnlint/rules/no-complex-gateway'),
  'no-disconnected': require('bpmnlint/rules/no-disconnected'),
  'no-duplicate-sequence-flows': require('bpmnlint/rules/no-duplicate-sequence-flows'),
  'no-gateway-join-fork': require('bpmnlint/rules/no-gateway-join-fork'),
  'no-implicit-split': require('bpmnlint/rules/no-implicit-split'),
  'no-implicit-end': require('bpmnlint/rules/no-implicit-end'),
  'no-implicit-start': require('bpmnlint/rules/no-implicit-start'),
  'no-inclusive-gateway': require('bpmnlint/rules/no-inclusive-gateway'),
  'no-overlapping-elements': require('bpmnlint/rules/no-overlapping-elements'),
  'single-blank-start-event': require('bpmnlint/rules/single-blank-start-event'),
  'single-event-definition': require('bpmnlint/rules/single-event-definition'),
  'start-event-required': require('bpmnlint/rules/start-event-required'),
  'sub-process-blank-start-event': require('bpmnlint/rules/sub-process-blank-start-event'),
  'superfluous-gateway': require('bpmnlint/rules/superfluous-gateway'),
  'superfluous-label': require('bpmnlint/rules/superfluous-label'),
  'superfluous-termination': require('bpmnlint/rules/superfluous-termination'),
};

const motcuaRules: Record<string, RuleFactory> = {
  'user-task-facts': userTaskFacts,
};

/** The lint rules and their severities. */
export const lintConfig = {
  rules: {
    ...(recommended as { rules: Record<string, string> }).rules,
    'label-required': 'warn',
    'motcua/user-task-facts': 'warn',
  },
};

/** The `linting.bpmnlint` option of the modeler. */
export const bpmnlint = {
  config: lintConfig,
  resolver: {
    resolveRule(pkg: string, ruleName: string): RuleFactory {
      const rule = pkg === 'bpmnlint' ? bpmnlintRules[ruleName] : pkg === 'bpmnlint-plugin-motcua' ? motcuaRules[ruleName] : undefined;
      if (!rule) throw new Error(`unknown lint rule ${pkg}/${ruleName}`);
      return rule;
    },
    resolveConfig(pkg: string, configName: string): never {
      throw new Error(`unknown lint config ${pkg}/${configName}`);
    },
  },
};
