/**
 * bpmnlint rule `motcua/user-task-facts`: every user task (a step an official works)
 * has its share of the statutory time, and an agency, its own or the procedure's.
 * Without them the dossier's legal clock cannot be split over its steps nor the step
 * routed to an agency, so the analyst hears of it while drawing, on the step itself.
 */
import { is } from 'bpmn-js/lib/util/ModelUtil';
import { t } from '../../shared/i18n';

type Node = any;
type Reporter = { report(id: string, message: string): void };

function factsOf(node: Node): Node | undefined {
  return node?.extensionElements?.values?.find((value: Node) => value.$instanceOf?.('motcua:Facts'));
}

function processOf(node: Node): Node | undefined {
  let current = node.$parent;
  while (current && !is(current, 'bpmn:Process')) current = current.$parent;
  return current;
}

/** The rule factory, in bpmnlint's shape (`() => { check }`). */
export default function userTaskFacts() {
  function check(node: Node, reporter: Reporter) {
    if (!is(node, 'bpmn:UserTask')) return;
    const facts = factsOf(node);
    const amount = facts?.statutoryTime;
    if (amount === undefined || amount === null) reporter.report(node.id, t('lint.userTaskStatutoryTime'));
    else if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) reporter.report(node.id, t('lint.statutoryTimeInvalid'));
    if (!facts?.agency && !factsOf(processOf(node))?.agency) reporter.report(node.id, t('lint.userTaskAgency'));
  }
  return { check };
}
