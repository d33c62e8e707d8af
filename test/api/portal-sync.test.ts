/**
 * National portal synchronisation through the portal outbox, on both databases, against a
 * local stand-in portal that records what it receives and fails on demand: each dossier event
 * reaches it once, in order, as the dossier record (DongBoHoSoMC) then its progress step
 * (CapNhatTienDoHoSoMC), every body checked strictly against the portal's shape (no other field,
 * times as yyyyMMddHHmmss in Vietnamese time, status codes of the portal's list); a failing
 * portal leaves the dossier listed as unsynchronised with its error, retried with back-off, and a
 * re-send delivers; an admin's edit of the mapping (codes, service and field names) applies to
 * what is sent from then on.
 */
import Ajv from 'ajv';
import type { Config } from '../../api/src/config';
import { openOutboxes } from '../../api/src/dossier-layer';
import { testDatabases } from '../support/databases';
import { useApi, type ApiHarness, type Client } from './harness';
import { complete, DOCUMENTS, setUpAgencyA, startStandInPortal, vn } from './outbox-support';
import bundled from '../../onestop/src/portal/data/status-mapping.json';

/** The portal's shape, strictly: the request envelope and its one record or progress step. */
const time = { type: 'string', pattern: '^(\\d{14})?$' };
const text = { type: 'string' };
const statusCode = { type: 'string', enum: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] };
const strict = (properties: Record<string, object>) => ({ type: 'object', additionalProperties: false, required: Object.keys(properties), properties });
const recordRequest = strict({
  service: { const: 'DongBoHoSoMC' },
  isUpdating: { enum: ['True', 'False'] },
  madonvi: text,
  data: { type: 'array', minItems: 1, maxItems: 1, items: strict({ MaHoSo: { type: 'string', minLength: 1 }, MaTTHC: text, NgayTiepNhan: time, NgayHenTra: time, TrangThaiHoSo: statusCode, NgayKetThucXuLy: time, NgayTra: time }) },
});
const progressRequest = strict({
  service: { const: 'CapNhatTienDoHoSoMC' },
  madonvi: text,
  data: { type: 'array', minItems: 1, maxItems: 1, items: strict({ MaHoSo: { type: 'string', minLength: 1 }, NguoiXuLy: text, PhongBanXuLy: text, ThoiDiemXuLy: { type: 'string', pattern: '^\\d{14}$' }, NoiDungXuLy: text, TrangThai: statusCode }) },
});
const ajv = new Ajv({ allErrors: true, strict: true });
const isRecord = ajv.compile(recordRequest);
const isProgress = ajv.compile(progressRequest);
/** Every request in the portal's shape, records and progress steps alternating, record first. */
function expectPortalShape(requests: Array<{ body: Record<string, any> }>): void {
  expect(requests.length % 2).toBe(0);
  requests.forEach((r, i) => {
    const check = i % 2 === 0 ? isRecord : isProgress;
    if (!check(r.body)) throw new Error(`request ${i} is not in the portal's shape: ${ajv.errorsText(check.errors)}\n${JSON.stringify(r.body)}`);
  });
}

const APPLICANT = { name: 'Trần Văn An', kind: 'citizen', idNumber: '001190099999' };

describe.each(testDatabases())('national portal synchronisation on $name', (target) => {
  let clock = vn('2026-11-23');
  let portal: Awaited<ReturnType<typeof startStandInPortal>>;
  const config: Partial<Config> = { outboxPollMs: 0, portalToken: 'portal-token-1' };
  beforeAll(async () => {
    portal = await startStandInPortal();
    config.portalUrl = portal.url;
  });
  afterAll(() => portal?.close());
  const api: ApiHarness = useApi(target, { now: () => clock, config });
  let as: Record<'desk' | 'admin' | 'outsider', Client>;

  beforeAll(async () => {
    as = await setUpAgencyA(api, `portal-${target.name}`);
  });

  beforeEach(() => {
    clock = vn('2026-11-23');
    portal.failing = false;
  });

  async function receive(): Promise<any> {
    const res = await as.desk.post('/api/dossiers', { procedureCode: 'outbox-procedure', channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });
    expect(res.status).toBe(201);
    return res.body;
  }
  const receivedFor = (code: string) => portal.received.filter((r) => r.body.data?.[0]?.MaHoSo === code);
  const records = (code: string) => receivedFor(code).filter((r) => r.body.service === 'DongBoHoSoMC').map((r) => ({ ...r.body, ...r.body.data[0] }));
  const steps = (code: string) => receivedFor(code).filter((r) => r.body.service === 'CapNhatTienDoHoSoMC').map((r) => r.body.data[0]);
  const resend = (id: string, who: Client = as.admin) => who.post(`/api/portal/dossiers/${id}/resend`);
  const unsynchronised = async (who: Client = as.desk) => (await who.get('/api/portal/unsynchronised')).body.items as Array<Record<string, any>>;

  it('should send every event of a dossier once, in order, as the record with its progress step and the mapped status', async () => {
    // given a dossier received at the desk and taken into processing
    const dossier = await receive();
    clock = vn('2026-11-23', '10:00');
    await complete(api, dossier.instanceId, 'receive');

    // when the portal outbox is sent (through the re-send route, which sends what is due)
    const sent = await resend(dossier.id);
    expect(sent.status).toBe(200);
    expect(await resend(dossier.id).then((r) => r.status)).toBe(404);

    // then the portal received each event once, in order, as the record then the progress step, in its shape
    const got = receivedFor(dossier.code);
    expectPortalShape(got);
    expect(got.map((r) => r.body.service)).toEqual(['DongBoHoSoMC', 'CapNhatTienDoHoSoMC', 'DongBoHoSoMC', 'CapNhatTienDoHoSoMC', 'DongBoHoSoMC', 'CapNhatTienDoHoSoMC', 'DongBoHoSoMC', 'CapNhatTienDoHoSoMC']);
    // submitted, received, processing started, handed off to the unit
    expect(steps(dossier.code).map((s) => s.TrangThai)).toEqual(['1', '2', '4', '4']);
    expect(records(dossier.code).map((r) => r.isUpdating)).toEqual(['False', 'True', 'True', 'True']);
    // each record carries the status its step led to, also when the steps came in one change
    expect(records(dossier.code).map((r) => r.TrangThaiHoSo)).toEqual(['1', '2', '4', '4']);
    expect(new Set(got.map((r) => r.messageId)).size).toBe(got.length);
    expect(got[0].authorization).toBe('Bearer portal-token-1');
    const received = records(dossier.code)[1];
    expect(received).toEqual({
      service: 'DongBoHoSoMC',
      isUpdating: 'True',
      madonvi: '000.02.00.H29',
      data: [received.data[0]],
      MaHoSo: dossier.code,
      MaTTHC: 'outbox-procedure',
      NgayTiepNhan: received.NgayTiepNhan,
      NgayHenTra: '20261203090000',
      TrangThaiHoSo: '2',
      NgayKetThucXuLy: '',
      NgayTra: '',
    });
    expect(received.NgayTiepNhan).toMatch(/^20261123\d{6}$/);
    expect(steps(dossier.code)[1]).toEqual({ MaHoSo: dossier.code, NguoiXuLy: '', PhongBanXuLy: expect.any(String), ThoiDiemXuLy: received.NgayTiepNhan, NoiDungXuLy: 'Được tiếp nhận', TrangThai: '2' });
    expect(steps(dossier.code)[2].ThoiDiemXuLy).toBe('20261123100000');
    expect(records(dossier.code)[2].TrangThaiHoSo).toBe(bundled.statuses.processing.code);
    // no personal data goes to the portal
    expect(JSON.stringify(got)).not.toContain(APPLICANT.idNumber);
    expect(JSON.stringify(got)).not.toContain(APPLICANT.name);
    expect(await unsynchronised()).toEqual([]);
  });

  it('should list a dossier the portal refused as unsynchronised, retry it with back-off, and deliver it on re-send', async () => {
    // given a portal that fails
    portal.failing = true;
    const dossier = await receive();
    const first = await resend(dossier.id);
    expect(first.body).toMatchObject({ requeued: 2, sent: 0, failed: 1 });

    // then only the first event was tried (the second waits behind it), and the dossier is listed with the error
    expect(portal.refused).toBeGreaterThanOrEqual(1);
    const [listed] = (await unsynchronised()).filter((u) => u.dossierId === dossier.id);
    expect(listed).toMatchObject({ dossierId: dossier.id, agency: '000.02.00.H29', pending: 2, attempts: 1 });
    expect(listed.lastError).toMatch(/the portal answered 503 .*bảo trì/);
    expect(Date.parse(listed.nextAt)).toBe(clock + 5_000);
    // another agency's staff do not see it, nor may they re-send it
    expect((await unsynchronised(as.outsider)).filter((u) => u.dossierId === dossier.id)).toEqual([]);
    expect((await resend(dossier.id, as.outsider)).status).toBe(404);
    // an official may list but not re-send
    expect((await resend(dossier.id, as.desk)).status).toBe(403);

    // when the sender runs before the back-off has passed: nothing is tried
    const sender = openOutboxes({ store: api.store, now: () => clock, settings: config });
    expect(await sender.portal.drain()).toEqual({ sent: 0, failed: 0 });
    // when it has passed and the portal still fails: tried again, the delay doubled
    clock += 5_000;
    expect(await sender.portal.drain()).toEqual({ sent: 0, failed: 1 });
    const [again] = (await unsynchronised()).filter((u) => u.dossierId === dossier.id);
    expect(again).toMatchObject({ attempts: 2 });
    expect(Date.parse(again.nextAt)).toBe(clock + 10_000);

    // when the portal is back and the admin re-sends: both events are delivered, in order, and the list is empty
    portal.failing = false;
    const done = await resend(dossier.id);
    expect(done.body).toMatchObject({ requeued: 2, sent: 2, failed: 0 });
    expectPortalShape(receivedFor(dossier.code));
    expect(steps(dossier.code).map((s) => s.TrangThai)).toEqual(['1', '2']);
    expect((await unsynchronised()).filter((u) => u.dossierId === dossier.id)).toEqual([]);
  });

  it('should apply an edited status mapping to what is sent from then on, and refuse an incomplete one naming what is missing', async () => {
    // an incomplete mapping is refused with the missing status named; an official may not edit it
    const { $comment: _c, ...document } = bundled as Record<string, any>;
    const { rejected: _r, ...incomplete } = document.statuses;
    const bad = await as.admin.request('PUT', '/api/portal/status-mapping', { json: { statuses: incomplete } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("must have required property 'rejected'");
    expect((await as.desk.request('PUT', '/api/portal/status-mapping', { json: document })).status).toBe(403);

    // given a dossier whose events are queued, and a mapping edited by the admin afterwards
    const dossier = await receive();
    const edited = { ...document, statuses: { ...document.statuses, received: { code: 'DA_TIEP_NHAN', name: 'Đã tiếp nhận hồ sơ' } } };
    const put = await as.admin.request('PUT', '/api/portal/status-mapping', { json: edited });
    expect(put.status).toBe(200);
    const shown = await as.desk.get('/api/portal/status-mapping');
    expect(shown.body).toMatchObject({ version: put.body.version, mapping: { statuses: { received: { code: 'DA_TIEP_NHAN' } } } });

    // when they are sent: the new code is used
    await resend(dossier.id);
    const [, receivedRecord] = records(dossier.code);
    expect(receivedRecord).toMatchObject({ TrangThaiHoSo: 'DA_TIEP_NHAN' });
    expect(steps(dossier.code)[1]).toMatchObject({ TrangThai: 'DA_TIEP_NHAN', NoiDungXuLy: 'Đã tiếp nhận hồ sơ' });
  });

  it('should let the admin rename the services and fields to match the specification, and refuse two fields under one name', async () => {
    const { $comment: _c, ...document } = bundled as Record<string, any>;
    // two fields of the record under one name, or an unknown field, are refused naming them
    const clash = await as.admin.request('PUT', '/api/portal/status-mapping', { json: { ...document, fields: { NgayTra: 'NgayHenTra' } } });
    expect(clash.status).toBe(400);
    expect(clash.text).toContain("NgayHenTra and NgayTra would both be sent as 'NgayHenTra' in the record");
    const unknown = await as.admin.request('PUT', '/api/portal/status-mapping', { json: { ...document, fields: { SoCMND: 'CMND' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("('SoCMND')");

    // given a dossier queued, and the services and two fields renamed by the admin
    const dossier = await receive();
    const put = await as.admin.request('PUT', '/api/portal/status-mapping', { json: { ...document, services: { record: 'DongBoHoSo', progress: 'CapNhatTienDoHoSo' }, fields: { MaTTHC: 'MaThuTuc', TrangThai: 'TrangThaiXuLy' } } });
    expect(put.status).toBe(200);

    // when it is sent: the new names are used, the others stay
    await resend(dossier.id);
    const got = receivedFor(dossier.code);
    expect(got.map((r) => r.body.service)).toEqual(['DongBoHoSo', 'CapNhatTienDoHoSo', 'DongBoHoSo', 'CapNhatTienDoHoSo']);
    expect(got[0].body.data[0]).toMatchObject({ MaHoSo: dossier.code, MaThuTuc: 'outbox-procedure', TrangThaiHoSo: '1' });
    expect(got[0].body.data[0]).not.toHaveProperty('MaTTHC');
    expect(got[3].body.data[0]).toMatchObject({ MaHoSo: dossier.code, TrangThaiXuLy: '2' });
    expect(got[3].body.data[0]).not.toHaveProperty('TrangThai');

    // and back to the bundled mapping for the other tests
    expect((await as.admin.request('PUT', '/api/portal/status-mapping', { json: document })).status).toBe(200);
  });
});
