/**
 * Rule `motcua/no-district-agency`: no step of a one-stop procedure belongs to a
 * district-level agency. Since 01/07/2025 local government has two tiers, provinces and
 * communes, and no districts (Resolution 202/2025/QH15, Law 72/2025/QH15): a model that
 * names a district agency describes a procedure that no longer exists.
 *
 * Told two ways:
 * - by name: a pool, lane, process or flow node whose name names a district-level unit
 *   (`huyện`, `quận`, `thị xã`, `cấp huyện`, "district");
 * - by identifier: a `motcua:facts agency` listed in the option `districtAgencies`, or
 *   whose level in the option `agencyLevels` (identifier → level, e.g. the `agencies`
 *   of procedure.json) is `district`.
 */
import { factsOf, isProcedure, processOf } from '../moddle';
import type { LintNode, LintReporter, LintRule } from '../types';

/** Options of `motcua/no-district-agency`. */
export interface NoDistrictAgencyOptions {
  districtAgencies?: readonly string[];
  agencyLevels?: Readonly<Record<string, string>>;
}

const DISTRICT_WORDS = /(?:^|[^\p{L}])(cấp huyện|huyện|quận|thị xã|district)(?=$|[^\p{L}])/iu;

const NAMED = new Set(['bpmn:Participant', 'bpmn:Lane', 'bpmn:Process']);

function procedureOf(node: LintNode): LintNode | undefined {
  if (node.$type === 'bpmn:Participant') return node.processRef;
  if (node.$type === 'bpmn:Lane') {
    let current = node.$parent;
    while (current && current.$type !== 'bpmn:Process') current = current.$parent;
    return current;
  }
  return processOf(node);
}

/** The rule factory. */
export default function noDistrictAgency(options: NoDistrictAgencyOptions = {}): LintRule {
  const districts = new Set(options.districtAgencies ?? []);
  const levels = options.agencyLevels ?? {};
  function check(node: LintNode, reporter: LintReporter) {
    if (!node.id || !(NAMED.has(node.$type) || node.$instanceOf?.('bpmn:FlowNode'))) return;
    const procedure = procedureOf(node);
    if (!procedure || !isProcedure(procedure)) return;
    const word = typeof node.name === 'string' ? DISTRICT_WORDS.exec(node.name)?.[1] : undefined;
    if (word) {
      reporter.report(node.id, `Name "${node.name}" names a district-level unit ('${word}'); since 01/07/2025 agencies are provincial or communal (Resolution 202/2025/QH15)`);
    }
    const agency = factsOf(node)?.agency;
    if (typeof agency === 'string' && (districts.has(agency) || levels[agency] === 'district')) {
      reporter.report(node.id, `Agency ${agency} is a district-level agency; since 01/07/2025 agencies are provincial or communal (Resolution 202/2025/QH15)`);
    }
  }
  return { check };
}
