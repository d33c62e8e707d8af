// Packages of the bpmn.io stack that ship no type declarations.
declare module 'bpmnlint/config/recommended' {
  const config: { rules: Record<string, string> };
  export default config;
}
declare module 'bpmnlint/rules/*' {
  const rule: (config?: unknown) => { check: (node: any, reporter: any) => void };
  export default rule;
}
declare module 'bpmn-js-properties-panel';
declare module '@bpmn-io/properties-panel';
declare module '@bpmn-io/properties-panel/preact';
declare module 'bpmn-js-bpmnlint';
declare module 'bpmn-auto-layout';
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
declare module 'zeebe-bpmn-moddle/resources/zeebe.json';
