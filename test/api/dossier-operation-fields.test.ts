/**
 * QA finding 17: a dossier operation sent without the field its type needs is a 400
 * problem naming that field (`body.items`), not a 409 of the dossier rules; a legal
 * refusal of a complete request stays a 409 naming the rule.
 */
import { testDatabases } from '../support/databases';
import { receiveDossier, SuiteUsers } from './dossier-e2e-support';
import { dossierProcessXml, putDossierProcedure, residenceProcedureAs } from './dossier-process';
import { useApi, type ApiHarness } from './harness';

const AG = '000.07.00.H31';
const PROCESS = 'operation-fields';
const xml = dossierProcessXml({ processId: PROCESS, agency: AG, name: 'operation fields' });

const procedureDocument = () => residenceProcedureAs({ code: 'op-fields', processId: PROCESS, agencies: [{ id: AG, name: 'Công an xã F', nameEn: 'F' }] });

const APPLICANT = { name: 'Trần Văn Bình', kind: 'citizen', idNumber: '001190099999' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }];

describe.each(testDatabases())('dossier operations missing a field on $name', (target) => {
  const api: ApiHarness = useApi(target, { now: () => Date.parse('2026-11-03T09:00:00+07:00'), dossiers: true });
  const users = new SuiteUsers(api, `opf-${target.name}`);
  let dossierId = '';

  beforeAll(async () => {
    await users.add('desk', ['official'], AG, ['desk']);
    await users.add('admin', ['agency-admin'], AG, []);
    await putDossierProcedure(api, users.as('admin'), xml, AG, procedureDocument());
    dossierId = (await receiveDossier(users.as('desk'), { procedureCode: 'op-fields', channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } })).id;
  });

  it.each([
    [{ type: 'request-supplement' }, ['body.items']],
    [{ type: 'refuse' }, ['body.reasons']],
    [{ type: 'reject' }, ['body.reasons']],
    [{ type: 'apologize' }, ['body.newAppointmentAt', 'body.reason']],
    [{ type: 'apologize', reason: 'chậm' }, ['body.newAppointmentAt']],
  ])('should answer 400 to %j naming %j', async (operation, fields) => {
    // when
    const res = await users.as('desk').post(`/api/dossiers/${dossierId}/operations`, operation);

    // then
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_INPUT');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
    for (const e of res.body.errors) expect(e.message).toMatch(/required/);
  });

  it('should still answer 409 naming the rule when a complete request breaks a legal guard', async () => {
    // when: accepting a desk dossier that is already received (accept is for online dossiers)
    const res = await users.as('desk').post(`/api/dossiers/${dossierId}/operations`, { type: 'accept' });

    // then
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DOSSIER_OPERATION_REFUSED');
  });
});
