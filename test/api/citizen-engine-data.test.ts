/**
 * QA finding 4: a citizen sees the instance of its own dossier, but not the engine's raw
 * data (variables and history name the officials and carry their opinions); the staff of
 * the agency keep reading them.
 */
import { testDatabases } from '../support/databases';
import { receiveDossier, SuiteUsers } from './dossier-e2e-support';
import { dossierProcessXml, putDossierProcedure, residenceProcedureAs } from './dossier-process';
import { useApi, type ApiHarness } from './harness';

const AG = '000.08.00.H31';
const PROCESS = 'citizen-engine-data';
const xml = dossierProcessXml({ processId: PROCESS, agency: AG, name: 'citizen engine data' });

const procedureDocument = () => residenceProcedureAs({ code: 'citizen-data', processId: PROCESS, agencies: [{ id: AG, name: 'Công an xã C', nameEn: 'C' }] });

const APPLICANT = { name: 'Trần Văn Bình', kind: 'citizen', idNumber: '001190099999' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'electronic', copies: 1 }]; // online: no paper original

describe.each(testDatabases())('the engine data of a citizen’s own dossier on $name', (target) => {
  const api: ApiHarness = useApi(target, { now: () => Date.parse('2026-11-03T09:00:00+07:00'), dossiers: true });
  const users = new SuiteUsers(api, `ced-${target.name}`);
  let instanceId = '';

  beforeAll(async () => {
    await users.add('desk', ['official'], AG, ['desk']);
    await users.add('admin', ['agency-admin'], AG, []);
    await users.add('citizen', ['citizen'], undefined, []);
    await putDossierProcedure(api, users.as('admin'), xml, AG, procedureDocument());
    const dossier = await receiveDossier(users.as('citizen'), { procedureCode: 'citizen-data', channel: 'online', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: true } });
    instanceId = dossier.instanceId;
    expect((await users.operate('desk', dossier.id, { type: 'accept' })).status).toBe(200);
  });

  it('should refuse the citizen its instance’s variables and history, in plain words, and keep its position', async () => {
    // when
    const variables = await users.as('citizen').get(`/api/instances/${instanceId}/variables`);
    const history = await users.as('citizen').get(`/api/instances/${instanceId}/history`);
    const position = await users.as('citizen').get(`/api/instances/${instanceId}/position`);

    // then
    expect([variables.status, history.status, position.status]).toEqual([403, 403, 200]);
    expect(history.body.detail).toMatch(/only the staff of an agency involved may read the history/);
  });

  it('should let the agency’s staff read them as before', async () => {
    for (const who of ['desk', 'admin']) {
      expect((await users.as(who).get(`/api/instances/${instanceId}/variables`)).status).toBe(200);
      expect((await users.as(who).get(`/api/instances/${instanceId}/history`)).status).toBe(200);
    }
  });
});
