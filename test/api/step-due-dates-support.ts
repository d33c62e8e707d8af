/**
 * What the two suites of step due dates share (dossier-step-due-dates-e2e: the dossier's own
 * operations move its steps; calendar-step-due-dates-e2e: a calendar change moves them): the
 * process whose steps have shares of the 7 working days, the library's permanent-residence
 * procedure on it, the set-up (the agency's officials, its admin and an analyst; the processes
 * deployed and the procedures put), the steps a dossier is taken through on the suites' clock,
 * and the checks through the API (a task's due date, the moves in the instance's history and in
 * the dossier's audit chain).
 */
import type { TestDatabaseTarget } from '../support/databases';
import { residenceProcedureAs } from './dossier-process';
import { SuiteUsers } from './dossier-e2e-support';
import { useApi, type ApiHarness, type Client } from './harness';
import { vn } from './outbox-support';

export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Receipt (desk, 0.5) → examination (specialist, 3) → signature (head, 2) → returned, of the
 * agency's 7 working days; with `returnResult`, the result at the desk (1) before returned.
 */
export function stepSharesXml(processId: string, agency: string, options: { returnResult: boolean }): string {
  const userTask = (id: string, name: string, group: string, status: string, days: string) =>
    `<bpmn:userTask id="${id}" name="${name}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="${group}" /><motcua:facts dossierStatus="${status}" statutoryTime="${days}" timeUnit="workingDays" /></bpmn:extensionElements></bpmn:userTask>`;
  const last = options.returnResult ? 'returnResult' : 'sign';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${processId}" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="${processId}" name="${processId}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="${agency}" statutoryTime="7" timeUnit="workingDays" /></bpmn:extensionElements>
    <bpmn:startEvent id="submitted"><bpmn:extensionElements><motcua:facts dossierStatus="submitted" /></bpmn:extensionElements></bpmn:startEvent>
    ${userTask('receive', 'Tiếp nhận', 'desk', 'received', '0.5')}
    ${userTask('examine', 'Thẩm định', 'specialist', 'processing', '3')}
    ${userTask('sign', 'Ký duyệt', 'head', 'processing', '2')}
    ${options.returnResult ? userTask('returnResult', 'Trả kết quả', 'desk', 'result-ready', '1') : ''}
    <bpmn:endEvent id="returned"><bpmn:extensionElements><motcua:facts dossierStatus="${options.returnResult ? 'returned' : 'result-ready'}" /></bpmn:extensionElements></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="submitted" targetRef="receive" />
    <bpmn:sequenceFlow id="f2" sourceRef="receive" targetRef="examine" />
    <bpmn:sequenceFlow id="f3" sourceRef="examine" targetRef="sign" />
    ${options.returnResult ? '<bpmn:sequenceFlow id="f4" sourceRef="sign" targetRef="returnResult" />' : ''}
    <bpmn:sequenceFlow id="f${options.returnResult ? 5 : 4}" sourceRef="${last}" targetRef="returned" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** The library's permanent-residence procedure (7 working days) as `code` on `processId`, of one agency, restarting or pausing after a supplement. */
export function residenceOnClock(options: { code: string; processId: string; afterSupplement: 'restart' | 'pause'; agency: { id: string; name: string; nameEn: string } }): Record<string, any> {
  const document = residenceProcedureAs({ code: options.code, processId: options.processId, agencies: [options.agency] });
  return { ...document, statutoryTime: { ...document.statutoryTime, afterSupplement: options.afterSupplement } };
}

/** A task's due date moved: [task id, new due date, who moved it]. */
export type Move = [taskId: string, dueAt: string | undefined, actor: string | null];

/** The injected clock of a suite: the server reads it, the tests and the steps below set it. */
export interface SuiteClock {
  now: () => number;
  set: (ms: number) => void;
}

/** What a dossier is received with at the desk. */
export interface Receipt {
  applicant: Record<string, unknown>;
  documents: ReadonlyArray<Record<string, unknown>>;
}

/**
 * A due-date suite on `target`: the API on the suite's clock with the dossier layer, and before
 * all its tests the agency's desk, specialist and head (each in the group of its step), its
 * admin, an analyst (and a citizen if asked), then `processes` deployed for the agency and
 * `procedures` put by its admin ([code, process id, what the clock does after a supplement]).
 */
export function useDueDateSuite(
  target: TestDatabaseTarget,
  options: {
    clock: SuiteClock;
    /** Keeps the suite's users apart from other suites' (`<name>-<suffix>`). */
    suffix: string;
    agency: { id: string; name: string; nameEn: string };
    receipt: Receipt;
    citizen?: boolean;
    /** The BPMN of each process deployed for the agency. */
    processes: readonly string[];
    procedures: ReadonlyArray<readonly [code: string, processId: string, afterSupplement: 'restart' | 'pause']>;
  },
): DueDateChecks {
  const api = useApi(target, { now: options.clock.now, dossiers: true });
  const users = new SuiteUsers(api, options.suffix);
  const ag = options.agency.id;

  beforeAll(async () => {
    await users.add('desk', ['official'], ag, ['desk']);
    await users.add('specialist', ['official'], ag, ['specialist']);
    await users.add('head', ['official'], ag, ['head']);
    await users.add('admin', ['agency-admin'], ag, []);
    await users.add('analyst', ['analyst'], undefined, []);
    if (options.citizen) await users.add('citizen', ['citizen'], undefined, []);
    for (const xml of options.processes) await api.engine.deploy(xml, { agency: ag });
    for (const [code, processId, afterSupplement] of options.procedures) {
      const put = await users.as('admin').request('PUT', `/api/procedures/${code}`, { json: { document: residenceOnClock({ code, processId, afterSupplement, agency: options.agency }) } });
      expect([put.status, put.body.detail]).toEqual([200, undefined]);
    }
  });

  return new DueDateChecks(api, users, options.receipt, options.clock);
}

/**
 * The steps and checks of the due-date suites, through the API, as the suite's users (`admin`
 * reads histories, `analyst` verifies the audit trail), with the API and the users themselves.
 * Its methods are bound: a suite takes them out (`const { api, work, taskOf } = useDueDateSuite(…)`).
 */
export class DueDateChecks {
  constructor(
    readonly api: ApiHarness,
    readonly users: SuiteUsers,
    private readonly receipt: Receipt,
    private readonly clock: SuiteClock,
  ) {}

  /** The client of the suite's user `name`. */
  readonly as = (name: string): Client => this.users.as(name);

  /** A dossier's operation as `who`: it must be taken; the dossier as answered. */
  readonly operate = async (who: string, dossierId: string, body: unknown): Promise<any> => {
    const res = await this.users.operate(who, dossierId, body);
    expect([res.status, res.body.detail]).toEqual([200, undefined]);
    return res.body;
  };

  /** A dossier received at the desk (its fee paid there). */
  readonly receiveAtDesk = async (procedureCode: string): Promise<any> => {
    const res = await this.users.as('desk').post('/api/dossiers', { procedureCode, channel: 'desk', applicant: this.receipt.applicant, documents: this.receipt.documents, fee: { paid: true, paidOnline: false } });
    expect([res.status, res.body.detail]).toEqual([201, undefined]);
    return res.body;
  };

  /** The open task at `elementId`, as `who` sees it through the API (with its due date). */
  readonly taskOf = async (who: string, instanceId: string, elementId: string): Promise<{ id: string; dueAt: string | null }> => {
    const listed = await this.users.taskOf(who, instanceId, elementId);
    const res = await this.users.as(who).get(`/api/tasks/${listed.id}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  /** Claims and completes the task at `elementId` as `who`. */
  readonly work = (who: string, instanceId: string, elementId: string): Promise<void> => this.users.work(who, instanceId, elementId);

  /**
   * The receipt of a dossier received on Monday 23/11/2026 worked at 10:00: its examination
   * opens due Friday 27/11 10:00 (3 working days, Tuesday 24/11 a holiday); the specialist asks
   * for a supplement on Wednesday 25/11 at 10:00, the examination still open. Its task.
   */
  readonly supplementAskedInExamination = async (d: { id: string; instanceId: string }): Promise<{ id: string; dueAt: string | null }> => {
    this.clock.set(vn('2026-11-23', '10:00'));
    await this.work('desk', d.instanceId, 'receive');
    const examine = await this.taskOf('specialist', d.instanceId, 'examine');
    expect(examine.dueAt).toBe(iso(vn('2026-11-27', '10:00')));
    this.clock.set(vn('2026-11-25', '10:00'));
    await this.operate('specialist', d.id, { type: 'request-supplement', items: [{ name: 'Tờ khai CT01', reason: 'thiếu chữ ký của chủ hộ' }] });
    return examine;
  };

  /** The receipt of a dossier worked at `received`, its examination at `examined`: the signature's open task. */
  readonly signatureAfter = async (d: { instanceId: string }, received: number, examined: number): Promise<{ id: string; dueAt: string | null }> => {
    this.clock.set(received);
    await this.work('desk', d.instanceId, 'receive');
    this.clock.set(examined);
    await this.work('specialist', d.instanceId, 'examine');
    return this.taskOf('head', d.instanceId, 'sign');
  };

  /** The `taskUpdated` events of the instance's history. */
  readonly movesInHistory = async (instanceId: string): Promise<Move[]> => {
    const res = await this.users.as('admin').get(`/api/instances/${instanceId}/history`);
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ type: string; actor?: string | null; data: { taskId?: string; changes?: { dueAt?: number } } }>)
      .filter((h) => h.type === 'taskUpdated')
      .map((h) => [h.data.taskId!, h.data.changes?.dueAt === undefined ? undefined : iso(h.data.changes.dueAt), h.actor ?? null]);
  };

  /** The dossier's audit entries of moved due dates, after the whole chain verified. */
  readonly movesInAudit = async (dossierId: string): Promise<Move[]> => {
    const verify = await this.users.as('analyst').get('/api/audit/verify');
    expect([verify.status, verify.body.ok]).toEqual([200, true]);
    const rows = await this.api.sql<{ actor: string; content: unknown }>("SELECT actor, content FROM audit_entries WHERE dossier_id = $1 AND type = 'taskUpdated' ORDER BY seq", [dossierId]);
    return rows.map((r) => {
      const content = (typeof r.content === 'string' ? JSON.parse(r.content) : r.content) as { taskId: string; changes: { dueAt: number } };
      return [content.taskId, iso(content.changes.dueAt), r.actor];
    });
  };

  /** The moves of the instance's history and of the dossier's audit chain: both `moves`, in order. */
  readonly expectMoves = async (d: { id: string; instanceId: string }, moves: Move[]): Promise<void> => {
    expect(await this.movesInHistory(d.instanceId)).toEqual(moves);
    expect(await this.movesInAudit(d.id)).toEqual(moves);
  };
}
