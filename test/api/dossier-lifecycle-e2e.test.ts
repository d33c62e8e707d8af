/**
 * A dossier's whole life through the public API, on both databases, with an injected clock
 * across real November–December 2026 dates, checking in the SAME run after every stage: the
 * dossier's status and history, the audit chain (`GET /api/audit/verify` and the entries it
 * holds, with who), the Decision 766 statistics of the agency (every count and every
 * indicator's numerator and denominator moved exactly as expected, nothing else moved), the
 * receipt PDF (mẫu 01, read back with pdftotext) and the public tracking page (status, no
 * personal data). Paths: received at the desk → processing across two agencies →
 * supplement request → supplement → result → returned; late with the apology; and the
 * claim, unclaim and assign of a dossier's task, recorded in its history and audit chain.
 */
import { testDatabases } from '../support/databases';
import { auditOf, figuresOf, figureSteps, historyOf, receiptTextOf, receiveDossier, RECEIVED_AT_DESK, SuiteUsers, trackedOf, type Figures } from './dossier-e2e-support';
import { putDossierProcedure, residenceOfTwoAgencies } from './dossier-process';
import { useApi, type ApiHarness } from './harness';
import { vn } from './outbox-support';

const AG_A = '000.21.00.H40';
const AG_B = '000.22.00.H40';
const PROCESS = 'lifecycle-e2e';
const PROCEDURE = 'lifecycle-procedure';

/** Receipt (A, desk) → examination (A, specialist) → verification (B, specialist, 2 working days) → result at A's desk → returned, on the library's permanent-residence procedure (7 working days, restart after a supplement, fee 20,000 đ). */
const PROCEDURE_OF_A = residenceOfTwoAgencies({ code: PROCEDURE, processId: PROCESS, name: 'lifecycle', agencies: [AG_A, AG_B] });

const APPLICANT = { name: 'Phạm Thị Thủy Tiên', kind: 'citizen', idNumber: '001190077777', phone: '0987654321', address: 'Thôn Đông, xã Hòa Bình' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai thay đổi thông tin cư trú', form: 'original', copies: 1 }];
const PERIOD = 'from=2026-11-01&to=2026-12-31';
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(testDatabases())('a dossier’s life through the API on $name', (target) => {
  let clock = vn('2026-11-23');
  const api: ApiHarness = useApi(target, { now: () => clock, dossiers: true });
  const users = new SuiteUsers(api, `life-${target.name}`);
  const as = (name: string) => users.as(name);
  const id = (name: string) => users.id(name);

  beforeAll(async () => {
    await users.add('desk', ['official'], AG_A, ['desk']);
    await users.add('analyst', ['analyst'], undefined, []);
    await users.add('specialist', ['official'], AG_A, ['specialist']);
    await users.add('specialist2', ['official'], AG_A, ['specialist']);
    await users.add('officialB', ['official'], AG_B, ['specialist']);
    await users.add('admin', ['agency-admin'], AG_A, []);
    await putDossierProcedure(api, as('admin'), PROCEDURE_OF_A.xml, AG_A, PROCEDURE_OF_A.document);
  });

  // ------------------------------------------------------------------ what each stage checks

  const dossier = async (dossierId: string) => (await as('desk').get(`/api/dossiers/${dossierId}`)).body;
  const historyTypes = async (dossierId: string) => (await historyOf(as('desk'), dossierId)).map((h) => h.type);
  const work = (who: string, instanceId: string, elementId: string) => users.work(who, instanceId, elementId);
  /** The agency A's figures for the period, flattened (counts and every indicator's numerator and denominator). */
  const figures = (): Promise<Figures> => figuresOf(as('desk'), AG_A, PERIOD);
  /** The dossier's audit entries in chain order, the chain verified whole (by an analyst: the whole trail is theirs to verify). */
  const audit = (dossierId: string) => auditOf(api, as('analyst'), dossierId);
  const auditTypes = async (dossierId: string) => (await audit(dossierId)).map((e) => `${e.type} ${e.actor}`);
  /** The public tracking answer: the status it shows, and never a word of personal data nor an official's id. */
  const tracked = (code: string, secret: string) => trackedOf(api, code, secret, [APPLICANT.name, APPLICANT.idNumber, APPLICANT.phone, APPLICANT.address, ...users.ids()]);
  /** The receipt (mẫu 01) as pdftotext reads it. */
  const receiptText = (dossierId: string) => receiptTextOf(api, users.token('desk'), dossierId);
  const receiveAtDesk = () => receiveDossier(as('desk'), { procedureCode: PROCEDURE, channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });

  // ------------------------------------------------------------------ the paths

  it('should keep status, history, audit, statistics, receipt and tracking in step from the desk across two agencies, a supplement, the result and the return', async () => {
    const step = await figureSteps(figures);

    // given a dossier received at the desk on Monday 23/11/2026 at 09:00 (7 working days, the 24/11 holiday skipped: 03/12)
    clock = vn('2026-11-23');
    const d = await receiveAtDesk();
    expect(d).toMatchObject({ status: 'received', appointmentAt: iso(vn('2026-12-03')) });
    expect(await historyTypes(d.id)).toEqual(['dossierSubmitted', 'dossierReceived']);
    expect(await auditTypes(d.id)).toEqual([`dossierSubmitted ${id('desk')}`, `dossierReceived ${id('desk')}`, `taskOpened ${id('desk')}`]);
    // one received at the desk, fee-bearing, paid at the desk, in progress on time by both measures
    await step(RECEIVED_AT_DESK);
    const receipt = await receiptText(d.id);
    for (const fact of [d.code, APPLICANT.name, 'ngày 03 tháng 12 năm 2026', 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', 'Công an xã Hòa Bình']) expect(receipt).toContain(fact);
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ code: d.code, status: 'received', appointmentAt: iso(vn('2026-12-03')) });

    // when the desk hands it to A's specialist the same morning
    clock = vn('2026-11-23', '10:00');
    await work('desk', d.instanceId, 'receive');
    expect((await dossier(d.id)).status).toBe('processing');
    expect(await historyTypes(d.id)).toEqual(['dossierSubmitted', 'dossierReceived', 'taskClaimed', 'processingStarted', 'dossierHandedOff']);
    expect((await auditTypes(d.id)).slice(3)).toEqual([`taskClaimed ${id('desk')}`, `processingStarted ${id('desk')}`, `dossierHandedOff ${id('desk')}`, `taskCompleted ${id('desk')}`, `taskOpened ${id('desk')}`]);
    await step({});

    // when A's specialist asks for a supplement on Wednesday 25/11 (within 3 working days)
    clock = vn('2026-11-25', '10:00');
    expect((await users.operate('specialist', d.id, { type: 'request-supplement', items: [{ name: 'Tờ khai CT01', reason: 'thiếu chữ ký của chủ hộ' }] })).status).toBe(200);
    expect((await dossier(d.id)).status).toBe('supplement-requested');
    expect((await historyTypes(d.id)).at(-1)).toBe('supplementRequested');
    const [requested] = (await audit(d.id)).filter((e) => e.type === 'supplementRequested');
    expect(requested).toMatchObject({ actor: id('specialist'), data: { items: [{ name: 'Tờ khai CT01', reason: 'thiếu chữ ký của chủ hộ' }] } });
    // one supplement request; waiting for it, the dossier is still in progress on time
    await step({ 'counts.withSupplement': 1, 'counts.supplementRequests': 1 });
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'supplement-requested' });

    // when the supplement arrives on Thursday 26/11 at 10:00: the 7 working days restart (07/12 10:00)
    clock = vn('2026-11-26', '10:00');
    const supplemented = await users.operate('desk', d.id, { type: 'supplement' });
    expect(supplemented.status).toBe(200);
    expect(supplemented.body).toMatchObject({ status: 'supplemented', appointmentAt: iso(vn('2026-12-07', '10:00')) });
    expect((await auditTypes(d.id)).at(-1)).toBe(`dossierSupplemented ${id('desk')}`);
    await step({});
    // the receipt keeps the appointment it printed
    expect(await receiptText(d.id)).toContain('ngày 03 tháng 12 năm 2026');

    // when A's specialist examines it and hands it to agency B, whose specialist verifies it on Friday 27/11
    clock = vn('2026-11-26', '11:00');
    await work('specialist', d.instanceId, 'examine');
    expect((await dossier(d.id)).currentStep).toEqual({ agency: AG_B, name: 'Xác minh' });
    clock = vn('2026-11-27', '10:00');
    await work('officialB', d.instanceId, 'verify');
    const ready = await dossier(d.id);
    expect(ready.status).toBe('result-ready');
    expect(ready.agencies).toEqual(expect.arrayContaining([AG_A, AG_B]));
    const entries = await auditTypes(d.id);
    expect(entries).toEqual(expect.arrayContaining([`taskClaimed ${id('specialist')}`, `taskCompleted ${id('specialist')}`, `taskClaimed ${id('officialB')}`, `taskCompleted ${id('officialB')}`, `resultReady ${id('officialB')}`]));
    const handOffs = await as('desk').get(`/api/dossiers/${d.id}/hand-offs`);
    expect(handOffs.body.handOffs.map((h: { to: string }) => h.to)).toEqual([`${AG_A} / specialist`, `${AG_B} / specialist`, `${AG_A} / desk`]);
    // finished early by both measures: 23/11 09:00 → 27/11 10:00 is 25 working hours, less the 8 of the supplement (25/11 10:00 → 26/11 10:00) by Decision 766: 17 h = 2.125 working days
    await step({
      'counts.finished766.early': 1,
      'counts.finishedLegal.early': 1,
      'counts.inProgress766.onTime': -1,
      'counts.inProgressLegal.onTime': -1,
      'counts.timed': 1,
      'counts.workingDaysSum': 2.125,
      'counts.workingDaysP90': 2.13, // the 90th percentile is kept in hundredths of a working day (its histogram's unit)
      'counts.withResult': 1,
      '2.2.numerator': 2.13,
      '2.2.denominator': 1,
      '2.2-p90.numerator': 2.13,
      '2.2-p90.denominator': 1,
      '4.1.denominator': 1,
      '4.2.denominator': 1,
    });
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'result-ready' });

    // when the desk returns the result on Monday 30/11
    clock = vn('2026-11-30', '10:00');
    await work('desk', d.instanceId, 'returnResult');
    expect((await dossier(d.id)).status).toBe('returned');
    expect(await historyTypes(d.id)).toEqual(['dossierSubmitted', 'dossierReceived', 'taskClaimed', 'processingStarted', 'dossierHandedOff', 'supplementRequested', 'dossierSupplemented', 'taskClaimed', 'dossierHandedOff', 'taskClaimed', 'dossierHandedOff', 'resultReady', 'taskClaimed', 'resultReturned']);
    expect((await auditTypes(d.id)).at(-1)).toMatch(/^(resultReturned|taskCompleted) /);
    await step({});
    const finalTracking = await tracked(d.code, d.trackingSecret);
    expect(finalTracking.status).toBe('returned');
    expect(finalTracking.history.map((h: { type: string }) => h.type)).not.toContain('taskClaimed');
  });

  it('should keep a late dossier late everywhere after its one apology, with the new appointment tracked and the receipt unchanged', async () => {
    const step = await figureSteps(figures);
    // given a dossier received on 23/11 at 09:00 (appointment 03/12 09:00), in processing at A
    clock = vn('2026-11-23');
    const d = await receiveAtDesk();
    clock = vn('2026-11-23', '10:00');
    await work('desk', d.instanceId, 'receive');
    await step(RECEIVED_AT_DESK);

    // when A's specialist sends the apology on Monday 30/11 with a new appointment on 10/12
    clock = vn('2026-11-30', '10:00');
    const apology = await users.operate('specialist', d.id, { type: 'apologize', reason: 'cần xác minh tại cơ quan bảo hiểm', newAppointmentAt: iso(vn('2026-12-10')) });
    expect([apology.status, apology.body.detail]).toEqual([200, undefined]);
    expect(apology.body).toMatchObject({ status: 'processing', appointmentAt: iso(vn('2026-12-10')) });
    const [redated] = (await audit(d.id)).filter((e) => e.type === 'appointmentRedated');
    expect(redated).toMatchObject({ actor: id('specialist'), data: { originalAppointmentAt: vn('2026-12-03'), newAppointmentAt: vn('2026-12-10'), reason: 'cần xác minh tại cơ quan bảo hiểm' } });
    // a second apology is refused, and nothing is written for it
    const again = await users.operate('specialist', d.id, { type: 'apologize', reason: 'lần hai', newAppointmentAt: iso(vn('2026-12-14')) });
    expect(again.status).toBe(409);
    expect((await audit(d.id)).filter((e) => e.type === 'appointmentRedated')).toHaveLength(1);
    // an apologised dossier is late from the apology on, by both measures (Decree 118 art. 19(6)): overdue, out of 2.1's numerator, into 5.4's
    await step({
      'counts.inProgress766.onTime': -1,
      'counts.inProgress766.overdue': 1,
      'counts.inProgressLegal.onTime': -1,
      'counts.inProgressLegal.overdue': 1,
      '2.1.numerator': -1,
      '2.1-legal.numerator': -1,
      '5.4.numerator': 1,
    });
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'processing', appointmentAt: iso(vn('2026-12-10')) });

    // when the first appointment has passed (Friday 04/12): overdue
    clock = vn('2026-12-04', '10:00');
    await step({});

    // when the result is ready on Monday 07/12, before the new appointment: late all the same
    await work('specialist', d.instanceId, 'examine');
    clock = vn('2026-12-07', '10:00');
    await work('officialB', d.instanceId, 'verify');
    expect((await dossier(d.id)).status).toBe('result-ready');
    expect((await historyTypes(d.id)).filter((t) => t !== 'taskClaimed')).toEqual(['dossierSubmitted', 'dossierReceived', 'processingStarted', 'dossierHandedOff', 'appointmentRedated', 'dossierHandedOff', 'dossierHandedOff', 'resultReady']);
    // finished late by both measures, though before the new appointment: 23/11 09:00 → 07/12 10:00 is 73 working hours (9.125 days); the p90 of this suite's two dossiers moves from 2.125 to 9.125
    await step({
      'counts.finished766.late': 1,
      'counts.finishedLegal.late': 1,
      'counts.inProgress766.overdue': -1,
      'counts.inProgressLegal.overdue': -1,
      'counts.timed': 1,
      'counts.workingDaysSum': 9.125,
      'counts.workingDaysP90': 7,
      'counts.withResult': 1,
      '2.2.numerator': 9.12,
      '2.2.denominator': 1,
      '2.2-p90.numerator': 7,
      '2.2-p90.denominator': 1,
      '4.1.denominator': 1,
      '4.2.denominator': 1,
    });
    const [result] = (await audit(d.id)).filter((e) => e.type === 'resultReady');
    expect(result).toMatchObject({ actor: id('officialB'), data: { timeliness: 'late' } });
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'result-ready', late: true, appointmentAt: iso(vn('2026-12-10')) });
    // the receipt keeps the appointment it printed, and names the dossier and its applicant
    const receipt = await receiptText(d.id);
    for (const fact of [d.code, APPLICANT.name, 'ngày 03 tháng 12 năm 2026']) expect(receipt).toContain(fact);
  });

  it('should record claim, unclaim and assign of a dossier\'s task in its history and audit chain (who, to whom, when), with the change or not at all', async () => {
    // given a dossier whose examination waits for A's specialists
    clock = vn('2026-11-23');
    const d = await receiveAtDesk();
    clock = vn('2026-11-23', '10:00');
    await work('desk', d.instanceId, 'receive');
    const task = await users.taskOf('specialist', d.instanceId, 'examine');
    const assignmentRows = async () => {
      const history = (await historyOf(as('desk'), d.id)).filter((h) => h.event.taskId === task.id);
      const entries = (await audit(d.id)).filter((e) => ['taskClaimed', 'taskUnclaimed', 'taskAssigned'].includes(e.type) && e.data.taskId === task.id);
      return { history, entries };
    };

    // when a specialist claims it at 10:30, another tries to, the first gives it back at 11:00 and the admin assigns it to the other at 11:30
    clock = vn('2026-11-23', '10:30');
    expect((await as('specialist').post(`/api/tasks/${task.id}/claim`, {})).status).toBe(200);
    expect((await as('specialist2').post(`/api/tasks/${task.id}/claim`, {})).status).toBe(409);
    clock = vn('2026-11-23', '11:00');
    expect((await as('specialist').post(`/api/tasks/${task.id}/unclaim`, {})).status).toBe(200);
    clock = vn('2026-11-23', '11:30');
    const assigned = await as('admin').post(`/api/tasks/${task.id}/assign`, { assignee: users.username('specialist2') });
    expect([assigned.status, assigned.body.detail]).toEqual([200, undefined]);

    // then the dossier's history holds the three changes, the refused claim none, with who, to whom and when
    const { history, entries } = await assignmentRows();
    expect(history.map((h) => [h.type, h.actor, h.at, h.event.assignee, h.event.previousAssignee])).toEqual([
      ['taskClaimed', id('specialist'), iso(vn('2026-11-23', '10:30')), id('specialist'), undefined],
      ['taskUnclaimed', id('specialist'), iso(vn('2026-11-23', '11:00')), undefined, id('specialist')],
      ['taskAssigned', id('admin'), iso(vn('2026-11-23', '11:30')), id('specialist2'), undefined],
    ]);
    expect(history.every((h) => h.event.elementId === 'examine' && h.event.stepName === 'Thẩm định')).toBe(true);
    // and so does the audit chain, which still verifies
    expect(entries.map((e) => [e.type, e.actor, e.data.assignee, e.data.previousAssignee])).toEqual([
      ['taskClaimed', id('specialist'), id('specialist'), undefined],
      ['taskUnclaimed', id('specialist'), undefined, id('specialist')],
      ['taskAssigned', id('admin'), id('specialist2'), undefined],
    ]);
    // and the public tracking page shows none of it
    expect((await tracked(d.code, d.trackingSecret)).history.map((h: { type: string }) => h.type)).toEqual(['dossierSubmitted', 'dossierReceived', 'processingStarted', 'dossierHandedOff']);

    // given the audit log refuses the next entry (a trigger standing for a failed write)
    await api.sql(`CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''audit refused''; END'`);
    await api.sql('CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION refuse_audit()');
    try {
      // when the admin assigns the task back to the first specialist
      clock = vn('2026-11-23', '12:00');
      const failed = await as('admin').post(`/api/tasks/${task.id}/assign`, { assignee: users.username('specialist') });
      expect(failed.status).toBe(500);
    } finally {
      await api.sql('DROP TRIGGER refuse_audit ON audit_entries');
    }
    // then nothing of it was kept: the task is still the second specialist's, and no history row was written
    expect((await as('admin').get(`/api/tasks/${task.id}`)).body.assignee).toBe(id('specialist2'));
    expect((await assignmentRows()).history).toHaveLength(3);
    // and the second specialist finishes the step: the chain goes on and verifies
    clock = vn('2026-11-24', '10:00');
    const done = await as('specialist2').post(`/api/tasks/${task.id}/complete`, {});
    expect(done.status).toBe(200);
    expect((await auditTypes(d.id)).at(-1)).toMatch(new RegExp(`^(taskOpened|taskCompleted|dossierHandedOff) ${id('specialist2')}$`));
  });
});
