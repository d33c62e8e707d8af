/**
 * QA finding 17: a dossier operation sent without the field its type needs is a 400
 * problem naming that field (`body.items`), not a 409 of the dossier rules; a legal
 * refusal of a complete request stays a 409 naming the rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { principalOf } from '../../api/src/auth/auth-service';
import type { Role } from '../../api/src/auth/principal';
import { testDatabases } from '../support/databases';
import { dossierProcessXml } from './dossier-process';
import { Client, useApi, type ApiHarness } from './harness';

const AG = '000.07.00.H31';
const PROCESS = 'operation-fields';
const xml = dossierProcessXml({ processId: PROCESS, agency: AG, name: 'operation fields' });

function procedureDocument(): Record<string, any> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return { ...base, code: 'op-fields', processId: PROCESS, competentAgency: { ...base.competentAgency, agency: AG }, agencies: [{ id: AG, name: 'Công an xã F', nameEn: 'F', level: 'commune', role: 'lead', demo: true }] };
}

const APPLICANT = { name: 'Trần Văn Bình', kind: 'citizen', idNumber: '001190099999' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }];

describe.each(testDatabases())('dossier operations missing a field on $name', (target) => {
  const api: ApiHarness = useApi(target, { now: () => Date.parse('2026-11-03T09:00:00+07:00'), dossiers: true });
  const users: Record<string, Client> = {};
  let dossierId = '';

  async function user(name: string, roles: Role[], agency: string | undefined, groups: string[]): Promise<void> {
    const record = await api.auth.users.create({ username: `${name}-opf-${target.name}`, roles, ...(agency ? { agency } : {}), groups, passwordHash: 'scrypt$unused' });
    const { token } = await api.auth.issueToken(principalOf(record));
    users[name] = new Client(() => api.url, () => token);
  }

  beforeAll(async () => {
    await user('desk', ['official'], AG, ['desk']);
    await user('admin', ['agency-admin'], AG, []);
    await api.engine.deploy(xml, { agency: AG });
    expect((await users.admin.request('PUT', '/api/procedures/op-fields', { json: { document: procedureDocument() } })).status).toBe(200);
    const res = await users.desk.post('/api/dossiers', { procedureCode: 'op-fields', channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });
    expect(res.status).toBe(201);
    dossierId = res.body.id;
  });

  it.each([
    [{ type: 'request-supplement' }, ['body.items']],
    [{ type: 'refuse' }, ['body.reasons']],
    [{ type: 'reject' }, ['body.reasons']],
    [{ type: 'apologize' }, ['body.newAppointmentAt', 'body.reason']],
    [{ type: 'apologize', reason: 'chậm' }, ['body.newAppointmentAt']],
  ])('should answer 400 to %j naming %j', async (operation, fields) => {
    // when
    const res = await users.desk.post(`/api/dossiers/${dossierId}/operations`, operation);

    // then
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_INPUT');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
    for (const e of res.body.errors) expect(e.message).toMatch(/required/);
  });

  it('should still answer 409 naming the rule when a complete request breaks a legal guard', async () => {
    // when: accepting a desk dossier that is already received (accept is for online dossiers)
    const res = await users.desk.post(`/api/dossiers/${dossierId}/operations`, { type: 'accept' });

    // then
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DOSSIER_OPERATION_REFUSED');
  });
});
