/**
 * The tracking secret of a dossier received with an `Idempotency-Key` (QA walkthrough, s7):
 * the answer carries it once; a replay by the same caller gives it again (the caller that
 * retries is the one that lost the first answer), a replay by anyone else never sees it nor
 * the answer, and the stored answer keeps neither the secret nor the caller's key in clear.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { principalOf } from '../../api/src/auth/auth-service';
import type { Role } from '../../api/src/auth/principal';
import { testDatabases } from '../support/databases';
import { Client, useApi, type ApiHarness } from './harness';
import { dossierProcessXml } from './dossier-process';

const AGENCY = '000.02.00.H29';
const PROCESS = 'idem-secret';

function procedureDocument(): Record<string, unknown> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return {
    ...base,
    code: 'idem-secret-procedure',
    processId: PROCESS,
    competentAgency: { ...base.competentAgency, agency: AGENCY },
    agencies: [{ id: AGENCY, name: 'Công an xã A', nameEn: 'A', level: 'commune', role: 'lead', demo: true }],
  };
}

const BODY = {
  procedureCode: 'idem-secret-procedure',
  channel: 'desk',
  applicant: { name: 'Nguyễn Thị Hương', kind: 'citizen', idNumber: '001190012345', phone: '0912345678' },
  documents: [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }],
  fee: { paid: true, paidOnline: false },
};

describe.each(testDatabases())('the tracking secret of an idempotent receipt on $name', (target) => {
  const api: ApiHarness = useApi(target, { dossiers: true });
  const desk: Record<string, Client> = {};
  const records: Record<string, Parameters<typeof principalOf>[0]> = {};
  let n = 0;

  beforeAll(async () => {
    for (const name of ['desk1', 'desk2']) {
      const record = await api.auth.users.create({ username: `${name}-${target.name}`, roles: ['official'] as Role[], agency: AGENCY, groups: ['desk'], passwordHash: 'scrypt$unused' });
      const { token } = await api.auth.issueToken(principalOf(record));
      desk[name] = new Client(() => api.url, () => token);
      records[name] = record;
    }
    const admin = await api.auth.users.create({ username: `admin-${target.name}`, roles: ['agency-admin'] as Role[], agency: AGENCY, groups: [], passwordHash: 'scrypt$unused' });
    await api.engine.deploy(dossierProcessXml({ processId: PROCESS, agency: AGENCY, name: 'idem' }), { agency: AGENCY });
    const { token } = await api.auth.issueToken(principalOf(admin));
    const put = await new Client(() => api.url, () => token).request('PUT', '/api/procedures/idem-secret-procedure', { json: { document: procedureDocument() } });
    expect(put.status).toBe(200);
  });

  const receive = (who: string, key: string) => desk[who].post('/api/dossiers', BODY, { headers: { 'idempotency-key': key } });
  const freshKey = () => `receipt-${target.name}-${++n}-${Math.random().toString(36).slice(2)}`;

  it('should keep neither the tracking secret nor the Idempotency-Key in clear in the stored answer', async () => {
    // given
    const key = freshKey();

    // when
    const first = await receive('desk1', key);

    // then
    expect(first.status).toBe(201);
    const secret = first.body.trackingSecret as string;
    expect(secret).toEqual(expect.any(String));
    const rows = await api.sql<{ row: string }>(`SELECT to_jsonb(k)::text AS row FROM idempotency_keys k WHERE scope = 'receiveDossier'`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.row.includes(secret))).toEqual([]);
    expect(rows.filter((r) => r.row.includes(key))).toEqual([]);
    // the stored answer is the dossier without its secret
    expect(rows.some((r) => r.row.includes(first.body.id))).toBe(true);
  });

  it('should give the secret again to the caller that replays its own key', async () => {
    // given
    const key = freshKey();
    const first = await receive('desk1', key);
    expect(first.status).toBe(201);

    // when
    const replay = await receive('desk1', key);

    // then: the same answer, the secret included, and it tracks the dossier
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    const tracked = await api.as('anonymous').get(`/api/tracking/${encodeURIComponent(first.body.code)}?secret=${encodeURIComponent(replay.body.trackingSecret)}`);
    expect(tracked.status).toBe(200);
  });

  it("should never give another caller the first caller's answer, even with the same key and body", async () => {
    // given
    const key = freshKey();
    const first = await receive('desk1', key);
    expect(first.status).toBe(201);

    // when another official of the same desk sends the same key and body
    const other = await receive('desk2', key);

    // then it is its own request: not a replay, another dossier, another secret
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.body.id).not.toBe(first.body.id);
    expect(other.body.trackingSecret).not.toBe(first.body.trackingSecret);
    expect(JSON.stringify(other.body)).not.toContain(first.body.trackingSecret);
  });

  it('should not replay the answer to the same user acting for another agency', async () => {
    // given
    const key = freshKey();
    const first = await receive('desk1', key);
    expect(first.status).toBe(201);
    const { token } = await api.auth.issueToken({ ...principalOf(records.desk1), agency: '000.09.00.H29' });

    // when the same person, now of another agency, sends the same key and body
    const moved = await new Client(() => api.url, () => token).post('/api/dossiers', BODY, { headers: { 'idempotency-key': key } });

    // then it is judged as its own request (refused: not the competent agency), never answered with the stored dossier
    expect(moved.status).toBe(403);
    expect(moved.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.stringify(moved.body)).not.toContain(first.body.trackingSecret);
  });

  it('should answer without the secret, not fail, when the stored seal was altered', async () => {
    // given a stored answer whose sealed part was changed in the database
    const key = freshKey();
    const first = await receive('desk1', key);
    expect(first.status).toBe(201);
    const altered = await api.sql<{ n: number }>(
      `UPDATE idempotency_keys SET response = jsonb_set(response, '{response,sealed}', '"v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"') WHERE response->'response'->>'body' LIKE $1 RETURNING 1 AS n`,
      [`%${first.body.id}%`],
    );
    expect(altered).toHaveLength(1);

    // when
    const replay = await receive('desk1', key);

    // then
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.body.trackingSecret).toBeUndefined();
  });
});
