/**
 * The due dates of a dossier's steps follow its legal clock (issue 16), through the public API
 * on both databases, with an injected clock across real 2026 dates (Tuesday 24/11, Vietnam
 * Culture Day, and the 2/9 break Saturday 29/8 – Wednesday 2/9 are holidays). Each step has its
 * share of the 7 working days (receive 0.5, examine 3, sign 2, return 1): the open step's due
 * date restarts with the statutory time after a complete supplement, resumes what was left of
 * it under a procedure that pauses, is held at the appointment and released up to the new one
 * by the late apology, and no step is ever due after the dossier's appointment. Each move is a
 * `taskUpdated` in the instance's history and the dossier's audit chain, written with the
 * dossier's change, and pushed to the inbox as `task.updated`. An online dossier gets its
 * appointment, in the dossier and in its process, when the desk accepts it, never from its
 * submission.
 */
import { testDatabases } from '../support/databases';
import { vn } from './outbox-support';
import { Inbox } from './push/push-support';
import { iso, stepSharesXml, useDueDateSuite } from './step-due-dates-support';

const AG = '000.41.00.H40';
const RESTART = 'due-dates-restart';
const PAUSE = 'due-dates-pause';

const AGENCY = { id: AG, name: 'Công an xã Tân Lập', nameEn: 'Tan Lap commune police' };

const MESSAGE = 'due-dates-message';

/** Receipt (desk, 0.5), then examination (specialist, 3) while the process itself waits for a supplement (message `dossier.supplemented`, keyed by the dossier code). */
const MESSAGE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="defs-${MESSAGE}" targetNamespace="http://motcua.vn/test">
  <bpmn:message id="supplement-message" name="dossier.supplemented"><bpmn:extensionElements><zeebe:subscription correlationKey="=dossierCode" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="${MESSAGE}" name="${MESSAGE}" isExecutable="true">
    <bpmn:extensionElements><motcua:facts agency="${AG}" statutoryTime="7" timeUnit="workingDays" /></bpmn:extensionElements>
    <bpmn:startEvent id="submitted"><bpmn:extensionElements><motcua:facts dossierStatus="submitted" /></bpmn:extensionElements></bpmn:startEvent>
    <bpmn:userTask id="receive" name="Tiếp nhận"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /><motcua:facts dossierStatus="received" statutoryTime="0.5" timeUnit="workingDays" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:parallelGateway id="fork" />
    <bpmn:userTask id="examine" name="Thẩm định"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="specialist" /><motcua:facts dossierStatus="processing" statutoryTime="3" timeUnit="workingDays" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:intermediateCatchEvent id="supplementReceived"><bpmn:extensionElements><motcua:facts dossierStatus="supplemented" /></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="supplement-message" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="supplementDone" />
    <bpmn:endEvent id="examined" />
    <bpmn:sequenceFlow id="f1" sourceRef="submitted" targetRef="receive" />
    <bpmn:sequenceFlow id="f2" sourceRef="receive" targetRef="fork" />
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="examine" />
    <bpmn:sequenceFlow id="f4" sourceRef="fork" targetRef="supplementReceived" />
    <bpmn:sequenceFlow id="f5" sourceRef="supplementReceived" targetRef="supplementDone" />
    <bpmn:sequenceFlow id="f6" sourceRef="examine" targetRef="examined" />
  </bpmn:process>
</bpmn:definitions>`;

const APPLICANT = { name: 'Đỗ Thị Hồng Nhung', kind: 'citizen', idNumber: '001190066666' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai thay đổi thông tin cư trú', form: 'original', copies: 1 }];

describe.each(testDatabases())('the due dates of a dossier’s steps on its legal clock through the API on $name', (target) => {
  let clock = vn('2026-11-23');
  const { api, users, as, operate, receiveAtDesk, taskOf, work, expectMoves, supplementAskedInExamination, signatureAfter } = useDueDateSuite(target, {
    clock: { now: () => clock, set: (ms) => (clock = ms) },
    suffix: `due-${target.name}`,
    agency: AGENCY,
    receipt: { applicant: APPLICANT, documents: DOCUMENTS },
    citizen: true,
    processes: [stepSharesXml(RESTART, AG, { returnResult: true }), stepSharesXml(PAUSE, AG, { returnResult: true }), MESSAGE_XML],
    procedures: [['due-restart', RESTART, 'restart'], ['due-pause', PAUSE, 'pause'], ['due-message', MESSAGE, 'restart']],
  });

  // ------------------------------------------------------------------ helpers

  const appointmentVariable = async (instanceId: string) => (await api.engine.variables(instanceId)).appointmentAt;

  /** After the supplement: the process's appointment, and the examination due at `dueAt`, moved there once by the desk (in the history and the audit chain). */
  async function expectExaminationMoved(d: { id: string; instanceId: string }, examine: { id: string }, appointmentAt: string, dueAt: string): Promise<void> {
    expect(await appointmentVariable(d.instanceId)).toBe(appointmentAt);
    expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(dueAt);
    await expectMoves(d, [[examine.id, dueAt, users.id('desk')]]);
  }

  // ------------------------------------------------------------------ the clock restarts

  it('should restart the open step’s share with the statutory time after a complete supplement, with the supplement or not at all, and push it', async () => {
    // given a dossier received at the desk on Monday 23/11/2026 09:00 (7 working days, 24/11 skipped: 03/12 09:00)
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('due-restart');
    expect(d.appointmentAt).toBe(iso(vn('2026-12-03')));
    expect(await appointmentVariable(d.instanceId)).toBe(iso(vn('2026-12-03')));
    // and examined from 10:00 (3 working days, 24/11 skipped → Friday 27/11 10:00), the specialist asking for a supplement on Wednesday 25/11, the examination still open
    const examine = await supplementAskedInExamination(d);
    const inbox = await new Inbox(api.url, users.token('specialist')).ready();

    try {
      // given the tasks table refuses a due date (a trigger standing for a failed write)
      await api.sql(`CREATE OR REPLACE FUNCTION refuse_due_date() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''due date refused''; END'`);
      await api.sql('CREATE TRIGGER refuse_due_date BEFORE UPDATE OF due_at ON tasks FOR EACH ROW EXECUTE FUNCTION refuse_due_date()');
      try {
        // when the supplement arrives: it fails whole, the dossier still waits for it with its appointment
        clock = vn('2026-11-26', '09:00');
        expect((await as('desk').post(`/api/dossiers/${d.id}/operations`, { type: 'supplement' })).status).toBe(500);
      } finally {
        await api.sql('DROP TRIGGER refuse_due_date ON tasks');
      }
      expect((await as('desk').get(`/api/dossiers/${d.id}`)).body).toMatchObject({ status: 'supplement-requested', appointmentAt: iso(vn('2026-12-03')) });
      expect(await appointmentVariable(d.instanceId)).toBe(iso(vn('2026-12-03')));
      expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(iso(vn('2026-11-27', '10:00')));

      // when the supplement arrives complete on Thursday 26/11 at 10:00
      clock = vn('2026-11-26', '10:00');
      const supplemented = await operate('desk', d.id, { type: 'supplement' });

      // then the 7 working days restart (Monday 07/12 10:00), in the dossier and in its process
      expect(supplemented.appointmentAt).toBe(iso(vn('2026-12-07', '10:00')));
      // and the examination's 3 working days restart with them: Tuesday 01/12 10:00,
      // recorded as the engine records a due date that moved, by whom, and chained in the dossier's audit trail
      await expectExaminationMoved(d, examine, iso(vn('2026-12-07', '10:00')), iso(vn('2026-12-01', '10:00')));
      // and pushed to the inbox of whoever may see the task
      const pushed = await inbox.waitFor('task.updated of examine', (e) => e.name === 'task.updated' && 'task' in e.payload && e.payload.task.id === examine.id);
      expect(pushed).toMatchObject({ type: 'task.updated', change: 'changed', actor: users.id('desk'), task: { id: examine.id, dueAt: iso(vn('2026-12-01', '10:00')), state: 'open' } });
    } finally {
      inbox.close();
    }

    // when the examination ends on Friday 04/12 at 10:00: the signature's own 2 working days would end Tuesday 08/12 10:00
    clock = vn('2026-12-04', '10:00');
    await work('specialist', d.instanceId, 'examine');
    // then it is due at the restarted appointment, no later
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-07', '10:00')));
  });

  it('should restart the open step’s share in the step where the process itself receives the supplement', async () => {
    // given a dossier received on Monday 23/11 09:00, examined from 10:00 (due 27/11 10:00) while its process waits for a supplement
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('due-message');
    const examine = await supplementAskedInExamination(d);

    // when the supplement reaches the process on Thursday 26/11 at 10:00 as its message (the dossier follows the process)
    clock = vn('2026-11-26', '10:00');
    const { instanceIds } = await api.engine.correlateMessage({ messageName: 'dossier.supplemented', correlationKey: d.code, actor: users.id('desk') });
    expect(instanceIds).toEqual([d.instanceId]);

    // then in that step the dossier is supplemented, its 7 working days restart (07/12 10:00), and so do the examination's 3 (01/12 10:00)
    expect((await as('desk').get(`/api/dossiers/${d.id}`)).body).toMatchObject({ status: 'supplemented', appointmentAt: iso(vn('2026-12-07', '10:00')) });
    await expectExaminationMoved(d, examine, iso(vn('2026-12-07', '10:00')), iso(vn('2026-12-01', '10:00')));
  });

  // ------------------------------------------------------------------ the clock pauses

  it('should resume what was left of the open step’s share when a procedure pauses its clock for the supplement', async () => {
    // given a dossier of a pausing procedure received on Monday 23/11 09:00 (appointment 03/12 09:00), examined from 10:00 (due 27/11 10:00)
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('due-pause');
    // and a supplement asked for on Wednesday 25/11 at 10:00, with 2 of the examination's working days left
    const examine = await supplementAskedInExamination(d);

    // when the supplement arrives on Monday 30/11 at 10:00
    clock = vn('2026-11-30', '10:00');
    const supplemented = await operate('desk', d.id, { type: 'supplement' });

    // then the dossier's 5 7/8 working days left resume (Tuesday 08/12 09:00), and the examination's 2: Wednesday 02/12 10:00
    expect(supplemented.appointmentAt).toBe(iso(vn('2026-12-08', '09:00')));
    await expectExaminationMoved(d, examine, iso(vn('2026-12-08', '09:00')), iso(vn('2026-12-02', '10:00')));
  });

  // ------------------------------------------------------------------ the apology's new appointment

  it('should hold a step at the appointment, and release it up to the apology’s new appointment, which bounds the later steps', async () => {
    // given a dossier received on Monday 23/11 09:00 (appointment Thursday 03/12 09:00), received late by the desk on Friday 27/11
    clock = vn('2026-11-23');
    const d = await receiveAtDesk('due-restart');
    // and examined until Wednesday 02/12 10:00
    const sign = await signatureAfter(d, vn('2026-11-27', '10:00'), vn('2026-12-02', '10:00'));
    // then the signature's own 2 working days (Friday 04/12 10:00) are held at the appointment
    expect(sign.dueAt).toBe(iso(vn('2026-12-03')));

    // when the agency apologises on 02/12 at 11:00 with a new appointment on Thursday 10/12 09:00 (mẫu 04)
    clock = vn('2026-12-02', '11:00');
    const apology = await operate('specialist', d.id, { type: 'apologize', reason: 'cần xác minh thêm tại thực địa', newAppointmentAt: iso(vn('2026-12-10')) });
    expect(apology).toMatchObject({ late: true, appointmentAt: iso(vn('2026-12-10')) });

    // then the process holds the new appointment, and the signature gets its own share back: Friday 04/12 10:00
    expect(await appointmentVariable(d.instanceId)).toBe(iso(vn('2026-12-10')));
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-12-04', '10:00')));
    await expectMoves(d, [[sign.id, iso(vn('2026-12-04', '10:00')), users.id('specialist')]]);

    // when the head signs on Wednesday 09/12 at 10:00: returning the result takes 1 working day (Thursday 10/12 10:00)
    clock = vn('2026-12-09', '10:00');
    await work('head', d.instanceId, 'sign');
    // then it is due at the new appointment, no later
    expect((await taskOf('desk', d.instanceId, 'returnResult')).dueAt).toBe(iso(vn('2026-12-10')));
  });

  // ------------------------------------------------------------------ online: the appointment comes with the acceptance

  it('should give an online dossier and its process their appointment when the desk accepts it, never from the submission', async () => {
    // given a dossier submitted online on Friday 28/08/2026 at 16:00, before the 2/9 break (Saturday 29/08 – Wednesday 02/09)
    clock = vn('2026-08-28', '16:00');
    const res = await as('citizen').post('/api/dossiers', { procedureCode: 'due-restart', channel: 'online', applicant: APPLICANT, documents: DOCUMENTS.map((doc) => ({ ...doc, form: 'electronic' })), fee: { paid: true, paidOnline: true } });
    expect([res.status, res.body.detail]).toEqual([201, undefined]);
    const d = res.body;
    // then neither the dossier nor its process has an appointment (7 working days from the submission would be Friday 11/09 16:00)
    expect(d).toMatchObject({ status: 'submitted', channel: 'online' });
    expect(d.appointmentAt).toBeUndefined();
    expect(await appointmentVariable(d.instanceId)).toBeNull();

    // when the desk accepts it on Thursday 03/09 at 09:00, within its 8 working hours
    clock = vn('2026-09-03', '09:00');
    const accepted = await operate('desk', d.id, { type: 'accept' });

    // then both count the 7 working days from the acceptance: Monday 14/09 09:00
    expect(accepted).toMatchObject({ status: 'received', appointmentAt: iso(vn('2026-09-14')) });
    expect(await appointmentVariable(d.instanceId)).toBe(iso(vn('2026-09-14')));

    // and the steps are due within it: examined from 09:30 (3 working days → Tuesday 08/09 09:30), signed from Friday 11/09 10:00
    clock = vn('2026-09-03', '09:30');
    await work('desk', d.instanceId, 'receive');
    expect((await taskOf('specialist', d.instanceId, 'examine')).dueAt).toBe(iso(vn('2026-09-08', '09:30')));
    clock = vn('2026-09-11', '10:00');
    await work('specialist', d.instanceId, 'examine');
    // whose own 2 working days (Tuesday 15/09 10:00) end at the appointment counted from the acceptance
    expect((await taskOf('head', d.instanceId, 'sign')).dueAt).toBe(iso(vn('2026-09-14')));
  });
});
