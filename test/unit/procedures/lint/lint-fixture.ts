/**
 * The fixture of the rule tests (procedure.bpmn, a small procedure every motcua/* rule
 * accepts), a way to change it, and a lint that returns what one rule found.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LintBpmnOptions, type LintFinding, lintBpmn } from '../../../../onestop/src/procedures/lint-bpmn';

/** The passing procedure. */
export const PROCEDURE = readFileSync(join(__dirname, 'procedure.bpmn'), 'utf8');

/** The procedure with each `[from, to]` replaced once (throws when `from` is not there, so a test cannot pass by a typo). */
export function changed(...replacements: Array<[string, string]>): string {
  let xml = PROCEDURE;
  for (const [from, to] of replacements) {
    if (!xml.includes(from)) throw new Error(`the fixture has no ${JSON.stringify(from)}`);
    xml = xml.replace(from, to);
  }
  return xml;
}

/** The findings of `rule` on `xml`, as `elementId: message (severity)` lines; the fixture has no diagram, so no-bpmndi is off. */
export async function findingsOf(rule: string, xml: string, options: LintBpmnOptions = {}): Promise<string[]> {
  const config = { rules: { 'no-bpmndi': 'off' as const, ...options.config?.rules } };
  const { findings } = await lintBpmn(xml, { ...options, config });
  return findings.filter((f: LintFinding) => f.rule === rule).map((f) => `${f.elementId}: ${f.message} (${f.severity})`);
}
