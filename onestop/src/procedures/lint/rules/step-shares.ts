/**
 * Rule `motcua/step-shares`: the steps' shares of a procedure fit within its statutory
 * time. Each step (activity) has its share (`motcua:facts statutoryTime`); on the
 * longest path from the start to an end, the shares together may not exceed the
 * process's statutory time, or the dossier is late by design (Decree 118/2025 art. 20:
 * each agency its share of the time). Parallel branches count once (the longest);
 * loops (back to an earlier step after a supplement) count once, since the clock
 * restarts or pauses there. A sub-process without a share of its own counts its
 * longest inner path. Units are compared as in ../time.ts.
 *
 * Options: `hoursPerWorkingDay` (8); `statutoryTime` (`{ amount, unit }`, the
 * procedure library's value, from procedure.json): the process must carry that time;
 * `withVerification` (procedure.json's longer limit when verification is needed, in
 * the same unit): the longest path may take that long (the verification branch).
 */
import { factsOf, isActivity, isProcedure, processShapeId } from '../moddle';
import { describeTime, type FactsTime, timeOf, workingHours } from '../time';
import type { LintNode, LintReporter, LintRule } from '../types';

/** Options of `motcua/step-shares`. */
export interface StepSharesOptions {
  hoursPerWorkingDay?: number;
  statutoryTime?: FactsTime;
  withVerification?: number;
}

interface Path {
  hours: number;
  steps: LintNode[];
}

/** The rule factory. */
export default function stepShares(options: StepSharesOptions = {}): LintRule {
  const perDay = options.hoursPerWorkingDay ?? 8;
  function check(node: LintNode, reporter: LintReporter) {
    if (node.$type !== 'bpmn:Process' || !isProcedure(node)) return;
    const total = timeOf(factsOf(node));
    const where = processShapeId(node);
    const expected = options.statutoryTime;
    if (expected && (!total || total.amount !== expected.amount || normalUnit(total.unit) !== normalUnit(expected.unit))) {
      reporter.report(where, `Process statutory time is ${total ? describeTime(total) : 'not set'}; the procedure's is ${describeTime(expected)}`);
    }
    if (!total) return;
    const limit = options.withVerification !== undefined && options.withVerification > total.amount ? { ...total, amount: options.withVerification } : total;
    const limitHours = workingHours(limit, perDay);
    if (limitHours === undefined) return;
    const longest = longestPath(node, perDay);
    if (longest.hours > limitHours + 1e-9) {
      const steps = longest.steps.map((step) => `${step.id} ${describeTime(timeOf(factsOf(step))!)}`).join(', ');
      const allowed = limit === total ? `the statutory time of ${describeTime(total)}` : `the ${describeTime(limit)} allowed with verification`;
      reporter.report(where, `Step shares add up to ${round(longest.hours / perDay)} workingDays on the path ${steps}, more than ${allowed}`);
    }
  }
  return { check };
}

const normalUnit = (unit: string) => (unit === 'days' ? 'calendarDays' : unit);
const round = (value: number) => Math.round(value * 100) / 100;

/** The longest path (by shares) from the start events of `scope` to an end. */
function longestPath(scope: LintNode, perDay: number): Path {
  const elements = ((scope.flowElements as LintNode[] | undefined) ?? []).filter((e) => e.$type !== 'bpmn:SequenceFlow');
  const boundaryOf = new Map<LintNode, LintNode[]>();
  for (const element of elements) {
    if (element.$type === 'bpmn:BoundaryEvent' && element.attachedToRef) {
      boundaryOf.set(element.attachedToRef, [...(boundaryOf.get(element.attachedToRef) ?? []), element]);
    }
  }
  const memo = new Map<LintNode, Path>();
  const onStack = new Set<LintNode>();
  const weight = (node: LintNode): Path => {
    const own = isActivity(node) ? timeOf(factsOf(node)) : undefined;
    const hours = own ? workingHours(own, perDay) : undefined;
    if (hours !== undefined) return { hours, steps: [node] };
    if (node.$type === 'bpmn:SubProcess' && !node.triggeredByEvent) return longestPath(node, perDay);
    return { hours: 0, steps: [] };
  };
  const from = (node: LintNode): Path => {
    const known = memo.get(node);
    if (known) return known;
    onStack.add(node);
    let best: Path = { hours: 0, steps: [] };
    const next = [
      ...((node.outgoing as LintNode[] | undefined) ?? []).filter((f) => f.$type === 'bpmn:SequenceFlow').map((f) => f.targetRef as LintNode),
      ...(boundaryOf.get(node) ?? []),
    ];
    for (const successor of next) {
      if (!successor || onStack.has(successor)) continue; // a loop back: counted once
      const path = from(successor);
      if (path.hours > best.hours) best = path;
    }
    onStack.delete(node);
    const own = weight(node);
    const result = { hours: own.hours + best.hours, steps: [...own.steps, ...best.steps] };
    memo.set(node, result);
    return result;
  };
  let best: Path = { hours: 0, steps: [] };
  for (const start of elements.filter((e) => e.$type === 'bpmn:StartEvent')) {
    const path = from(start);
    if (path.hours > best.hours) best = path;
  }
  return best;
}
