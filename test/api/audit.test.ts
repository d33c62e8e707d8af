/**
 * The audit trail through the API, on both databases: dossiers run through the API (receipt,
 * steps of the process, an operation), the log is sealed, then the database is tampered
 * with directly — a row changed, a row deleted, two rows' order swapped, a whole dossier's
 * entries deleted — and each time `GET /api/audit/verify` and `motcua audit verify` name
 * exactly that row. Each case restores the log from a copy afterwards.
 */
import type { Role } from '../../api/src/auth/principal';
import { runAuditCommand } from '../../api/src/cli-audit';
import { testDatabases } from '../support/databases';
import { receiveDossier, signIn } from './dossier-e2e-support';
import { dossierProcessXml, putDossierProcedure, residenceProcedureAs } from './dossier-process';
import { useApi, type ApiHarness, type Client } from './harness';
import { complete as completeTask, vn } from './outbox-support';

const AG = '000.02.00.H29';
const PROCESS = 'dossier-audit';

const xml = dossierProcessXml({ processId: PROCESS, agency: AG, name: 'audit', examineGroup: 'specialist' });

const procedureDocument = () => residenceProcedureAs({ code: 'audit-procedure', processId: PROCESS, agencies: [{ id: AG, name: 'Công an xã A', nameEn: 'A' }] });

const APPLICANT = { name: 'Trần Văn Bình', kind: 'citizen', idNumber: '001190054321', phone: '0912345679' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }];

describe.each(testDatabases())('audit trail on $name', (target) => {
  let clock = vn('2026-11-23');
  const api: ApiHarness = useApi(target, { now: () => clock, dossiers: true });
  const users: Record<string, Client> = {};
  let first: string;
  let second: string;

  async function user(name: string, roles: Role[], groups: string[]): Promise<void> {
    users[name] = (await signIn(api, { username: `audit-${name}-${target.name}`, roles, ...(roles.includes('analyst') ? {} : { agency: AG }), groups })).client;
  }

  const complete = (instanceId: string, elementId: string, actor: string) => completeTask(api, instanceId, elementId, actor);
  const receive = (): Promise<{ id: string; instanceId: string }> => receiveDossier(users.desk, { procedureCode: 'audit-procedure', channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });

  const verification = async () => {
    const res = await users.analyst.get('/api/audit/verify');
    expect(res.status).toBe(200);
    return res.body;
  };

  async function cli(command: string): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAuditCommand([command], { db: api.db, out: (l) => out.push(l), err: (l) => err.push(l), now: () => clock });
    return { code, out, err };
  }

  beforeAll(async () => {
    await user('desk', ['official'], ['desk', 'specialist']);
    await user('admin', ['agency-admin'], []);
    await user('analyst', ['analyst'], []);
    await putDossierProcedure(api, users.admin, xml, AG, procedureDocument());

    // two dossiers, their steps interleaved, then a seal, then one more step of the first after it
    const a = await receive();
    const b = await receive();
    first = a.id;
    second = b.id;
    clock = vn('2026-11-23', '10:00');
    await complete(a.instanceId, 'receive', 'audit-desk');
    await complete(b.instanceId, 'receive', 'audit-desk');
    clock = vn('2026-11-24', '10:00');
    await complete(a.instanceId, 'examine', 'audit-desk');
    expect((await cli('seal')).code).toBe(0);
    clock = vn('2026-11-25', '10:00');
    await complete(a.instanceId, 'returnResult', 'audit-desk');
    await api.sql('CREATE TABLE audit_entries_copy AS SELECT * FROM audit_entries');
  });

  afterEach(async () => {
    await api.sql('DELETE FROM audit_entries');
    await api.sql('INSERT INTO audit_entries SELECT * FROM audit_entries_copy');
  });

  const seqs = async (dossierId: string) => (await api.sql<{ seq: number; type: string; actor: string }>('SELECT seq, type, actor FROM audit_entries WHERE dossier_id = $1 ORDER BY id', [dossierId])).map((r) => `${r.seq} ${r.type} ${r.actor}`);

  it('should chain every dossier event and task event of a dossier, with who, and verify intact', async () => {
    const entries = await seqs(first);
    const types = entries.map((e) => e.split(' ')[1]);
    expect(types).toEqual(expect.arrayContaining(['dossierSubmitted', 'dossierReceived', 'taskOpened', 'taskCompleted', 'processingStarted', 'resultReady', 'resultReturned']));
    expect(entries.map((e) => Number(e.split(' ')[0]))).toEqual(entries.map((_, i) => i + 1));
    expect(entries.filter((e) => e.includes('taskCompleted')).every((e) => e.endsWith('audit-desk'))).toBe(true);
    expect(await verification()).toMatchObject({ ok: true, dossiers: 2, seals: 1 });
    expect((await cli('verify')).code).toBe(0);
  });

  it('should name the row whose content was changed', async () => {
    await api.sql(`UPDATE audit_entries SET actor = 'someone-else' WHERE dossier_id = $1 AND seq = 3`, [first]);
    expect((await verification()).problem).toMatchObject({ kind: 'entry-changed', dossierId: first, sequence: 3 });
    const run = await cli('verify');
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toContain(`entry-changed at dossier ${first}, entry 3`);
  });

  it('should name the row whose event data was changed', async () => {
    await api.sql(`UPDATE audit_entries SET content = content || '{"forged": true}'::jsonb WHERE dossier_id = $1 AND seq = 2`, [second]);
    expect((await verification()).problem).toMatchObject({ kind: 'entry-changed', dossierId: second, sequence: 2 });
  });

  it('should name the row that was deleted', async () => {
    await api.sql('DELETE FROM audit_entries WHERE dossier_id = $1 AND seq = 4', [first]);
    expect((await verification()).problem).toMatchObject({ kind: 'entry-deleted', dossierId: first, sequence: 4 });
  });

  it('should name the rows whose order was swapped', async () => {
    await api.sql('UPDATE audit_entries SET seq = -1 WHERE dossier_id = $1 AND seq = 2', [first]);
    await api.sql('UPDATE audit_entries SET seq = 2 WHERE dossier_id = $1 AND seq = 3', [first]);
    await api.sql('UPDATE audit_entries SET seq = 3 WHERE dossier_id = $1 AND seq = -1', [first]);
    expect((await verification()).problem).toMatchObject({ kind: 'entry-reordered', dossierId: first, sequence: 3 });
  });

  it('should name the dossier whose entries were deleted whole (the seal saw it)', async () => {
    await api.sql('DELETE FROM audit_entries WHERE dossier_id = $1', [second]);
    expect((await verification()).problem).toMatchObject({ kind: 'dossier-missing', dossierId: second, seal: 1 });
    expect((await cli('verify')).err.join('\n')).toContain(`dossier-missing at dossier ${second}, seal 1`);
  });

  it('should name a sealed entry cut from the tail of a dossier', async () => {
    const last = await api.sql<{ seq: number }>('SELECT max(seq) AS seq FROM audit_entries WHERE dossier_id = $1', [second]);
    await api.sql('DELETE FROM audit_entries WHERE dossier_id = $1 AND seq = $2', [second, Number(last[0].seq)]);
    expect((await verification()).problem).toMatchObject({ kind: 'entry-deleted', dossierId: second, sequence: Number(last[0].seq), seal: 1 });
  });

  it('should let analysts verify the whole trail, an agency admin its own agency only (QA finding 5), and nobody else', async () => {
    const admin = await users.admin.get('/api/audit/verify');
    expect([admin.status, admin.body]).toEqual([200, { ok: true, agency: AG, entries: (await seqs(first)).length + (await seqs(second)).length, dossiers: 2, seals: 1 }]);
    expect((await users.admin.get('/api/audit/verify?agency=000.03.00.H29')).status).toBe(403);
    expect((await users.desk.get('/api/audit/verify')).status).toBe(403);
    expect((await api.as('anonymous').get('/api/audit/verify')).status).toBe(401);
  });
});
