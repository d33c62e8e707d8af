/**
 * The audit trail verified per agency, through the API, on both databases (issue 16, QA
 * finding 5). Agency A has a dossier of its own and an inter-agency one whose examination is
 * B's (so B took part: the dossier's `agencies` records it); B has a dossier of its own. After
 * a seal and more steps, the database is tampered with directly:
 *  - B's own dossier (a row changed, deleted, reordered, its entries deleted whole): A's
 *    verification still passes with the same counts and names nothing of B;
 *  - A's dossiers (the same, plus a chain rewritten after its seal and a sealed tail cut): A's
 *    verification fails naming exactly the row the whole trail's verification names;
 *  - the inter-agency dossier: B's verification sees it too.
 * An agency admin verifies its own agency only; an analyst the whole trail or one agency.
 * Each case restores the log from a copy afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { principalOf } from '../../api/src/auth/auth-service';
import type { Role } from '../../api/src/auth/principal';
import { runAuditCommand } from '../../api/src/cli-audit';
import { entryHash } from '../../onestop/src/audit/hash-chain';
import { testDatabases } from '../support/databases';
import { dossierProcessXml } from './dossier-process';
import { Client, useApi, type ApiHarness } from './harness';

const A = '000.02.00.H29';
const B = '000.03.00.H29';

/** A's process, B's process, and A's process whose examination is B's. */
const PROCESSES = {
  'scope-a': dossierProcessXml({ processId: 'scope-a', agency: A, name: 'scope A', examineGroup: 'specialist' }),
  'scope-b': dossierProcessXml({ processId: 'scope-b', agency: B, name: 'scope B', examineGroup: 'specialist' }),
  'scope-ab': dossierProcessXml({ processId: 'scope-ab', agency: A, name: 'scope A with B', examineGroup: 'specialist' }).replace(
    '<motcua:facts dossierStatus="processing" />',
    `<motcua:facts agency="${B}" dossierStatus="processing" />`,
  ),
};

function procedureDocument(code: keyof typeof PROCESSES, agency: string, participant?: string): Record<string, any> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return {
    ...base,
    code,
    processId: code,
    competentAgency: { ...base.competentAgency, agency },
    agencies: [
      { id: agency, name: `Cơ quan ${agency}`, nameEn: agency, level: 'commune', role: 'lead', demo: true },
      ...(participant ? [{ id: participant, name: `Cơ quan ${participant}`, nameEn: participant, level: 'commune', role: 'participant', demo: true }] : []),
    ],
  };
}

const vn = (date: string, time = '09:00'): number => Date.parse(`${date}T${time}:00+07:00`);
const APPLICANT = { name: 'Lê Thị Hoa', kind: 'citizen', idNumber: '001190054322', phone: '0912345670' };
const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }];

type Row = { id: string; seq: number; at: unknown; actor: string; type: string; content: unknown; prev_hash: string; hash: string };

describe.each(testDatabases())('audit trail verified per agency on $name', (target) => {
  let clock = vn('2026-11-23');
  const api: ApiHarness = useApi(target, { now: () => clock, dossiers: true });
  const users: Record<string, Client> = {};
  /** A's own dossier, A's dossier B took part in, B's own dossier. */
  const d = { a: { id: '', code: '' }, ab: { id: '', code: '' }, b: { id: '', code: '' } };

  async function user(name: string, roles: Role[], agency: string | undefined, groups: string[]): Promise<void> {
    const record = await api.auth.users.create({ username: `scope-${name}-${target.name}`, roles, ...(agency ? { agency } : {}), groups, passwordHash: 'scrypt$unused' });
    const { token } = await api.auth.issueToken(principalOf(record));
    users[name] = new Client(() => api.url, () => token);
  }

  async function complete(instanceId: string, elementId: string): Promise<void> {
    const task = (await api.openTasks(instanceId)).find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no open task ${elementId}`);
    await api.engine.completeTask(task.id, { actor: 'scope-desk' });
  }

  async function receive(desk: Client, procedureCode: string): Promise<{ id: string; code: string; instanceId: string }> {
    const res = await desk.post('/api/dossiers', { procedureCode, channel: 'desk', applicant: APPLICANT, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function verify(as: string, query = ''): Promise<Record<string, any> & { text: string }> {
    const res = await users[as].get(`/api/audit/verify${query}`);
    expect([res.status, res.body?.detail]).toEqual([200, undefined]);
    return { ...res.body, text: res.text };
  }

  /** What A's verification must never show: B's own dossier and agency. */
  const expectNothingOfB = (text: string) => {
    for (const secret of [d.b.id, d.b.code, B]) expect(text).not.toContain(secret);
  };

  /** `motcua audit …` on the test database: exit code and lines. */
  async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAuditCommand(args, { db: api.db, out: (l) => out.push(l), err: (l) => err.push(l), now: () => clock });
    return { code, out, err };
  }

  const rows = (dossierId: string) => api.sql<Row>('SELECT id, seq, at, actor, type, content, prev_hash, hash FROM audit_entries WHERE dossier_id = $1 ORDER BY id', [dossierId]);
  const count = async (...dossierIds: string[]) => (await Promise.all(dossierIds.map(rows))).reduce((n, r) => n + r.length, 0);
  const lastSeq = async (dossierId: string) => Number((await rows(dossierId)).at(-1)!.seq);

  beforeAll(async () => {
    await user('deskA', ['official'], A, ['desk', 'specialist']);
    await user('deskB', ['official'], B, ['desk', 'specialist']);
    await user('adminA', ['agency-admin'], A, []);
    await user('adminB', ['agency-admin'], B, []);
    await user('analyst', ['analyst'], undefined, []);
    await api.engine.deploy(PROCESSES['scope-a'], { agency: A });
    await api.engine.deploy(PROCESSES['scope-ab'], { agency: A });
    await api.engine.deploy(PROCESSES['scope-b'], { agency: B });
    for (const [admin, code, agency, participant] of [['adminA', 'scope-a', A], ['adminA', 'scope-ab', A, B], ['adminB', 'scope-b', B]] as const) {
      const res = await users[admin].request('PUT', `/api/procedures/${code}`, { json: { document: procedureDocument(code, agency, participant) } });
      expect([res.status, res.body?.detail]).toEqual([200, undefined]);
    }

    const a = await receive(users.deskA, 'scope-a');
    const ab = await receive(users.deskA, 'scope-ab');
    const b = await receive(users.deskB, 'scope-b');
    Object.assign(d, { a: { id: a.id, code: a.code }, ab: { id: ab.id, code: ab.code }, b: { id: b.id, code: b.code } });
    clock = vn('2026-11-23', '10:00');
    await complete(a.instanceId, 'receive');
    await complete(ab.instanceId, 'receive'); // its examination is B's
    await complete(b.instanceId, 'receive');
    clock = vn('2026-11-24', '10:00');
    await complete(a.instanceId, 'examine');
    const sealed = await runAuditCommand(['seal'], { db: api.db, out: () => undefined, err: () => undefined, now: () => clock });
    expect(sealed).toBe(0);
    // unsealed tails after the seal
    clock = vn('2026-11-25', '10:00');
    await complete(a.instanceId, 'returnResult');
    await complete(b.instanceId, 'examine');
    await api.sql('CREATE TABLE audit_entries_copy AS SELECT * FROM audit_entries');
    await api.sql('CREATE TABLE audit_seals_copy AS SELECT * FROM audit_seals');
  });

  afterEach(async () => {
    await api.sql('DELETE FROM audit_entries');
    await api.sql('INSERT INTO audit_entries SELECT * FROM audit_entries_copy');
    await api.sql('DELETE FROM audit_seals');
    await api.sql('INSERT INTO audit_seals SELECT * FROM audit_seals_copy');
  });

  it('should record that B took part in the inter-agency dossier', async () => {
    const agencies = await api.sql<{ id: string; agency: string; agencies: string[] }>('SELECT id, agency, agencies FROM dossiers ORDER BY submitted_at, id');
    expect(Object.fromEntries(agencies.map((r) => [r.id, [r.agency, [...r.agencies].sort()]]))).toEqual({ [d.a.id]: [A, [A]], [d.ab.id]: [A, [A, B].sort()], [d.b.id]: [B, [B]] });
  });

  it('should count an intact trail per agency: its own dossiers and those it took part in, and the seals that recorded them', async () => {
    const whole = await verify('analyst');
    expect(whole).toMatchObject({ ok: true, entries: await count(d.a.id, d.ab.id, d.b.id), dossiers: 3, seals: 1 });
    expect(whole.agency).toBeUndefined();

    const ofA = await verify('adminA');
    expect(ofA).toMatchObject({ ok: true, agency: A, entries: await count(d.a.id, d.ab.id), dossiers: 2, seals: 1 });
    expectNothingOfB(ofA.text);
    expect(await verify('analyst', `?agency=${A}`)).toEqual(ofA);
    expect(await verify('adminA', `?agency=${A}`)).toEqual(ofA);

    expect(await verify('adminB')).toMatchObject({ ok: true, agency: B, entries: await count(d.ab.id, d.b.id), dossiers: 2, seals: 1 });
    expect(await verify('analyst', '?agency=000.99.00.H29')).toMatchObject({ ok: true, entries: 0, dossiers: 0, seals: 0 });

    // the command line counts the same
    expect(await cli('verify', '--agency', A)).toEqual({ code: 0, out: [`ok: ${ofA.entries} entries of 2 dossiers, 1 seals (agency ${A}: its own dossiers and those it took part in)`], err: [] });
    expect((await cli('verify', `--agency=${B}`)).out).toEqual([`ok: ${await count(d.ab.id, d.b.id)} entries of 2 dossiers, 1 seals (agency ${B}: its own dossiers and those it took part in)`]);
    expect((await cli('verify')).out).toEqual([`ok: ${whole.entries} entries of 3 dossiers, 1 seals`]);
  });

  it.each([
    [['verify', '--agency'], "Option '--agency <value>' argument missing"],
    [['verify', '--agency', '--json'], "Option '--agency' argument is ambiguous"],
    [['verify', '--agency='], "'--agency' needs an agency code"],
    [['verify', '--agancy', A], "Unknown option '--agancy'"],
    [['verify', '--agency', A, 'extra'], "Unexpected argument 'extra'"],
    [['seal', '--agency', A], "'seal' takes no options"],
  ])('should refuse `motcua audit %j` with exit code 2 and say what is wrong', async (args, problem) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err.join('\n')).toContain(problem);
    expect(result.err.join('\n')).toContain('usage: motcua audit verify [--agency <code>] | seal');
  });

  describe("another agency's dossier tampered with", () => {
    let intact: Record<string, any>;
    beforeEach(async () => {
      intact = await verify('adminA');
    });

    it.each<[what: string, tamper: (api: ApiHarness, dossierId: string) => Promise<unknown>]>([
      ['a row changed', (api, id) => api.sql(`UPDATE audit_entries SET actor = 'someone-else' WHERE dossier_id = $1 AND seq = 2`, [id])],
      ['a row deleted', (api, id) => api.sql('DELETE FROM audit_entries WHERE dossier_id = $1 AND seq = 2', [id])],
      [
        'two rows swapped',
        async (api, id) => {
          await api.sql('UPDATE audit_entries SET seq = -1 WHERE dossier_id = $1 AND seq = 2', [id]);
          await api.sql('UPDATE audit_entries SET seq = 2 WHERE dossier_id = $1 AND seq = 3', [id]);
          await api.sql('UPDATE audit_entries SET seq = 3 WHERE dossier_id = $1 AND seq = -1', [id]);
        },
      ],
      ['its entries deleted whole', (api, id) => api.sql('DELETE FROM audit_entries WHERE dossier_id = $1', [id])],
    ])("should still pass A's verification, with the same counts and nothing of B, when B's dossier has %s", async (_what, tamper) => {
      // when
      await tamper(api, d.b.id);

      // then the whole trail and B's fail on B's dossier, A's is as it was
      expect((await verify('analyst')).problem).toMatchObject({ dossierId: d.b.id });
      expect((await verify('adminB')).problem).toMatchObject({ dossierId: d.b.id });
      const ofA = await verify('adminA');
      expect(ofA).toEqual(intact);
      expectNothingOfB(ofA.text);
      // and so does the command line: A's dossiers intact, the whole trail not
      expect((await cli('verify', '--agency', A)).code).toBe(0);
      const whole = await cli('verify');
      expect(whole.code).toBe(1);
      expect(whole.err.join('\n')).toContain(`dossier ${d.b.id}`);
      expect((await cli('verify', '--agency', B)).err.join('\n')).toContain(`audit trail (agency ${B}: its own dossiers and those it took part in) not intact`);
    });
  });

  describe("the agency's own dossiers tampered with", () => {
    /** A's verification names the row the whole trail's names, and nothing of B. */
    async function expectNamed(expected: Record<string, unknown>): Promise<void> {
      const whole = await verify('analyst');
      expect(whole).toMatchObject({ ok: false, problem: expected });
      const ofA = await verify('adminA');
      expect(ofA).toMatchObject({ ok: false, agency: A });
      expect(ofA.problem).toEqual(whole.problem);
      expect(ofA.entries).toBeUndefined();
      expectNothingOfB(ofA.text);
      expect((await verify('analyst', `?agency=${A}`)).problem).toEqual(whole.problem);
    }

    it('should name the row whose content was changed', async () => {
      await api.sql(`UPDATE audit_entries SET actor = 'someone-else' WHERE dossier_id = $1 AND seq = 3`, [d.a.id]);
      await expectNamed({ kind: 'entry-changed', dossierId: d.a.id, sequence: 3 });
    });

    it('should name the row whose event data was changed', async () => {
      await api.sql(`UPDATE audit_entries SET content = content || '{"forged": true}'::jsonb WHERE dossier_id = $1 AND seq = 2`, [d.ab.id]);
      await expectNamed({ kind: 'entry-changed', dossierId: d.ab.id, sequence: 2 });
    });

    it('should name the row that was deleted', async () => {
      await api.sql('DELETE FROM audit_entries WHERE dossier_id = $1 AND seq = 4', [d.a.id]);
      await expectNamed({ kind: 'entry-deleted', dossierId: d.a.id, sequence: 4 });
    });

    it('should name the rows whose order was swapped', async () => {
      await api.sql('UPDATE audit_entries SET seq = -1 WHERE dossier_id = $1 AND seq = 2', [d.a.id]);
      await api.sql('UPDATE audit_entries SET seq = 2 WHERE dossier_id = $1 AND seq = 3', [d.a.id]);
      await api.sql('UPDATE audit_entries SET seq = 3 WHERE dossier_id = $1 AND seq = -1', [d.a.id]);
      await expectNamed({ kind: 'entry-reordered', dossierId: d.a.id, sequence: 3 });
    });

    it('should name a sealed dossier whose entries were deleted whole, for every agency that took part', async () => {
      await api.sql('DELETE FROM audit_entries WHERE dossier_id = $1', [d.ab.id]);
      await expectNamed({ kind: 'dossier-missing', dossierId: d.ab.id, seal: 1 });
      expect((await verify('adminB')).problem).toMatchObject({ kind: 'dossier-missing', dossierId: d.ab.id, seal: 1 });
    });

    it('should name a sealed entry cut from the tail of a dossier', async () => {
      const last = await lastSeq(d.ab.id);
      await api.sql('DELETE FROM audit_entries WHERE dossier_id = $1 AND seq = $2', [d.ab.id, last]);
      await expectNamed({ kind: 'entry-deleted', dossierId: d.ab.id, sequence: last, seal: 1 });
    });

    it('should name a sealed head that no longer matches: the chain rewritten with fresh hashes after its seal', async () => {
      // given the dossier's chain rewritten from entry 2 on, every hash recomputed (the chain itself checks out)
      const chain = await rows(d.ab.id);
      const ms = (at: unknown) => (at instanceof Date ? at.getTime() : Date.parse(String(at)));
      let previousHash = chain[0].hash;
      for (const row of chain.slice(1)) {
        const content = { dossierId: d.ab.id, sequence: Number(row.seq), at: ms(row.at), actor: row.seq === 2 ? 'someone-else' : row.actor, type: row.type, data: typeof row.content === 'string' ? JSON.parse(row.content) : row.content };
        const hash = entryHash(previousHash, content);
        await api.sql('UPDATE audit_entries SET actor = $1, prev_hash = $2, hash = $3 WHERE id = $4', [content.actor, previousHash, hash, row.id]);
        previousHash = hash;
      }

      // then
      await expectNamed({ kind: 'chain-rewritten', dossierId: d.ab.id, sequence: await lastSeq(d.ab.id), seal: 1 });
    });

    it('should fail on a changed seal, naming the seal only (the seal chain is every agency\'s evidence)', async () => {
      await api.sql(`UPDATE audit_seals SET at = at + interval '1 second' WHERE seq = 1`);
      await expectNamed({ kind: 'seal-changed', seal: 1 });
    });
  });

  it('should let an agency admin verify its own agency only, analysts any, and nobody else', async () => {
    const other = await users.adminA.get(`/api/audit/verify?agency=${B}`);
    expect([other.status, other.body.detail]).toEqual([403, `the audit trail of agency '${B}' is verified by its own agency admins and by analysts; this agency admin belongs to agency '${A}'`]);
    expect(other.text).not.toMatch(/entries|dossiers"|"ok"/);
    expect((await users.adminB.get(`/api/audit/verify?agency=${A}`)).status).toBe(403);
    const official = await users.deskA.get('/api/audit/verify');
    expect([official.status, official.body.detail]).toEqual([403, 'GET /api/audit/verify is for analysts and agency admins; this user is an official']);
    expect((await users.deskA.get(`/api/audit/verify?agency=${A}`)).status).toBe(403);
    expect((await api.as('anonymous').get('/api/audit/verify')).status).toBe(401);
    const empty = await users.analyst.get('/api/audit/verify?agency=');
    expect([empty.status, empty.body.errors?.[0]?.field]).toEqual([400, 'query.agency']);
  });
});
