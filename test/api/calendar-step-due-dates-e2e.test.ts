/**
 * A calendar change moves the open steps of dossiers by the rule that set them (issue 16),
 * through the public API on both databases, with an injected clock across real 2026 dates
 * (Tuesday 24/11, Vietnam Culture Day, is a holiday). An agency admin replaces the 2026
 * schedule: a weekday becomes a day off, swapped with a Saturday worked in late December
 * (after every date here). Each step has its share of the 7 working days (receive 0.5,
 * examine 3, sign 2): counted again on the new data, a step open across a complete supplement
 * keeps its restart (or, under a procedure that pauses, what was left of its share), and no
 * step is ever due after the dossier's appointment, which the change never moves (the one
 * printed on the receipt, Decree 118/2025 art. 19(6)). Each move is a `taskUpdated` of the
 * instance's history and the dossier's audit chain, by the admin who made the change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { principalOf } from '../../api/src/auth/auth-service';
import type { Role } from '../../api/src/auth/principal';
import { bundledYears } from '../../onestop/src/clocks';
import { testDatabases } from '../support/databases';
import { Client, useApi, type ApiHarness } from './harness';
import { vn } from './outbox-support';

const AG = '000.41.00.H41';
const RESTART = 'calendar-due-restart';
const PAUSE = 'calendar-due-pause';

/** Receipt (desk, 0.5) → examination (specialist, 3) → signature (head, 2) → returned, within 7 working days. */
const xmlOf = (processId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${processId}" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="${processId}" name="${processId}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="${AG}" statutoryTime="7" timeUnit="workingDays" /></bpmn:extensionElements>
    <bpmn:startEvent id="submitted"><bpmn:extensionElements><motcua:facts dossierStatus="submitted" /></bpmn:extensionElements></bpmn:startEvent>
    <bpmn:userTask id="receive" name="Tiếp nhận"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /><motcua:facts dossierStatus="received" statutoryTime="0.5" timeUnit="workingDays" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="examine" name="Thẩm định"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="specialist" /><motcua:facts dossierStatus="processing" statutoryTime="3" timeUnit="workingDays" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="sign" name="Ký duyệt"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="head" /><motcua:facts dossierStatus="processing" statutoryTime="2" timeUnit="workingDays" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="returned"><bpmn:extensionElements><motcua:facts dossierStatus="result-ready" /></bpmn:extensionElements></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="submitted" targetRef="receive" />
    <bpmn:sequenceFlow id="f2" sourceRef="receive" targetRef="examine" />
    <bpmn:sequenceFlow id="f3" sourceRef="examine" targetRef="sign" />
    <bpmn:sequenceFlow id="f4" sourceRef="sign" targetRef="returned" />
  </bpmn:process>
</bpmn:definitions>`;

/** The library's permanent-residence procedure (7 working days), on `processId`, restarting or pausing after a supplement. */
function procedureDocument(code: string, processId: string, afterSupplement: 'restart' | 'pause'): Record<string, any> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return {
    ...base,
    code,
    processId,
    statutoryTime: { ...base.statutoryTime, afterSupplement },
    competentAgency: { ...base.competentAgency, agency: AG },
    agencies: [{ id: AG, name: 'Công an xã Tân Hòa', nameEn: 'Tan Hoa commune police', level: 'commune', role: 'lead', demo: true }],
  };
}

/** The bundled 2026 schedule with each `[off, worked]` weekday off, swapped with the Saturday worked for it. */
function year2026With(...swaps: Array<[off: string, worked: string]>): Record<string, any> {
  const year = structuredClone(bundledYears().find((y) => y.year === 2026)!) as unknown as { daysOff: Array<{ date: string }>; workingDays: Array<{ date: string }> };
  for (const [off, worked] of swaps) {
    year.daysOff.push({ date: off, kind: 'swapped', workedOn: worked, ground: 'test notice' } as never);
    year.workingDays.push({ date: worked, replaces: off, ground: 'test notice' } as never);
  }
  year.daysOff.sort((a, b) => a.date.localeCompare(b.date));
  year.workingDays.sort((a, b) => a.date.localeCompare(b.date));
  return year;
}

const APPLICANT = { name: 'Trần Văn Bình', kind: 'citizen', idNumber: '001190077777' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai thay đổi thông tin cư trú', form: 'original', copies: 1 }];
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(testDatabases())('a calendar change and the due dates of dossiers’ steps through the API on $name', (target) => {
  let clock = vn('2026-11-23');
  const api: ApiHarness = useApi(target, { now: () => clock, dossiers: true });
  const users: Record<string, { id: string; client: Client }> = {};

  async function user(name: string, roles: Role[], agency: string | undefined, groups: string[]): Promise<void> {
    const record = await api.auth.users.create({ username: `${name}-cal-${target.name}`, roles, ...(agency ? { agency } : {}), groups, passwordHash: 'scrypt$unused' });
    const { token } = await api.auth.issueToken(principalOf(record));
    users[name] = { id: record.id, client: new Client(() => api.url, () => token) };
  }
  const as = (name: string) => users[name].client;

  beforeAll(async () => {
    await user('desk', ['official'], AG, ['desk']);
    await user('specialist', ['official'], AG, ['specialist']);
    await user('head', ['official'], AG, ['head']);
    await user('admin', ['agency-admin'], AG, []);
    await user('analyst', ['analyst'], undefined, []);
    await api.engine.deploy(xmlOf(RESTART), { agency: AG });
    await api.engine.deploy(xmlOf(PAUSE), { agency: AG });
    for (const [code, processId, after] of [['cal-restart', RESTART, 'restart'], ['cal-pause', PAUSE, 'pause']] as const) {
      const put = await as('admin').request('PUT', `/api/procedures/${code}`, { json: { document: procedureDocument(code, processId, after) } });
      expect([put.status, put.body.detail]).toEqual([200, undefined]);
    }
  });

  // Each test starts from the bundled schedule.
  afterEach(async () => {
    await as('admin').request('PUT', '/api/calendars/years/2026', { json: bundledYears().find((y) => y.year === 2026) });
  });

  // ------------------------------------------------------------------ helpers

  const operate = async (who: string, dossierId: string, body: unknown) => {
    const res = await as(who).post(`/api/dossiers/${dossierId}/operations`, body);
    expect([res.status, res.body.detail]).toEqual([200, undefined]);
    return res.body;
  };

  async function receiveAtDesk(procedureCode: string): Promise<any> {
    const res = await as('desk').post('/api/dossiers', { procedureCode, channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });
    expect([res.status, res.body.detail]).toEqual([201, undefined]);
    return res.body;
  }

  /** The admin replaces the 2026 schedule: the change as the API answers it. */
  async function changeYear(year: unknown): Promise<{ recomputedTasks: number }> {
    const res = await as('admin').request('PUT', '/api/calendars/years/2026', { json: year });
    expect([res.status, res.body.detail]).toEqual([200, undefined]);
    return res.body;
  }

  /** The open task at `elementId`, as `who` sees it through the API (with its due date). */
  async function taskOf(who: string, instanceId: string, elementId: string): Promise<{ id: string; dueAt: string | null }> {
    const inbox = await as(who).get('/api/tasks');
    expect(inbox.status).toBe(200);
    const listed = (inbox.body.items as Array<{ id: string; instanceId: string; elementId: string }>).find((t) => t.instanceId === instanceId && t.elementId === elementId);
    if (!listed) throw new Error(`${who} has no open task ${elementId} of ${instanceId}`);
    const res = await as(who).get(`/api/tasks/${listed.id}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function work(who: string, instanceId: string, elementId: string): Promise<void> {
    const task = await taskOf(who, instanceId, elementId);
    expect((await as(who).post(`/api/tasks/${task.id}/claim`, {})).status).toBe(200);
    const done = await as(who).post(`/api/tasks/${task.id}/complete`, {});
    expect([done.status, done.body?.detail]).toEqual([200, undefined]);
  }

  /** The `taskUpdated` events of the instance's history, as [task, new due date, actor]. */
  async function movesInHistory(instanceId: string): Promise<Array<[string, string | undefined, string | null]>> {
    const res = await as('admin').get(`/api/instances/${instanceId}/history`);
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ type: string; actor?: string | null; data: { taskId?: string; changes?: { dueAt?: number } } }>)
      .filter((h) => h.type === 'taskUpdated')
      .map((h) => [h.data.taskId!, h.data.changes?.dueAt === undefined ? undefined : iso(h.data.changes.dueAt), h.actor ?? null]);
  }

  /** The dossier's audit entries of moved due dates, after the whole chain verified. */
  async function movesInAudit(dossierId: string): Promise<Array<[string, string, string]>> {
    const verify = await as('analyst').get('/api/audit/verify');
    expect([verify.status, verify.body.ok]).toEqual([200, true]);
    const rows = await api.sql<{ actor: string; content: unknown }>("SELECT actor, content FROM audit_entries WHERE dossier_id = $1 AND type = 'taskUpdated' ORDER BY seq", [dossierId]);
    return rows.map((r) => {
      const content = (typeof r.content === 'string' ? JSON.parse(r.content) : r.content) as { taskId: string; changes: { dueAt: number } };
      return [content.taskId, iso(content.changes.dueAt), r.actor];
    });
  }

  /** The dossier's appointment and its process's, which a calendar change never moves. */
  async function appointments(d: { id: string; instanceId: string }): Promise<[string, unknown]> {
    const dossier = await as('desk').get(`/api/dossiers/${d.id}`);
    expect(dossier.status).toBe(200);
    return [dossier.body.appointmentAt, (await api.engine.variables(d.instanceId)).appointmentAt];
  }

  // ------------------------------------------------------------------ restart

  it('should keep the restart of a step open across the supplement, and the restarted appointment as its bound, when days off are added', async () => {
    // given a dossier received on Monday 23/11 09:00 (7 working days, 24/11 skipped: 03/12 09:00), examined from 10:00 (due 27/11 10:00)
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('cal-restart');
    clock = vn('2026-11-23', '10:00');
    await work('desk', d.instanceId, 'receive');
    const examine = await taskOf('specialist', d.instanceId, 'examine');
    expect(examine.dueAt).toBe(iso(vn('2026-11-27', '10:00')));
    // and a supplement asked for on 25/11, complete on Thursday 26/11 10:00: the 7 days restart (07/12 10:00), the examination's 3 too (01/12 10:00)
    clock = vn('2026-11-25', '10:00');
    await operate('specialist', d.id, { type: 'request-supplement', items: [{ name: 'Tờ khai CT01', reason: 'thiếu chữ ký của chủ hộ' }] });
    clock = vn('2026-11-26', '10:00');
    expect(await operate('desk', d.id, { type: 'supplement' })).toMatchObject({ appointmentAt: iso(vn('2026-12-07', '10:00')) });
    expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(iso(vn('2026-12-01', '10:00')));

    // when on Friday 27/11 Monday 30/11 becomes a day off (Saturday 19/12 worked)
    clock = vn('2026-11-27');
    const change = await changeYear(year2026With(['2026-11-30', '2026-12-19']));

    // then the examination's 3 days still count from the supplement, on the new data: Wednesday 02/12 10:00 (not from its opening: 27/11)
    expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(iso(vn('2026-12-02', '10:00')));
    expect(change.recomputedTasks).toBeGreaterThanOrEqual(1);
    // and the appointment does not move, in the dossier or its process
    expect(await appointments(d)).toEqual([iso(vn('2026-12-07', '10:00')), iso(vn('2026-12-07', '10:00'))]);
    // and the move is the instance's and the dossier's, by the admin
    const moves: Array<[string, string, string]> = [
      [examine.id, iso(vn('2026-12-01', '10:00')), users.desk.id],
      [examine.id, iso(vn('2026-12-02', '10:00')), users.admin.id],
    ];
    expect(await movesInHistory(d.instanceId)).toEqual(moves);
    expect(await movesInAudit(d.id)).toEqual(moves);

    // when the examination ends on Friday 04/12 10:00: the signature's 2 days (08/12 10:00) end at the appointment
    clock = vn('2026-12-04', '10:00');
    await work('specialist', d.instanceId, 'examine');
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-07', '10:00')));
    // and Monday 07/12 becomes a day off too (Saturday 26/12 worked): its share would now end Wednesday 09/12 10:00
    clock = vn('2026-12-04', '11:00');
    await changeYear(year2026With(['2026-11-30', '2026-12-19'], ['2026-12-07', '2026-12-26']));

    // then it stays due at the appointment, which stays too (a day off now, still the one given at the supplement)
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-07', '10:00')));
    expect(await appointments(d)).toEqual([iso(vn('2026-12-07', '10:00')), iso(vn('2026-12-07', '10:00'))]);
    expect(await movesInHistory(d.instanceId)).toEqual(moves);
  });

  // ------------------------------------------------------------------ the appointment bounds every step

  it('should never push a step past the appointment printed on the receipt when days off are added, and give its share back when they are removed', async () => {
    // given a dossier received on Monday 23/11 09:00 (appointment Thursday 03/12 09:00), examined until Monday 30/11 10:00
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('cal-restart');
    clock = vn('2026-11-23', '10:00');
    await work('desk', d.instanceId, 'receive');
    clock = vn('2026-11-30', '10:00');
    await work('specialist', d.instanceId, 'examine');
    // and signed within 2 working days: Wednesday 02/12 10:00
    const sign = await taskOf('head', d.instanceId, 'sign');
    expect(sign.dueAt).toBe(iso(vn('2026-12-02', '10:00')));

    // when Tuesday 01/12 and Wednesday 02/12 become days off (Saturdays 19/12 and 26/12 worked): its share would end Friday 04/12 10:00
    clock = vn('2026-11-30', '11:00');
    await changeYear(year2026With(['2026-12-01', '2026-12-19'], ['2026-12-02', '2026-12-26']));

    // then the signature is due at the appointment, which does not move (the new data would count it to 07/12 09:00)
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-03')));
    expect(await appointments(d)).toEqual([iso(vn('2026-12-03')), iso(vn('2026-12-03'))]);
    expect(await movesInHistory(d.instanceId)).toEqual([[sign.id, iso(vn('2026-12-03')), users.admin.id]]);

    // when the days off are taken back
    await changeYear(bundledYears().find((y) => y.year === 2026));

    // then the signature gets its own share again: 02/12 10:00
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-02', '10:00')));
    expect(await movesInAudit(d.id)).toEqual([
      [sign.id, iso(vn('2026-12-03')), users.admin.id],
      [sign.id, iso(vn('2026-12-02', '10:00')), users.admin.id],
    ]);
  });

  // ------------------------------------------------------------------ pause

  it('should keep resuming what was left of a step’s share under a procedure that pauses, counted on the new data', async () => {
    // given a dossier of a pausing procedure received on Monday 23/11 09:00, examined from 10:00 (due 27/11 10:00)
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('cal-pause');
    clock = vn('2026-11-23', '10:00');
    await work('desk', d.instanceId, 'receive');
    // and a supplement asked for on Wednesday 25/11 10:00 (2 of the examination's days left), complete on Monday 30/11 10:00
    clock = vn('2026-11-25', '10:00');
    await operate('specialist', d.id, { type: 'request-supplement', items: [{ name: 'Tờ khai CT01', reason: 'thiếu chữ ký của chủ hộ' }] });
    clock = vn('2026-11-30', '10:00');
    expect(await operate('desk', d.id, { type: 'supplement' })).toMatchObject({ appointmentAt: iso(vn('2026-12-08')) });
    const examine = await taskOf('specialist', d.instanceId, 'examine');
    expect(examine.dueAt).toBe(iso(vn('2026-12-02', '10:00')));

    // when Tuesday 01/12 becomes a day off (Saturday 19/12 worked)
    clock = vn('2026-11-30', '11:00');
    await changeYear(year2026With(['2026-12-01', '2026-12-19']));

    // then the 2 days left resume from the supplement on the new data: Thursday 03/12 10:00; the appointment stays
    expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(iso(vn('2026-12-03', '10:00')));
    expect(await appointments(d)).toEqual([iso(vn('2026-12-08')), iso(vn('2026-12-08'))]);
    expect(await movesInHistory(d.instanceId)).toEqual([
      [examine.id, iso(vn('2026-12-02', '10:00')), users.desk.id],
      [examine.id, iso(vn('2026-12-03', '10:00')), users.admin.id],
    ]);
  });
});
