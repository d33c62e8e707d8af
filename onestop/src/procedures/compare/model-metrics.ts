/**
 * The figures of one model that a re-engineering comparison puts side by side: steps,
 * hand-offs, agencies, statutory working days on the critical path, documents asked of
 * the citizen, visits to a desk, manual and automated steps.
 *
 * ## How each figure is counted
 * - **Steps**: activities (tasks of every kind, call activities); gateways, events and
 *   the sub-process boxes themselves are not steps (the activities inside them are).
 * - **Hand-offs between lanes**: pairs of steps where one follows the other (through
 *   gateways and events, along sequence flows, message flows and boundary events) and
 *   the two sit in different lanes (or pools). Each pair is counted once, however many
 *   paths join them, loops included.
 * - **Hand-offs between agencies**: those pairs whose steps belong to different
 *   agencies (a step's `motcua:facts agency`, else its process's).
 * - **Agencies involved**: the distinct agencies named by any `motcua:facts`.
 * - **Statutory working days on the critical path**: see `critical-path.ts`; units are
 *   turned into working days as the library's checks do (8 working hours, 24 hours or
 *   one calendar day make a working day).
 * - **Documents asked of the citizen**: every `motcua:document` of every step: a paper
 *   that two agencies each ask for counts twice, as the citizen brings it twice.
 * - **Visits to a desk**: the applicant's steps are the manual tasks that name no agency
 *   of their own (an official's manual task names its agency); each one that comes just
 *   before or after an agency's step (handing in papers, collecting a result) is one
 *   visit. "Collect the papers at home" meets no agency and is none; a step the model
 *   names as two trips ("collect the certificate, then go to the tax office") is one.
 * - **Manual steps**: user, manual and plain tasks (a person does them); **automated**:
 *   service, script, business rule, send and receive tasks.
 */
import { criticalPath } from './critical-path';
import type { ModelFacts, NodeFacts } from './model-facts';

/** The figures of one model. */
export interface ModelMetrics {
  steps: number;
  laneHandOffs: number;
  agencyHandOffs: number;
  agencies: number;
  /** The agencies involved, sorted. */
  agencyIds: string[];
  /** Rounded to 3 decimals (reports show 2). */
  criticalPathDays: number;
  /** The flow nodes of the critical path, in order. */
  criticalPath: string[];
  documents: number;
  deskVisits: number;
  manualSteps: number;
  automatedSteps: number;
}

/** The names of the figures, in the order reports list them. */
export const METRIC_KEYS = ['steps', 'laneHandOffs', 'agencyHandOffs', 'agencies', 'criticalPathDays', 'documents', 'deskVisits', 'manualSteps', 'automatedSteps'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** Computes the figures of a model from its facts. */
export function modelMetrics(facts: ModelFacts): ModelMetrics {
  const nodes = [...facts.nodes.values()];
  const steps = nodes.filter((n) => n.performer !== undefined);
  const pairs = stepTransitions(facts);
  const agencyIds = new Set<string>(facts.processAgencies);
  for (const node of nodes) if (node.ownAgency && node.agency) agencyIds.add(node.agency);
  const path = criticalPath({ costs: new Map(nodes.map((n) => [n.id, n.workingDays])), edges: facts.edges });
  return {
    steps: steps.length,
    laneHandOffs: pairs.filter(([a, b]) => a.lane !== b.lane).length,
    agencyHandOffs: pairs.filter(([a, b]) => a.agency !== undefined && b.agency !== undefined && a.agency !== b.agency).length,
    agencies: agencyIds.size,
    agencyIds: [...agencyIds].sort(),
    criticalPathDays: Math.round(path.total * 1000) / 1000,
    criticalPath: path.nodes,
    documents: nodes.reduce((sum, n) => sum + n.documents.length, 0),
    deskVisits: deskVisits(pairs),
    manualSteps: steps.filter((n) => n.performer === 'manual').length,
    automatedSteps: steps.filter((n) => n.performer === 'automated').length,
  };
}

function isApplicantStep(node: NodeFacts): boolean {
  return node.type === 'manualTask' && !node.ownAgency;
}

/** The applicant's steps that hand papers to, or collect a result from, an agency's step. */
function deskVisits(pairs: Array<[NodeFacts, NodeFacts]>): number {
  const visits = new Set<string>();
  for (const [from, to] of pairs) {
    if (isApplicantStep(from) && !isApplicantStep(to)) visits.add(from.id);
    if (isApplicantStep(to) && !isApplicantStep(from)) visits.add(to.id);
  }
  return visits.size;
}

/** Every distinct (step, next step) pair, looking through gateways and events. */
function stepTransitions(facts: ModelFacts): Array<[NodeFacts, NodeFacts]> {
  const outgoing = new Map<string, string[]>();
  for (const edge of facts.edges) {
    const list = outgoing.get(edge.from) ?? [];
    list.push(edge.to);
    outgoing.set(edge.from, list);
  }
  const pairs: Array<[NodeFacts, NodeFacts]> = [];
  for (const step of facts.nodes.values()) {
    if (step.performer === undefined) continue;
    const seen = new Set<string>([step.id]);
    const queue = [...(outgoing.get(step.id) ?? [])];
    const next = new Set<string>();
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i];
      const node = facts.nodes.get(id);
      if (!node || seen.has(id)) continue;
      seen.add(id);
      if (node.performer !== undefined) next.add(id);
      else queue.push(...(outgoing.get(id) ?? []));
    }
    for (const id of next) pairs.push([step, facts.nodes.get(id)!]);
  }
  return pairs;
}
