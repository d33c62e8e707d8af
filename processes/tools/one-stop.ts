/**
 * The shape every to-be procedure of the library shares (Decree 118/2025 art. 16–22):
 * reception at the one-stop-shop desk (refusal with mẫu 03), examination by the
 * processing unit, one supplement request (mẫu 02) answered by a message or stopped
 * after 15 days (mẫu 05), the procedure's own steps and agencies, the decision, and the
 * return of the result or of the reasoned refusal.
 *
 * Why one builder: the legal lifecycle is the same for every procedure; what differs is
 * the agencies, the steps between examination and decision, and the shares of time.
 */
import type { FactsSpec, FlowSpec, LaneSpec, MessageSpec, NodeSpec, ProcessSpec, TimeUnit } from './spec';

/** A set of nodes and flows with one way in and one way out. */
export interface Fragment {
  nodes: NodeSpec[];
  flows: FlowSpec[];
  entry: string;
  exit: string;
}

/** A user task of an agency and a role, with its share of the statutory time. */
export interface StepOptions {
  id: string;
  name: string;
  lane: string;
  agency: string;
  groups: string;
  share: number;
  unit: TimeUnit;
  status: string;
  formKey?: string;
  documents?: string[];
}

/** A user task node from {@link StepOptions}. */
export function userTask(step: StepOptions): NodeSpec {
  return {
    id: step.id,
    kind: 'userTask',
    name: step.name,
    lane: step.lane,
    groups: step.groups,
    formKey: step.formKey,
    facts: { agency: step.agency, statutoryTime: step.share, timeUnit: step.unit, dossierStatus: step.status, documents: step.documents },
  };
}

/** A flow with the conventional id `<from>-<to>`. */
export function flow(from: string, to: string, more: Partial<FlowSpec> = {}): FlowSpec {
  return { id: `${from}-${to}`, from, to, ...more };
}

/** Nodes one after the other. */
export function sequence(nodes: NodeSpec[]): Fragment {
  const flows = nodes.slice(1).map((node, i) => flow(nodes[i].id, node.id));
  return { nodes, flows, entry: nodes[0].id, exit: nodes[nodes.length - 1].id };
}

/** Fragments in parallel between a fork and a join (electronic hand-offs: every agency receives at once). */
export function parallel(id: string, lane: string, branches: Fragment[], names: { fork?: string; join?: string } = {}): Fragment {
  const fork: NodeSpec = { id: `${id}Fork`, kind: 'parallelGateway', name: names.fork, lane };
  const join: NodeSpec = { id: `${id}Join`, kind: 'parallelGateway', name: names.join, lane };
  const nodes = [fork, ...branches.flatMap((b) => b.nodes), join];
  const flows = branches.flatMap((b) => [flow(fork.id, b.entry), ...b.flows, flow(b.exit, join.id)]);
  return { nodes, flows, entry: fork.id, exit: join.id };
}

/** Fragments one after the other. */
export function chain(fragments: Fragment[]): Fragment {
  const nodes = fragments.flatMap((f) => f.nodes);
  const flows = fragments.flatMap((f, i) => (i === 0 ? f.flows : [flow(fragments[i - 1].exit, f.entry), ...f.flows]));
  return { nodes, flows, entry: fragments[0].entry, exit: fragments[fragments.length - 1].exit };
}

/** The name and correlation of the supplement message every to-be waits for. */
export const SUPPLEMENT_MESSAGE: MessageSpec = { id: 'supplement-message', name: 'dossier.supplemented', correlationKey: '=dossierCode' };

/** What a to-be procedure says of itself; the builder adds the lifecycle around it. */
export interface ToBeOptions {
  processId: string;
  name: string;
  participantName: string;
  facts: FactsSpec;
  lanes: LaneSpec[];
  /** The one-stop-shop desk that receives and returns. */
  desk: { lane: string; agency: string; receiveShare: number; returnShare: number; unit: TimeUnit; documents: string[] };
  /** The examination where the supplement is asked (within 3 working days, art. 19(5)). */
  examine: StepOptions & { dueSoon?: string };
  /** Steps after the examination and before the decision. */
  before?: Fragment;
  /** The decision: approve or refuse with reasons. */
  sign: StepOptions;
  /** Steps after an approval and before the return (e.g. other agencies acting on the result). */
  after?: Fragment;
  /** What the applicant receives. */
  resultName: string;
  /** How long the desk waits for the supplement before stopping the dossier; default 15 days (art. 19(5)). */
  supplementWait?: { duration: string; name: string; comment: string };
}

/** The executable to-be process. */
export function toBeProcess(o: ToBeOptions): ProcessSpec {
  const { desk } = o;
  const deskStep = (id: string, name: string, share: number, status: string, formKey?: string, documents?: string[]): NodeSpec =>
    userTask({ id, name, lane: desk.lane, agency: desk.agency, groups: 'desk', share, unit: desk.unit, status, formKey, documents });
  const nodes: NodeSpec[] = [
    { id: 'submitted', kind: 'startEvent', name: 'Hồ sơ được nộp', lane: desk.lane, facts: { agency: desk.agency, dossierStatus: 'submitted' } },
    deskStep('receive', 'Tiếp nhận, kiểm tra hồ sơ (mẫu 01)', desk.receiveShare, 'received', 'receive', desk.documents),
    { id: 'receiveDecision', kind: 'exclusiveGateway', name: 'Hồ sơ đủ điều kiện tiếp nhận?', lane: desk.lane },
    { id: 'refused', kind: 'endEvent', name: 'Từ chối tiếp nhận (mẫu 03)', lane: desk.lane, row: 1, facts: { agency: desk.agency, dossierStatus: 'refused' } },
    // the examination is reached first from reception, again after the supplement: joined by a gateway (a task does not join)
    { id: 'examineMerge', kind: 'exclusiveGateway', lane: o.examine.lane },
    userTask({ ...o.examine, formKey: o.examine.formKey ?? 'examine' }),
    { id: 'examineOutcome', kind: 'exclusiveGateway', name: 'Cần bổ sung?', lane: o.examine.lane },
  ];
  const flows: FlowSpec[] = [
    flow('submitted', 'receive'),
    flow('receive', 'receiveDecision'),
    flow('receiveDecision', 'refused', { name: 'Không', condition: '=decision = "refuse"' }),
    flow('receiveDecision', 'examineMerge', { name: 'Có', isDefault: true }),
    flow('examineMerge', o.examine.id),
    flow(o.examine.id, 'examineOutcome'),
  ];
  if (o.examine.dueSoon) {
    nodes.push(
      {
        id: `${o.examine.id}DueSoon`,
        kind: 'boundaryTimer',
        name: 'Sắp đến hạn',
        lane: o.examine.lane,
        attachedTo: o.examine.id,
        interrupting: false,
        timer: o.examine.dueSoon,
        comment: 'Due-soon warning: a plain ISO duration for now; timers on the working-day calendar come later.',
      },
      { id: `${o.examine.id}Warned`, kind: 'endEvent', name: 'Đã nhắc việc', lane: o.examine.lane, row: 1 },
    );
    flows.push(flow(`${o.examine.id}DueSoon`, `${o.examine.id}Warned`));
  }
  // the one supplement request (art. 16(3), 19(5)): the desk sends mẫu 02, then waits 15 days
  nodes.push(
    { ...deskStep('requestSupplement', 'Gửi phiếu yêu cầu bổ sung (mẫu 02)', desk.receiveShare, 'supplement-requested', 'request-supplement'), row: 2 },
    { id: 'awaitSupplement', kind: 'eventBasedGateway', lane: desk.lane, row: 2 },
    {
      id: 'supplementReceived',
      kind: 'messageCatch',
      name: 'Nhận hồ sơ bổ sung',
      lane: desk.lane,
      row: 2,
      message: SUPPLEMENT_MESSAGE.id,
      outputs: [{ source: '=true', target: 'supplemented' }],
      facts: { agency: desk.agency, dossierStatus: 'supplemented' },
    },
    {
      id: 'supplementOverdue',
      kind: 'timerCatch',
      name: o.supplementWait?.name ?? '15 ngày không bổ sung',
      lane: desk.lane,
      row: 3,
      timer: o.supplementWait?.duration ?? 'P15D',
      comment: o.supplementWait?.comment ?? '15 days (Decree 118 art. 19(5)): a plain ISO duration for now; calendar-based timers come later.',
    },
    { id: 'stopped', kind: 'endEvent', name: 'Dừng giải quyết (mẫu 05)', lane: desk.lane, row: 3, facts: { agency: desk.agency, dossierStatus: 'stopped' } },
  );
  flows.push(
    flow('examineOutcome', 'requestSupplement', { name: 'Yêu cầu bổ sung', condition: '=outcome = "supplement" and supplemented != true' }),
    flow('requestSupplement', 'awaitSupplement'),
    flow('awaitSupplement', 'supplementReceived'),
    flow('awaitSupplement', 'supplementOverdue'),
    flow('supplementReceived', 'examineMerge'),
    flow('supplementOverdue', 'stopped'),
  );
  const signNode = userTask({ ...o.sign, formKey: o.sign.formKey ?? 'sign' });
  if (o.before) {
    nodes.push(...o.before.nodes);
    flows.push(flow('examineOutcome', o.before.entry, { name: 'Đủ', isDefault: true }), ...o.before.flows, flow(o.before.exit, signNode.id));
  } else {
    flows.push(flow('examineOutcome', signNode.id, { name: 'Đủ', isDefault: true }));
  }
  nodes.push(signNode, { id: 'decision', kind: 'exclusiveGateway', name: 'Phê duyệt?', lane: o.sign.lane });
  flows.push(flow(signNode.id, 'decision'));
  const returnResult = deskStep('returnResult', `Trả kết quả: ${o.resultName}`, desk.returnShare, 'result-ready', 'return-result');
  if (o.after) {
    nodes.push(...o.after.nodes);
    flows.push(flow('decision', o.after.entry, { name: 'Phê duyệt', condition: '=approved = true' }), ...o.after.flows, flow(o.after.exit, returnResult.id));
  } else {
    flows.push(flow('decision', returnResult.id, { name: 'Phê duyệt', condition: '=approved = true' }));
  }
  nodes.push(
    returnResult,
    { id: 'returned', kind: 'endEvent', name: 'Đã trả kết quả', lane: desk.lane, facts: { agency: desk.agency, dossierStatus: 'returned' } },
    { ...deskStep('returnRefusal', 'Trả văn bản từ chối, nêu rõ lý do', desk.returnShare, 'rejected', 'return-refusal'), row: 1 },
    { id: 'rejected', kind: 'endEvent', name: 'Đã từ chối giải quyết', lane: desk.lane, row: 1, facts: { agency: desk.agency, dossierStatus: 'rejected' } },
  );
  flows.push(flow('returnResult', 'returned'), flow('decision', 'returnRefusal', { name: 'Từ chối', isDefault: true }), flow('returnRefusal', 'rejected'));
  return { id: o.processId, name: o.name, participantName: o.participantName, executable: true, facts: o.facts, lanes: o.lanes, nodes, flows };
}
