/**
 * The lifecycle paths that end without a result, and the inter-agency path, through the public
 * API on both databases, with an injected clock across real November–December 2026 dates
 * (Tuesday 24/11/2026, Vietnam Culture Day, is a holiday). After every stage the same run
 * checks the dossier's status and history, the dates on the legal clock, the audit chain
 * (`GET /api/audit/verify` and the dossier's entries, with who), exactly which Decision 766
 * counts and indicator numerators and denominators of the agency moved, the receipt (mẫu 01)
 * and the form of the state as the applicant receives it (the notice mail's PDF: mẫu 02, 03,
 * 05, 06), read back with pdftotext, and the public tracking page.
 * Paths: supplement never comes (stopped by an official after the 15 days; stopped by the
 * deadline scan), refused at reception, rejected after examination, withdrawn by the
 * applicant, and handled by two agencies in turn without a supplement.
 */
import type { Config } from '../../api/src/config';
import { openOutboxes } from '../../api/src/dossier-layer';
import { testDatabases } from '../support/databases';
import { auditOf, figuresOf, figureSteps, historyOf, receiptTextOf, receiveDossier, RECEIVED_AT_DESK, SuiteUsers, trackedOf, type Figures } from './dossier-e2e-support';
import { putDossierProcedure, residenceOfTwoAgencies } from './dossier-process';
import { useApi, type ApiHarness } from './harness';
import { noticeFormText, useSmtpServer, vn, type ReceivedMail } from './outbox-support';

const AG_A = '000.31.00.H40';
const AG_B = '000.32.00.H40';
const PROCESS = 'paths-e2e';
const PROCEDURE = 'paths-procedure';
const FROM = 'Bộ phận Một cửa xã Hòa Bình <motcua@hoabinh.gov.vn>';

/** Receipt (A, desk) → examination (A, specialist) → verification (B, specialist, 2 working days) → result at A's desk → returned, on the library's permanent-residence procedure (7 working days, restart after a supplement, fee 20,000 đ). */
const PROCEDURE_OF_A = residenceOfTwoAgencies({ code: PROCEDURE, processId: PROCESS, name: 'paths', agencies: [AG_A, AG_B] });

const APPLICANT = { name: 'Lê Văn Đức Thắng', kind: 'citizen', idNumber: '001190088888', phone: '0977123456', email: 'thang@example.vn', address: 'Xóm Chùa, xã Hòa Bình' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai thay đổi thông tin cư trú', form: 'original', copies: 1 }];
const ONLINE_DOCUMENTS = DOCUMENTS.map((d) => ({ ...d, form: 'electronic' }));
const PERIOD = 'from=2026-11-01&to=2026-12-31';
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(testDatabases())('the paths of a dossier through the API on $name', (target) => {
  let clock = vn('2026-11-23');
  const config: Partial<Config> = { outboxPollMs: 0, smtpFrom: FROM };
  const smtp = useSmtpServer(config);
  const api: ApiHarness = useApi(target, { now: () => clock, dossiers: true, config });
  const users = new SuiteUsers(api, `paths-${target.name}`);
  const as = (name: string) => users.as(name);
  const id = (name: string) => users.id(name);

  beforeAll(async () => {
    await users.add('desk', ['official'], AG_A, ['desk'], 'Nguyễn Thị Lan');
    await users.add('specialist', ['official'], AG_A, ['specialist'], 'Trần Văn Minh');
    await users.add('officialB', ['official'], AG_B, ['specialist'], 'Phạm Thu Hà');
    await users.add('admin', ['agency-admin'], AG_A, []);
    await users.add('analyst', ['analyst'], undefined, []);
    await users.add('citizen', ['citizen'], undefined, []);
    await putDossierProcedure(api, as('admin'), PROCEDURE_OF_A.xml, AG_A, PROCEDURE_OF_A.document);
  });

  // ------------------------------------------------------------------ what each stage checks

  const operate = (who: string, dossierId: string, body: unknown) => users.operate(who, dossierId, body);
  const dossier = async (dossierId: string) => (await as('desk').get(`/api/dossiers/${dossierId}`)).body;
  const history = (dossierId: string) => historyOf(as('desk'), dossierId);
  const historyTypes = async (dossierId: string) => (await history(dossierId)).map((h) => h.type);
  const taskOf = (who: string, instanceId: string, elementId: string) => users.taskOf(who, instanceId, elementId);
  const work = (who: string, instanceId: string, elementId: string) => users.work(who, instanceId, elementId);
  const figures = () => figuresOf(as('desk'), AG_A, PERIOD);
  const audit = (dossierId: string) => auditOf(api, as('analyst'), dossierId); // the whole trail is verified by an analyst
  const auditTypes = async (dossierId: string) => (await audit(dossierId)).map((e) => `${e.type} ${e.actor}`);
  const tracked = (code: string, secret: string) => trackedOf(api, code, secret, [APPLICANT.name, APPLICANT.idNumber, APPLICANT.phone, APPLICANT.email, APPLICANT.address, ...users.ids()]);
  const receiptText = (dossierId: string) => receiptTextOf(api, users.token('desk'), dossierId);
  const scan = () => api.server.app.locals.services.ctx.dossiers!.scanDeadlines();
  const receiveAtDesk = () => receiveDossier(as('desk'), { procedureCode: PROCEDURE, channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });
  const submitOnline = () => receiveDossier(as('citizen'), { procedureCode: PROCEDURE, channel: 'online', applicant: APPLICANT, documents: ONLINE_DOCUMENTS, fee: { paid: true, paidOnline: true } });

  /** Sends the notices queued so far; returns the mails of the dossier sent by this drain. */
  async function notices(code: string): Promise<ReceivedMail[]> {
    const before = smtp.mails.length;
    const sender = openOutboxes({ store: api.store, now: () => clock, settings: config, users: api.server.app.locals.services.ctx.stores.users });
    const drained = await sender.notices.drain();
    expect(drained.failed).toBe(0);
    return smtp.mails.slice(before).filter((m) => m.subject.includes(code));
  }

  /** The one form a notice mail carries (mẫu `form`), as pdftotext reads it, naming the dossier, its applicant and the title. */
  function formText(mail: ReceivedMail, form: string, code: string, title: string): string {
    expect(mail.to).toEqual([APPLICANT.email]);
    const text = noticeFormText(mail, form, code);
    for (const fact of [APPLICANT.name, title]) expect(text).toContain(fact);
    return text;
  }

  /** A dossier received at A's desk on Monday 23/11 at 09:00 (appointment 03/12 09:00, the 24/11 holiday skipped), handed to A's specialist at 10:00; its receipt mail sent. */
  async function inProcessing(): Promise<any> {
    clock = vn('2026-11-23');
    const d = await receiveAtDesk();
    expect(d).toMatchObject({ status: 'received', appointmentAt: iso(vn('2026-12-03')) });
    clock = vn('2026-11-23', '10:00');
    await work('desk', d.instanceId, 'receive');
    expect((await dossier(d.id)).status).toBe('processing');
    const [receipt, ...more] = await notices(d.code);
    expect(more).toEqual([]);
    expect(formText(receipt, '01', d.code, 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ')).toContain('ngày 03 tháng 12 năm 2026');
    return d;
  }

  // ------------------------------------------------------------------ supplement never comes

  it('should stop a dossier whose supplement never came when an official asks after the 15 days, not a minute before, with mẫu 05 and the statistics of a stopped dossier', async () => {
    const step = await figureSteps(figures);
    // given a dossier in processing since Monday 23/11, asked for a supplement by A's specialist on Wednesday 25/11 at 10:00
    const d = await inProcessing();
    await step(RECEIVED_AT_DESK);
    clock = vn('2026-11-25', '10:00');
    const requested = await operate('specialist', d.id, { type: 'request-supplement', items: [{ name: 'Tờ khai CT01', reason: 'thiếu chữ ký của chủ hộ' }] });
    expect([requested.status, requested.body.status]).toEqual([200, 'supplement-requested']);
    const [supplementMail, ...moreMails] = await notices(d.code);
    expect(moreMails).toEqual([]);
    expect(formText(supplementMail, '02', d.code, 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ')).toContain('thiếu chữ ký của chủ hộ');
    // waiting for the supplement, it is in progress on time (Decision 766 ends its measure at the request)
    await step({ 'counts.withSupplement': 1, 'counts.supplementRequests': 1 });

    // when the desk tries to stop it on Thursday 10/12 at 09:30, 15 days less 30 minutes after the request
    clock = vn('2026-12-10', '09:30');
    const early = await operate('desk', d.id, { type: 'stop' });
    // then it is refused with the rule, and nothing is written
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/^SUPPLEMENT_TIME_NOT_OVER/);
    expect((await dossier(d.id)).status).toBe('supplement-requested');
    expect((await audit(d.id)).filter((e) => e.type === 'dossierStopped')).toEqual([]);
    // the appointment has passed meanwhile (03/12), but the legal clock waits for the supplement and Decision 766 ended the measure at the request: still on time
    await step({});

    // when it tries again at 10:30, the 15 days over
    clock = vn('2026-12-10', '10:30');
    const stopped = await operate('desk', d.id, { type: 'stop' });
    expect([stopped.status, stopped.body.detail]).toEqual([200, undefined]);
    expect(stopped.body).toMatchObject({ status: 'stopped', appointmentAt: iso(vn('2026-12-03')) });
    // then the process is ended, the history and the audit chain say who stopped it, when
    expect((await api.store.instance(d.instanceId))?.status).toBe('cancelled');
    expect(await historyTypes(d.id)).toEqual(['dossierSubmitted', 'dossierReceived', 'taskClaimed', 'processingStarted', 'dossierHandedOff', 'supplementRequested', 'dossierStopped']);
    const last = (await history(d.id)).at(-1)!;
    expect([last.actor, last.at, last.to]).toEqual([id('desk'), iso(vn('2026-12-10', '10:30')), 'stopped']);
    const entries = await audit(d.id);
    expect(entries.find((e) => e.type === 'supplementRequested')).toMatchObject({ actor: id('specialist'), data: { items: [{ name: 'Tờ khai CT01', reason: 'thiếu chữ ký của chủ hộ' }] } });
    expect(entries.filter((e) => e.type === 'dossierStopped').map((e) => e.actor)).toEqual([id('desk')]);
    // a stopped dossier is counted stopped, and out of the in-progress ones
    await step(STOPPED_AFTER_SUPPLEMENT_REQUEST);
    // the applicant receives mẫu 05 naming the request's date
    const [stopMail, ...after] = await notices(d.code);
    expect(after).toEqual([]);
    expect(stopMail.subject).toBe(`Thông báo dừng giải quyết hồ sơ ${d.code}`);
    expect(formText(stopMail, '05', d.code, 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ')).toContain('ngày 25 tháng 11 năm 2026');
    // the receipt keeps what it printed; the tracking page shows the stop
    for (const fact of [d.code, APPLICANT.name, 'ngày 03 tháng 12 năm 2026']) expect(await receiptText(d.id)).toContain(fact);
    const tracking = await tracked(d.code, d.trackingSecret);
    expect(tracking).toMatchObject({ code: d.code, status: 'stopped' });
    expect(tracking.history.map((h: { type: string }) => h.type)).toEqual(['dossierSubmitted', 'dossierReceived', 'processingStarted', 'dossierHandedOff', 'supplementRequested', 'dossierStopped']);
    // and nothing more can be done to it
    expect((await operate('citizen', d.id, { type: 'supplement' })).status).toBe(404);
    expect((await operate('desk', d.id, { type: 'supplement' })).status).toBe(409);
  });

  it('should let the deadline scan stop an online dossier whose supplement was asked for at reception, as the system, once the 15 days are over', async () => {
    const step = await figureSteps(figures);
    // given an online dossier submitted on Monday 23/11 at 09:00, asked for a supplement by the desk at 11:00 (mẫu 02), never received
    clock = vn('2026-11-23');
    const d = await submitOnline();
    expect(d).toMatchObject({ status: 'submitted', channel: 'online' });
    expect(d.appointmentAt).toBeUndefined();
    clock = vn('2026-11-23', '11:00');
    const requested = await operate('desk', d.id, { type: 'request-supplement', items: [{ name: 'Sổ hộ khẩu', reason: 'ảnh chụp không đọc được' }] });
    expect([requested.status, requested.body.status]).toEqual([200, 'supplement-requested']);
    const [supplementMail, ...more] = await notices(d.code);
    expect(more).toEqual([]);
    expect(formText(supplementMail, '02', d.code, 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ')).toContain('ảnh chụp không đọc được');
    // submitted online and not received: counted as a dossier of the agency and a supplement request, nothing received
    await step(ONLINE_SUPPLEMENT_AT_RECEPTION);
    // the receipt is not issued before receipt
    expect((await as('desk').get(`/api/dossiers/${d.id}/receipt.pdf`)).status).toBe(409);

    // when the scan runs on Tuesday 08/12 at 10:30 (15 days less 30 minutes), then at 11:30
    clock = vn('2026-12-08', '10:30');
    await scan();
    expect((await dossier(d.id)).status).toBe('supplement-requested');
    await step({});
    clock = vn('2026-12-08', '11:30');
    await scan();
    await scan();

    // then it is stopped once, by the system, its process ended
    expect((await dossier(d.id)).status).toBe('stopped');
    expect((await api.store.instance(d.instanceId))?.status).toBe('cancelled');
    expect(await historyTypes(d.id)).toEqual(['dossierSubmitted', 'supplementRequested', 'dossierStopped']);
    expect((await history(d.id)).at(-1)).toMatchObject({ actor: 'system', at: iso(vn('2026-12-08', '11:30')), to: 'stopped' });
    const entries = await audit(d.id);
    expect(entries.find((e) => e.type === 'supplementRequested')).toMatchObject({ actor: id('desk') });
    expect(entries.filter((e) => e.type === 'dossierStopped').map((e) => e.actor)).toEqual(['system']);
    await step(STOPPED_ONLINE_BEFORE_RECEIPT);
    const [stopMail, ...after] = await notices(d.code);
    expect(after).toEqual([]);
    expect(formText(stopMail, '05', d.code, 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ')).toContain('ngày 23 tháng 11 năm 2026');
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'stopped' });
  });

  // ------------------------------------------------------------------ refused, rejected, withdrawn

  it('should refuse an online dossier at reception only with reasons, send mẫu 03 with them, and count a refusal, not a receipt', async () => {
    const step = await figureSteps(figures);
    // given an online dossier submitted on Monday 23/11 at 09:00
    clock = vn('2026-11-23');
    const d = await submitOnline();
    expect(await notices(d.code)).toEqual([]);
    await step(SUBMITTED_ONLINE);

    // when the desk refuses it at 14:00 without reasons, then with them
    clock = vn('2026-11-23', '14:00');
    const bare = await operate('desk', d.id, { type: 'refuse' });
    expect(bare.status).toBe(400);
    expect(bare.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.reasons']);
    expect((await audit(d.id)).map((e) => e.type)).not.toContain('dossierRefused');
    const refused = await operate('desk', d.id, { type: 'refuse', reasons: ['Hồ sơ không thuộc thẩm quyền của Công an xã Hòa Bình', 'Người nộp không cư trú trên địa bàn'] });
    expect([refused.status, refused.body.detail]).toEqual([200, undefined]);
    expect(refused.body.status).toBe('refused');
    expect(refused.body.appointmentAt).toBeUndefined();

    // then the history and the audit chain hold the refusal with its reasons and who
    expect(await historyTypes(d.id)).toEqual(['dossierSubmitted', 'dossierRefused']);
    expect((await history(d.id)).at(-1)).toMatchObject({ actor: id('desk'), at: iso(vn('2026-11-23', '14:00')), to: 'refused' });
    const [refusal] = (await audit(d.id)).filter((e) => e.type === 'dossierRefused');
    expect(refusal).toMatchObject({ actor: id('desk'), data: { reasons: ['Hồ sơ không thuộc thẩm quyền của Công an xã Hòa Bình', 'Người nộp không cư trú trên địa bàn'] } });
    // a model with no step of its own for a refusal: the refused dossier is finished, its process cancelled, no task left
    expect((await api.store.instance(d.instanceId))?.status).toBe('cancelled');
    // one refusal; never received, so in no rate
    await step({ 'counts.refused': 1 });
    // the applicant receives mẫu 03 with both reasons; no receipt exists
    const [mail, ...more] = await notices(d.code);
    expect(more).toEqual([]);
    const text = formText(mail, '03', d.code, 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    for (const reason of ['Hồ sơ không thuộc thẩm quyền của Công an xã Hòa Bình', 'Người nộp không cư trú trên địa bàn']) expect(text).toContain(reason);
    expect((await as('desk').get(`/api/dossiers/${d.id}/receipt.pdf`)).status).toBe(409);
    expect((await as('citizen').get(`/api/dossiers/${d.id}/receipt.pdf`)).status).toBe(409);
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'refused' });
    // and it cannot be accepted afterwards
    expect((await operate('desk', d.id, { type: 'accept' })).status).toBe(409);
  });

  it('should reject a dossier after examination only with reasons, within the time, send mẫu 03 and count it finished early and rejected', async () => {
    const step = await figureSteps(figures);
    const d = await inProcessing();
    await step(RECEIVED_AT_DESK);

    // when A's specialist rejects it on Thursday 26/11 at 10:00, first without reasons
    clock = vn('2026-11-26', '10:00');
    expect((await operate('specialist', d.id, { type: 'reject' })).body.errors).toEqual([{ field: 'body.reasons', message: expect.stringMatching(/required/) }]);
    const rejected = await operate('specialist', d.id, { type: 'reject', reasons: ['Nhà ở không đủ diện tích tối thiểu theo quy định'] });
    expect([rejected.status, rejected.body.detail]).toEqual([200, undefined]);
    expect(rejected.body).toMatchObject({ status: 'rejected', appointmentAt: iso(vn('2026-12-03')) });

    // then
    expect(await historyTypes(d.id)).toEqual(['dossierSubmitted', 'dossierReceived', 'taskClaimed', 'processingStarted', 'dossierHandedOff', 'dossierRejected']);
    expect((await history(d.id)).at(-1)).toMatchObject({ actor: id('specialist'), at: iso(vn('2026-11-26', '10:00')), to: 'rejected' });
    const [rejection] = (await audit(d.id)).filter((e) => e.type === 'dossierRejected');
    expect(rejection).toMatchObject({ actor: id('specialist'), data: { reasons: ['Nhà ở không đủ diện tích tối thiểu theo quy định'] } });
    // a model with no step of its own for a rejection: the rejected dossier is finished, its process cancelled, no task left
    expect((await api.store.instance(d.instanceId))?.status).toBe('cancelled');
    // rejected after 23/11 09:00 → 26/11 10:00 = 2 working days and 1 hour (2.125), before the appointment: finished early, with no result
    await step(REJECTED_EARLY);
    const [mail, ...more] = await notices(d.code);
    expect(more).toEqual([]);
    expect(mail.subject).toBe(`Từ chối giải quyết hồ sơ ${d.code}`);
    expect(formText(mail, '03', d.code, 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ')).toContain('Nhà ở không đủ diện tích tối thiểu theo quy định');
    for (const fact of [d.code, APPLICANT.name, 'ngày 03 tháng 12 năm 2026']) expect(await receiptText(d.id)).toContain(fact);
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'rejected' });

    // and no task of it is left in an inbox (this model has no rejection branch: the examination task was cancelled with its process)
    clock = vn('2026-11-26', '11:00');
    await expect(taskOf('specialist', d.instanceId, 'examine')).rejects.toThrow('has no open task examine');
    // then the dossier stays rejected, and the figures do not move
    expect((await dossier(d.id)).status).toBe('rejected');
    await step({});
  });

  it('should let the applicant withdraw an accepted online dossier before the result, keep every status, and leave it out of the rates', async () => {
    const step = await figureSteps(figures);
    // given an online dossier submitted on Monday 23/11 at 09:00 and accepted by the desk at 11:00 (within the 8 working hours)
    clock = vn('2026-11-23');
    const d = await submitOnline();
    await step(SUBMITTED_ONLINE);
    clock = vn('2026-11-23', '11:00');
    const accepted = await operate('desk', d.id, { type: 'accept' });
    expect([accepted.status, accepted.body.detail]).toEqual([200, undefined]);
    // 7 working days from 11:00 on 23/11, the 24/11 holiday skipped
    expect(accepted.body).toMatchObject({ status: 'received', appointmentAt: iso(vn('2026-12-03', '11:00')) });
    await work('desk', d.instanceId, 'receive');
    const [receipt, ...more] = await notices(d.code);
    expect(more).toEqual([]);
    expect(formText(receipt, '01', d.code, 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ')).toContain('ngày 03 tháng 12 năm 2026');
    await step(ACCEPTED_ONLINE);

    // when the applicant withdraws it on Wednesday 25/11 at 15:00
    clock = vn('2026-11-25', '15:00');
    const withdrawn = await operate('citizen', d.id, { type: 'withdraw', reason: 'Đã chuyển nơi cư trú' });
    expect([withdrawn.status, withdrawn.body.detail]).toEqual([200, undefined]);
    expect(withdrawn.body.status).toBe('withdrawn');

    // then every status is kept, the withdrawal recorded with the applicant as who, and the process ended
    expect(await historyTypes(d.id)).toEqual(['dossierSubmitted', 'dossierReceived', 'taskClaimed', 'processingStarted', 'dossierHandedOff', 'dossierWithdrawn']);
    expect((await history(d.id)).at(-1)).toMatchObject({ actor: id('citizen'), at: iso(vn('2026-11-25', '15:00')), to: 'withdrawn' });
    const [withdrawal] = (await audit(d.id)).filter((e) => e.type === 'dossierWithdrawn');
    expect(withdrawal).toMatchObject({ actor: id('citizen'), data: { reason: 'Đã chuyển nơi cư trú' } });
    expect((await api.store.instance(d.instanceId))?.status).toBe('cancelled');
    // withdrawn: counted, and out of every on-time rate and 5.4 (received − withdrawn), no timeliness, no working days
    await step(WITHDRAWN_AFTER_RECEIPT);
    // the applicant receives the stop notice, mẫu 05, naming the withdrawal as its cause and when it was asked for
    const [stopMail, ...after] = await notices(d.code);
    expect(after).toEqual([]);
    expect(stopMail.subject).toBe(`Thông báo dừng giải quyết hồ sơ ${d.code}`);
    expect(stopMail.text).toContain('Đã chuyển nơi cư trú');
    const stopText = formText(stopMail, '05', d.code, 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(stopText).toContain('đã đề nghị dừng giải quyết (rút) hồ sơ vào 15 giờ 00 phút, ngày 25 tháng 11 năm 2026');
    // signed by the head of the agency, not by the applicant who withdrew (whose user id is no signature)
    expect(stopText).not.toContain(id('citizen'));
    // the applicant's receipt stays available; the tracking page shows the withdrawal
    for (const fact of [d.code, APPLICANT.name, 'ngày 03 tháng 12 năm 2026']) expect(await receiptText(d.id)).toContain(fact);
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'withdrawn' });
    // and a second withdrawal is refused
    expect((await operate('citizen', d.id, { type: 'withdraw' })).status).toBe(409);
  });

  // ------------------------------------------------------------------ inter-agency

  it('should hand a dossier from A to B and back without a supplement, recording who handed to whom, each hand-off on time or not, and each agency’s share and used time', async () => {
    const step = await figureSteps(figures);
    const d = await inProcessing();
    await step(RECEIVED_AT_DESK);

    // when A's specialist hands it to B on Wednesday 25/11 at 10:00, B verifies it on Monday 30/11 at 10:00 (3 working days of its 2) and A's desk returns it on Tuesday 01/12 at 10:00
    clock = vn('2026-11-25', '10:00');
    await work('specialist', d.instanceId, 'examine');
    const atB = await as('officialB').get(`/api/dossiers/${d.id}`);
    expect(atB.status).toBe(200);
    expect(atB.body.applicant).toBeUndefined();
    expect(atB.body.currentStep).toEqual({ agency: AG_B, name: 'Xác minh' });
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'processing', currentStep: { agency: AG_B, name: 'Xác minh' } });
    clock = vn('2026-11-30', '10:00');
    await work('officialB', d.instanceId, 'verify');
    expect((await dossier(d.id)).status).toBe('result-ready');
    clock = vn('2026-12-01', '10:00');
    await work('desk', d.instanceId, 'returnResult');
    expect((await dossier(d.id)).status).toBe('returned');

    // then every hand-off names who handed to whom, when, its due date and whether it was met
    const res = await as('officialB').get(`/api/dossiers/${d.id}/hand-offs`);
    expect(res.status).toBe(200);
    const handOffs = res.body.handOffs as Array<Record<string, any>>;
    expect(handOffs.map((h) => [h.from, h.to, h.at, h.dueAt, h.result])).toEqual(HAND_OFFS(id));
    // B used 3 working days of its 2 (25/11 10:00 → 30/11 10:00); A's specialist 1 (23/11 10:00 → 25/11 10:00, the 24/11 holiday skipped)
    const shares = Object.fromEntries((res.body.shares as Array<Record<string, any>>).map((s) => [s.holder, s]));
    expect(shares[`${AG_B} / specialist`]).toMatchObject({ allowedWorkingDays: 2 });
    expect(shares[`${AG_B} / specialist`].workingDays).toBeCloseTo(3, 5);
    expect(shares[`${AG_A} / specialist`].workingDays).toBeCloseTo(1, 5);
    // the history and the audit chain hold each agency's officials
    expect((await historyTypes(d.id)).filter((t) => t !== 'taskClaimed')).toEqual(['dossierSubmitted', 'dossierReceived', 'processingStarted', 'dossierHandedOff', 'dossierHandedOff', 'dossierHandedOff', 'resultReady', 'resultReturned']);
    const entries = await auditTypes(d.id);
    expect(entries).toEqual(expect.arrayContaining([`taskCompleted ${id('specialist')}`, `taskCompleted ${id('officialB')}`, `resultReady ${id('officialB')}`, `taskCompleted ${id('desk')}`]));
    // finished early overall though B was late: 23/11 09:00 → 30/11 10:00 = 4 working days and 1 hour (4.125); the desk's return is after the result and moves nothing
    await step(FINISHED_EARLY_ACROSS_AGENCIES);
    // the control slip (mẫu 06) sent with the result lists the three hand-offs, B's due date and its overrun
    const mails = await notices(d.code);
    const slip = mails.find((m) => m.headers['x-motcua-notice'] === 'result-ready')!;
    const slipText = formText(slip, '06', d.code, 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    for (const fact of ['23/11/2026 10:00', '25/11/2026 10:00', '30/11/2026 10:00', '27/11/2026 10:00 Quá hạn', 'ngày 03 tháng 12 năm 2026']) expect(slipText).toContain(fact);
    // each holder by its agency's name and each official by name, never by an agency identifier or a user id
    for (const fact of ['Công an xã Hòa Bình / desk (Nguyễn Thị Lan)', 'Công an xã Hòa Bình / specialist (Trần Văn Minh)', 'Bảo hiểm xã hội khu vực / specialist (Phạm Thu Hà)']) expect(slipText).toContain(fact);
    for (const raw of [`${AG_A} /`, `${AG_B} /`, id('desk'), id('specialist'), id('officialB')]) expect(slipText).not.toContain(raw);
    for (const fact of [d.code, APPLICANT.name, 'ngày 03 tháng 12 năm 2026']) expect(await receiptText(d.id)).toContain(fact);
    expect(await tracked(d.code, d.trackingSecret)).toMatchObject({ status: 'returned', appointmentAt: iso(vn('2026-12-03')) });
  });
});

// ------------------------------------------------------------------ the expected moves (filled from the rules, see each)

/** Submitted online, not yet received: a dossier of the agency, in no rate until received. */
const SUBMITTED_ONLINE: Figures = { 'counts.dossiers': 1 };

/** Asked for a supplement at reception (mẫu 02), never received: a supplement request, in no rate. */
const ONLINE_SUPPLEMENT_AT_RECEPTION: Figures = { 'counts.dossiers': 1, 'counts.supplementRequests': 1, 'counts.withSupplement': 1 };

/** Stopped before its receipt: counted stopped, and nowhere else (it was never received). */
const STOPPED_ONLINE_BEFORE_RECEIPT: Figures = { 'counts.stopped': 1 };

/**
 * Stopped in processing after the supplement never came: counted stopped, finished (no longer in
 * progress), and measured up to the supplement request by both measures, the time after it being
 * the applicant's (DOMAIN.md: supplement time subtracted; a dossier waiting for a supplement ends
 * at the request): 23/11 09:00 → 25/11 10:00 is 9 working hours (1.125 days), early. The first
 * timed dossier of the suite, so the p90 is its own.
 */
const STOPPED_AFTER_SUPPLEMENT_REQUEST: Figures = {
  'counts.stopped': 1,
  'counts.inProgress766.onTime': -1,
  'counts.inProgressLegal.onTime': -1,
  'counts.finished766.early': 1,
  'counts.finishedLegal.early': 1,
  'counts.timed': 1,
  'counts.workingDaysSum': 1.125,
  'counts.workingDaysP90': 1.13, // the 90th percentile is kept in hundredths of a working day (its histogram's unit)
  '2.2.numerator': 1.13,
  '2.2.denominator': 1,
  '2.2-p90.numerator': 1.13,
  '2.2-p90.denominator': 1,
};

/**
 * Rejected after examination on 26/11 10:00, before the appointment (03/12): finished early by
 * both measures, 17 working hours (2.125 days), still on time in 2.1; counted rejected; no result
 * (4.1, 4.2 unmoved). The suite's p90 of 1.125 and 2.125 is 2.125.
 */
const REJECTED_EARLY: Figures = {
  'counts.rejected': 1,
  'counts.inProgress766.onTime': -1,
  'counts.inProgressLegal.onTime': -1,
  'counts.finished766.early': 1,
  'counts.finishedLegal.early': 1,
  'counts.timed': 1,
  'counts.workingDaysSum': 2.125,
  'counts.workingDaysP90': 1,
  '2.2.numerator': 2.12,
  '2.2.denominator': 1,
  '2.2-p90.numerator': 1,
  '2.2-p90.denominator': 1,
};

/** Accepted online (fee paid online): received online, in progress on time by both measures, online in 3.3, paid online in 3.6. */
const ACCEPTED_ONLINE: Figures = {
  'counts.received': 1,
  'counts.online': 1,
  'counts.onlineWithEResult': 1,
  'counts.feeBearing': 1,
  'counts.feeBearingPaidOnline': 1,
  'counts.inProgress766.onTime': 1,
  'counts.inProgressLegal.onTime': 1,
  '2.1.numerator': 1,
  '2.1.denominator': 1,
  '2.1-legal.numerator': 1,
  '2.1-legal.denominator': 1,
  '3.3.numerator': 1,
  '3.3.denominator': 1,
  '3.3-desk.denominator': 1,
  '3.3-post.denominator': 1,
  '3.6.numerator': 1,
  '3.6.denominator': 1,
  '5.4.denominator': 1,
};

/** Withdrawn by the applicant: counted withdrawn, still received (3.3, 3.6 keep it), out of the in-progress ones and of every on-time rate and 5.4 (received − withdrawn); no timeliness, no working days. */
const WITHDRAWN_AFTER_RECEIPT: Figures = {
  'counts.withdrawn': 1,
  'counts.inProgress766.onTime': -1,
  'counts.inProgressLegal.onTime': -1,
  '2.1.numerator': -1,
  '2.1.denominator': -1,
  '2.1-legal.numerator': -1,
  '2.1-legal.denominator': -1,
  '5.4.denominator': -1,
};
/**
 * Finished early by both measures across two agencies (33 working hours, 4.125 days, before the
 * 03/12 appointment) though B overran its share; with a result (not electronic: 4.1, 4.2 count it
 * in the denominator only). The suite's p90 of 1.125, 2.125 and 4.125 is 4.125.
 */
const FINISHED_EARLY_ACROSS_AGENCIES: Figures = {
  'counts.inProgress766.onTime': -1,
  'counts.inProgressLegal.onTime': -1,
  'counts.finished766.early': 1,
  'counts.finishedLegal.early': 1,
  'counts.timed': 1,
  'counts.workingDaysSum': 4.125,
  'counts.workingDaysP90': 2,
  'counts.withResult': 1,
  '2.2.numerator': 4.13,
  '2.2.denominator': 1,
  '2.2-p90.numerator': 2,
  '2.2-p90.denominator': 1,
  '4.1.denominator': 1,
  '4.2.denominator': 1,
};

/** The hand-offs of the inter-agency path: who (holder and official) to whom, when, the share's due date, and whether the receiver met it. */
const HAND_OFFS = (id: (name: string) => string): unknown[] => [
  [`${AG_A} / desk (${id('desk')})`, `${AG_A} / specialist`, iso(vn('2026-11-23', '10:00')), undefined, undefined],
  [`${AG_A} / specialist (${id('specialist')})`, `${AG_B} / specialist`, iso(vn('2026-11-25', '10:00')), iso(vn('2026-11-27', '10:00')), 'late'],
  [`${AG_B} / specialist (${id('officialB')})`, `${AG_A} / desk`, iso(vn('2026-11-30', '10:00')), undefined, undefined],
];
