/**
 * The dossier layer end to end through the API, on both databases, with an injected clock
 * across real 2026 dates (Tuesday 24/11/2026 is Vietnam Culture Day, a holiday): each
 * lifecycle path, the codes of concurrent receipts, citizen tracking, and the isolation of
 * personal data with its read log.
 */
import { testDatabases } from '../support/databases';
import { receiveDossier, SuiteUsers } from './dossier-e2e-support';
import { dossierProcessXml, putDossierProcedure, residenceProcedureAs } from './dossier-process';
import { useApi, type ApiHarness } from './harness';
import { complete as completeTask, vn } from './outbox-support';
import { Inbox } from './push/push-support';

const AG_A = '000.02.00.H29';
const AG_B = '000.03.00.H29';
const PROCESS = 'dossier-e2e';

/** Receipt → examination (A) → verification (B, another agency) → signature (A) → result at the desk → returned. */
const xml = dossierProcessXml({ processId: PROCESS, agency: AG_A, name: 'e2e', examineGroup: 'specialist', verifyAgency: AG_B, sign: true });

/** The library's permanent-residence procedure, made the e2e procedure of agencies A (lead) and B. */
const procedureDocument = () =>
  residenceProcedureAs({
    code: 'e2e-procedure',
    processId: PROCESS,
    agencies: [
      { id: AG_A, name: 'Công an xã A', nameEn: 'A' },
      { id: AG_B, name: 'Cơ quan B', nameEn: 'B' },
    ],
  });

const APPLICANT = { name: 'Nguyễn Thị Hương', kind: 'citizen', idNumber: '001190012345', phone: '0912345678' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }];
const ONLINE_DOCUMENTS = DOCUMENTS.map((d) => ({ ...d, form: 'electronic' }));

describe.each(testDatabases())('dossiers through the API on $name', (target) => {
  let clock = vn('2026-11-23');
  const api: ApiHarness = useApi(target, { now: () => clock, dossiers: true });
  const users = new SuiteUsers(api, target.name);

  beforeAll(async () => {
    await users.add('deskA', ['official'], AG_A, ['desk', 'specialist', 'head']);
    await users.add('adminA', ['agency-admin'], AG_A, []);
    await users.add('officialB', ['official'], AG_B, ['specialist', 'desk']);
    await users.add('adminB', ['agency-admin'], AG_B, []);
    await users.add('outsider', ['official'], '000.09.00.H29', ['desk']);
    await users.add('citizen', ['citizen'], undefined, []);
    await users.add('citizen2', ['citizen'], undefined, []);
    await putDossierProcedure(api, users.as('adminA'), xml, AG_A, procedureDocument());
  });

  beforeEach(() => {
    clock = vn('2026-11-23');
  });

  const as = (name: string) => users.as(name);
  const receiveAtDesk = () => receiveDossier(as('deskA'), { procedureCode: 'e2e-procedure', channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });
  const submitOnline = (who = 'citizen') => receiveDossier(as(who), { procedureCode: 'e2e-procedure', channel: 'online', applicant: APPLICANT, documents: ONLINE_DOCUMENTS, fee: { paid: true, paidOnline: true } });
  /** Completes the open task at `elementId` as `actor`. */
  const complete = (instanceId: string, elementId: string, actor: string) => completeTask(api, instanceId, elementId, actor);

  const operate = (who: string, id: string, body: unknown) => as(who).post(`/api/dossiers/${id}/operations`, body);
  const dossier = async (id: string) => (await as('deskA').get(`/api/dossiers/${id}`)).body;
  const history = async (id: string) => (await as('deskA').get(`/api/dossiers/${id}/history`)).body.items as Array<{ type: string; to: string; actor: string }>;

  describe('complete, across two agencies', () => {
    it('should receive at the desk with a code and the appointment on the legal clock, hand off to agency B and back, and return the result', async () => {
      // given a dossier received at the desk on Monday 23/11/2026 at 09:00
      const received = await receiveAtDesk();

      // then it is received, with a code of the agency and the day, and 7 working days skip the 24/11 holiday
      expect(received.status).toBe('received');
      expect(received.code).toMatch(/^000\.02\.00\.H29-261123-\d{4}$/);
      expect(received.appointmentAt).toBe(new Date(vn('2026-12-03')).toISOString());
      expect(received.trackingSecret).toEqual(expect.any(String));
      expect(received.applicant.name).toBe(APPLICANT.name);

      // when the desk, the specialist of A, the specialist of B, the head and the desk do their steps on later days
      clock = vn('2026-11-23', '10:00');
      await complete(received.instanceId, 'receive', 'deskA');
      expect((await dossier(received.id)).status).toBe('processing');
      clock = vn('2026-11-25', '10:00');
      await complete(received.instanceId, 'examine', 'deskA');
      // agency B holds a step: it sees the dossier, without the applicant
      const seenByB = await as('officialB').get(`/api/dossiers/${received.id}`);
      expect(seenByB.status).toBe(200);
      expect(seenByB.body.applicant).toBeUndefined();
      expect(seenByB.body.currentStep).toEqual({ agency: AG_B, name: 'Xác minh' });
      // the step of B lands in B's inbox, not in A's
      const inboxOf = async (who: string) => ((await as(who).get('/api/tasks')).body.items as Array<{ instanceId: string; elementId: string }>).filter((t) => t.instanceId === received.instanceId).map((t) => t.elementId);
      expect(await inboxOf('officialB')).toEqual(['verify']);
      expect(await inboxOf('deskA')).toEqual([]);
      clock = vn('2026-11-26', '10:00');
      await complete(received.instanceId, 'verify', 'officialB');
      clock = vn('2026-11-27', '10:00');
      await complete(received.instanceId, 'sign', 'deskA');
      expect((await dossier(received.id)).status).toBe('result-ready');
      clock = vn('2026-11-30', '10:00');
      await complete(received.instanceId, 'returnResult', 'deskA');

      // then it is returned, every change is in its history, and the hand-offs name both agencies
      const done = await dossier(received.id);
      expect(done.status).toBe('returned');
      expect(done.agencies).toEqual(expect.arrayContaining([AG_A, AG_B]));
      const types = (await history(received.id)).map((h) => h.type);
      expect(types).toEqual(['dossierSubmitted', 'dossierReceived', 'processingStarted', 'dossierHandedOff', 'dossierHandedOff', 'dossierHandedOff', 'dossierHandedOff', 'resultReady', 'resultReturned']);
      const handOffs = await as('officialB').get(`/api/dossiers/${received.id}/hand-offs`);
      expect(handOffs.status).toBe(200);
      expect(handOffs.body.handOffs.map((h: { to: string }) => h.to)).toEqual([`${AG_A} / specialist`, `${AG_B} / specialist`, `${AG_A} / head`, `${AG_A} / desk`]);
      const shareOfB = handOffs.body.shares.find((s: { holder: string }) => s.holder === `${AG_B} / specialist`);
      expect(shareOfB.workingDays).toBeCloseTo(1, 5);
      expect(shareOfB.allowedWorkingDays).toBeCloseTo(2, 5);
      expect(handOffs.body.handOffs[1]).toMatchObject({ to: `${AG_B} / specialist`, result: 'early' });
    });
  });

  describe('supplement then complete', () => {
    it('should accept an online dossier, take one supplement request only, and restart the clock from the complete supplement', async () => {
      // given an online dossier accepted by the desk the same morning
      const submitted = await submitOnline();
      expect(submitted.status).toBe('submitted');
      clock = vn('2026-11-23', '11:00');
      expect((await operate('deskA', submitted.id, { type: 'accept' })).body.status).toBe('received');
      const acceptance = (await history(submitted.id)).find((h) => h.type === 'dossierReceived') as any;
      expect(acceptance.event.online).toEqual({ dueAt: vn('2026-11-25', '09:00'), withinTime: true });
      await complete(submitted.instanceId, 'receive', 'deskA');

      // when the processing unit asks for a supplement within its 3 working days, and the applicant brings it 2 days later
      clock = vn('2026-11-25', '09:00');
      const requested = await operate('deskA', submitted.id, { type: 'request-supplement', items: [{ name: 'CT01', reason: 'thiếu chữ ký' }] });
      expect(requested.status).toBe(200);
      expect(requested.body.status).toBe('supplement-requested');
      clock = vn('2026-11-27', '09:00');
      const supplemented = await operate('citizen', submitted.id, { type: 'supplement' });

      // then the statutory time restarts from the supplement (7 working days from Friday 27/11)
      expect(supplemented.body.status).toBe('supplemented');
      expect(supplemented.body.appointmentAt).toBe(new Date(vn('2026-12-08')).toISOString());
      // and a second request is refused with the rule
      const second = await operate('deskA', submitted.id, { type: 'request-supplement', items: [{ name: 'x', reason: 'y' }] });
      expect(second.status).toBe(409);
      expect(second.body.detail).toMatch(/^SUPPLEMENT_ALREADY_REQUESTED: .*art\. 11\(2\)\(c\)/);

      // when the process goes on
      await complete(submitted.instanceId, 'examine', 'deskA');
      expect((await dossier(submitted.id)).status).toBe('processing');
    });
  });

  describe('supplement never comes', () => {
    it('should refuse to stop within the 15 days, and stop the dossier after them, ending its process', async () => {
      // given a supplement asked for at processing
      const received = await receiveAtDesk();
      await complete(received.instanceId, 'receive', 'deskA');
      await operate('deskA', received.id, { type: 'request-supplement', items: [{ name: 'CT01', reason: 'thiếu' }] });

      // when the desk tries to stop it at once, then 16 days later
      const early = await operate('deskA', received.id, { type: 'stop' });
      clock = vn('2026-12-09');
      const stopped = await operate('deskA', received.id, { type: 'stop' });

      // then
      expect(early.status).toBe(409);
      expect(early.body.detail).toMatch(/^SUPPLEMENT_TIME_NOT_OVER/);
      expect(stopped.body.status).toBe('stopped');
      expect((await api.store.instance(received.instanceId))?.status).toBe('cancelled');
    });
  });

  describe('supplement never comes, no one acts', () => {
    it('should be stopped by the deadline scan once the time to supplement is over', async () => {
      // given a supplement asked for at reception of an online dossier on 23/11
      const submitted = await submitOnline();
      await operate('deskA', submitted.id, { type: 'request-supplement', items: [{ name: 'CT01', reason: 'thiếu' }] });

      // when the scan runs on the 15th day, then on the 16th
      clock = vn('2026-12-08', '08:00');
      await api.server.app.locals.services.ctx.dossiers!.scanDeadlines();
      const before = (await dossier(submitted.id)).status;
      clock = vn('2026-12-08', '10:00');
      await api.server.app.locals.services.ctx.dossiers!.scanDeadlines();

      // then
      expect(before).toBe('supplement-requested');
      expect((await dossier(submitted.id)).status).toBe('stopped');
      expect((await history(submitted.id)).at(-1)).toMatchObject({ type: 'dossierStopped', actor: 'system' });
      expect((await api.store.instance(submitted.instanceId))?.status).toBe('cancelled');
    });
  });

  describe('refused at reception', () => {
    it('should need reasons to refuse an online dossier', async () => {
      const submitted = await submitOnline();
      const bare = await operate('deskA', submitted.id, { type: 'refuse' });
      const refused = await operate('deskA', submitted.id, { type: 'refuse', reasons: ['không thuộc thẩm quyền'] });
      // A refusal without its reasons is an incomplete request (400 naming the field), not a rule of the dossier (QA finding 17).
      expect(bare.status).toBe(400);
      expect(bare.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.reasons']);
      expect(refused.body.status).toBe('refused');
    });
  });

  describe('rejected after examination', () => {
    it('should reject with reasons', async () => {
      const received = await receiveAtDesk();
      await complete(received.instanceId, 'receive', 'deskA');
      clock = vn('2026-11-26');
      const rejected = await operate('deskA', received.id, { type: 'reject', reasons: ['không đủ điều kiện'] });
      expect(rejected.body.status).toBe('rejected');
      expect((await history(received.id)).at(-1)).toMatchObject({ type: 'dossierRejected', actor: users.id('deskA') });
    });
  });

  describe('withdrawn', () => {
    it('should let the applicant withdraw its own dossier, and nobody else', async () => {
      const submitted = await submitOnline();
      const other = await operate('citizen2', submitted.id, { type: 'withdraw' });
      const mine = await operate('citizen', submitted.id, { type: 'withdraw', reason: 'nộp nhầm' });
      expect(other.status).toBe(404);
      expect(mine.body.status).toBe('withdrawn');
      expect((await operate('citizen', submitted.id, { type: 'withdraw' })).status).toBe(409);
    });
  });

  describe('late with apology', () => {
    it('should re-date the appointment once, at least 1 day before it, and leave the dossier late', async () => {
      const received = await receiveAtDesk();
      await complete(received.instanceId, 'receive', 'deskA');

      // when the head apologises on 2/12 (the appointment is 3/12), then again
      clock = vn('2026-12-02', '16:00');
      const apology = await operate('deskA', received.id, { type: 'apologize', reason: 'cần xác minh thêm', newAppointmentAt: new Date(vn('2026-12-10')).toISOString() });
      const again = await operate('deskA', received.id, { type: 'apologize', reason: 'lần nữa', newAppointmentAt: new Date(vn('2026-12-15')).toISOString() });

      // then
      expect(apology.status).toBe(200);
      expect(apology.body).toMatchObject({ late: true, appointmentAt: new Date(vn('2026-12-10')).toISOString(), originalAppointmentAt: new Date(vn('2026-12-03')).toISOString() });
      expect(again.status).toBe(409);
      expect(again.body.detail).toMatch(/^APPOINTMENT_ALREADY_REDATED/);
    });

    it('should refuse an apology on the day of the appointment', async () => {
      const received = await receiveAtDesk();
      clock = vn('2026-12-03', '08:00');
      const late = await operate('deskA', received.id, { type: 'apologize', reason: 'muộn', newAppointmentAt: new Date(vn('2026-12-10')).toISOString() });
      expect(late.status).toBe(409);
      expect(late.body.detail).toMatch(/^APOLOGY_TOO_LATE/);
    });
  });

  describe('concurrent receipts', () => {
    it('should give 8 dossiers received at once the next 8 numbers of the day, each once', async () => {
      // given the day's last number so far
      clock = vn('2026-11-20');
      const first = await receiveAtDesk();
      const start = Number(first.code.slice(-4));

      // when 8 receipts run at once
      const codes = await Promise.all(Array.from({ length: 8 }, () => receiveAtDesk().then((d) => d.code as string)));

      // then
      expect(codes.map((c) => Number(c.slice(-4))).sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, i) => start + 1 + i));
      expect(codes.every((c) => c.startsWith(`${AG_A}-261120-`))).toBe(true);
    });
  });

  describe('tracking', () => {
    it('should show the status, step and history without personal data, and answer a wrong secret as an unknown code', async () => {
      const received = await receiveAtDesk();
      await complete(received.instanceId, 'receive', 'deskA');

      const right = await as('deskA').get(`/api/tracking/${encodeURIComponent(received.code)}?secret=${received.trackingSecret}`);
      const wrong = await api.as('anonymous').get(`/api/tracking/${encodeURIComponent(received.code)}?secret=not-the-secret`);
      const unknown = await api.as('anonymous').get(`/api/tracking/${encodeURIComponent(`${AG_A}-261123-9999`)}?secret=not-the-secret`);

      expect(right.status).toBe(200);
      expect(right.body).toMatchObject({ code: received.code, status: 'processing', appointmentAt: received.appointmentAt, currentStep: { agency: AG_A, name: 'Thẩm định' } });
      expect(right.text).not.toContain(APPLICANT.name);
      expect(right.text).not.toContain(users.id('deskA'));
      expect(wrong.status).toBe(404);
      expect({ status: wrong.status, detail: wrong.body.detail, code: wrong.body.code }).toEqual({ status: unknown.status, detail: unknown.body.detail, code: unknown.body.code });
    });
  });

  describe('personal data', () => {
    it('should show the applicant only to its agency and the applicant, log every read, and hide the dossier from other agencies', async () => {
      const submitted = await submitOnline();

      const byOutsider = await as('outsider').get(`/api/dossiers/${submitted.id}`);
      const byB = await as('officialB').get(`/api/dossiers/${submitted.id}`);
      const byDesk = await as('deskA').get(`/api/dossiers/${submitted.id}`);
      const byApplicant = await as('citizen').get(`/api/dossiers/${submitted.id}`);
      const byOtherCitizen = await as('citizen2').get(`/api/dossiers/${submitted.id}`);
      const list = await as('officialB').get('/api/dossiers');

      expect([byOutsider.status, byB.status, byOtherCitizen.status]).toEqual([404, 404, 404]);
      expect(byDesk.body.applicant).toEqual(APPLICANT);
      expect(byApplicant.body.applicant).toEqual(APPLICANT);
      expect(list.body.items.map((d: { id: string }) => d.id)).not.toContain(submitted.id);
      const reads = await as('adminA').get(`/api/dossiers/${submitted.id}/personal-data-reads`);
      expect(reads.body.items.map((r: { reader: string }) => r.reader)).toEqual([users.id('deskA'), users.id('citizen')]);
      expect((await as('deskA').get(`/api/dossiers/${submitted.id}/personal-data-reads`)).status).toBe(403);
    });
  });

  describe('deadline warnings', () => {
    const warned = async (id: string) => (await history(id)).filter((h) => h.type === 'deadlineWarned').map((h: any) => h.event.deadline);

    it('should warn 2 working hours before an online dossier must be accepted, once', async () => {
      // given an online dossier submitted on Monday 23/11 at 09:00: 8 working hours end on Wednesday 25/11 at 09:00 (24/11 is a holiday)
      const submitted = await submitOnline();

      // when the scanner runs at 16:00, at 16:30 (2 working hours before) and again
      clock = vn('2026-11-23', '16:00');
      await api.server.app.locals.services.ctx.dossiers!.scanDeadlines();
      const before = await warned(submitted.id);
      clock = vn('2026-11-23', '16:30');
      await api.server.app.locals.services.ctx.dossiers!.scanDeadlines();
      await api.server.app.locals.services.ctx.dossiers!.scanDeadlines();

      // then
      expect(before).toEqual([]);
      const events = (await history(submitted.id)).filter((h) => h.type === 'deadlineWarned') as any[];
      expect(events.map((e) => [e.event.deadline, e.event.dueAt])).toEqual([['online-acceptance', vn('2026-11-25', '09:00')]]);
    });

    it('should warn a working day before the last moment of the apology', async () => {
      // given a dossier due on Thursday 3/12 at 09:00: the apology is due before 3/12 starts
      const received = await receiveAtDesk();
      await complete(received.instanceId, 'receive', 'deskA');

      // when the scanner runs on 1/12 and on 2/12 in the morning
      clock = vn('2026-12-01', '09:00');
      await api.server.app.locals.services.ctx.dossiers!.scanDeadlines();
      const before = await warned(received.id);
      clock = vn('2026-12-02', '08:00');
      await api.server.app.locals.services.ctx.dossiers!.scanDeadlines();

      // then
      expect(before).toEqual([]);
      expect(await warned(received.id)).toEqual(['late-apology']);
      // and the applicant's tracking does not show the officials' warning
      const tracked = await api.as('anonymous').get(`/api/tracking/${encodeURIComponent(received.code)}?secret=${received.trackingSecret}`);
      expect(tracked.status).toBe(200);
      expect(tracked.body.history.map((h: { type: string }) => h.type)).not.toContain('deadlineWarned');
      expect(tracked.body.history.map((h: { type: string }) => h.type)).toContain('dossierReceived');
    });
  });

  describe('dossier.updated', () => {
    it('should tell the agencies that hold the dossier and its applicant, and nobody else', async () => {
      // given live sockets of the desk of A, an official of B, an outsider agency and the citizen
      const inboxes = Object.fromEntries(await Promise.all(['deskA', 'officialB', 'outsider', 'citizen'].map(async (name) => [name, await new Inbox(api.url, users.token(name)).ready()] as const)));
      try {
        // when the citizen submits online, the desk accepts, and the process hands the dossier to B
        const submitted = await submitOnline();
        await operate('deskA', submitted.id, { type: 'accept' });
        await complete(submitted.instanceId, 'receive', 'deskA');
        await complete(submitted.instanceId, 'examine', 'deskA');

        // then A and the citizen hear of every change, B once it holds a step
        const of = (name: string, status: string) => inboxes[name].waitFor(`${name}: ${status}`, (e) => e.name === 'dossier.updated' && (e.payload as any).id === submitted.id && (e.payload as any).status === status);
        await of('citizen', 'submitted');
        await of('citizen', 'received');
        await of('deskA', 'received');
        const handedToB = (await of('officialB', 'processing')) as any;
        expect(handedToB.code).toBe(submitted.code);
        expect(JSON.stringify(handedToB)).not.toContain(APPLICANT.name);
        await of('deskA', 'processing');
        expect(inboxes.officialB.named('dossier.updated').some((e: any) => e.id === submitted.id && e.status === 'submitted')).toBe(false);
        expect(inboxes.outsider.named('dossier.updated')).toEqual([]);
      } finally {
        for (const inbox of Object.values(inboxes)) inbox.close();
      }
    });
  });

  describe('receipt (mẫu 01)', () => {
    it('should serve the receipt as PDF to the desk and the applicant, log the read, and refuse it before receipt and to others', async () => {
      const received = await receiveAtDesk();
      const submitted = await submitOnline();

      const pdf = await as('deskA').get(`/api/dossiers/${received.id}/receipt.pdf`);
      const notYet = await as('citizen').get(`/api/dossiers/${submitted.id}/receipt.pdf`);
      const byB = await as('officialB').get(`/api/dossiers/${received.id}/receipt.pdf`);

      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
      expect(pdf.text.startsWith('%PDF-')).toBe(true);
      expect(notYet.status).toBe(409);
      expect(byB.status).toBe(404);
      const reads = await as('adminA').get(`/api/dossiers/${received.id}/personal-data-reads`);
      expect(reads.body.items.map((r: { reader: string }) => r.reader)).toEqual([users.id('deskA')]);
      expect((await as('adminA').get(`/api/dossiers/${submitted.id}/personal-data-reads`)).body.items).toEqual([]);
    });
  });

  describe('catalogue', () => {
    it('should refuse a change of the procedure by another agency and version a change by its own', async () => {
      const before = (await as('deskA').get('/api/procedures/e2e-procedure')).body;
      const other = await as('officialB').request('PUT', '/api/procedures/e2e-procedure', { json: { document: procedureDocument() } });
      const changed = await as('adminA').request('PUT', '/api/procedures/e2e-procedure', { json: { document: { ...procedureDocument(), fee: { amount: 30000, currency: 'VND' } }, effectiveFrom: '2026-01-01' } });
      expect(other.status).toBe(403);
      expect(changed.status).toBe(200);
      expect(changed.body.version).toBe(before.version + 1);
      const bad = await as('adminA').request('PUT', '/api/procedures/e2e-procedure', { json: { document: { ...procedureDocument(), onlineLevel: 'level-4' } } });
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toContain('/onlineLevel');

      // a procedure no longer in force receives no dossier; the ones received keep their version
      const kept = await receiveAtDesk();
      expect(kept.procedureVersion).toBe(before.version + 1);
      const ended = await as('adminA').request('PUT', '/api/procedures/e2e-procedure', { json: { document: procedureDocument(), effectiveFrom: '2026-01-01', effectiveTo: '2026-11-22' } });
      expect(ended.status).toBe(200);
      const refused = await as('deskA').post('/api/dossiers', { procedureCode: 'e2e-procedure', channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('not in force on 2026-11-23');
      expect((await dossier(kept.id)).procedureVersion).toBe(before.version + 1);
      expect((await as('adminA').request('PUT', '/api/procedures/e2e-procedure', { json: { document: procedureDocument() } })).status).toBe(200);
    });
  });

  describe('a procedure and its process belong to one agency', () => {
    /** The e2e procedure taken over by agency B, still starting agency A's process. */
    const hijack = () => ({
      ...procedureDocument(),
      code: 'e2e-hijack',
      competentAgency: { ...procedureDocument().competentAgency, agency: AG_B },
      agencies: [
        { id: AG_B, name: 'Cơ quan B', nameEn: 'B', level: 'commune', role: 'lead', demo: true },
        { id: AG_A, name: 'Công an xã A', nameEn: 'A', level: 'commune', role: 'participant', demo: true },
      ],
    });

    it("should refuse an admin's procedure that starts another agency's process", async () => {
      const put = await as('adminB').request('PUT', '/api/procedures/e2e-hijack', { json: { document: hijack() } });
      expect(put.status).toBe(403);
      expect(put.body.detail).toContain(`process '${PROCESS}' belongs to agency '${AG_A}'`);
      expect((await as('deskA').get('/api/procedures/e2e-hijack')).status).toBe(404);
    });

    it('should refuse a receipt that would start a process its official could not start', async () => {
      // given such a procedure already in the catalogue (saved before the check existed)
      await api.server.app.locals.services.ctx.dossiers!.saveProcedure('e2e-hijack', { document: hijack() }, 'system');
      const inbox = async () => (await as('deskA').get('/api/tasks?limit=200')).body.items.length;
      const before = await inbox();

      // when agency B's desk receives a dossier of it
      const res = await as('officialB').post('/api/dossiers', { procedureCode: 'e2e-hijack', channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });

      // then nothing starts in agency A's inbox
      expect(res.status).toBe(403);
      expect(res.body.detail).toContain(`process '${PROCESS}'`);
      expect(await inbox()).toBe(before);
      expect((await as('officialB').get('/api/dossiers?procedureCode=e2e-hijack')).body.items).toEqual([]);
      // and a citizen's online submission neither
      expect((await as('citizen').post('/api/dossiers', { procedureCode: 'e2e-hijack', channel: 'online', applicant: APPLICANT, documents: ONLINE_DOCUMENTS, fee: { paid: true, paidOnline: true } })).status).toBe(403);
    });
  });
});
