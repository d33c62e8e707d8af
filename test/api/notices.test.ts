/**
 * Notices to the applicant through the notice outbox, on both databases: a local SMTP server
 * receives exactly one mail per notice (receipt, supplement request, late apology, result
 * ready, rejection, stop) in Vietnamese, each with its form attached as a PDF (mẫu 01, 02, 04,
 * 06, 03, 05) whose text (pdftotext) holds the dossier's code and applicant; a sender that dies between claim and send leaves the notice to be sent
 * once after its lease; without SMTP the notices stay queued and are listed.
 */
import type { Config } from '../../api/src/config';
import { openOutboxes } from '../../api/src/dossier-layer';
import { noticeMessageId } from '../../onestop/src/notices/notice-transport';
import { testDatabases } from '../support/databases';
import { useApi, type ApiHarness, type Client } from './harness';
import { complete, DOCUMENTS, noticeFormText, setUpAgencyA, useSmtpServer, vn } from './outbox-support';

const FROM = 'Bộ phận Một cửa xã A <motcua@xa-a.gov.vn>';
const APPLICANT = { name: 'Nguyễn Thị Hương', kind: 'citizen', idNumber: '001190012345', email: 'huong@example.vn' };

describe.each(testDatabases())('notices to the applicant on $name', (target) => {
  let clock = vn('2026-11-23');
  const config: Partial<Config> = { outboxPollMs: 0, smtpFrom: FROM };
  const smtp = useSmtpServer(config);
  const api: ApiHarness = useApi(target, { now: () => clock, config });
  let as: Record<'desk' | 'admin' | 'outsider', Client>;

  beforeAll(async () => {
    as = await setUpAgencyA(api, `notices-${target.name}`);
  });

  beforeEach(() => {
    clock = vn('2026-11-23');
  });

  const ctxOutboxes = () => openOutboxes({ store: api.store, now: () => clock, settings: config });

  async function receive(applicant: Record<string, unknown> = APPLICANT): Promise<any> {
    const res = await as.desk.post('/api/dossiers', { procedureCode: 'outbox-procedure', channel: 'desk', applicant, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });
    expect(res.status).toBe(201);
    return res.body;
  }
  const mailsOf = (code: string) => smtp.mails.filter((m) => m.subject.includes(code));

  it('should send one Vietnamese mail per notice, each once, with the Message-ID of its outbox row', async () => {
    const sender = ctxOutboxes();
    // given a dossier received at the desk for an applicant with an email address
    const dossier = await receive();
    // when the notices are sent, twice over
    expect(await sender.notices.drain()).toEqual({ sent: 1, failed: 0 });
    expect(await sender.notices.drain()).toEqual({ sent: 0, failed: 0 });

    // then the SMTP server received exactly one mail: the receipt, in Vietnamese, to the applicant
    const [receipt, ...more] = mailsOf(dossier.code);
    expect(more).toEqual([]);
    expect(receipt.to).toEqual([APPLICANT.email]);
    expect(receipt.subject).toBe(`Tiếp nhận hồ sơ ${dossier.code}`);
    expect(receipt.text).toContain(`Kính gửi: ${APPLICANT.name},`);
    expect(receipt.text).toContain('Ngày hẹn trả kết quả: ngày 03 tháng 12 năm 2026');
    expect(receipt.headers['x-motcua-notice']).toBe('receipt');
    const [row] = await sender.rows('notice', dossier.id);
    expect(receipt.messageId).toBe(noticeMessageId(row, FROM));
    expect(row.sentAt).toBe(clock);

    // when the dossier is asked for a supplement, supplemented, apologised for and its result is ready
    await complete(api, dossier.instanceId, 'receive');
    clock = vn('2026-11-24', '10:00');
    expect((await as.desk.post(`/api/dossiers/${dossier.id}/operations`, { type: 'request-supplement', items: [{ name: 'Tờ khai CT01', reason: 'thiếu chữ ký' }] })).status).toBe(200);
    clock = vn('2026-11-25', '10:00');
    expect((await as.desk.post(`/api/dossiers/${dossier.id}/operations`, { type: 'supplement' })).status).toBe(200);
    const appointment = Date.parse((await as.desk.get(`/api/dossiers/${dossier.id}`)).body.appointmentAt);
    clock = appointment - 3 * 86_400_000;
    const apology = await as.desk.post(`/api/dossiers/${dossier.id}/operations`, { type: 'apologize', reason: 'cần xác minh thêm', newAppointmentAt: new Date(appointment + 7 * 86_400_000).toISOString() });
    expect(apology.status).toBe(200);
    await complete(api, dossier.instanceId, 'examine');
    expect(await sender.notices.drain()).toEqual({ sent: 3, failed: 0 });

    // then one mail each, in order, with their texts
    expect(mailsOf(dossier.code).map((m) => m.subject)).toEqual([
      `Tiếp nhận hồ sơ ${dossier.code}`,
      `Yêu cầu bổ sung, hoàn thiện hồ sơ ${dossier.code}`,
      `Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${dossier.code}`,
      `Hồ sơ ${dossier.code} đã có kết quả`,
    ]);
    const [first, supplement, sorry, result] = mailsOf(dossier.code);
    expect(supplement.text).toContain('1. Tờ khai CT01: thiếu chữ ký');
    expect(sorry.text).toContain('Lý do: cần xác minh thêm');

    // and each carries its form as a PDF, filled for this dossier and applicant
    const receiptPdf = noticeFormText(first, '01', dossier.code);
    expect(receiptPdf).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(receiptPdf).toContain(APPLICANT.name);
    expect(receiptPdf).toContain('ngày 03 tháng 12 năm 2026');
    const supplementPdf = noticeFormText(supplement, '02', dossier.code);
    expect(supplementPdf).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(supplementPdf).toContain('thiếu chữ ký');
    const apologyPdf = noticeFormText(sorry, '04', dossier.code);
    expect(apologyPdf).toContain('VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(apologyPdf).toContain('cần xác minh thêm');
    expect(noticeFormText(result, '06', dossier.code)).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
  });

  it('should send the rejection after examination with its refusal form (mẫu 03) and its reasons', async () => {
    const sender = ctxOutboxes();
    // given a dossier in processing
    const dossier = await receive();
    await complete(api, dossier.instanceId, 'receive');
    // when it is rejected with a reason
    clock = vn('2026-11-24', '10:00');
    const rejected = await as.desk.post(`/api/dossiers/${dossier.id}/operations`, { type: 'reject', reasons: ['Nhà ở không thuộc địa bàn xã A'] });
    expect(rejected.status).toBe(200);
    expect(await sender.notices.drain()).toEqual({ sent: 2, failed: 0 });

    // then the applicant gets the receipt and the rejection, the latter with mẫu 03
    const [, rejection, ...more] = mailsOf(dossier.code);
    expect(more).toEqual([]);
    expect(rejection.subject).toBe(`Từ chối giải quyết hồ sơ ${dossier.code}`);
    expect(rejection.text).toContain('1. Nhà ở không thuộc địa bàn xã A');
    const text = noticeFormText(rejection, '03', dossier.code);
    expect(text).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Nhà ở không thuộc địa bàn xã A');
    expect(text).toContain(APPLICANT.name);
  });

  it('should send the stop notice with its form (mẫu 05) when no supplement came within 15 days', async () => {
    const sender = ctxOutboxes();
    // given a dossier asked for a supplement on 24/11
    const dossier = await receive();
    await complete(api, dossier.instanceId, 'receive');
    clock = vn('2026-11-24', '10:00');
    expect((await as.desk.post(`/api/dossiers/${dossier.id}/operations`, { type: 'request-supplement', items: [{ name: 'Tờ khai CT01', reason: 'thiếu chữ ký' }] })).status).toBe(200);
    // when the desk stops it after the 15 days
    clock = vn('2026-12-10', '10:00');
    const stopped = await as.desk.post(`/api/dossiers/${dossier.id}/operations`, { type: 'stop' });
    expect([stopped.status, stopped.body.detail]).toEqual([200, undefined]);
    expect(await sender.notices.drain()).toEqual({ sent: 3, failed: 0 });

    // then the last mail is the stop notice, with mẫu 05 naming the dossier and the request's date
    const stop = mailsOf(dossier.code).at(-1)!;
    expect(stop.subject).toBe(`Thông báo dừng giải quyết hồ sơ ${dossier.code}`);
    const text = noticeFormText(stop, '05', dossier.code);
    expect(text).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('ngày 24 tháng 11 năm 2026');
    expect(text).toContain(APPLICANT.name);
  });

  it('should send a notice claimed by a sender that died before sending once its lease ends, and only once', async () => {
    const dossier = await receive();
    // given a sender that claimed the receipt notice and died before sending it
    const dead = ctxOutboxes();
    const [claimed] = await dead.notices.claim();
    expect(claimed).toMatchObject({ dossierId: dossier.id, kind: 'receipt', attempts: 1 });
    const alive = ctxOutboxes();

    // when another sender runs while the lease holds: nothing is sent
    expect(await alive.notices.drain()).toEqual({ sent: 0, failed: 0 });
    expect(mailsOf(dossier.code)).toEqual([]);

    // when the lease has ended: it is sent once, with the same Message-ID any earlier try had
    clock += 61_000;
    expect(await alive.notices.drain()).toEqual({ sent: 1, failed: 0 });
    expect(await alive.notices.drain()).toEqual({ sent: 0, failed: 0 });
    expect(mailsOf(dossier.code)).toHaveLength(1);
    expect(mailsOf(dossier.code)[0].messageId).toBe(noticeMessageId(claimed, FROM));
    // and the dead sender's late mark does not count twice
    const [row] = await alive.rows('notice', dossier.id);
    expect(row.attempts).toBe(2);
  });

  it('should keep notices queued and listed when no SMTP server is configured, and write none for an applicant without email', async () => {
    // given a dossier received while the only sender has no SMTP server
    const dossier = await receive();
    const noSmtp = openOutboxes({ store: api.store, now: () => clock, settings: {} });
    expect(noSmtp.notices.configured).toBe(false);
    expect(await noSmtp.notices.drain()).toEqual({ sent: 0, failed: 0 });

    // then the notice waits, listed for the agency's staff and not for another agency
    expect(mailsOf(dossier.code)).toEqual([]);
    const listed = await as.desk.get('/api/notices/unsent');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ dossierId: dossier.id, pending: 1, attempts: 0 })]));
    expect((await as.outsider.get('/api/notices/unsent')).body.items).toEqual([]);
    // and a sender with SMTP sends it later
    expect(await ctxOutboxes().notices.drain()).toEqual({ sent: 1, failed: 0 });
    expect(mailsOf(dossier.code)).toHaveLength(1);

    // given an applicant who gave no email: no notice is written
    const { email: _none, ...withoutEmail } = APPLICANT;
    const quiet = await receive(withoutEmail);
    expect(await noSmtp.rows('notice', quiet.id)).toEqual([]);
  });
});
