/**
 * What the officials' inbox reads of `/api/tasks`: each task names the dossier its instance
 * runs (id, national code, status; no personal data), in the list and on its own; a task of
 * an instance that runs no dossier names none; and a task's JSON Schema form comes back with
 * its fields in the order the form was written in (migration 0029: the schema is kept as
 * text, not as jsonb, whose keys come back ordered by length). On both databases.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testDatabases } from '../support/databases';
import { deployLibraryProcedure, LIBRARY, loadLibrary, receiveDossier, requiredDocuments, signIn, type SignedIn } from './dossier-e2e-support';
import { useApi } from './harness';

const COMMUNE = '000.01.00.H29';

describe.each(testDatabases())('the inbox names each task’s dossier on $name', (target) => {
  const api = useApi(target);
  let desk: SignedIn;
  let other: SignedIn;

  beforeAll(async () => {
    desk = await signIn(api, { username: `inbox-desk-${target.name}`, roles: ['official'], agency: COMMUNE, groups: ['desk'] });
    other = await signIn(api, { username: `inbox-other-${target.name}`, roles: ['official'], agency: '000.02.00.H29', groups: ['desk'] });
    await deployLibraryProcedure(api, 'birth-registration');
    await loadLibrary(api, ['birth-registration']);
  });

  it('should give the dossier of each task, in the list and on its own, and none to a task without one', async () => {
    // given a dossier received at the desk, and an instance of a process that runs no dossier
    const dossier = await receiveDossier(desk.client, { procedureCode: 'birth-registration', channel: 'desk', applicant: { name: 'Lê Thị Mai', kind: 'citizen' }, documents: requiredDocuments('birth-registration') });
    const plain = await desk.client.post('/api/instances', { processId: 'birth-registration', businessKey: 'not-a-dossier' });
    expect(plain.status).toBe(201);

    // when the desk reads its inbox
    const inbox = await desk.client.get('/api/tasks?limit=200');
    expect(inbox.status).toBe(200);
    const items = inbox.body.items as Array<{ id: string; instanceId: string; dossier?: unknown }>;

    // then the dossier's task names it, the other task names none
    const ofDossier = items.find((t) => t.instanceId === dossier.instanceId)!;
    expect(ofDossier.dossier).toEqual({ id: dossier.id, code: dossier.code, status: 'received', received: true });
    const ofPlain = items.find((t) => t.instanceId === plain.body.instanceId)!;
    expect(ofPlain).toBeDefined();
    expect('dossier' in ofPlain).toBe(false);

    // and the task on its own says the same
    const one = await desk.client.get(`/api/tasks/${ofDossier.id}`);
    expect(one.body.dossier).toEqual({ id: dossier.id, code: dossier.code, status: 'received', received: true });
    // while another agency's official sees neither
    expect((await other.client.get('/api/tasks?limit=200')).body.items).toEqual([]);
    expect((await other.client.get(`/api/tasks/${ofDossier.id}`)).status).toBe(404);
  });

  it('should give a task’s JSON Schema form with its fields in the order it was written in', async () => {
    const dossier = await receiveDossier(desk.client, { procedureCode: 'birth-registration', channel: 'desk', applicant: { name: 'Trần Văn Hải', kind: 'citizen' }, documents: requiredDocuments('birth-registration') });
    const [task] = await api.openTasks(dossier.instanceId);
    const got = await desk.client.get(`/api/tasks/${task.id}`);
    expect(got.body.form.kind).toBe('json-schema');
    const written = JSON.parse(readFileSync(path.join(LIBRARY, 'birth-registration', 'forms', `${task.formKey}.schema.json`), 'utf8'));
    expect(Object.keys(got.body.form.schema.properties)).toEqual(Object.keys(written.properties));
    expect(Object.keys(got.body.form.schema)).toEqual(Object.keys(written).filter((k) => k !== '$id'));
  });
});
