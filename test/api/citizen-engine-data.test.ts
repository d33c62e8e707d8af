/**
 * QA finding 4: a citizen sees the instance of its own dossier, but not the engine's raw
 * data (variables and history name the officials and carry their opinions); the staff of
 * the agency keep reading them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { principalOf } from '../../api/src/auth/auth-service';
import type { Role } from '../../api/src/auth/principal';
import { testDatabases } from '../support/databases';
import { dossierProcessXml } from './dossier-process';
import { Client, useApi, type ApiHarness } from './harness';

const AG = '000.08.00.H31';
const PROCESS = 'citizen-engine-data';
const xml = dossierProcessXml({ processId: PROCESS, agency: AG, name: 'citizen engine data' });

function procedureDocument(): Record<string, any> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return { ...base, code: 'citizen-data', processId: PROCESS, competentAgency: { ...base.competentAgency, agency: AG }, agencies: [{ id: AG, name: 'Công an xã C', nameEn: 'C', level: 'commune', role: 'lead', demo: true }] };
}

const APPLICANT = { name: 'Trần Văn Bình', kind: 'citizen', idNumber: '001190099999' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'electronic', copies: 1 }]; // online: no paper original

describe.each(testDatabases())('the engine data of a citizen’s own dossier on $name', (target) => {
  const api: ApiHarness = useApi(target, { now: () => Date.parse('2026-11-03T09:00:00+07:00'), dossiers: true });
  const users: Record<string, Client> = {};
  let instanceId = '';

  async function user(name: string, roles: Role[], agency: string | undefined, groups: string[]): Promise<void> {
    const record = await api.auth.users.create({ username: `${name}-ced-${target.name}`, roles, ...(agency ? { agency } : {}), groups, passwordHash: 'scrypt$unused' });
    const { token } = await api.auth.issueToken(principalOf(record));
    users[name] = new Client(() => api.url, () => token);
  }

  beforeAll(async () => {
    await user('desk', ['official'], AG, ['desk']);
    await user('admin', ['agency-admin'], AG, []);
    await user('citizen', ['citizen'], undefined, []);
    await api.engine.deploy(xml, { agency: AG });
    expect((await users.admin.request('PUT', '/api/procedures/citizen-data', { json: { document: procedureDocument() } })).status).toBe(200);
    const res = await users.citizen.post('/api/dossiers', { procedureCode: 'citizen-data', channel: 'online', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: true } });
    expect(res.status).toBe(201);
    instanceId = res.body.instanceId;
    expect((await users.desk.post(`/api/dossiers/${res.body.id}/operations`, { type: 'accept' })).status).toBe(200);
  });

  it('should refuse the citizen its instance’s variables and history, in plain words, and keep its position', async () => {
    // when
    const variables = await users.citizen.get(`/api/instances/${instanceId}/variables`);
    const history = await users.citizen.get(`/api/instances/${instanceId}/history`);
    const position = await users.citizen.get(`/api/instances/${instanceId}/position`);

    // then
    expect([variables.status, history.status, position.status]).toEqual([403, 403, 200]);
    expect(history.body.detail).toMatch(/only the staff of an agency involved may read the history/);
  });

  it('should let the agency’s staff read them as before', async () => {
    for (const who of ['desk', 'admin']) {
      expect((await users[who].get(`/api/instances/${instanceId}/variables`)).status).toBe(200);
      expect((await users[who].get(`/api/instances/${instanceId}/history`)).status).toBe(200);
    }
  });
});
