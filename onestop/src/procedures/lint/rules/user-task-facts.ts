/**
 * Rule `motcua/user-task-facts`: every user task of a one-stop procedure (a step an
 * official works) has a role, an agency and its share of the statutory time.
 *
 * - role: `zeebe:assignmentDefinition` with candidate groups, candidate users or an
 *   assignee; without one the task goes to nobody's work list;
 * - agency: `motcua:facts agency` of the task or of the process; without one the step
 *   cannot be routed nor its working calendar chosen;
 * - time share: `motcua:facts statutoryTime`; without one the dossier's legal time
 *   cannot be split over its steps (Decree 118/2025 art. 20: each agency its share).
 *
 * Processes without `motcua:facts` are not one-stop procedures and are left alone.
 * A malformed value (a negative time, an unknown unit) is the engine's finding
 * (`motcua/engine-deploy`), not this rule's.
 */
import { agencyOf, extensionOf, factsOf, isProcedure, processOf } from '../moddle';
import type { LintNode, LintReporter, LintRule } from '../types';

const filled = (value: unknown) => typeof value === 'string' && value.trim() !== '';

/** The rule factory. */
export default function userTaskFacts(): LintRule {
  function check(node: LintNode, reporter: LintReporter) {
    if (node.$type !== 'bpmn:UserTask') return;
    const process = processOf(node);
    if (!process || !isProcedure(process)) return;
    const assignment = extensionOf(node, 'zeebe:AssignmentDefinition');
    if (!assignment || !(filled(assignment.candidateGroups) || filled(assignment.candidateUsers) || filled(assignment.assignee))) {
      reporter.report(node.id!, 'User task has no role: set the candidate groups (or an assignee) of its assignment');
    }
    if (!agencyOf(node)) reporter.report(node.id!, 'User task has no agency, and neither has its process (motcua:facts agency)');
    if (factsOf(node)?.statutoryTime === undefined) reporter.report(node.id!, 'User task has no share of the statutory time (motcua:facts statutoryTime)');
  }
  return { check };
}
