/**
 * The procedure library through the API: every to-be of processes/ deploys with its forms
 * on both databases with no warning, and dossiers run end to end, each step done by the
 * demo official of the right agency and group (api/src/auth/demo-users.ts) from the inbox.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { principalOf } from '../../api/src/auth/auth-service';
import { DEMO_USERS } from '../../api/src/auth/demo-users';
import { testDatabases } from '../support/databases';
import { Client, useApi } from './harness';

const ROOT = join(__dirname, '../../processes');
const PROCEDURES = readdirSync(ROOT).filter((name) => existsSync(join(ROOT, name, 'procedure.json')));

/** A multipart deployment of a procedure's to-be with all its forms. */
function deployment(code: string): FormData {
  const form = new FormData();
  form.append('bpmn', new Blob([readFileSync(join(ROOT, code, 'to-be.bpmn'), 'utf8')], { type: 'application/xml' }), `${code}/to-be.bpmn`);
  for (const file of readdirSync(join(ROOT, code, 'forms'))) {
    form.append('forms', new Blob([readFileSync(join(ROOT, code, 'forms', file), 'utf8')]), file);
  }
  return form;
}

describe.each(testDatabases())('the procedure library through the API on $name', (target) => {
  const api = useApi(target);
  const officials = new Map<string, Client>();

  /** The API as a demo user (created in this suite's database on first use). */
  async function as(username: string): Promise<Client> {
    const known = officials.get(username);
    if (known) return known;
    const demo = DEMO_USERS.find((u) => u.username === username)!;
    const record = await api.auth.users.create({ ...demo, roles: [...demo.roles], groups: [...(demo.groups ?? [])], passwordHash: 'scrypt$unused' });
    const { token } = await api.auth.issueToken(principalOf(record));
    const client = new Client(() => api.url, () => token);
    officials.set(username, client);
    return client;
  }

  /** The open task of an instance in an official's inbox, by element id (fails when it is not there). */
  async function inboxTask(username: string, instanceId: string, elementId: string): Promise<{ id: string }> {
    const res = await (await as(username)).get(`/api/tasks?instanceId=${encodeURIComponent(instanceId)}`);
    expect(res.status).toBe(200);
    const task = res.body.items.find((t: { elementId: string }) => t.elementId === elementId);
    expect({ username, elementId, found: task !== undefined }).toEqual({ username, elementId, found: true });
    return task;
  }

  async function complete(username: string, instanceId: string, elementId: string, variables: Record<string, unknown>): Promise<void> {
    const task = await inboxTask(username, instanceId, elementId);
    const res = await (await as(username)).post(`/api/tasks/${task.id}/complete`, { variables });
    expect({ elementId, status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual({ elementId, status: 200, body: undefined });
  }

  async function openElements(instanceId: string): Promise<string[]> {
    return (await api.openTasks(instanceId)).map((t) => t.elementId).sort();
  }

  it.each(PROCEDURES)('should deploy %s with its forms and no warning', async (code) => {
    // when
    const res = await api.as('analyst').request('POST', '/api/deployments', { raw: deployment(code) });

    // then
    expect(res.status).toBe(201);
    const procedure = JSON.parse(readFileSync(join(ROOT, code, 'procedure.json'), 'utf8'));
    expect(res.body.definitions).toEqual([expect.objectContaining({ processId: procedure.processId })]);
    expect(res.body.warnings).toEqual([]);
    expect(res.body.forms.length).toBeGreaterThanOrEqual(6);
  });

  it('should run a birth registration through reception, one supplement, examination, signature and return', async () => {
    // given
    const dossierCode = '000.01.00.H29-261207-0001';
    const started = await (await as('xa.motcua')).post('/api/instances', { processId: 'birth-registration', businessKey: dossierCode, variables: { dossierCode } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;

    // when: received at the desk, the form checked
    const invalid = await (await as('xa.motcua')).post(`/api/tasks/${(await inboxTask('xa.motcua', id, 'receive')).id}/complete`, { variables: { decision: 'maybe' } });
    expect(invalid.status).toBe(422);
    await complete('xa.motcua', id, 'receive', { dossierCode, decision: 'accept', channel: 'online', childName: 'Nguyễn Minh Khang', childBirthDate: '2026-12-01', childSex: 'nam' });

    // then: the civil-status official has it, not the commune police nor the head
    expect(await openElements(id)).toEqual(['examine']);
    const police = await (await as('caxa.cutru')).get(`/api/tasks?instanceId=${id}`);
    expect(police.body.items).toEqual([]);
    const head = await (await as('xa.chutich')).get(`/api/tasks?instanceId=${id}`);
    expect(head.body.items).toEqual([]);

    // when: a supplement is asked, through the desk (mẫu 02), and arrives
    await complete('xa.hotich', id, 'examine', { outcome: 'supplement', missingItems: ['Giấy chứng sinh bản rõ nét'] });
    await complete('xa.motcua', id, 'requestSupplement', { missingItems: ['Giấy chứng sinh bản rõ nét'] });
    expect(await openElements(id)).toEqual([]);
    const supplied = await (await as('xa.motcua')).post('/api/messages', { name: 'dossier.supplemented', correlationKey: dossierCode, variables: { supplementNote: 'đã bổ sung' } });
    expect(supplied.status).toBe(200);
    expect(supplied.body.instanceIds).toEqual([id]);

    // then: back to examination; a second supplement request is not possible (one per dossier)
    expect(await openElements(id)).toEqual(['examine']);
    await complete('xa.hotich', id, 'examine', { outcome: 'supplement', missingItems: ['lần hai'] });
    expect(await openElements(id)).toEqual(['sign']);

    // when: signed and returned
    await complete('xa.chutich', id, 'sign', { approved: true });
    await complete('xa.motcua', id, 'returnResult', { returnChannel: 'online', resultNumber: '123/2026' });

    // then
    const instance = await (await as('xa.motcua')).get(`/api/instances/${id}`);
    expect(instance.body.status).toBe('completed');
    const position = await (await as('xa.motcua')).get(`/api/instances/${id}/position`);
    expect(position.body.completedElementIds).toEqual(expect.arrayContaining(['receive', 'examine', 'requestSupplement', 'supplementReceived', 'sign', 'returnResult', 'returned']));
    expect(position.body.completedElementIds).not.toContain('rejected');
  });

  it('should run the Decree 63/301 birth group with police and social insurance in parallel', async () => {
    // given
    const dossierCode = '000.01.00.H29-261207-0002';
    const started = await (await as('xa.motcua')).post('/api/instances', { processId: 'birth-group-63-301', businessKey: dossierCode, variables: { dossierCode } });
    const id = started.body.instanceId;
    await complete('xa.motcua', id, 'receive', { dossierCode, decision: 'accept', childName: 'Trần An Nhiên', childBirthDate: '2026-12-02', childSex: 'nu' });
    await complete('xa.hotich', id, 'examine', { outcome: 'propose-approve' });

    // when
    await complete('xa.chutich', id, 'sign', { approved: true });

    // then: both agencies received it at once
    expect(await openElements(id)).toEqual(['issueInsuranceCard', 'registerResidence']);
    await complete('bhxh.chuyenvien', id, 'issueInsuranceCard', { insuranceCardNumber: 'TE1010123456789' });
    await complete('caxa.cutru', id, 'registerResidence', { residenceAddress: 'Thôn Đông, xã Minh An' });
    await complete('caxa.truong', id, 'approveResidence', { residenceApproved: true });
    await complete('xa.motcua', id, 'returnResult', { returnChannel: 'online' });
    expect((await (await as('xa.motcua')).get(`/api/instances/${id}`)).body.status).toBe('completed');
  });

  it('should refuse a dossier at reception and return a reasoned refusal after examination', async () => {
    // given
    const refusedAtDesk = await (await as('catinh.motcua')).post('/api/instances', { processId: 'judicial-record', variables: { dossierCode: '000.00.20.H29-261207-0001' } });
    const rejected = await (await as('catinh.motcua')).post('/api/instances', { processId: 'judicial-record', variables: { dossierCode: '000.00.20.H29-261207-0002' } });

    // when
    await complete('catinh.motcua', refusedAtDesk.body.instanceId, 'receive', { dossierCode: '000.00.20.H29-261207-0001', decision: 'refuse', refusalReason: 'Không thuộc thẩm quyền', applicantName: 'Lê Văn Tám', personalId: '001090012345', certificateType: 'so-1' });
    await complete('catinh.motcua', rejected.body.instanceId, 'receive', { dossierCode: '000.00.20.H29-261207-0002', decision: 'accept', applicantName: 'Phạm Thị Chín', personalId: '001090054321', certificateType: 'so-2' });
    await complete('catinh.lltp', rejected.body.instanceId, 'examine', { outcome: 'propose-reject', needsVerification: true });
    await complete('catinh.lltp', rejected.body.instanceId, 'verify', { findings: 'Đang bị truy cứu trách nhiệm hình sự' });
    await complete('catinh.lanhdao', rejected.body.instanceId, 'sign', { approved: false, rejectionReason: 'Thông tin chưa đủ căn cứ cấp phiếu' });
    await complete('catinh.motcua', rejected.body.instanceId, 'returnRefusal', { returnChannel: 'online', reason: 'Thông tin chưa đủ căn cứ cấp phiếu' });

    // then
    for (const [id, end] of [[refusedAtDesk.body.instanceId, 'refused'], [rejected.body.instanceId, 'rejected']]) {
      const position = await (await as('catinh.motcua')).get(`/api/instances/${id}/position`);
      expect(position.body).toMatchObject({ status: 'completed' });
      expect(position.body.completedElementIds).toContain(end);
    }
  });
});
